# The result pane: search, fold, wrap, save (0600), copy through OSC 52, and K to use a value
# as the session's KS.
opened
open_action session start
keys Down Down Right F5
expect "ADMIN KS" '│ ADMIN \(no user\) expires in '
keys Tab
expect "result focused" 'Result: session\.start'

keys /
expect "search prompt" '^Search:'
type_text "executiontime"
keys Enter
expect "found, case-insensitively" 'executiontime: match 1 of 1 \(line [0-9]+ of [0-9]+\)'
keys n
expect "n wraps around" 'Search wrapped to the top: executiontime, match 1 of 1'
# the prompt shows the last term selected: typing replaces it (no "executiontimexml")
keys g /
expect "the old term, selected" '^Search: executiontime'
type_text "xml"
expect "typing replaced it" '^Search: xml *$'
keys Enter
expect "match 1 of 3 (<?xml, <xml>, </xml>)" 'xml: match 1 of 3 \(line 1 of'
keys n
expect "match 2 of 3" 'xml: match 2 of 3'
keys N N
expect "N goes back, wrapping" 'Search wrapped to the bottom: xml, match 3 of 3'
keys /
keys C-u
type_text "no-such-thing"
keys Enter
expect "not found" 'Not found: no-such-thing'

# fold the <xml> element, then unfold it
keys g Down f
expect "folded" '│<xml>…</xml>  \([0-9]+ lines\)'
keys f
expect_not "unfolded" '\([0-9]+ lines\)'
keys w
expect "wrap on" 'Result: session\.start \[wrap\]'
keys w
expect "wrap off" 'Result: session\.start +'

# save: the default name, in the working directory, mode 0600
keys s
expect "save prompt" '^Save to:'
keys Enter
expect "saved" 'Saved [0-9]+ lines \([0-9]+ bytes\) to '
current="saved file"
f=$(ls "$SCRATCH"/home/result-session.start.xml 2>/dev/null)
if [ -n "$f" ] && [ "$(stat -c %a "$f")" = 600 ] && grep -q '<executionTime>' "$f"; then pass; else fail "no 0600 file with the result"; fi
keys s C-u
type_text "/nonexistent-dir/x.xml"
keys Enter
expect "a save that cannot be done says why" 'nonexistent-dir'

# copy: OSC 52 reaches tmux's buffer
keys y
expect "copied" 'Copied [0-9]+ lines? \([0-9]+ bytes\) to the clipboard \(OSC 52\)'
current="OSC 52 reached tmux"
for ((i = 0; i < 100; i++)); do
	"${TMUX_CMD[@]}" show-buffer 2>/dev/null | grep -q '<executionTime>' && break
	sleep 0.05
done
"${TMUX_CMD[@]}" show-buffer 2>/dev/null | grep -q '<executionTime>' && pass || fail "tmux buffer has no result"

# Y: the value on the cursor line alone, without its tags
keys g
keys /
keys C-u
type_text "<executionTime>"
keys Enter
while "${TMUX_CMD[@]}" delete-buffer 2>/dev/null; do :; done
keys Y
expect "Y copies the value" 'Copied the value \([0-9]+ bytes\) to the clipboard \(OSC 52\)'
current="Y: the bare value reached tmux"
for ((i = 0; i < 100; i++)); do
	"${TMUX_CMD[@]}" show-buffer 2>/dev/null | grep -qxE '[0-9.e-]+' && break
	sleep 0.05
done
"${TMUX_CMD[@]}" show-buffer 2>/dev/null | grep -qxE '[0-9.e-]+' && pass ||
	fail "tmux buffer: $("${TMUX_CMD[@]}" show-buffer 2>/dev/null | head -c 80)"

# K: the value on the cursor line into the session field
keys g
keys /
keys C-u
type_text "<result>"
keys Enter
keys K
expect "K uses the value as the KS" 'KS copied into the session field'
keys F10
expect "quit" '^EXITED=0$'
