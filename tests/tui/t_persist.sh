# The history kept across runs: a request sent, the console quit and started again, is in F7,
# restored and sent again; the store is mode 0600 and holds no secret and no KS; a damaged
# store and one that cannot be written are said once and the console goes on.
state=$SCRATCH/home/.local/state/ktestme
rm -rf "$SCRATCH/home/.local/state"
opened
open_action session start
keys F3
expect "persist: the secret shown" 'secret \(string\) +[0-9a-f]{32}'
secret=$(screen | grep -oE 'secret \(string\) +[0-9a-f]{32}' | grep -oE '[0-9a-f]{32}$' | head -1)
keys F3 F5
expect "persist: KS captured" 'session\.start: the KS was copied into the session field'
keys BTab BTab Escape
open_action category get
type_text "2"
keys Enter F5
expect "persist: sent" 'Category id "2" not found'
keys F10
expect "persist: quit" '^EXITED=0$'

current="persist: the store exists, mode 0600"
modes=$(find "$state" -type f -printf '%m\n' 2>/dev/null | sort -u | tr '\n' ' ')
[ -f "$state/history.db" ] && [ "$modes" = "600 " ] && pass || fail "modes '$modes'"
current="persist: no secret and no KS in the store"
if [ -n "$secret" ] && ! grep -rqa -e "$secret" -e 'djJ8' "$state"; then pass; else
	fail "secret '$secret' or a KS (djJ8...) found"; fi

opened
keys F7
expect "persist: listed after a restart" '2\. +category\.get +CATEGORY_NOT_FOUND +local'
expect "persist: the first one too" '1\. +session\.start +200 ok +local'
keys Enter
expect "persist: restored" 'Restored request 2 \(category\.get\)'
expect "persist: the form back" '\[x\] id \(bigint\) +2'
keys F5
expect "persist: sent again" 'Result: category\.get'
keys F7
expect "persist: the new send listed" '3\. +category\.get'
keys Enter
expect "persist: restored, the same as before" 'Restored request 3 \(category\.get\); since request 2: the same request'
# another id: the restore says what differs
keys BTab BTab Escape
open_action category get
keys C-u
type_text "5"
keys Enter F5
expect "persist: id 5 sent" 'Result: category\.get'
keys F7
expect "persist: 4 listed" '4\. +category\.get'
keys Enter
expect "persist: the difference said" 'Restored request 4 \(category\.get\); since request 3: ~ id = 2 -> 5'
keys F10
expect "persist: quit again" '^EXITED=0$'

# damaged: set aside once, a new store, the console goes on
printf 'this is no database %.0s' $(seq 200) >"$state/history.db"
rm -f "$state/history.db-wal" "$state/history.db-shm"
opened
expect "persist: damaged store said" 'history: the file was damaged, kept aside as \.corrupt, a new one started'
open_action category get
type_text "2"
keys Enter F5
expect "persist: a send after the damage" 'Result: category\.get'
keys F7
expect "persist: in the new history" '1\. +category\.get'
keys Escape F10
expect "persist: quit after damage" '^EXITED=0$'
current="persist: the damaged file kept aside"
[ -f "$state/history.db.corrupt" ] && pass || fail "no history.db.corrupt"

# cannot be written (as root no mode stops a write, so the directory is a file here)
rm -rf "$state"
: >"$state"
opened
expect "persist: unwritable store said" 'history: kept in memory only, the file cannot be used'
open_action category get
type_text "2"
keys Enter F5
expect "persist: a send without a store" 'Result: category\.get'
keys F7
expect "persist: kept in memory" '1\. +category\.get'
keys Escape F10
expect "persist: quit without a store" '^EXITED=0$'
rm -f "$state"
