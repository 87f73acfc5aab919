# Mandatory parameters: F5 refuses a request that lacks one and names it, with the row
# selected; C-f sends it anyway and the server's own error shows.
opened
open_action session start
keys F5
expect "required: a session first" 'session\.start: the KS was copied into the session field'
keys BTab BTab Escape
open_action category get
keys F5
expect "required: refused and named" 'Not sent: id is mandatory and not set \(C-f sends it anyway\)'
expect "required: marked in the form" 'id \(bigint\) +required'
keys C-f
expect "required: forced, the server answers" 'MISSING_MANDATORY_PARAMETER'
type_text "2"
keys Enter F5
expect "required: set, sent" 'Category id "2" not found'
keys F10
expect "required: quit" '^EXITED=0$'
