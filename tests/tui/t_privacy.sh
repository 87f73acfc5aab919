# The entitlement fix's privacycontext:X, X picked from the partner's categories: C-x, the
# second choice lists the categories (with the same KS plus disableentitlement, signed here and
# never put in the field: the KS as it is would not see them) and offers their distinct privacy
# contexts, and "type another".
opened
open_action session start
keys Down Down Right F5
expect "ADMIN KS" '│ ADMIN \(no user\) expires in '
keys BTab BTab
open_action category get
keys Down
type_text "2"
keys Enter F5
expect "hidden" 'CATEGORY_NOT_FOUND'
keys C-x
expect "the fix's choices" 'privacycontext:X: the same KS searching one privacy context'
keys Down Enter
expect "the contexts listed" 'The privacy contexts of the partner.s categories \(1\)'
expect "MediaSpace offered" '│ >privacycontext:MediaSpace +│'
expect "and typing another" '│  Type another privacy context\.\.\. +│'
expect "the listing KS stayed out of the field" '│ ADMIN \(no user\) expires in [^│]+$'
keys Escape
expect "Esc changes nothing" 'No privacy context chosen: nothing was changed'
keys C-x Down Enter
expect "listed again" '│ >privacycontext:MediaSpace +│'
keys Enter
expect "both outcomes" 'category\.get before: CATEGORY_NOT_FOUND'
expect "found in its context" 'after the fix: KalturaCategory 2 "MediaSpace", privileges'
keys Escape F9
expect "the KS searches that context" 'privilege privacycontext:MediaSpace: '
keys Escape
# category 1 has no privacy context: a KS searching MediaSpace does not see it
expect "the id row" '>\[x\] id \(bigint\) +2'
keys Enter
keys C-u
type_text "1"
keys Enter F5
expect "hidden from the context" 'CATEGORY_NOT_FOUND'
keys C-x Down Enter
expect "offered again" 'Type another privacy context'
keys End Enter
expect "asks for it" 'privacy context \(the X of privacycontext:X\):'
type_text "Elsewhere"
keys Enter
expect "the typed context's outcome" 'privacycontext:Elsewhere'
expect "not a wrong id, another context" 'still refused in privacy context Elsewhere'
keys F10
expect "quit" '^EXITED=0$'
