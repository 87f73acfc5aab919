# Hostile peers: redirects that would carry credentials away (to another host, from https to
# http), escape sequences in codes, messages, headers and results; a recording fixture proves
# what was sent.
[ -n "${FIXTURE_URL:-}" ] || { echo "hardening.sh: no fixture server"; failed=$((failed + 1)); return; }
H_PORT=${FIXTURE_URL##*:}
H_LOG=$SCRATCH/fixture.log

# fixture_up NAME [CERT KEY]: another fixture server, recording into $H_LOG, in the background
# (run.sh's holds bash's one coproc); sets h_pid and h_port
fixture_up() {
	local out=$SCRATCH/$1.port i
	shift
	: >"$out"
	FIXTURE_LOG=$H_LOG "$BUILD/fixture-server" "$@" >"$out" 2>/dev/null </dev/null &
	h_pid=$! h_port=""
	for ((i = 0; i < 200; i++)); do
		read -r _ h_port <"$out" && [ -n "$h_port" ] && return 0
		sleep 0.05
	done
	return 1
}

# a second fixture, recording: the same server is "another host" under the name localhost
fixture_up rec
h_rec_pid=$h_pid h_rec_port=$h_port
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
	fixture_up tls "$SCRATCH/cert.pem" "$SCRATCH/key.pem"
	h_tls_pid=$h_pid h_tls_port=$h_port
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
	skip "hardening.sh: script (bsdutils) is missing; the terminal filter is not checked on a tty"
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
expect_out '^services: 14$'
rm -f "$h_cached" # the cache is per host: later scripts start without one

# a schema is peer text too (schema update, F11): its descriptions and names reach a terminal
# only through the filter (XML keeps out C0 controls, not C1 or DEL)
h_schema=$SCRATCH/evil-schema.xml
sed -e "s/Start a session with Kaltura's server./Start red"$'\xc2\x9b2J\x7f'"z/" \
	-e 's/name="session" description/name="ses'$'\xc2\x9b''1m" description/' \
	"$TESTDATA/schema-small.xml" >"$h_schema"
current="the crafted schema holds C1 and DEL"
LC_ALL=C grep -q $'red\xc2\x9b2J\x7fz' "$h_schema" && pass || fail "sed did not plant them"
current="schema show to a terminal shows C1 and DEL as ?"
script -qec "$KTESTME schema show --schema $h_schema ses"$'\xc2\x9b'"1m.start" /dev/null >"$OUT" 2>"$ERR" </dev/null
if LC_ALL=C grep -q $'\xc2\x9b\|\x7f' "$OUT"; then fail "$(od -c "$OUT" | head -5)"; elif grep -q 'red?2J?z' "$OUT"; then pass; else fail "$(cat "$OUT" "$ERR")"; fi
current="schema search to a terminal shows C1 as ?"
script -qec "$KTESTME schema search --schema $h_schema ses" /dev/null >"$OUT" 2>"$ERR" </dev/null
if LC_ALL=C grep -q $'\xc2\x9b' "$OUT"; then fail "$(od -c "$OUT" | head -5)"; elif grep -q 'service ses?1m' "$OUT"; then pass; else fail "$(cat "$OUT" "$ERR")"; fi
current="schema show: an unknown action of that service, its name filtered on stderr"
script -qec "$KTESTME schema show --schema $h_schema ses"$'\xc2\x9b'"1m.nope" /dev/null >"$OUT" 2>"$ERR" </dev/null
if LC_ALL=C grep -q $'\xc2\x9b' "$OUT"; then fail "$(od -c "$OUT" | head -5)"; elif grep -q 'service ses?1m has no action' "$OUT"; then pass; else fail "$(cat "$OUT" "$ERR")"; fi

# secrets off the command line: a warning when one is there, and a file, stdin or the
# environment for every command that takes one
H_SECRET=3f2a9c0e51b34d7f8a6e2c1b0d9f4e7a
H_GEN="ks gen --partner-id 2500001 --type admin --valid-until 1700000000 --rand 00112233445566778899aabbccddeeff"
check "--secret warns that ps shows it" 0 env -u KALTURA_ADMIN_SECRET $KTESTME $H_GEN --secret $H_SECRET
expect_err '^ktestme ks gen: warning: --secret on the command line is visible to other users \(ps\); prefer --secret-file FILE, --secret - or KALTURA_ADMIN_SECRET$'
h_ks=$(cat "$OUT")
printf '%s\n' "$H_SECRET" >"$SCRATCH/secret"
chmod 600 "$SCRATCH/secret"
check "--secret-file" 0 env -u KALTURA_ADMIN_SECRET $KTESTME $H_GEN --secret-file "$SCRATCH/secret"
expect_out "^$h_ks\$"
current="--secret-file: no warning"; [ ! -s "$ERR" ] && pass || fail "$(cat "$ERR")"
chmod 644 "$SCRATCH/secret"
check "--secret-file readable by others warns" 0 env -u KALTURA_ADMIN_SECRET $KTESTME $H_GEN --secret-file "$SCRATCH/secret"
expect_err 'can be read by other users \(chmod 600'
check "--secret-file missing" 66 env -u KALTURA_ADMIN_SECRET $KTESTME $H_GEN --secret-file "$SCRATCH/nope"
expect_one_err_line
check_stdin "--secret - reads stdin" 0 "$H_SECRET" env -u KALTURA_ADMIN_SECRET $KTESTME $H_GEN --secret -
expect_out "^$h_ks\$"
current="--secret -: not the secret '-', no warning"; [ ! -s "$ERR" ] && pass || fail "$(cat "$ERR")"
check_stdin "--secret - with nothing on stdin" 64 "" env -u KALTURA_ADMIN_SECRET $KTESTME $H_GEN --secret -
expect_one_err_line
check "--secret and --secret-file exclude each other" 64 $KTESTME $H_GEN --secret x --secret-file "$SCRATCH/secret"
check "environment" 0 env KALTURA_ADMIN_SECRET=$H_SECRET $KTESTME $H_GEN
expect_out "^$h_ks\$"
check_stdin "ks decode --secret - and KS from the command line" 0 "$H_SECRET" $KTESTME ks decode --secret - "$h_ks"
expect_out '^signature: valid'
check_stdin "ks decode: two '-' for one stdin" 64 "$H_SECRET" $KTESTME ks decode --secret - -
expect_one_err_line
check_stdin "ks renew --secret -" 0 "$H_SECRET" env -u KALTURA_ADMIN_SECRET $KTESTME ks renew --secret - "$h_ks"
check "apptoken-hash --token warns" 0 env -u KALTURA_APP_TOKEN $KTESTME ks apptoken-hash --hash-type sha256 --ks "$h_ks" --token 0123456789abcdef0123456789abcdef
expect_err 'warning: --token on the command line is visible'
h_hash=$(cat "$OUT")
check "apptoken-hash KALTURA_APP_TOKEN" 0 env KALTURA_APP_TOKEN=0123456789abcdef0123456789abcdef $KTESTME ks apptoken-hash --hash-type sha256 --ks "$h_ks"
expect_out "^$h_hash\$"
# call: secret= warns; secret=@FILE and secret=- do not, and send the same
chmod 600 "$SCRATCH/secret"
KTESTME_SANDBOX_USER_SECRET=hardening-user-secret sandbox_up hsec --partner-id 100 --admin-secret-file "$SCRATCH/secret"
current="sandbox --admin-secret-file: no warning"
grep -q 'warning' "$SCRATCH/hsec.err" && fail "$(cat "$SCRATCH/hsec.err")" || pass
check "call secret= warns" 0 $KTESTME call --url "$SANDBOX_URL" session start secret=$H_SECRET type=2 partnerId=100
expect_err '^ktestme call: warning: secret= on the command line is visible to other users \(ps\); prefer secret=@FILE or secret=-$'
check "call secret=@FILE" 0 $KTESTME call --url "$SANDBOX_URL" session start secret=@"$SCRATCH/secret" type=2 partnerId=100
expect_out '<result>djJ8MTAwf'
expect_no_err 'warning: secret='
check_stdin "call secret=-" 0 "$H_SECRET" $KTESTME call --url "$SANDBOX_URL" session start secret=- type=2 partnerId=100
expect_out '<result>djJ8MTAwf'
check "call name=@missing" 66 $KTESTME call --url "$SANDBOX_URL" session start secret=@"$SCRATCH/nope"
expect_one_err_line
check "call name=@@text is the text" 0 $KTESTME call --url "$FIXTURE_URL" echo params a=@@b
expect_out '<item>a=@b</item>'
sandbox_down hsec
check_stdin "sandbox: two secrets cannot both be stdin" 64 x $KTESTME sandbox --admin-secret - --user-secret -
check "sandbox --admin-secret warns" 64 $KTESTME sandbox --admin-secret x --listen nowhere
expect_err 'warning: --admin-secret on the command line is visible'

# no core, no peeking: a running ktestme is not dumpable (its /proc files belong to root, not to
# its user) and may not write a core; as root it runs as nobody to tell the two apart
h_as=()
[ "$(id -u)" = 0 ] && h_as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
: >"$SCRATCH/hdump.out"
# (nobody cannot enter the scratch directories: no config, cache or state for it)
env HOME=/proc/kt-none XDG_CONFIG_HOME=/proc/kt-none XDG_CACHE_HOME=/proc/kt-none \
	XDG_STATE_HOME=/proc/kt-none XDG_DATA_HOME=/proc/kt-none \
	"${h_as[@]}" "$KTESTME" sandbox --listen 127.0.0.1:0 >"$SCRATCH/hdump.out" 2>"$SCRATCH/hdump.err" </dev/null &
h_dump_pid=$!
for ((i = 0; i < 200; i++)); do grep -q '^sandbox:' "$SCRATCH/hdump.out" && break; sleep 0.05; done
current="not dumpable: /proc/PID/status belongs to root, the process to its user"
h_uid=$(awk '/^Uid:/ {print $2}' "/proc/$h_dump_pid/status")
if [ "$h_uid" != 0 ] && [ "$(stat -c %u "/proc/$h_dump_pid/status")" = 0 ]; then pass; else fail "uid $h_uid, owner $(stat -c %u "/proc/$h_dump_pid/status"): $(cat "$SCRATCH/hdump.err")"; fi
current="no core file (RLIMIT_CORE 0)"
if grep -qE '^Max core file size +0 +0 ' "/proc/$h_dump_pid/limits"; then pass; else fail "$(grep core "/proc/$h_dump_pid/limits")"; fi
kill "$h_dump_pid"; wait "$h_dump_pid" 2>/dev/null

# the console's network options are checked before it needs a terminal
check "console --max-size junk" 64 "$KTESTME" console --max-size lots
expect_one_err_line
expect_err "^ktestme console: --max-size takes a size like 500K"
check "console --timeout junk" 64 "$KTESTME" console --timeout 0
expect_one_err_line
check "console --timeout needs a value" 64 "$KTESTME" console --timeout
expect_one_err_line
