# One session per endpoint: a secret typed on one endpoint and a KS made by one are never sent
# to another; going back finds them. The fixture records every request, so each step checks
# what reached which endpoint ($FIXTURE_URL/e1 and /e2 are two endpoints of one server).
if [ -z "$FIXTURE_URL" ]; then
	echo "tui: skipping the endpoint scoping tests (no fixture server)" >&2
else
	start --url "$FIXTURE_URL/e1"
	expect "first endpoint" "^ ktestme │ url $FIXTURE_URL/e1 │"
	open_action session start
	# a secret typed by hand (the cursor starts on it)
	type_text "fixture-secret"
	keys Enter
	keys F5
	expect "a KS from e1" 'session\.start: the KS was copied into the session field'
	current="the secret went to e1"
	wait_sent e1 'session/action/start .*secret=fixture-secret' && pass || fail "$(sent e1)"

	# F2 to another URL: no KS there, and neither the secret nor the KS is sent to it
	keys F2
	type_text "custom"
	keys Enter
	expect "URL prompt" 'Service URL:'
	keys C-u
	type_text "$FIXTURE_URL/e2"
	keys Enter
	expect "second endpoint" "^ ktestme │ url $FIXTURE_URL/e2 │ partner - │ no KS"
	expect "the secret row is empty there" '\[ \] secret \(string\) +required$'
	keys C-f
	expect "e2 refuses a session without a secret" 'START_SESSION_ERROR'
	current="e2 got the call"
	wait_sent e2 'session/action/start' && pass || fail "nothing reached e2"
	current="e2 never saw e1's secret or KS"
	! sent e2 | grep -qE 'fixture-secret|ks=djJ8' && pass || fail "$(sent e2)"

	# back to e1: its KS and its secret are there again, and go to e1
	keys F2
	type_text "custom"
	keys Enter
	keys C-u
	type_text "$FIXTURE_URL/e1"
	keys Enter
	expect "e1 again, with its KS" "^ ktestme │ url $FIXTURE_URL/e1 │ partner - │ KS"
	expect "the secret is back" '\[x\] secret \(string\) +•+$'
	keys F5
	expect "e1 answers again" 'session\.start: the KS was copied'
	current="e1 got its secret and its KS back"
	# the second session.start to e1 carries both (the first had no KS yet)
	wait_sent e1 'session/action/start .*ks=djJ8' &&
		[ "$(sent e1 | grep -E 'session/action/start .*ks=djJ8' | grep -c 'secret=fixture-secret')" = 1 ] &&
		pass || fail "$(sent e1)"
	keys F10
	expect "quit" '^EXITED=0$'

	# a KS made by the local sandbox stays with the sandbox
	opened
	open_action session start
	keys F5
	expect "a sandbox KS" '│ USER \(no user\) expires in '
	keys F2
	type_text "custom"
	keys Enter
	keys C-u
	type_text "$FIXTURE_URL/e3"
	keys Enter
	expect "e3 has no KS" "^ ktestme │ url $FIXTURE_URL/e3 │ partner - │ no KS"
	keys BTab BTab
	open_action category list
	keys F5
	expect "e3 answered" 'Result: category\.list'
	current="no sandbox KS, secret or partner went to e3"
	wait_sent e3 'category/action/list' && ! sent e3 | grep -qE 'ks=|secret=|partnerId=' &&
		pass || fail "$(sent e3)"
	keys F2
	type_text "local"
	keys Enter
	expect "the sandbox's KS is back" '│ partner 100 │ USER \(no user\) expires in '
	keys F10
	expect "quit" '^EXITED=0$'
fi
