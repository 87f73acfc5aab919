# Hostile peers: redirects that would carry credentials away (to another host, from https to
# http), escape sequences in codes, messages, headers and results; a recording fixture proves
# what was sent.
[ -n "${FIXTURE_URL:-}" ] || { echo "hardening.sh: no fixture server"; failed=$((failed + 1)); return; }
H_PORT=${FIXTURE_URL##*:}
H_LOG=$SCRATCH/fixture.log

# a second fixture, recording: the same server is "another host" under the name localhost
coproc HREC { FIXTURE_LOG=$H_LOG exec "$BUILD/fixture-server"; }
h_rec_pid=$HREC_PID
read -r -t 10 _ h_rec_port <&"${HREC[0]}"
R=http://127.0.0.1:$h_rec_port

check "redirect to another host is refused" 8 "$KTESTME" call -L --url "$R/goto/http/localhost:$h_rec_port" session start secret=hostile-secret-1 partnerId=1
expect_err '^ktestme: HTTP 307 redirect to http://localhost:[0-9]+/api_v3/service/session/action/start refused: it goes to another host$'
expect_one_err_line
current="the other host never received the secret"
if grep -q '^localhost' "$H_LOG"; then fail "$(grep '^localhost' "$H_LOG")"; else pass; fi
current="the first host did (it was the endpoint asked for)"
if grep -q '^127\.0\.0\.1:[0-9]* /goto/.*secret=hostile-secret-1' "$H_LOG"; then pass; else fail "log: $(cat "$H_LOG")"; fi
check "redirect to another host without -L" 8 "$KTESTME" call --url "$R/goto/http/localhost:$h_rec_port" session start secret=hostile-secret-2
current="without -L nothing is sent to the other host either"
if grep -q 'hostile-secret-2' <(grep '^localhost' "$H_LOG"); then fail "sent"; else pass; fi
check "redirect on the same host is followed with -L" 0 "$KTESTME" call -L --url "$R/goto/http/127.0.0.1:$h_rec_port" echo params a=1
expect_out '<item>a=1</item>'
expect_err 'followed a redirect: HTTP 307 to http://127\.0\.0\.1'
check "a redirect loop stops" 8 "$KTESTME" call -L --url "$R/goto/http/127.0.0.1:$h_rec_port/goto/http/127.0.0.1:$h_rec_port/goto/http/127.0.0.1:$h_rec_port/goto/http/127.0.0.1:$h_rec_port/goto/http/127.0.0.1:$h_rec_port/goto/http/127.0.0.1:$h_rec_port" echo params
expect_err 'more than 5 redirects'

# https -> http: a TLS fixture redirecting to the plain one
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
	-subj /CN=127.0.0.1 -keyout "$SCRATCH/key.pem" -out "$SCRATCH/cert.pem" >/dev/null 2>&1; then
	coproc HTLS { FIXTURE_LOG=$H_LOG exec "$BUILD/fixture-server" "$SCRATCH/cert.pem" "$SCRATCH/key.pem"; }
	h_tls_pid=$HTLS_PID
	read -r -t 10 _ h_tls_port <&"${HTLS[0]}"
	: >"$H_LOG"
	check "https -> http redirect is refused" 8 "$KTESTME" call -L --insecure --url "https://127.0.0.1:$h_tls_port/goto/http/127.0.0.1:$h_rec_port" session start secret=hostile-secret-3
	expect_err 'refused: it goes from https to http$'
	current="the secret did not go out in clear text"
	if [ "$(grep -c 'hostile-secret-3' "$H_LOG")" = 1 ] && grep -q '/goto/http/.*hostile-secret-3' "$H_LOG"; then pass; else fail "log: $(cat "$H_LOG")"; fi
	check "https -> https on the same host is followed" 0 "$KTESTME" call -L --insecure --url "https://127.0.0.1:$h_tls_port/goto/https/127.0.0.1:$h_tls_port" echo params b=2
	expect_out '<item>b=2</item>'
	kill "$h_tls_pid" 2>/dev/null; wait "$h_tls_pid" 2>/dev/null
else
	current="openssl makes a test certificate"; fail "openssl req failed"
fi
kill "$h_rec_pid" 2>/dev/null; wait "$h_rec_pid" 2>/dev/null

# escape sequences from the server never reach the terminal
ESC=$'\033'
check "escapes in an API error are shown as ?" 1 "$KTESTME" call --url "$FIXTURE_URL/evil" --format json category get id=1
current="stderr has no ESC, BEL, C1 or DEL"
if LC_ALL=C grep -q "[$ESC"$'\a\x7f'"]"$'\|\xc2[\x80-\x9f]' "$ERR"; then fail "$(od -c "$ERR" | head -3)"; else pass; fi
expect_err '^E\?\]52;c;aGk=\?VIL: \?\[2Jcleared \?\]0;owned\? \? \? end$'
check "escapes in X-Me under -v are shown as ?" 0 "$KTESTME" call -v --url "$FIXTURE_URL/evil" --format json category list
expect_err 'X-Me: host\?\]0;owned\?$'
current="-v stderr has no ESC"
if grep -q "$ESC" "$ERR"; then fail "ESC on stderr"; else pass; fi
check "stdout to a pipe keeps the bytes" 0 "$KTESTME" call --url "$FIXTURE_URL/evil" --format json category list
current="the pipe gets the bytes (C1 CSI, DEL)"
if LC_ALL=C grep -q $'red\xc2\x9b\x7fz' "$OUT"; then pass; else fail "$(od -c "$OUT" | head -5)"; fi
# a terminal (script gives the command a pty): control bytes shown as ?
if command -v script >/dev/null; then
	current="stdout to a terminal shows controls as ?"
	script -qec "$KTESTME call --url $FIXTURE_URL/evil --format json category list" /dev/null >"$OUT" 2>"$ERR" </dev/null
	if LC_ALL=C grep -q "$ESC"$'\|\xc2\x9b\|\x7f' "$OUT"; then fail "$(od -c "$OUT" | head -5)"; elif grep -q 'red??z' "$OUT"; then pass; else fail "$(cat "$OUT")"; fi
	current="--raw writes the bytes to a terminal"
	script -qec "$KTESTME call --raw --url $FIXTURE_URL/evil --format json category list" /dev/null >"$OUT" 2>"$ERR" </dev/null
	if LC_ALL=C grep -q $'red\xc2\x9b\x7fz' "$OUT"; then pass; else fail "no raw bytes with --raw"; fi
else
	current="script (bsdutils) runs a command on a terminal"; fail "script is missing"
fi

# a damaged cached schema falls back to the shipped one, with a notice naming the file
check "schema update caches a schema" 0 "$KTESTME" schema update --url "$FIXTURE_URL"
h_cached=$(sed -n 's/^stored in //p' "$OUT")
current="the cache file is named"
[ -f "$h_cached" ] && pass || fail "no file '$h_cached'"
printf '<?xml version="1.0"?><xml><services><service' >"$h_cached"
check "a damaged cache falls back to the shipped schema" 0 "$KTESTME" schema stats --url "$FIXTURE_URL"
expect_err "^ktestme: the cached schema $h_cached cannot be used \(.*\); using the shipped one"
expect_one_err_line
expect_out '^services: 13$'
rm -f "$h_cached" # the cache is per host: later scripts start without one
