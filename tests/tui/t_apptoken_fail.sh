# The app-token flow that fails half way (the token expired): the widget KS the flow started
# with does not stay behind as the session's KS.
opened
open_action session start
keys Down Down Right F5
expect "ADMIN KS" '│ ADMIN \(no user\) expires in '
keys BTab BTab
open_action appToken add
keys Down Enter
expect "its type offered" "KalturaAppToken"
keys Enter
expect "its expiry row" 'appToken:expiry \(int\)'
keys Down
type_text "1"
keys F5
expect "token added" '<token>[0-9a-f]+</token>'
keys C-t
expect "the flow fails after the widget session" 'appToken.startSession: APP_TOKEN_[A-Z_]+ \(the session keeps'
expect "the session keeps the ADMIN KS" '│ ADMIN \(no user\) expires in '
keys F10
expect "quit" '^EXITED=0$'
