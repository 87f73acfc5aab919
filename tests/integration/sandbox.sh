# `ktestme sandbox` driven by `ktestme call`: sourced by tests/integration/run.sh (check,
# expect_out, expect_err, $KTESTME, $SCRATCH). Codes and messages are the catalogue's
# (schemas/kaltura.xml <errors>, KALTURA.md sections 3-5).

SB_ADMIN=sandbox-admin-secret
SB_USER=sandbox-user-secret

check "sandbox --help" 0 "$KTESTME" sandbox --help
expect_out '^Usage: ktestme sandbox'
check "sandbox bad option" 64 "$KTESTME" sandbox --bogus
expect_one_err_line
check "sandbox bad listen" 64 "$KTESTME" sandbox --listen nowhere
expect_err 'HOST:PORT'
expect_one_err_line
check "sandbox bad ks version" 64 "$KTESTME" sandbox --ks-version 3
expect_one_err_line
check "sandbox bad partner" 64 "$KTESTME" sandbox --partner-id abc
expect_one_err_line
check "sandbox secret with a control character" 64 "$KTESTME" sandbox --admin-secret "$(printf 'a\tb')"
expect_err 'control characters'
expect_one_err_line
check "sandbox empty password" 64 "$KTESTME" sandbox --admin-password ""
expect_one_err_line
# a non-loopback address is warned about (TEST-NET-1: nothing here can bind it, so it exits)
check "sandbox non-loopback listen warns" 2 "$KTESTME" sandbox --listen 192.0.2.1:0
expect_err '^ktestme: warning: the sandbox listens on 192\.0\.2\.1, reachable from other machines'
expect_err 'cannot listen on 192\.0\.2\.1'

sandbox_up sandbox --partner-id 4321 --admin-secret "$SB_ADMIN" --user-secret "$SB_USER"
SBU=$SANDBOX_URL

# the KS of a call's JSON result, for later calls
sb_ks() { "$KTESTME" call --url "$SBU" --format json "$@" 2>/dev/null | tr -d '"'; }

for fmt in xml json; do
	check "sb start admin $fmt" 0 "$KTESTME" call --url "$SBU" --format $fmt session start partnerId=4321 \
		secret=$SB_ADMIN type=2 userId=alice privileges=disableentitlement
	expect_out 'djJ8NDMyMX[w-z]'   # base64("v2|4321|...")
	check "sb start bad secret $fmt" 1 "$KTESTME" call --url "$SBU" --format $fmt session start partnerId=4321 secret=nope
	expect_err '^START_SESSION_ERROR: Error while starting session for partner \[4321\]$'
	check "sb start user secret admin type $fmt" 1 "$KTESTME" call --url "$SBU" --format $fmt \
		session start partnerId=4321 secret=$SB_USER type=2
	expect_err '^START_SESSION_ERROR'
	check "sb start missing secret $fmt" 1 "$KTESTME" call --url "$SBU" --format $fmt session start partnerId=4321 type=2
	expect_err '^MISSING_MANDATORY_PARAMETER: Missing parameter "secret"$'
	check "sb start bad enum $fmt" 1 "$KTESTME" call --url "$SBU" --format $fmt session start partnerId=4321 \
		secret=$SB_ADMIN type=9
	expect_err '^INVALID_ENUM_VALUE: Invalid enumeration value "9" for parameter "type", expecting enumeration type "KalturaSessionType"$'
	check "sb unknown service $fmt" 1 "$KTESTME" call --url "$SBU" --format $fmt nosuch list
	expect_err '^SERVICE_DOES_NOT_EXISTS: Service "nosuch" does not exists$'
	check "sb unknown action $fmt" 1 "$KTESTME" call --url "$SBU" --format $fmt session nosuch
	expect_err '^ACTION_DOES_NOT_EXISTS: Action "nosuch" does not exists for service "session"$'
	check "sb get without ks $fmt" 1 "$KTESTME" call --url "$SBU" --format $fmt session get
	expect_err '^MISSING_KS: Missing KS, session not established$'
	check "sb widget $fmt" 0 "$KTESTME" call --url "$SBU" --format $fmt session startWidgetSession widgetId=_4321
	expect_out 'KalturaStartWidgetSessionResponse'
	expect_out '4321'
	check "sb widget bad $fmt" 1 "$KTESTME" call --url "$SBU" --format $fmt session startWidgetSession widgetId=_1
	expect_err '^INVALID_WIDGET_ID: Unknown widget \[_1\]$'
	check "sb impersonate $fmt" 0 "$KTESTME" call --url "$SBU" --format $fmt session impersonate partnerId=4321 \
		secret=$SB_ADMIN impersonatedPartnerId=777 type=2
	expect_out 'djJ8Nzc3f'    # base64("v2|777|...")
	check "sb impersonate bad secret $fmt" 1 "$KTESTME" call --url "$SBU" --format $fmt session impersonate partnerId=4321 \
		secret=nope impersonatedPartnerId=777
	expect_err '^START_SESSION_ERROR'
	check "sb impersonate missing $fmt" 1 "$KTESTME" call --url "$SBU" --format $fmt session impersonate partnerId=4321 \
		secret=$SB_ADMIN
	expect_err '^MISSING_MANDATORY_PARAMETER: Missing parameter "impersonatedPartnerId"$'
