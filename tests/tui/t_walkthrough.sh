# The welcome walkthrough, step by step, as a first-time user would follow it: session.start as
# ADMIN (the KS lands in the session field), category.get on the MediaSpace category with a USER
# KS (CATEGORY_NOT_FOUND), an integer field with a letter (marked, nothing sent), and the
# disableentitlement fix.
opened
type_text "session"
keys Enter
expect "session actions" 'Actions: session'
type_text "start"
keys Enter
expect "session.start form" 'Parameters: session\.start'
expect "secret prefilled and masked" '\[x\] secret \(string\) +•+$'
expect "partnerId prefilled" '\[x\] partnerId \(int\) +100$'
# the cursor starts on the first parameter (secret); type is two rows down
keys Down Down
expect "type row selected" '>\[ \] type \(KalturaSessionType\)'
keys Right
expect "type is ADMIN" 'type \(KalturaSessionType\) +ADMIN \(2\)'
keys F5
expect "KS captured (status)" 'session\.start: the KS was copied into the session field'
expect "top bar shows an ADMIN KS" '│ ADMIN \(no user\) expires in '
expect "the KS in the request summary" '▸ request: ks •+ · '
# the request fields open from the summary row
keys Home Enter
expect "request fields open" '▾ request fields'
expect "ks field enabled" '\[x\] ks \(string\) +•+$'
keys Enter
expect_not "and close" '▾ request fields'
keys Down Down Down

# a USER session
keys Left
expect "type is USER" 'type \(KalturaSessionType\) +USER \(0\)'
keys F5
expect "top bar shows a USER KS" '│ USER \(no user\) expires in '

# category.get on the MediaSpace category: entitlement enforcement hides it
keys BTab BTab
type_text "category"
keys Enter
expect "category actions" 'Actions: category +│'
type_text "get"
keys Enter
expect "category.get form" 'Parameters: category\.get'
type_text "2"
keys Enter
expect "id typed" '\[x\] id \(bigint\) +2$'
keys F5
expect "CATEGORY_NOT_FOUND in the result" 'CATEGORY_NOT_FOUND'
expect "message names the category" 'Category id "2" not found'
expect "a hint on entitlements" 'Hint: If the id exists, entitlement enforcement may hide it'

# a letter in an integer field: marked as typed, and F5 sends nothing
keys Enter
type_text "x"
keys Enter
expect "invalid value marked" 'id: not an integer'
keys F5
expect "nothing sent" 'Not sent: id: not an integer'
keys BSpace
keys C-u
type_text "2"
keys Enter
expect "fixed" '\[x\] id \(bigint\) +2$'

# the fix: a session with disableentitlement sees the category
keys BTab BTab
open_action session start
expect "back on session.start" 'Parameters: session\.start'
expect "values kept per action" 'type \(KalturaSessionType\) +USER \(0\)'
keys Down Down Down Down Down
expect "privileges row" '>\[ \] privileges \(string\)'
type_text "disableentitlement"
# F5 right away: the field being edited is taken as typed
keys F5
expect "new KS" 'session\.start: the KS was copied into the session field'
expect "privileges typed" '\[x\] privileges \(string\) +disableentitlement$'
keys BTab BTab
open_action category get
keys F5
expect "the MediaSpace category is found" 'MediaSpace'
expect_not "no error now" 'CATEGORY_NOT_FOUND'
keys F10
expect "quit" '^EXITED=0$'
