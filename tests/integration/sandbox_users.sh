# The sandbox's user and appToken services driven by `ktestme call`: sourced by
# tests/integration/run.sh. Codes and messages are the catalogue's (schemas/kaltura.xml
# <errors>); the token hash is made here with sha256sum (KALTURA.md section 5).

SU_ADMIN=users-admin-secret
SU_USER=users-user-secret

sandbox_up users --partner-id 4321 --admin-secret "$SU_ADMIN" --user-secret "$SU_USER" \
	--admin-password Demo-password-1
SUU=$SANDBOX_URL

su_call() { "$KTESTME" call --url "$SUU" "$@"; }
# one "name": "value" of a JSON result
su_json() { sed -n "s/.*\"$1\": *\"\\{0,1\\}\\([^\",]*\\).*/\\1/p" | head -1; }

for fmt in xml json; do
	check "sbu login $fmt" 0 su_call --format $fmt user loginByLoginId \
		loginId=admin@example.com password=Demo-password-1
	expect_out 'djJ8NDMyMX[w-z]'
	expect_no_out 'Demo-password-1'
	check "sbu wrong password $fmt" 1 su_call --format $fmt user loginByLoginId \
		loginId=admin@example.com password=nope
	expect_err '^USER_WRONG_PASSWORD: Wrong password supplied$'
	expect_one_err_line
	check "sbu unknown login $fmt" 1 su_call --format $fmt user login partnerId=4321 \
		userId=ghost password=x
	expect_err '^USER_NOT_FOUND: User was not found$'
	check "sbu wrong partner $fmt" 1 su_call --format $fmt user login partnerId=1 \
		userId=admin@example.com password=x
	expect_err '^INVALID_PARTNER_ID: Invalid partner id "1"$'
done

SU_LKS=$(su_call --format json user loginByLoginId loginId=admin@example.com \
	password=Demo-password-1 2>/dev/null | tr -d '"')
check "sbu login ks decode" 0 "$KTESTME" ks decode --secret "$SU_ADMIN" "$SU_LKS"
expect_out 'admin@example.com'

SU_AKS=$(su_call --format json session start partnerId=4321 secret=$SU_ADMIN type=2 2>/dev/null | tr -d '"')
check "sbu user list" 0 su_call --ks "$SU_AKS" user list
expect_out '<objectType>KalturaUserListResponse</objectType>'
expect_out '<id>alice</id>'
expect_out '<totalCount>2</totalCount>'
check "sbu user add" 0 su_call --ks "$SU_AKS" user add user:objectType=KalturaUser user:id=dave \
	user:email=dave@example.com user:password=Dave-pass-1
expect_out '<id>dave</id>'
expect_no_out 'Dave-pass-1'
check "sbu user add dup" 1 su_call --ks "$SU_AKS" user add user:objectType=KalturaUser user:id=dave
expect_err '^DUPLICATE_USER_BY_ID: User with id \[dave\] already exists in system$'
check "sbu user login new" 0 su_call user login partnerId=4321 userId=dave password=Dave-pass-1
check "sbu user update" 0 su_call --ks "$SU_AKS" user update userId=dave \
	user:objectType=KalturaUser user:firstName=Dave
expect_out '<firstName>Dave</firstName>'
check "sbu user filter" 0 su_call --format json --ks "$SU_AKS" user list \
	filter:objectType=KalturaUserFilter filter:idEqual=dave
expect_out '"totalCount": 1'
check "sbu user delete" 0 su_call --ks "$SU_AKS" user delete userId=dave
expect_out '<status>2</status>'
check "sbu user get deleted" 1 su_call --ks "$SU_AKS" user get userId=dave
expect_err '^INVALID_USER_ID: Invalid user id$'
check "sbu user add without ks" 1 su_call user add user:objectType=KalturaUser user:id=x
expect_err '^MISSING_KS'

# the seeded token: list it, hash a widget KS with its secret, start a session, delete it
check "sbu token list" 0 su_call --format json --ks "$SU_AKS" appToken list
expect_out '"hashType": "SHA256"'
SU_TID=$(su_json id <"$OUT")
SU_TOK=$(su_json token <"$OUT")
SU_WKS=$(su_call --format json session startWidgetSession widgetId=_4321 2>/dev/null | su_json ks)
SU_HASH=$(printf '%s%s' "$SU_WKS" "$SU_TOK" | sha256sum | cut -c1-64)
check "sbu token start" 0 su_call --format json --ks "$SU_WKS" appToken startSession id="$SU_TID" \
	tokenHash="$SU_HASH"
expect_out "\"privileges\": \"sessionid:$SU_TID,apptoken:$SU_TID\""
SU_TKS=$(su_json ks <"$OUT")
check "sbu token ks works" 0 su_call --ks "$SU_TKS" session get
check "sbu token bad hash" 1 su_call --ks "$SU_WKS" appToken startSession id="$SU_TID" tokenHash=00
expect_err '^INVALID_APP_TOKEN_HASH: Invalid application token hash$'
check "sbu token unknown" 1 su_call --ks "$SU_WKS" appToken startSession id=0_zz tokenHash=00
expect_err '^APP_TOKEN_ID_NOT_FOUND: Application token id "0_zz" not found$'
check "sbu token delete" 0 su_call --ks "$SU_AKS" appToken delete id="$SU_TID"
check "sbu token ks revoked" 1 su_call --ks "$SU_TKS" session get
expect_err '^INVALID_KS: Invalid KS "LOGOUT", Error "-1,INVALID_STR"$'
check "sbu token gone" 1 su_call --ks "$SU_AKS" appToken get id="$SU_TID"
expect_err '^APP_TOKEN_ID_NOT_FOUND'
check "sbu token add" 0 su_call --ks "$SU_AKS" appToken add appToken:objectType=KalturaAppToken \
	appToken:hashType=SHA512
expect_out '<hashType>SHA512</hashType>'
expect_out '<token>[0-9a-f]{32}</token>'
check "sbu token add bad enum" 1 su_call --ks "$SU_AKS" appToken add \
	appToken:objectType=KalturaAppToken appToken:hashType=CRC32
expect_err '^INVALID_ENUM_VALUE'

sandbox_down users
