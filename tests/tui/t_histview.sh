# The history view (F7): newest first, each line with what differs from the request before of
# its action, filtered as typed; Del deletes an entry, from the history file too (gone after a
# restart); F5 restores an entry and sends it again.
rm -rf "$SCRATCH/home/.local/state"
opened
open_action session start
keys F5
expect "histview: KS captured" 'session\.start: the KS was copied into the session field'
keys BTab BTab Escape
open_action category get
type_text "2"
keys Enter F5
expect "histview: id 2 sent" 'Category id "2" not found'
keys C-u
type_text "5"
keys Enter F5
expect "histview: id 5 sent" 'Category id "5" not found'
keys C-u
type_text "2"
keys Enter F5
expect "histview: id 2 again" 'Category id "2" not found'
keys F7
expect "histview: the keys said" 'type to filter, Enter restores, F5 re-sends, Del deletes'
expect "histview: newest first, with its difference" '> *4\. +category\.get +CATEGORY_NOT_FOUND .* ~ id = 5 -> 2'
expect "histview: the second" '3\. +category\.get +CATEGORY_NOT_FOUND .* ~ id = 2 -> 5'
current="histview: the first of its action shows no difference"
screen | grep -E '2\. +category\.get' | grep -q -- '->' && fail "a difference on the first" || pass
# the filter reads the differences too
type_text "2 -> 5"
expect_not "histview: filtered" '4\. +category\.get'
expect "histview: the match stays" '3\. +category\.get'
keys C-u
expect "histview: the filter emptied" '4\. +category\.get'
expect "histview: the cursor stays on the match" '> *3\. +category\.get'
keys DC
expect "histview: deleted" 'Deleted request 3 from the history'
expect_not "histview: gone from the list" '3\. +category\.get'
expect "histview: the cursor on the next one" '> *2\. +category\.get'
keys Escape F10
expect "histview: quit" '^EXITED=0$'

# after a restart the deleted entry stays deleted: the rest renumbered, both gets of id 2
opened
keys F7
expect "histview: the rest after a restart" '3\. +category\.get +CATEGORY_NOT_FOUND .* the same as 2'
expect "histview: and the oldest" '1\. +session\.start'
current="histview: the deleted one is not back"
screen | grep -q -- '-> 5' && fail "id 5 is listed" || pass
screen | grep -qE '4\. +category\.get' && fail "four entries" || pass
# F5 on an entry: restored and sent again (no KS after the restart: MISSING_KS this time)
keys F5
expect "histview: restored and sent" 'Result: category\.get'
keys F7
expect "histview: the re-send listed" '4\. +category\.get +MISSING_KS .* the same as 3'
# the last entry deleted closes the list
keys DC
expect "histview: 4 deleted" 'Deleted request 4 from the history'
keys DC DC DC
expect "histview: all deleted, the list closed" 'Deleted request 1 from the history'
keys F7
expect "histview: empty" 'The history is empty'
keys F10
expect "histview: quit again" '^EXITED=0$'
opened
keys F7
expect "histview: still empty after a restart" 'The history is empty'
keys F10
expect "histview: quit at last" '^EXITED=0$'
