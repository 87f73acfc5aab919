# Bracketed paste: a paste is text in a field, a filter or a prompt, never commands; a line
# break inside is refused with a message; 1 MB goes into a field at once.
paste_text() { # paste_text TEXT: as a terminal pastes it (tmux wraps it in ESC [200~ ... [201~)
	"${TMUX_CMD[@]}" set-buffer -b ktpaste -- "$1"
	"${TMUX_CMD[@]}" paste-buffer -p -d -b ktpaste -t "$TUI"
}
opened
open_action session start
keys Down
expect "userId row" '>\[ \] userId \(string\)'
paste_text "joe"
keys Enter
expect "pasted into the field" '\[x\] userId \(string\) +joe$'
# a line break inside: refused, nothing pasted, nothing sent
paste_text $'alice\nbob'
expect "two lines refused" 'The paste has 2 lines and this takes one: nothing was pasted'
keys Escape
expect "the value stays" '\[x\] userId \(string\) +joe$'
expect_not "Enter was not pressed by the paste" 'Result: session\.start'
# a trailing line break is not an Enter
paste_text $'mary\n'
expect "a trailing newline dropped" '>\[x\] userId \(string\) +mary'
keys Enter
expect_not "and nothing was sent" 'Result: session\.start'
# in the result pane a paste is not a row of commands (w would wrap, q, G ...)
keys Tab
expect "result focused" 'Result'
paste_text "wGq/"
expect "said so" 'A paste is text: paste into a form field, a list filter or a prompt'
expect_not "no wrap toggled" 'Result.*\[wrap\]'
expect_not "no search prompt" '^Search:'
# 1 MB into a field, at once
keys Tab Tab Tab
expect "form focused again" 'Parameters: session\.start'
head -c 1048576 /dev/zero | tr '\0' 'a' > "$SCRATCH/big"
"${TMUX_CMD[@]}" load-buffer -b ktbig "$SCRATCH/big"
"${TMUX_CMD[@]}" paste-buffer -p -d -b ktbig -t "$TUI"
expect "the megabyte is in the field" 'Pasted into userId: 1048576 bytes' 20
expect "on screen" '>\[x\] userId \(string\) +a{30}'
keys Enter
expect "committed" '>\[x\] userId \(string\) +a{30}'
expect_not "no longer edited" 'Pasted into userId' 
# into a list filter
keys Tab Tab
paste_text "categ"
expect "the filter took it" 'Services /categ'
keys Escape
keys F10
expect "quit" '^EXITED=0$'
