# The request history (F7): every completed send is listed newest first; choosing one selects
# its action, restores its form and shows its result again. Secrets are not kept: the restored
# secret row is what the current form has (the sandbox's prefill on local, empty elsewhere).
# the history is kept across runs (persist.h): this script starts with none
rm -rf "$SCRATCH/home/.local/state"
opened
keys F7
expect "history: empty says so" 'The history is empty'

# 1: session.start as ADMIN
open_action session start
expect "history: session.start form" 'Parameters: session\.start'
keys Down Down Right
expect "history: type ADMIN" 'type \(KalturaSessionType\) +ADMIN \(2\)'
keys F5
expect "history: KS captured" 'session\.start: the KS was copied into the session field'
# changed after sending: the restore must bring ADMIN back
keys Left
expect "history: type changed to USER" 'type \(KalturaSessionType\) +USER \(0\)'

# 2: category.get id=2
keys BTab BTab Escape
open_action category get
expect "history: category.get form" 'Parameters: category\.get'
type_text "2"
keys Enter
keys F5
expect "history: CATEGORY_NOT_FOUND" 'Category id "2" not found'

keys F7
expect "history: category.get listed" '2\. +category\.get +CATEGORY_NOT_FOUND +local +[0-9]{2}:[0-9]{2}:[0-9]{2}'
expect "history: session.start listed" '1\. +session\.start +200 ok +local +[0-9]{2}:[0-9]{2}:[0-9]{2}'
current="history: newest first"
l2=$(screen | grep -nE '2\. +category\.get' | cut -d: -f1)
l1=$(screen | grep -nE '1\. +session\.start' | cut -d: -f1)
[ -n "$l1" ] && [ -n "$l2" ] && [ "$l2" -lt "$l1" ] && pass || fail "lines $l2 and $l1"
keys Down Enter
expect "history: restored (status)" 'Restored request 1 \(session\.start\) \(its result held a credential: not kept\)'
expect_not "history: the KS is not kept with the result" '<result>djJ8'
expect "history: action selected" 'Parameters: session\.start'
expect "history: form restored" 'type \(KalturaSessionType\) +ADMIN \(2\)'
expect "history: result shown again" 'Result: session\.start'
expect "history: result's KS note" 'The KS was copied into the session field'
expect_not "history: the other result gone" 'Category id "2" not found'
# local: the secret comes back through the sandbox's prefill, not from the history
expect "history: secret prefilled on local" '\[x\] secret \(string\) +•+$'

# another endpoint: the sandbox's secret leaves the forms, and the history has none to restore
keys F2
expect "history: region chooser" 'Region or endpoint'
keys Home Enter
expect "history: endpoint us" 'Endpoint: us'
keys F7
expect "history: list again" '1\. +session\.start +200 ok'
keys Down Enter
expect "history: restored on us" 'Restored request 1 \(session\.start\)'
expect "history: type still restored" 'type \(KalturaSessionType\) +ADMIN \(2\)'
expect "history: secret empty off local" '\[ \] secret \(string\) +required$'
keys F3
expect "history: revealed" 'Secrets are shown'
expect_not "history: no secret in clear" '\[.\] secret \(string\) +[^ r•]'
keys F3
# the newest again: category.get with its error
keys F7
expect "history: list" '2\. +category\.get'
keys Enter
expect "history: restored 2" 'Restored request 2 \(category\.get\)'
expect "history: id restored" '\[x\] id \(bigint\) +2$'
expect "history: error result back" 'CATEGORY_NOT_FOUND'
keys F10
expect "history: quit" '^EXITED=0$'
