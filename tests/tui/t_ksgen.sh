# A KS made here, as generateSession does (C-y, from anywhere or from the F9 inspector): version,
# secret (the endpoint's known one, or typed: masked, memory only), type, user id, expiry and
# privileges (the builder), straight into the session field; the sandbox accepts it.
start
expect "the welcome" 'admin secret  [0-9a-f]+'
kg_secret=$(screen | grep -oE 'admin secret  [0-9a-f]+' | awk '{print $NF}')
keys Enter
keys F9
expect "nothing to inspect, C-y offered" 'The session field is empty: session\.start fills it, C-y makes one here'
keys C-y
expect "the version asked" 'A KS made here \(as generateSession\): its version'
keys Escape
expect "Esc makes nothing" 'No KS made: the session field is as it was'
keys C-y
expect "asked again" '│ >v2: encrypted'
keys Enter
expect "the secret known" '│ >The secret this endpoint knows'
keys Enter
expect "the type" '│ >USER \(0\): a session of a user'
keys Enter
expect "the user id" 'user id \(empty: none\):'
type_text "alice"
keys Enter
expect "the expiry" 'expiry, seconds from now: 86400'
keys Enter
expect "the privilege builder" "the new KS's privileges: Enter turns one on or off"
expect "none yet" '│ >Use: \(no privileges\)'
keys Enter
expect "made" 'A KS v2 USER alice for partner 100 was made here \(nothing was sent\)'
expect "the session's" '│ USER alice expires in 23 hours'
open_action category get
keys Down
type_text "1"
keys Enter F5
expect "the sandbox takes it" '<name>Demo</name>'

# from the inspector: v1, a typed secret, ADMIN, no user, a bad expiry, disableentitlement
keys F9
expect "inspected" '│ *User: alice'
keys C-y
expect "C-y from the inspector" 'A KS made here \(as generateSession\): its version'
keys Down Enter
expect "the secret offered" 'Type another secret\.\.\.'
keys Down Enter
expect "a masked prompt" "the partner's admin secret \\(not shown, memory only\\):"
type_text "$kg_secret"
current="ksgen: the typed secret is not on the screen"
if screen | grep -q 'memory only): .*[0-9a-f]'; then fail "the secret is shown"; else pass; fi
keys Enter
expect "the type again" '│ >USER \(0\)'
keys Down Enter
expect "the user offered" 'user id \(empty: none\): alice'
keys C-u Enter
keys C-u
type_text "soon"
keys Enter
expect "a bad expiry said, asked again" "the expiry takes a positive number of seconds, not 'soon'; expiry, seconds from now: soon"
keys C-u
type_text "3600"
keys Enter
expect "the builder" "the new KS's privileges"
type_text "disableentitlement"
expect "filtered" 'disableentitlement'
keys Enter
type_text "Use:"
expect "turned on" '│ >Use: disableentitlement'
keys Enter
expect "made v1" 'A KS v1 ADMIN for partner 100 was made here'
keys F9
expect "v1" '│ *Version: 1 '
expect "ADMIN" '│ *Type: ADMIN \(2\)'
expect "an hour" '│ *Expiry: expires in (59 minutes|1 hour)'
expect "its privilege" 'privilege disableentitlement: '
keys Escape
expect "the id row" '>\[x\] id \(bigint\) +1'
keys Enter C-u
type_text "2"
keys Enter F5
expect "it sees the hidden category" '<name>MediaSpace</name>'
keys F10
expect "quit" '^EXITED=0$'
current="ksgen: no secret in a file the console wrote"
if grep -rlF "$kg_secret" "$SCRATCH/home" 2>/dev/null | grep -q .; then
	fail "the secret is in a file"
else
	pass
fi

# an endpoint with nothing known: the partner id is asked (a bad one said), the secret typed
start --url "http://127.0.0.1:$(closed_port)"
expect "a custom endpoint" '│ partner - │ no KS'
keys C-y
expect "the partner id asked" 'partner id:$'
type_text "abc"
keys Enter
expect "a bad partner id said" 'not a partner id \(a number\): abc; partner id: abc'
keys C-u
type_text "4242"
keys Enter
keys Enter
expect "no secret known: typed" "the partner's admin secret \\(not shown, memory only\\):"
type_text "a-typed-secret"
keys Enter Enter
keys C-u Enter Enter
expect "the builder" "the new KS's privileges"
keys Enter
expect "made for that partner" 'A KS v2 USER for partner 4242 was made here'
keys F9
expect "the typed secret opens it" '│ *Partner: 4242'
expect "and verifies it" '│ Signature: valid'
keys Escape F10
expect "quit" '^EXITED=0$'
