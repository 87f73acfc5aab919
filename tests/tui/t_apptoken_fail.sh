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
# the flow's requests run through the loop: on a slow endpoint keys are answered while the
# widget session is on its way, and Esc stops the flow with the session as it was
if [ -z "$FIXTURE_URL" ]; then
	skip "the app-token flow against a slow endpoint (no fixture server)"
else
	keys F2
	type_text "custom"
	keys Enter
	expect "URL prompt" 'Service URL:'
	keys C-u
	type_text "$FIXTURE_URL/slow"
	keys Enter
	expect "the slow endpoint, no KS there" "url $FIXTURE_URL/slow │ partner [-0-9]+ │ no KS"
	keys C-t
	expect "the widget session on its way" 'Sending session\.startWidgetSession \.\.\. \(Esc cancels\)'
	keys F1
	expect "F1 answered while it runs" 'Help: keys'
	keys Escape
	expect_not "the help closed" 'Help: keys'
	keys Escape
	expect "Esc stopped the flow" 'The app-token flow was cancelled: the session keeps its KS of before'
	expect "still no KS there" "url $FIXTURE_URL/slow │ partner [-0-9]+ │ no KS"
fi
keys F10
expect "quit" '^EXITED=0$'
