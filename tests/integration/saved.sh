# `ktestme call --from-curl`, `ktestme saved` and `ktestme run` against the sandbox: sourced by
# tests/integration/run.sh (check, expect_out, expect_err, $KTESTME, $SCRATCH).

SV_ADMIN=saved-admin-secret
sandbox_up saved --partner-id 4321 --admin-secret "$SV_ADMIN"
SVU=$SANDBOX_URL
sv_dir=$SCRATCH/saved
mkdir -p "$sv_dir"

check "call --help names --from-curl" 0 "$KTESTME" call --help
expect_out 'ktestme call --from-curl FILE\|-'

# ktestme's own curl example, read back and sent: the secret comes from the environment
"$KTESTME" code curl --url "$SVU" session start partnerId=4321 type=2 secret=x \
	privileges=disableentitlement >"$sv_dir/start.sh"
check "from-curl: the code view's curl" 0 env KALTURA_ADMIN_SECRET=$SV_ADMIN \
	"$KTESTME" call --from-curl "$sv_dir/start.sh"
expect_out 'djJ8NDMyMX[w-z]'
SV_KS=$("$KTESTME" call --url "$SVU" --format json session start secret=$SV_ADMIN type=2 partnerId=4321 \
	privileges=disableentitlement | tr -d '"')

# the Developer Portal's style: -d pairs, filter[objectType], the KS pasted in
check_stdin "from-curl: stdin, brackets, pasted KS" 0 "curl -X POST $SVU/api_v3/service/category/action/list \\
    -d \"ks=$SV_KS\" \\
    -d \"filter[objectType]=KalturaCategoryFilter\" \\
    -d \"format=1\"" "$KTESTME" call --from-curl -
expect_out '"objectType": "KalturaCategoryListResponse"'

# pairs on the command line replace the imported ones
check_stdin "from-curl: pairs replace" 1 "curl $SVU/api_v3/service/category/action/get -d id=2 -d ks=$SV_KS" \
	"$KTESTME" call --from-curl - id=999999
expect_err '^CATEGORY_NOT_FOUND: Category id "999999" not found$'

# a log line and a HAR file
check_stdin "from-curl: access log line" 1 \
	"127.0.0.1 - - \"GET /api_v3/service/category/action/get?id=999999&ks=$SV_KS HTTP/1.1\" 200" \
	"$KTESTME" call --url "$SVU" --from-curl -
expect_err '^CATEGORY_NOT_FOUND'
cat >"$sv_dir/rec.har" <<EOF
{"log":{"version":"1.2","entries":[
 {"request":{"method":"GET","url":"$SVU/index.html"}},
 {"request":{"method":"POST","url":"$SVU/api_v3/service/session/action/startWidgetSession",
  "postData":{"mimeType":"application/x-www-form-urlencoded","text":"widgetId=_4321"}}},
 {"request":{"method":"POST","url":"$SVU/api_v3/service/category/action/get?format=1",
  "postData":{"mimeType":"application/json","text":"{\"id\":999999,\"ks\":\"$SV_KS\"}"}}}]}}
EOF
check "from-curl: HAR, first API call" 0 "$KTESTME" call --from-curl "$sv_dir/rec.har"
expect_out 'KalturaStartWidgetSessionResponse'
check "from-curl: HAR --entry 2" 1 "$KTESTME" call --from-curl "$sv_dir/rec.har" --entry 2
expect_err '^CATEGORY_NOT_FOUND'
check "from-curl: HAR --entry 3" 65 "$KTESTME" call --from-curl "$sv_dir/rec.har" --entry 3
expect_err 'holds 2 Kaltura API calls, not 3'
expect_one_err_line

# another endpoint than the pasted one: the pasted KS is not sent there
check_stdin "from-curl: KS stays home" 1 "curl https://www.kaltura.com/api_v3/service/session/action/get -d ks=$SV_KS" \
	"$KTESTME" call --url "$SVU" --from-curl -
expect_err 'KS and secrets stay with https://www.kaltura.com'
expect_err '^MISSING_KS'

