# F8: the request as code (TestMe's "Show Code Example"), with no credential from the form in it.
start
expect "welcome" 'admin secret  [0-9a-f]{32}'
secret=$(screen | grep -oE 'admin secret  [0-9a-f]{32}' | awk '{print $3}')
keys Enter
open_action session start
expect "secret prefilled" '\[x\] secret \(string\) +•+$'
keys F8
expect "language chooser" 'Code example'
type_text "node"
keys Enter
expect "the Node.js example" "require\\('kaltura-client'\\)"
expect "titled" 'session\.start as Node\.js \(y copies, s saves, Esc closes\)'
expect "the secret comes from the environment" 'process\.env\.KALTURA_ADMIN_SECRET'
current="no secret on screen"
if [ -n "$secret" ] && ! screen | grep -q "$secret"; then pass; else fail "the secret shows"; fi
keys s
expect "save prompt with the example's name" '^Save to: session\.start\.js'
keys Enter
expect "saved" 'Saved [0-9]+ bytes to session\.start\.js'
current="no secret in the saved example"
f=$(ls "$SCRATCH"/home/session.start.js 2>/dev/null | head -1)
if [ -n "$f" ] && grep -q kaltura-client "$f" && ! grep -q "$secret" "$f"; then pass; else fail "$f"; fi
keys Escape
expect_not "Esc closes the example" 'as Node\.js'
expect "the result pane is as it was" 'Choose a service and an action, fill the form, press F5'
keys F8
type_text "curl"
keys Enter
expect "the curl example" 'curl .*127\.0\.0\.1'
keys Escape
# an invalid field: no example, the reason in the status line
keys Home Enter Down Down Down Down
expect "the request partnerId" '>\[ \] partnerId \(int\)'
type_text "x"
keys Enter F8 Enter
expect "no example from an invalid form" 'partnerId: not an integer'
keys F10
expect "quit" '^EXITED=0$'

# F9: the session's KS decoded in place
start
expect "welcome" 'Welcome to ktestme'
keys Enter F9
expect "nothing to decode yet" 'The session field is empty'
type_text "session"
keys Enter
type_text "start"
keys Enter Down Down Right F5
expect "ADMIN KS" '│ ADMIN \(no user\) expires in '
keys F9
expect "decoded: type" '│ *Type: ADMIN \(2\)'
expect "decoded: partner" '│ *Partner: 100'
expect "decoded: signature" '│ *Signature: valid'
expect "decoded: expiry" '│ *Expiry: expires in '
keys Escape
expect_not "Esc closes it" 'The KS inspector'
expect "the session.start result is still there" 'The KS was copied into the session field'
keys F10
expect "quit" '^EXITED=0$'

# a KS typed by hand that is not one: said in the top bar, by F9, and by the server
opened
open_action session get
expect "session.get form" 'Parameters: session\.get'
keys Home Enter Down Down Down Down Down
expect "ks row" '>\[ \] ks \(string\)'
type_text "not-a-ks"
keys Enter
expect "top bar: not a KS" '│ KS: not a KS'
keys F9
expect "F9 says so" 'The session field does not hold a KS'
keys F5
expect "the server's INVALID_KS" 'INVALID_KS: Invalid KS "not-a-ks"'
expect "its hint" 'Hint: The endpoint does not accept this KS'
keys F10
expect "quit" '^EXITED=0$'
