# `ktestme call` against the sandbox (every answer a real Kaltura-style server gives) and
# `ktestme regions`; the recorded-response fixture is kept for what the sandbox never sends: an
# HTML error page, an empty, truncated or endless body, a slow answer, a redirect, and the echo
# of what went on the wire.
[ -n "${FIXTURE_URL:-}" ] || { echo "call.sh: no fixture server"; failed=$((failed + 1)); return; }
F=$FIXTURE_URL
CALL_SECRET=call-admin-secret
sandbox_up call --partner-id 100 --admin-secret "$CALL_SECRET" --user-secret call-user-secret
S=$SANDBOX_URL
check "regions lists six" 0 "$KTESTME" regions
expect_out '^us +https://www\.kaltura\.com'
expect_out '^de +https://api\.de\.kaltura\.com'
[ "$(wc -l <"$OUT")" = 6 ] && pass || fail "regions: $(wc -l <"$OUT") lines"
check "regions --help" 0 "$KTESTME" regions --help
check "regions junk" 64 "$KTESTME" regions extra

check "call --help" 0 "$KTESTME" call --help
expect_out 'Usage: ktestme call'

check "session.start xml" 0 "$KTESTME" call --url "$S" session start secret=$CALL_SECRET partnerId=100 type=2
expect_out '<result>djJ8MTAwf[A-Za-z0-9_=-]+</result>'   # base64("v2|100|...")
expect_out '^  <result>'
check "session.start json" 0 "$KTESTME" call --url "$S" --format json session start partnerId=100 secret=$CALL_SECRET
expect_out '^"djJ8MTAwf[A-Za-z0-9_=-]+"$'
check "session.start from env" 0 env KALTURA_SERVICE_URL="$S" KALTURA_ADMIN_SECRET=$CALL_SECRET "$KTESTME" call session start partnerId=100
expect_out 'djJ8MTAwf'
check "flag beats env secret" 1 env KALTURA_SERVICE_URL="$S" KALTURA_ADMIN_SECRET=$CALL_SECRET "$KTESTME" call session start partnerId=100 secret=wrong
check "--url beats env url" 0 env KALTURA_SERVICE_URL=http://127.0.0.1:9 "$KTESTME" call --url "$S" session start partnerId=100 secret=$CALL_SECRET

CALL_KS=$("$KTESTME" call --url "$S" --format json session start partnerId=100 secret=$CALL_SECRET type=2 2>/dev/null | tr -d '"')
check "api error xml" 1 "$KTESTME" call --url "$S" --ks "$CALL_KS" category get id=5
expect_err '^CATEGORY_NOT_FOUND: Category id "5" not found$'
expect_one_err_line
check "api error json" 1 "$KTESTME" call --url "$S" --ks "$CALL_KS" --format json category get id=5
expect_err '^CATEGORY_NOT_FOUND: Category id "5" not found$'
check "start session error" 1 "$KTESTME" call --url "$S" session start secret=nope partnerId=100
expect_err '^START_SESSION_ERROR: Error while starting session for partner \[100\]$'
check "object result keeps UTF-8: add" 0 "$KTESTME" call --url "$S" --ks "$CALL_KS" category add category:name=Démo
call_cat=$(sed -n 's:.*<id>\([0-9]*\)</id>.*:\1:p' "$OUT" | head -1)
check "object result keeps UTF-8" 0 "$KTESTME" call --url "$S" --ks "$CALL_KS" category get id="$call_cat"
expect_out '<name>Démo</name>'
check "object result json" 0 "$KTESTME" call --url "$S" --ks "$CALL_KS" --format json category get id="$call_cat"
expect_out '"objectType": "KalturaCategory"'
expect_out '"name": "Démo"'

check "multirequest: partial error" 1 "$KTESTME" call --url "$S" multirequest 1:service=session 1:action=start 1:partnerId=100 1:secret=$CALL_SECRET 1:type=2 2:service=category 2:action=get '2:ks={1:result}' 2:id=99
expect_out 'djJ8MTAwf'
expect_err '^item 2: CATEGORY_NOT_FOUND'

# what goes on the wire
check "wire: nested, null, empty array" 0 "$KTESTME" call --url "$F" --ks KSX --partner-id 42 echo params \
	filter:objectType=KalturaCategoryFilter filter:nameEqual__null= entries:-= 'filter:fullNameStartsWith=a b&c=d'
