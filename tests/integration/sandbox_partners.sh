# The sandbox's partner service and its second demo partner, driven by `ktestme call`: the
# Developer Portal's sign-in (user.loginByLoginId, partner.listPartnersForUser,
# partner.getSecrets, session.start on the partner picked). Sourced by run.sh.

sandbox_up partners --partner-id 500 --admin-password Demo-password-1
SPU=$SANDBOX_URL
# the rest of what it printed, through the fifo sandbox_up reads its first line from
current="partners: the sandbox names its second partner"
sp_seen=""
while read -r -t 5 sp_line <&"${sandbox_fd[partners]}"; do
	case "$sp_line" in *"A second partner, 501"*) sp_seen=1 ;; esac
	[ "$sp_line" = "Ctrl-C stops it." ] && break
done
[ -n "$sp_seen" ] && pass || fail "no line names partner 501"

SP_KS=$("$KTESTME" call --url "$SPU" --format json user loginByLoginId loginId=admin@example.com \
	password=Demo-password-1 2>/dev/null | tr -d '"')
check "partners list for user" 0 "$KTESTME" call --url "$SPU" --ks "$SP_KS" partner listPartnersForUser
expect_out '<totalCount>2</totalCount>'
expect_out '<id>500</id>'
expect_out '<id>501</id>'
expect_out '<name>Second demo partner</name>'
expect_no_out '<adminSecret>[0-9a-f]'
check "partners get secrets" 0 "$KTESTME" call --url "$SPU" --format json partner getSecrets \
	partnerId=501 adminEmail=admin@example.com cmsPassword=Demo-password-1
SP_SECRET=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["adminSecret"])' "$OUT")
check "partners get secrets wrong password" 1 "$KTESTME" call --url "$SPU" partner getSecrets \
	partnerId=501 adminEmail=admin@example.com cmsPassword=wrong
expect_err '^USER_DATA_ERROR: User data is not valid\.$'
check "partners start on the second" 0 "$KTESTME" call --url "$SPU" --format json session start \
	secret="$SP_SECRET" partnerId=501 type=2
SP_KS2=$(tr -d '"' <"$OUT")
check "partners second ks decodes" 0 "$KTESTME" ks decode --secret "$SP_SECRET" "$SP_KS2"
expect_out '^partner_id: 501$'
expect_out '^signature: valid$'
check "partners get info on the second" 0 "$KTESTME" call --url "$SPU" --ks "$SP_KS2" partner getInfo
expect_out '<id>501</id>'
expect_out "<adminSecret>$SP_SECRET</adminSecret>"
check "partners second sees its own data" 0 "$KTESTME" call --url "$SPU" --ks "$SP_KS2" --format json \
	category get id=1
expect_out '"partnerId": 501'
check "partners second widget" 0 "$KTESTME" call --url "$SPU" session startWidgetSession widgetId=_501
expect_out '<partnerId>501</partnerId>'
check "partners first secret does not open the second" 1 "$KTESTME" call --url "$SPU" session start \
	secret=nope partnerId=501 type=2
expect_err '^START_SESSION_ERROR'
sandbox_down partners

# the same sign-in from the command line: ktestme login --partners, then --partner-id
sandbox_up partners2 --partner-id 700 --admin-password Demo-password-1
check "partners login lists" 0 env KALTURA_PASSWORD=Demo-password-1 "$KTESTME" login --url "$SANDBOX_URL" \
	--login-id admin@example.com --partners
expect_out "^700	Demo partner$"
expect_out "^701	Second demo partner$"
check_stdin "partners login password stdin" 0 "Demo-password-1" "$KTESTME" login --url "$SANDBOX_URL" \
	--login-id admin@example.com --password - --partner-id 701
SP_KS3=$(sed -n 1p "$OUT")
check "partners login on the second" 0 "$KTESTME" call --url "$SANDBOX_URL" --ks "$SP_KS3" session get
expect_out '<partnerId>701</partnerId>'
expect_out '<sessionType>2</sessionType>'
check "partners login no password" 64 env -u KALTURA_PASSWORD "$KTESTME" login --url "$SANDBOX_URL" \
	--login-id admin@example.com --partners
expect_err 'needs its password'
expect_one_err_line
check "partners login wrong password" 1 env KALTURA_PASSWORD=nope "$KTESTME" login --url "$SANDBOX_URL" \
	--login-id admin@example.com --partners
expect_err '^USER_WRONG_PASSWORD'
check "partners login bad partner" 64 "$KTESTME" login --partner-id x
expect_one_err_line
sandbox_down partners2
