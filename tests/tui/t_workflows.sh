# The session workflows against the embedded sandbox: the KS inspector (fields, privilege
# meanings, Kaltura's warnings), renew (a new expiry), and the one-key entitlement fix that
# turns CATEGORY_NOT_FOUND into the category and shows both outcomes.
start
expect "the walkthrough's third step is the one-key fix" '3\. Press C-x, the one-key fix'
keys Enter
open_action session start
keys Down Down Right F5
expect "ADMIN KS" '│ ADMIN \(no user\) expires in '
keys F9
expect "inspector: the fields" '│ *Type: ADMIN \(2\)'
expect "inspector: no user" '│ *User: \(none\)'
expect "inspector: ADMIN warning" 'warning: An ADMIN KS may do anything'
expect "inspector: no user id warning" 'warning: No user id'
expect "inspector: no appid warning" 'warning: No appid:NAME-DOMAIN'
expect "inspector: its keys" 'C-n renews it'
expect "status counts the warnings" 'The KS: 3 warnings'
keys Escape
expect_not "closed" 'The KS inspector'

# renew: a new KS in the field, the same fields, valid for a day from now
keys C-n
expect "renewed" 'The KS was renewed'
keys F9
expect "renewed KS still ADMIN" '│ *Type: ADMIN \(2\)'
expect "a day left" '│ *Expiry: expires in (23 hours|1 day)'
keys Escape

# a USER KS with a privilege: its meaning shows, and no ADMIN warning
keys Left Down Down Down
type_text "appid:tests-example.com"
keys F5
expect "USER KS" '│ USER \(no user\) expires in '
keys F9
expect "the privilege's meaning" 'privilege appid:tests-example.com: Names the application'
expect_not "no ADMIN warning for a USER KS" 'warning: An ADMIN KS'
keys Escape

# the one-key fix: the MediaSpace category is hidden, C-x shows it and compares
keys BTab BTab
open_action category get
keys Down
type_text "2"
keys Enter F5
expect "hidden" 'CATEGORY_NOT_FOUND'
expect "the fix offered" 'C-x: the same KS plus disableentitlement'
keys C-x
expect "the fix's choices" 'disableentitlement: the same KS seeing everything'
keys Enter
expect "both outcomes" 'category\.get before: CATEGORY_NOT_FOUND'
expect "after the fix" 'after the fix: KalturaCategory 2 "MediaSpace", privileges'
expect "with the privilege added" '│ appid:tests-example\.com,disableentitlement '
expect "why it was hidden" 'why it was hidden: It belongs to privacy context MediaSpace'
keys Escape
expect "the category under it" '<name>MediaSpace</name>'
keys F9
expect "the KS now disables entitlements" 'privilege disableentitlement: Entitlement enforcement off'
keys Escape
# nothing to fix after a success
keys C-x
expect "nothing to fix" 'C-x follows a CATEGORY_NOT_FOUND'
keys F10
expect "quit" '^EXITED=0$'

# the walkthrough as the welcome panel tells it: an ADMIN session, category 2, C-x
opened
open_action session start
keys Down Down Right F5
expect "walkthrough step 1" '│ ADMIN \(no user\) expires in '
keys BTab BTab
open_action category get
keys Down
type_text "2"
keys Enter F5
expect "walkthrough step 2" 'CATEGORY_NOT_FOUND'
keys C-x Enter
expect "walkthrough step 3: found" 'after the fix: KalturaCategory 2 "MediaSpace"'
keys Escape
expect "the category" '<name>MediaSpace</name>'
keys F10
expect "quit" '^EXITED=0$'
