# format JSON: the request goes out with format=1, the result shows as JSON and its KS is
# captured all the same; deprecated actions are marked in the list.
opened
open_action session start
keys Home Enter Down
expect "format row" '>\[x\] format \(XML/JSON\) +XML'
keys Right
expect "format JSON" '>\[x\] format \(XML/JSON\) +JSON'
keys Home Enter
expect "summary says JSON" '▸ request: format JSON'
keys Down Down Down Right F5
expect "JSON result: a quoted KS" '│"djJ8'
expect "KS captured from JSON" 'session\.start: the KS was copied into the session field'
expect "ADMIN" '│ ADMIN \(no user\) expires in '
keys F10
expect "quit" '^EXITED=0$'

opened
type_text "flavorAsset"
keys Enter
type_text "getbyentry"
expect "deprecated action marked" '^>getByEntryId \(deprecated'
keys F10
expect "quit" '^EXITED=0$'
