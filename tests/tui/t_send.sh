# Sending never freezes the screen: a slow answer shows a spinner and Esc cancels it; an answer
# that is not Kaltura's is reported in one sentence.
if [ -z "$FIXTURE_URL" ]; then
	skip "t_send.sh: the slow and HTML answers (no fixture server)"
else
	start --url "$FIXTURE_URL/slow"
	expect "custom endpoint in the top bar" "^ ktestme │ url $FIXTURE_URL/slow │"
	type_text "session"
	keys Enter
	expect "session actions" 'Actions: session'
	keys F5
	expect "spinner while sending" '│ [|/\\-] [0-9]+\.[0-9] s'
	expect "sending message" 'Sending session\.[a-zA-Z]+ \.\.\. \(Esc cancels\)'
	# the screen stays live: the help opens while the call runs
	keys F1
	expect "help opens during the call" 'Help: keys'
	keys Escape
	keys Escape
	expect "Esc cancels" 'Cancelled: session\.'
	expect_not "spinner gone" '│ [|/\\-] [0-9]+\.[0-9] s'
	keys F10
	expect "quit after cancel" '^EXITED=0$'

	start --url "$FIXTURE_URL/truncated"
	type_text "session"
	keys Enter F5
	expect "a truncated answer is said to be one" 'HTTP 200: malformed XML at line 1: Premature end of data'
	keys F10
	expect "quit" '^EXITED=0$'

	start --url "$FIXTURE_URL/html"
	type_text "session"
	keys Enter F5
	expect "an HTML page is not a Kaltura response" 'HTTP [0-9]+: .*(HTML|html)'
	keys F10
	expect "quit" '^EXITED=0$'
fi

# nothing listens: the failure is one sentence in the result pane and the status line
port=$(closed_port)
start --url "http://127.0.0.1:$port"
type_text "session"
keys Enter F5
expect "connection refused, said once" "^(Couldn't|Could not|Failed|failed|cannot|Cannot).*127\\.0\\.0\\.1.*$port|connect"
expect "the failure in the result pane" "Result: session\\."
keys F10
expect "quit after a failure" '^EXITED=0$'
