# Text at 80x24: the welcome panel scrolls instead of being cut, a hint wraps at word
# boundaries with every word readable, ? opens the help where keys are not text, and the text
# views (help, code, KS) open over the result without replacing it.
start
"${TMUX_CMD[@]}" resize-window -t "$TUI" -x 80 -y 24
expect "welcome at 80x24" 'Welcome to ktestme'
expect "it says it scrolls" 'the arrows and PgUp/PgDn scroll'
expect_not "no word cut at the edge: 'then press F' is followed by 5" 'then press F *│'
keys End
expect "its last line can be read" 'reopens; the arrows scroll it when it does not fit'
keys Home
expect "and its first again" 'Welcome to ktestme'
keys Enter
expect_not "Enter closes it" 'Welcome to ktestme'
# ? in a list is the help
keys '?'
expect "? opens the help" 'Help: keys'
keys Escape
expect_not "Esc closes it" 'Help: keys'
# CATEGORY_NOT_FOUND's hint: every word, disableentitlement whole
open_action session start
keys F5
expect "a session" 'USER \(no user\) expires in'
keys BTab BTab
open_action category get
type_text "2"
keys Enter F5
expect "the error" 'CATEGORY_NOT_FOUND'
expect "the hint's key word is whole" '(^|[ │])disableentitlement( |$)'
current="no word of the hint is cut at the pane's edge"
hint=$(screen | sed -n '/Hint:/,/privacycontext/p' | sed 's/.*│//')
if [ -n "$hint" ] && ! printf '%s\n' "$hint" | grep -qE 'disableen$|entitle$|enforcem$'; then pass; else fail "$hint"; fi
# ? in the result pane is the help too, and F1 over it leaves the result
keys Tab
keys Tab
expect "result focused" 'Result: category\.get'
keys '?'
expect "? in the result pane" 'Help: keys'
keys Escape
expect "the result is still there" 'CATEGORY_NOT_FOUND'
keys F10
expect "quit" '^EXITED=0$'
