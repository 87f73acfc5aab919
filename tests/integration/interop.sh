# Interop: Kaltura's official Node.js client (npm kaltura-client) against the sandbox.
# Skips, saying so, only when node or npm is missing.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	skip "interop.sh: node or npm is not installed (make deps installs them)"
	return
fi
npmdir=$SCRATCH/npm
mkdir -p "$npmdir"
current="npm install kaltura-client"
if (cd "$npmdir" && npm install --silent --no-audit --no-fund --no-save kaltura-client >"$SCRATCH/npm.log" 2>&1); then
	pass
else
	fail "$(tail -3 "$SCRATCH/npm.log")"
	return
fi
# run.sh's fixture holds bash's one coproc: this sandbox reports through a file
KTESTME_SANDBOX_ADMIN_SECRET=interop-admin-secret KTESTME_SANDBOX_USER_SECRET=interop-user-secret \
	"$KTESTME" sandbox --listen 127.0.0.1:0 --partner-id 4321 >"$SCRATCH/iop.out" 2>&1 </dev/null &
iop_pid=$!
iop_url=""
for _ in $(seq 100); do
	iop_url=$(sed -n '1s/^sandbox: //p' "$SCRATCH/iop.out")
	[ -n "$iop_url" ] && break
	sleep 0.1
done
current="interop sandbox starts"
if [ -z "$iop_url" ]; then fail "no URL"; kill "$iop_pid" 2>/dev/null; return; fi
pass
NODE_PATH=$npmdir/node_modules SANDBOX_URL=$iop_url PARTNER_ID=4321 \
	ADMIN_SECRET=interop-admin-secret timeout 60 node "$root/tests/interop/interop.js" \
	>"$OUT" 2>"$ERR" </dev/null
while read -r status rest; do
	case $status in
	ok) current="interop: $rest"; pass ;;
	not) current="interop: ${rest#ok }"; fail "" ;;
	esac
done <"$OUT"
current="interop: all steps ran"
[ "$(grep -c '^ok ' "$OUT")" -ge 13 ] && pass || fail "$(grep -c '^ok ' "$OUT") steps passed of 13"

# the code examples of `ktestme code`, run for real against the same sandbox
"$KTESTME" code node --url "$iop_url" session start type=2 partnerId=4321 userId=coder \
	>"$SCRATCH/example.js" 2>"$ERR"
check "node example runs" 0 env NODE_PATH="$npmdir/node_modules" \
	KALTURA_ADMIN_SECRET=interop-admin-secret timeout 30 node "$SCRATCH/example.js"
example_ks=$(head -1 "$OUT")
check "node example's KS decodes" 0 "$KTESTME" ks decode --secret interop-admin-secret "$example_ks"
expect_out '^user: coder$'
expect_out '^type: 2 \(ADMIN\)$'
"$KTESTME" code curl --url "$iop_url" session get >"$SCRATCH/example.sh" 2>"$ERR"
check "curl example runs" 0 env KALTURA_KS="$example_ks" bash "$SCRATCH/example.sh"
expect_out '<userId>coder</userId>'
expect_out '<partnerId>4321</partnerId>'

# a multirequest example: a {1:result:id} reference, then an item's own KS from session.start
"$KTESTME" code node --url "$iop_url" --ks x multirequest 1:service=media 1:action=add \
	1:entry:objectType=KalturaMediaEntry 1:entry:name=Interop-MR 1:entry:mediaType=1 \
	2:service=media 2:action=get '2:entryId={1:result:id}' >"$SCRATCH/multi.js" 2>"$ERR"
check "node multirequest example runs" 0 env NODE_PATH="$npmdir/node_modules" \
	KALTURA_KS="$example_ks" timeout 30 node "$SCRATCH/multi.js"
current="node multirequest example: the second item read the first one's entry"
iop_ids=$(grep -oE "^ +id: '[0-9]_[a-z0-9]+'" "$OUT" | sort | uniq -c | awk '$1 == 2')
[ -n "$iop_ids" ] && [ "$(grep -c "name: 'Interop-MR'" "$OUT")" = 2 ] && pass ||
	fail "$(grep -E "id:|name:" "$OUT" | head -4)"
"$KTESTME" code node --url "$iop_url" multirequest 1:service=session 1:action=start \
	1:partnerId=4321 1:type=2 2:service=category 2:action=get 2:id=1 '2:ks={1:result}' \
	>"$SCRATCH/multi-ks.js" 2>/dev/null
check "node multirequest example: an item takes the KS of the item before" 0 \
	env NODE_PATH="$npmdir/node_modules" KALTURA_ADMIN_SECRET=interop-admin-secret \
	timeout 30 node "$SCRATCH/multi-ks.js"
expect_out "fullName: 'Demo'"
expect_out "'djJ8NDMyMX"

kill "$iop_pid" 2>/dev/null
wait "$iop_pid"
iop_rc=$?
current="interop sandbox stops cleanly"
[ "$iop_rc" = 0 ] && pass || fail "exit status $iop_rc"