done

KS=$(sb_ks session start partnerId=4321 secret=$SB_ADMIN type=2 userId=alice privileges=disableentitlement)
check "sb ks decode" 0 "$KTESTME" ks decode --secret "$SB_ADMIN" "$KS"
expect_out '4321'
expect_out 'alice'
expect_out 'disableentitlement'
UKS=$(sb_ks session start partnerId=4321 secret=$SB_USER userId=bob)
check "sb user ks decode" 0 "$KTESTME" ks decode --secret "$SB_ADMIN" "$UKS"
expect_out 'bob'
WKS=$("$KTESTME" call --url "$SBU" --format json session startWidgetSession widgetId=_4321 2>/dev/null |
	sed -n 's/.*"ks": *"\([^"]*\)".*/\1/p')
check "sb widget ks decode" 0 "$KTESTME" ks decode --secret "$SB_ADMIN" "$WKS"
expect_out 'view:\*,widget:1'

for fmt in xml json; do
	check "sb get $fmt" 0 "$KTESTME" call --url "$SBU" --format $fmt --ks "$KS" session get
	expect_out 'KalturaSessionInfo'
	expect_out 'alice'
	expect_out 'disableentitlement'
done
check "sb get session param" 0 "$KTESTME" call --url "$SBU" --ks "$KS" session get session="$UKS"
expect_out '<userId>bob</userId>'
check "sb get bad ks" 1 "$KTESTME" call --url "$SBU" --ks "djJ8NDMyMXxub3RhdmFsaWRrcw==" session get
expect_err '^INVALID_KS: .*"-1,INVALID_STR"$'

check "sb multirequest" 1 "$KTESTME" call --url "$SBU" --format json multirequest \
	1:service=session 1:action=start 1:partnerId=4321 1:secret=$SB_ADMIN 1:type=2 1:userId=carol \
	2:service=session 2:action=get '2:ks={1:result}' 3:service=session 3:action=get
expect_out '"userId": "carol"'
expect_err "item 3: MISSING_KS"
check "sb multirequest xml" 0 "$KTESTME" call --url "$SBU" multirequest \
	1:service=session 1:action=startWidgetSession 1:widgetId=_4321 \
	2:service=session 2:action=get '2:ks={1:result:ks}'
expect_out '<item>'
expect_out 'view:\*,widget:1'

check "sb end" 0 "$KTESTME" call --url "$SBU" --ks "$KS" session end
for fmt in xml json; do
	check "sb after end $fmt" 1 "$KTESTME" call --url "$SBU" --format $fmt --ks "$KS" session get
	expect_err '^INVALID_KS: Invalid KS "LOGOUT", Error "-1,INVALID_STR"$'
done
check "sb other ks still valid" 0 "$KTESTME" call --url "$SBU" --ks "$UKS" session get

sandbox_down sandbox
