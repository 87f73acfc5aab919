# H in the result pane shows the last request as sent, every credential masked, and the
# response's header lines; a result restored from the history has neither.
opened
keys Tab Tab Tab
expect "exchange: the result pane" 'Result'
keys H
expect "exchange: nothing sent yet" 'No request sent yet: F5 sends one'
keys Tab
open_action session start
keys F3
expect "exchange: the secret shown" 'secret \(string\) +[0-9a-f]{32}'
secret=$(screen | grep -oE 'secret \(string\) +[0-9a-f]{32}' | grep -oE '[0-9a-f]{32}$' | head -1)
keys F3 F5
expect "exchange: KS captured" 'session\.start: the KS was copied into the session field'
keys Tab H
expect "exchange: the request line" 'POST http://127\.0\.0\.1:[0-9]+/api_v3/service/session/action/start'
expect "exchange: the secret masked" '│ secret=\*\*\*&'
expect "exchange: the status line of the answer" 'HTTP/1\.[01] 200'
expect "exchange: a response header" '│ Content-Type: (text|application)/'
current="exchange: the secret is not on the screen"
if [ -n "$secret" ] && ! screen | grep -q -e "$secret"; then pass; else
	fail "secret '$secret' shown or not read"; fi
keys Escape BTab BTab BTab Escape
open_action category get
type_text "2"
keys Enter F5
expect "exchange: category.get answered" 'Category id "2" not found'
keys Tab H
expect "exchange: the KS masked" '│ ks=\*\*\*&'
expect_not "exchange: no KS in clear" 'djJ8'
expect "exchange: the id sent" '│ id=2'
keys Escape F7
expect "exchange: history open" 'History, newest first'
keys Down Enter
expect "exchange: restored" 'Restored request 1'
keys H
expect "exchange: a restored result has none" 'kept only for a result sent in this run'
keys F10
expect "exchange: quit" '^EXITED=0$'
