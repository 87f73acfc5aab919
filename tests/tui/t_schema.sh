# Schema per endpoint: F11 downloads the endpoint's schema (as `schema update`) and uses it; F2
# to another endpoint uses that one's schema (the shipped one here) and says which; coming back
# uses the cached one again. The fixture serves tests/data/schema-small.xml (3 services).
if [ -z "$FIXTURE_URL" ]; then
	echo "tui: skipping the schema per endpoint tests (no fixture server)" >&2
else
	start --url "$FIXTURE_URL/s1"
	expect "the shipped schema first" 'Services \([0-9]{2,}\)'
	keys F11
	expect "downloaded, stored and in use" 'Schema of .*/s1 in use: 3 services, API 1\.2\.3 \(stored in '
	expect "the lists follow" 'Services \(3\)'
	expect "its services" '^.captionAsset'
	keys F2
	type_text "local"
	keys Enter
	expect "the sandbox: the shipped schema, said so" 'Endpoint: local .*the shipped schema \([0-9]{2,} services'
	expect "its lists" 'Services \([0-9]{2,}\)'
	keys F2
	type_text "custom"
	keys Enter
	keys C-u
	type_text "$FIXTURE_URL/s1"
	keys Enter
	expect "back: the cached schema, said so" "Endpoint: $FIXTURE_URL/s1 · its cached schema \\(3 services, API 1\\.2\\.3\\)"
	expect "its lists again" 'Services \(3\)'
	open_action session start
	expect "the form is that schema's" 'Remote partner secret'
	keys C-f
	expect "a call with it" 'START_SESSION_ERROR'
	keys F10
	expect "quit" '^EXITED=0$'
	# the same host's other endpoints (the other tests) get the shipped schema back
	rm -rf "$SCRATCH/home/.cache/ktestme/schemas"
fi
