# The sandbox under a slow-client flood (loopback only): more connections than it holds, each
# sending a byte now and then and never a whole request. Valid calls made during the flood must
# be answered. Bounded: the flood ends by itself after 40 s at the latest.
fl_py=/usr/bin/python3
[ -x "$fl_py" ] || fl_py=python3
sandbox_up flood --partner-id 4321 --admin-secret flood-admin-secret --user-secret flood-user
fl_port=${SANDBOX_URL##*:}
# slow.py PORT COUNT INTERVAL: COUNT connections, each sending the start of a request line and
# then one more byte of a request's headers every INTERVAL seconds, never a whole request
cat >"$SCRATCH/slow.py" <<'PY'
import resource, socket, sys, time
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
port, count, interval = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
conns = []
for _ in range(count):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
        s.sendall(b"P")
        conns.append(s)
    except OSError:
        pass
print("open %d" % len(conns), flush=True)
header = b"OST /api_v3/service/session/action/get HTTP/1.1\r\nX-Slow: " + b"a" * 100000
i = 0
while True:
    time.sleep(interval)
    i += 1
    for s in list(conns):
        try:
            s.sendall(header[i % len(header):i % len(header) + 1])
        except OSError:
            conns.remove(s)
PY
timeout 40 "$fl_py" "$SCRATCH/slow.py" "$fl_port" 1100 4 >"$SCRATCH/flood.out" 2>&1 &
fl_pid=$!
for _ in $(seq 200); do grep -q '^open' "$SCRATCH/flood.out" && break; sleep 0.1; done
current="flood: the slow clients connected"
grep -q '^open [0-9]' "$SCRATCH/flood.out" && pass || fail "$(head -3 "$SCRATCH/flood.out")"
# the connections past a quarter of the limit get the short idle timeout; give it time to act
sleep 3
fl_ok=0
for i in $(seq 10); do
	if "$KTESTME" call --url "$SANDBOX_URL" --timeout 5 --format json session startWidgetSession \
		widgetId=_4321 >"$OUT" 2>"$ERR" </dev/null && grep -q '"ks"' "$OUT"; then
		fl_ok=$((fl_ok + 1))
	fi
done
current="flood: valid calls are answered during the flood"
[ "$fl_ok" = 10 ] && pass || fail "$fl_ok of 10 answered"
current="flood: the flood was still running"
kill -0 "$fl_pid" 2>/dev/null && pass || fail "the flood script ended early: $(tail -2 "$SCRATCH/flood.out")"
kill "$fl_pid" 2>/dev/null
wait "$fl_pid" 2>/dev/null
check "flood: served after the flood" 0 "$KTESTME" call --url "$SANDBOX_URL" --timeout 5 \
	session startWidgetSession widgetId=_4321
sandbox_down flood

# The same with a header byte every second, which no idle timeout ends (and the handler sees
# nothing before the headers end): the sandbox's watchdog drops connections whose request has
# not arrived in time, so valid calls get through while the trickle goes on. Bounded: the
# trickle ends by itself after 60 s, the calls stop after 30 attempts.
sandbox_up trickle --partner-id 4321 --admin-secret flood-admin-secret --user-secret flood-user
tr_port=${SANDBOX_URL##*:}
timeout 60 "$fl_py" "$SCRATCH/slow.py" "$tr_port" 700 1 >"$SCRATCH/trickle.out" 2>&1 &
tr_pid=$!
for _ in $(seq 200); do grep -q '^open' "$SCRATCH/trickle.out" && break; sleep 0.1; done
current="trickle: the slow clients connected"
grep -q '^open [0-9]' "$SCRATCH/trickle.out" && pass || fail "$(head -3 "$SCRATCH/trickle.out")"
tr_ok=0
for _ in $(seq 30); do
	kill -0 "$tr_pid" 2>/dev/null || break
	if "$KTESTME" call --url "$SANDBOX_URL" --timeout 5 --format json session startWidgetSession \
		widgetId=_4321 >"$OUT" 2>"$ERR" </dev/null && grep -q '"ks"' "$OUT"; then
		tr_ok=$((tr_ok + 1))
		[ "$tr_ok" = 5 ] && break
	else
		sleep 1
	fi
done
current="trickle: valid calls are answered during the trickle"
[ "$tr_ok" = 5 ] && pass || fail "$tr_ok of 5 answered"
current="trickle: the trickle was still running"
kill -0 "$tr_pid" 2>/dev/null && pass || fail "the trickle script ended early: $(tail -2 "$SCRATCH/trickle.out")"
kill "$tr_pid" 2>/dev/null
wait "$tr_pid" 2>/dev/null
sandbox_down trickle