# what is not a request
check_stdin "from-curl: runs a command" 65 'curl "$(cat /etc/passwd)"' "$KTESTME" call --from-curl -
expect_err 'runs a command'
expect_one_err_line
check_stdin "from-curl: reads a file" 65 "curl $SVU/api_v3/service/a/action/b -d @/etc/passwd" \
	"$KTESTME" call --from-curl -
expect_err 'reads a file'
check_stdin "from-curl: no request" 65 'hello' "$KTESTME" call --from-curl -
expect_one_err_line
check "from-curl: missing file" 66 "$KTESTME" call --from-curl "$sv_dir/nope"
expect_one_err_line
check "from-curl: bad entry" 64 "$KTESTME" call --from-curl "$sv_dir/rec.har" --entry 0
expect_one_err_line

# saved requests: add, list, show, run (with overrides), export, import, delete
check "saved --help" 0 "$KTESTME" saved --help
expect_out 'XDG_DATA_HOME/ktestme/requests.txt'
check "saved in the command list" 0 "$KTESTME" --help
expect_out '^  run +send a saved request'
check "saved add" 0 "$KTESTME" saved add 'missing category' category get id=999999 \
	"ks=$SV_KS" secret=never-saved
expect_err '2 secret values left out'
check "saved add admin start" 0 "$KTESTME" saved add start session start type=2 partnerId=4321 \
	privileges=disableentitlement
check_stdin "saved add --from-curl" 0 "curl $SVU/api_v3/service/category/action/list -d filter:objectType=KalturaCategoryFilter" \
	"$KTESTME" saved add 'from curl' --from-curl -
sv_file=$XDG_DATA_HOME/ktestme/requests.txt
current="saved: file mode 0600"
if [ "$(stat -c %a "$sv_file")" = 600 ]; then pass; else fail "mode $(stat -c %a "$sv_file")"; fi
current="saved: no secret in the file"
if grep -q -e "$SV_KS" -e never-saved -e "$SV_ADMIN" "$sv_file"; then fail "$(cat "$sv_file")"; else pass; fi
check "saved list" 0 "$KTESTME" saved list
expect_out '^missing category +category\.get$'
expect_out '^from curl +category\.list$'
check "saved show" 0 "$KTESTME" saved show 'missing category'
expect_out '^id = 999999$'
check "run: the KS from --ks" 1 "$KTESTME" run 'missing category' --url "$SVU" --ks "$SV_KS"
expect_err '^CATEGORY_NOT_FOUND: Category id "999999" not found$'
check "run: without a KS" 1 "$KTESTME" run 'missing category' --url "$SVU"
expect_err '^MISSING_KS'
check "run: the secret from the environment" 0 env KALTURA_ADMIN_SECRET=$SV_ADMIN \
	"$KTESTME" run start --url "$SVU" --format json
expect_out '"djJ8NDMyMX[w-z]'
check "run: a pair replaces" 0 "$KTESTME" run 'missing category' --url "$SVU" --ks "$SV_KS" id=2
expect_out 'KalturaCategory'
check "run: unknown name" 64 "$KTESTME" run nosuch
expect_err "no saved request named 'nosuch'"
expect_one_err_line
check "saved export" 0 "$KTESTME" saved export "$sv_dir/team.txt"
check "saved delete" 0 "$KTESTME" saved delete start
check "saved delete again" 64 "$KTESTME" saved delete start
check "saved import" 0 "$KTESTME" saved import "$sv_dir/team.txt"
expect_out '1 new'
check "saved list after import" 0 "$KTESTME" saved list
expect_out '^start +session\.start$'
printf '[x]\n@service = a\nbroken\n' >"$sv_dir/bad.txt"
check "saved import bad" 65 "$KTESTME" saved import "$sv_dir/bad.txt"
expect_err 'line 3'
expect_one_err_line
check "saved --file elsewhere" 0 "$KTESTME" saved --file "$sv_dir/other.txt" add one user list
check "saved --file list" 0 "$KTESTME" saved list --file "$sv_dir/other.txt"
expect_out '^one +user\.list$'
expect_no_out 'missing category'
check "saved bad option" 64 "$KTESTME" saved list --bogus
expect_one_err_line

sandbox_down saved
