# Hardening of the console: --max-size and --location like `call`, a redirect refused without
# -L, escape sequences from the server shown as '?', and SIGQUIT putting the terminal back
# (no alternate screen, no mouse reporting) without leaving a core.
if [ -z "$FIXTURE_URL" ]; then
	current="harden: the fixture server runs"; fail "no fixture server"
else
	start --url "$FIXTURE_URL/huge" --max-size 500K
	type_text "session"
	keys Enter F5
	expect "--max-size in the unit given" 'larger than the 500 KiB limit'
	keys F10
	expect "quit" '^EXITED=0$'

	start --url "$FIXTURE_URL/slow" --timeout 1
	type_text "session"
	keys Enter F5
	expect "--timeout gives up" '[Tt]imeout|timed out'
	keys F10
	expect "quit" '^EXITED=0$'

	start --url "$FIXTURE_URL/redirect"
	type_text "session"
	keys Enter F5
	expect "a redirect is not followed by default" 'HTTP 307 redirect to .* not followed \(--locati'
	keys F10
	expect "quit" '^EXITED=0$'

	start --url "$FIXTURE_URL/redirect" -L
	type_text "session"
	keys Enter F5
	expect "-L follows it and says so" 'Followed a redirect: HTTP 307 to http://127\.0\.0\.1'
	keys F10
	expect "quit" '^EXITED=0$'

	# a damaged cached schema: the console starts on the shipped one and says which file
	h_cached=$(env -i PATH=/usr/bin:/bin XDG_CACHE_HOME="$SCRATCH/home/.cache" "$KTESTME" schema update --url "$FIXTURE_URL" 2>/dev/null | sed -n 's/^stored in //p')
	current="harden: schema update for the damaged-cache test"
	[ -f "$h_cached" ] && pass || fail "no cache file"
	printf '<xml><services' >"$h_cached"
	start --url "$FIXTURE_URL"
	expect "a damaged cache falls back, naming the file" 'the cached schema .*/schemas/.* cannot be used'
	expect "the shipped schema's services" 'appToken'
	keys F10
	expect "quit" '^EXITED=0$'
	rm -f "$h_cached"

	start --url "$FIXTURE_URL/goto/http/localhost:${FIXTURE_URL##*:}" -L
	type_text "session"
	keys Enter F5
	expect "-L refuses another host" 'refused: it goes( to another host)?$'
	keys F10
	expect "quit" '^EXITED=0$'
fi

opened
expect "console up for SIGQUIT" 'Services'
ktm_pid=$(pgrep -P "$("${TMUX_CMD[@]}" display -p -t "$TUI" '#{pane_pid}')" -x ktestme)
current="harden: the console's pid"
[ -n "$ktm_pid" ] && pass || fail "no ktestme process"
current="harden: no core dumps (RLIMIT_CORE 0)"
if [ -n "$ktm_pid" ] && grep -qE '^Max core file size +0 +0 ' "/proc/$ktm_pid/limits"; then pass; else fail "$(grep core "/proc/$ktm_pid/limits" 2>&1)"; fi
[ -n "$ktm_pid" ] && kill -QUIT "$ktm_pid"
expect "SIGQUIT ends the console" '^EXITED=131$'
current="harden: SIGQUIT leaves the alternate screen and mouse reporting"
flags=$("${TMUX_CMD[@]}" display -p -t "$TUI" '#{alternate_on} #{mouse_any_flag} #{cursor_flag}')
[ "$flags" = "0 0 1" ] && pass || fail "alternate, mouse, cursor: $flags"
current="harden: no core file"
if ls "$SCRATCH/home" | grep -q '^core'; then fail "$(ls "$SCRATCH/home")"; else pass; fi
