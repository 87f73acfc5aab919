# Ways in besides typing: a pasted curl command fills the form (C-p), a saved request (C-s)
# survives a restart, opens again (C-o) and runs from the CLI (ktestme run).
rm -rf "$SCRATCH/home/.local/share/ktestme"
opened
keys C-p
expect "import: prompt" '^Import \(a curl command, URL, log line, or a file\):'
type_text "curl -X POST https://www.kaltura.com/api_v3/service/category/action/list -d 'filter[objectType]=KalturaCategoryFilter' -d 'filter[fullNameStartsWith]=Demo' -d pager:pageSize=3"
keys Enter
expect "import: filled" 'Imported the curl: category\.list filled \(F5 sends it\)'
expect "import: the form" 'Parameters: category\.list'
expect "import: the filter's type" 'filter \(KalturaCategoryFilter\) +KalturaCategoryFilter'
expect "import: every pair enabled" 'Parameters: category\.list \(4 enabled\)'
keys C-p
type_text "nothing to see"
keys Enter
expect "import: not a request" 'Not imported \(the pasted text\): no request in it'

# save it, quit, start again, open it
keys C-s
expect "save: prompt" '^Save the request as:'
type_text "demo categories"
keys Enter
expect "save: saved" "Saved 'demo categories'"
keys F10
expect "save: quit" '^EXITED=0$'
current="save: the file is mode 0600"
f=$SCRATCH/home/.local/share/ktestme/requests.txt
[ "$(stat -c %a "$f" 2>/dev/null)" = 600 ] && grep -q '^\[demo categories\]$' "$f" && pass || fail "no 0600 file"

opened
keys C-o
expect "open: listed" 'demo categories +category\.list'
keys Enter
expect "open: filled" 'demo categories: category\.list filled'
expect "open: every pair back" 'Parameters: category\.list \(4 enabled\)'
keys F10
expect "open: quit" '^EXITED=0$'

# the CLI runs it against a sandbox of its own
current="run: the saved request from the CLI"
sbdir=$SCRATCH/run-sb
mkdir -p "$sbdir"
KTESTME_SANDBOX_ADMIN_SECRET=run-secret "$KTESTME" sandbox --listen 127.0.0.1:0 >"$sbdir/out" 2>&1 &
sbpid=$!
for ((i = 0; i < 100; i++)); do grep -qs '^sandbox: http' "$sbdir/out" && break; sleep 0.05; done
sburl=$(sed -n 's/^sandbox: //p' "$sbdir/out" | head -1)
runks=$("$KTESTME" call --url "$sburl" --format json session start secret=run-secret type=2 \
	partnerId=100 privileges=disableentitlement 2>/dev/null | tr -d '"')
out=$(env -i PATH=/usr/bin:/bin HOME="$SCRATCH/home" "$KTESTME" run 'demo categories' \
	--url "$sburl" --ks "$runks" 2>&1)
case "$out" in *KalturaCategoryListResponse*"<fullName>Demo"*) pass ;; *) fail "$out" ;; esac
kill "$sbpid" 2>/dev/null
wait "$sbpid" 2>/dev/null
current="run: it is listed"
env -i PATH=/usr/bin:/bin HOME="$SCRATCH/home" "$KTESTME" saved list | grep -qE '^demo categories +category\.list$' &&
	pass || fail "not listed"
