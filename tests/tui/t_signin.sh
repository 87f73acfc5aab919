# Sign-in in the console, as the Developer Portal does it: C-l asks for the email and the
# password (masked: stars, never the text), user.loginByLoginId, partner.listPartnersForUser
# (the sandbox's demo admin belongs to two partners), the second one picked,
# partner.getSecrets; session.start then works on that partner. No password and no secret in
# any file the console wrote. Then the bad inputs: a wrong password, an Esc on the prompt.
start
expect "the welcome names the demo login" 'sign-in \(C-l\) admin@example\.com, password [^ ]+'
si_pass=$(screen | grep -oE 'admin@example\.com, password [^ ]+' | head -1 | sed 's/.*password //')
keys Enter
keys C-l
expect "asks for the email" 'Sign in: email \(login id\):$'
type_text "admin@example.com"
keys Enter
expect "asks for the password" 'password of admin@example\.com \(not shown, not kept\):$'
type_text "$si_pass"
expect "a star per character" "not kept\\): \\*{${#si_pass}}\$"
current="sign-in: the password is not on the screen"
if screen | grep -qF -- "$si_pass"; then fail "the password is shown"; else pass; fi
keys Enter
expect "the partners listed" 'The partners of admin@example\.com'
expect "the first partner" '│ >100 +Demo partner +│'
expect "the second partner" '│  [0-9]+ +Second demo partner +│'
si_pid=$(screen | grep -oE '│  [0-9]+ +Second demo partner' | tr -dc '0-9')
current="sign-in: a second partner id"
[ -n "$si_pid" ] && [ "$si_pid" != 100 ] && pass || fail "no second partner ($si_pid)"
expect "the status says what came" 'Sign-in: 2 partners for admin@example\.com'
keys Down Enter
expect "signed in on the second partner" "Signed in as admin@example\\.com: partner $si_pid "
expect "session.start open" 'Parameters: session\.start'
expect "its partner in the form" "\\[x\\] partnerId \\(int\\) +$si_pid\$"
keys F3
expect "its admin secret in the form" '\[x\] secret \(string\) +[0-9a-f]{8,}'
si_secret=$(screen | grep -oE '\[x\] secret \(string\) +[0-9a-f]+' | awk '{print $NF}' | head -1)
keys F3
keys F5
expect "a session on that partner" "│ partner $si_pid │ USER \\(no user\\) expires in "
keys F9
expect "the KS is that partner's" "│ *Partner: $si_pid"
expect "signed with its secret" '│ Signature: valid'
keys Escape

# a wrong password: the flow ends with the server's error on the status line
keys C-l
expect "the email offered again" 'Sign in: email \(login id\): admin@example\.com'
keys Enter
type_text "not-the-password"
keys Enter
expect "wrong password" 'Sign-in: user\.loginByLoginId: USER_WRONG_PASSWORD'
# Esc on the password prompt: nothing is sent
keys C-l Enter Escape
expect "no password" 'Sign-in: no password given, nothing was sent'
keys F10
expect "quit" '^EXITED=0$'
current="sign-in: no password or secret in a file the console wrote"
if [ -z "$si_secret" ]; then
	fail "no secret read from the form"
elif grep -rlF -e "$si_pass" -e "$si_secret" "$SCRATCH/home" 2>/dev/null | grep -q .; then
	fail "the password or the secret is in $(grep -rlF -e "$si_pass" -e "$si_secret" "$SCRATCH/home")"
else
	pass
fi

# a slow endpoint: keys are answered while the sign-in's request runs, and Esc stops the flow
if [ -z "$FIXTURE_URL" ]; then
	skip "sign-in against a slow endpoint (no fixture server)"
else
	start --url "$FIXTURE_URL/slow"
	expect "the slow endpoint" "url $FIXTURE_URL/slow"
	keys C-l
	type_text "someone@example.com"
	keys Enter
	type_text "pw"
	keys Enter
	expect "the login is on its way" 'Sending user\.loginByLoginId \.\.\. \(Esc cancels\)'
	keys F1
	expect "F1 answered while it runs" 'Help: keys'
	expect "still sending under the help" 'Sending user\.loginByLoginId'
	keys Escape
	expect_not "the help closed" 'Help: keys'
	keys Escape
	expect "Esc stopped the flow" 'Sign-in cancelled during user\.loginByLoginId'
	keys F10
	expect "quit" '^EXITED=0$'
fi
