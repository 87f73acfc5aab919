# The app-token flow against the embedded sandbox: appToken.add with an ADMIN KS, then C-t
# runs session.startWidgetSession for _PID, the tokenHash with the token's hashType and
# appToken.startSession, whose KS becomes the session's.
opened
keys C-t
expect "nothing to start from" 'C-t follows appToken.add, get or list'
open_action session start
keys Down Down Right F5
expect "ADMIN KS" '│ ADMIN \(no user\) expires in '
keys BTab BTab
open_action appToken add
keys Down Enter
expect "its type offered" "KalturaAppToken"
keys Enter
keys F5
expect "token added" '<token>[0-9a-f]+</token>'
token=$(screen | grep -oE '<token>[0-9a-f]+</token>' | sed 's/<[^>]*>//g' | head -1)
id=$(screen | grep -oE '<id>[0-9]_[0-9a-z]+</id>' | sed 's/<[^>]*>//g' | head -1)
keys C-t
expect "the flow's KS" 'appToken.startSession: the KS of token'
expect "the top bar shows its privileges (cut at the edge)" 'USER \(no user\) expires in [^│]+ │ sess'
keys Escape F9
expect "a USER KS of the token" "│ Type: USER \\(0\\)"
expect "issued by the token" "│ Privileges: sessionid:[^,]+,apptoken:"
expect "its signature" "│ Signature: valid"
keys Escape

# the form: a widget session first, then appToken.startSession's id and tokenHash from C-t
keys BTab BTab
open_action session startWidgetSession
type_text "_100"
keys Enter F5
expect "widget KS" 'Result: session.startWidgetSession'
keys BTab BTab
open_action appToken startSession
keys C-t
expect "asks for the token" 'the token \(for the tokenHash only, not kept\)'
type_text "$token"
keys Enter
expect "id and hash filled" "id $id and its (SHA1|SHA256|SHA512|MD5) tokenHash are in the form"
keys F5
expect "the form's KS" 'Result: app[Tt]oken.startSession'
expect "a KS" '<ks>'
keys F9
expect "the form's KS is the token's" "│ Privileges: sessionid:[^,]+,apptoken:$id"
keys Escape F10
expect "quit" '^EXITED=0$'
