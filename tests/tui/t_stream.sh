# A large answer is read as it arrives, a piece per turn of the loop: its first page is on
# screen while the rest comes, keys are answered throughout, and Esc stops the transfer and
# the reading together, leaving the console usable.
if [ -z "$FIXTURE_URL" ]; then
	skip "t_stream.sh: an endless answer (no fixture server)"
else
	start --url "$FIXTURE_URL/huge"
	type_text "session"
	keys Enter F5
	expect "the first page while the rest arrives" '\(arriving\.\.\.\)'
	expect "the first page's text" '<id>0_abcdefgh</id>'
	expect "still sending" 'Sending session\.[a-zA-Z]+ \.\.\. \(Esc cancels\)'
	keys F1
	expect "help opens while the answer is read" 'Help: keys'
	keys Escape
	expect_not "help closed" 'Help: keys'
	keys Escape
	expect "Esc cancels the transfer and the reading" 'Cancelled: session\.'
	expect_not "the unfinished page is gone" '\(arriving\.\.\.\)'
	expect_not "no spinner" '│ [|/\\-] [0-9]+\.[0-9] s'
	keys F1
	expect "the console still answers" 'Help: keys'
	keys Escape
	keys F10
	expect "quit after the cancel" '^EXITED=0$'
fi
