# A terminal that disappears without a SIGHUP (its pty closed under a console that is not the
# pty's session owner): the console leaves at once and cleanly instead of spinning on EOF.
current="the console exits when its terminal goes away"
if python3 - "$KTESTME" "$SCRATCH/home" <<'PY'
import os, subprocess, sys, time, select
ktestme, home = sys.argv[1], sys.argv[2]
master, slave = os.openpty()
env = {"PATH": "/usr/bin:/bin", "HOME": home, "TERM": "xterm", "LANG": "C.UTF-8", "TZ": "UTC"}
# a new session that never takes the pty as its controlling terminal: no SIGHUP on close
p = subprocess.Popen([ktestme], stdin=slave, stdout=slave, stderr=slave, env=env,
                     start_new_session=True)
os.close(slave)
seen, deadline = b"", time.time() + 10
while b"Welcome" not in seen and time.time() < deadline:
    r, _, _ = select.select([master], [], [], 0.2)
    if r:
        try:
            seen += os.read(master, 65536)
        except OSError:
            break
os.close(master)
try:
    rc = p.wait(timeout=10)
except subprocess.TimeoutExpired:
    p.kill()
    print("still running 10 s after its terminal went away", file=sys.stderr)
    sys.exit(1)
sys.exit(0 if b"Welcome" in seen and rc == 0 else 2)
PY
then pass; else fail "exit status $?"; fi