expect_out '<item>ks=KSX</item>'
expect_out '<item>partnerId=42</item>'
expect_out '<item>clientTag=ktestme</item>'
expect_out '<item>format=2</item>'
expect_out '<item>filter:objectType=KalturaCategoryFilter</item>'
expect_out '<item>filter:nameEqual__null=</item>'
expect_out '<item>entries:-=</item>'
expect_out '<item>filter:fullNameStartsWith=a b&amp;c=d</item>'
check_stdin "wire: --ks - reads stdin" 0 $'KSFROMSTDIN\n' "$KTESTME" call --url "$F" --ks - echo params
expect_out '<item>ks=KSFROMSTDIN</item>'
check "wire: env partner id" 0 env KALTURA_PARTNER_ID=77 "$KTESTME" call --url "$F" echo params
expect_out '<item>partnerId=77</item>'
check "wire: multirequest reference" 0 "$KTESTME" call --url "$F" echo params '2:ks={1:result}'
expect_out '<item>2:ks=\{1:result\}</item>'
check "wire: a redirect is not followed by default" 8 "$KTESTME" call --url "$F/redirect" echo params a=1
expect_err '^ktestme: HTTP 307 redirect to .*/api_v3/service/echo/action/params not followed \(--location'
check "wire: --location follows a redirect on the same host, with POST" 0 "$KTESTME" call -L --url "$F/redirect" echo params a=1
expect_out '<item>a=1</item>'
expect_err '^ktestme: followed a redirect: HTTP 307 to http://127\.0\.0\.1:[0-9]+/api_v3/'

# verbose masks credentials
check "verbose masks the secret" 0 "$KTESTME" call -v --url "$S" session start partnerId=100 secret=$CALL_SECRET
expect_err 'secret=\*\*\*'
expect_no_err "$CALL_SECRET"
expect_err 'timings: dns'
expect_err 'X-Me: .+'

# bad arguments: exit 64, one line
check "no action" 64 "$KTESTME" call category
expect_one_err_line
check "nothing" 64 "$KTESTME" call
check "not name=value" 64 "$KTESTME" call --url "$S" category get id
expect_err "'id' is not name=value"
check "empty name" 64 "$KTESTME" call --url "$S" category get =5
check "empty key part" 64 "$KTESTME" call --url "$S" category get filter::x=1
check "value then field" 64 "$KTESTME" call --url "$S" category get filter=1 filter:x=2
check "non-numeric partner id" 64 "$KTESTME" call --url "$S" --partner-id abc category get id=1
expect_err "partner id 'abc' is not a number"
check "non-numeric env partner id" 64 env KALTURA_PARTNER_ID=12x "$KTESTME" call --url "$S" category get id=1
check "unknown region" 64 "$KTESTME" call --region mars category get id=1
expect_err "unknown region 'mars'"
expect_one_err_line
check "region and url" 64 "$KTESTME" call --region eu --url "$S" category get id=1
check "bad url" 64 "$KTESTME" call --url ftp://x category get id=1
check "bad format" 64 "$KTESTME" call --url "$S" --format yaml category get id=1
check "bad timeout" 64 "$KTESTME" call --url "$S" --timeout 0 category get id=1
check "bad max-size" 64 "$KTESTME" call --url "$S" --max-size lots category get id=1
check "unknown option" 64 "$KTESTME" call --bogus category get id=1
check "empty stdin ks" 64 "$KTESTME" call --url "$S" --ks - category get id=1

# network and peer failures
port=$(closed_port)
check "closed port" 2 "$KTESTME" call --url "http://127.0.0.1:$port" session start partnerId=100
expect_err "^ktestme: .*(onnect|refused)"
expect_one_err_line
check "timeout" 2 "$KTESTME" call --url "$F/slow" --timeout 1 session start partnerId=100
expect_err 'imeout|timed out'
check "tls on a plain port" 2 "$KTESTME" call --url "https://127.0.0.1:${S##*:}" session start partnerId=100
expect_one_err_line
check "html error page" 2 "$KTESTME" call --url "$F/html" session start partnerId=100
expect_err 'HTTP 502'
expect_err 'HTML'
expect_one_err_line
check "empty body" 4 "$KTESTME" call --url "$F/empty" session start partnerId=100
expect_err 'empty'
expect_one_err_line
check "truncated xml" 4 "$KTESTME" call --url "$F/truncated" session start partnerId=100
expect_one_err_line
check "huge body is capped" 5 "$KTESTME" call --url "$F/huge" --max-size 8M session start partnerId=100
expect_err 'larger than'
expect_one_err_line
check "a cap under 1 MiB prints in its unit" 5 "$KTESTME" call --url "$F/huge" --max-size 500K session start partnerId=100
expect_err 'larger than the 500 KiB limit; stopped reading it \(raise the limit with --max-size\)$'
check "huge body, default cap" 5 "$KTESTME" call --url "$F/huge" session start partnerId=100
expect_err '100 MiB'
check "plugin services go by their wire id" 1 "$KTESTME" call -v --url "$S" metadata list
expect_err '> POST .*/api_v3/service/metadata_metadata/action/list'
check "unknown services go as typed" 1 "$KTESTME" call -v --url "$S" NoSuchThing doIt
expect_err '> POST .*/api_v3/service/NoSuchThing/action/doIt'
expect_err '^SERVICE_DOES_NOT_EXISTS: Service "NoSuchThing" does not exists$'

sandbox_down call
