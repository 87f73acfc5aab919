# Profiles ($XDG_CONFIG_HOME/ktestme/config), --profile for every command, and `ktestme login`,
# against the sandbox: sourced by tests/integration/run.sh (check, expect_out, expect_err,
# $KTESTME, $SCRATCH, sandbox_up).

PF_DIR=$XDG_CONFIG_HOME/ktestme
PF=$PF_DIR/config
PF_ADMIN=profile-admin-secret-0123456789
PF_USER=profile-user-secret-0123456789
mkdir -p "$PF_DIR"

sandbox_up profile --partner-id 2468 --admin-secret "$PF_ADMIN" --user-secret "$PF_USER" \
	--admin-password Demo-password-1
PFU=$SANDBOX_URL

printf '%s\n' "$PF_ADMIN" >"$SCRATCH/admin.secret"
chmod 600 "$SCRATCH/admin.secret"
# a helper the command source runs without a shell (its argument has a blank in it)
cat >"$SCRATCH/secret-helper" <<EOF
#!/bin/sh
[ "\$1" = "kaltura/admin key" ] || exit 3
echo "$PF_ADMIN"
echo "second line, not the secret"
EOF
chmod 700 "$SCRATCH/secret-helper"

cat >"$PF" <<EOF
# ktestme profiles for the tests
profile = fromenv

[profile fromenv]
url = $PFU
partner_id = 2468
user_id = alice@example.com
privileges = appid:tests-example.com
admin_secret_env = PF_TEST_SECRET

[profile fromcmd]
url = $PFU
partner_id = 2468
type = admin
expiry = 600
admin_secret_command = $SCRATCH/secret-helper 'kaltura/admin key'

[profile fromfile]
url = $PFU
partner_id = 2468
admin_secret_file = $SCRATCH/admin.secret

[profile useronly]
url = $PFU
partner_id = 2468
user_secret_env = PF_TEST_USER

[profile portal]
url = $PFU
login_id = admin@example.com
password_env = PF_TEST_PASSWORD

[profile broken]
url = $PFU
partner_id = 2468
admin_secret_command = false

[profile bare]
url = $PFU
partner_id = 2468

[profile elsewhere]
region = eu
partner_id = 2468
admin_secret_env = PF_TEST_SECRET
EOF
chmod 600 "$PF"

# ---- login: each secret source ----
check "profile login env" 0 env PF_TEST_SECRET="$PF_ADMIN" "$KTESTME" login --profile fromenv
expect_out '^djJ8MjQ2OH'   # base64("v2|2468|")
KS_ENV=$(sed -n 1p "$OUT")
check "profile login env ks fields" 0 "$KTESTME" ks decode --secret "$PF_ADMIN" "$KS_ENV"
expect_out '^user: alice@example.com$'
expect_out '^privileges: appid:tests-example.com$'
expect_out '^type: 0 \(USER\)$'
check "profile login env ks works" 0 "$KTESTME" call --url "$PFU" --ks "$KS_ENV" session get
expect_out 'alice@example.com'

check "profile login command" 0 "$KTESTME" login --profile fromcmd
KS_CMD=$(sed -n 1p "$OUT")
check "profile login command ks is admin" 0 "$KTESTME" ks decode --secret "$PF_ADMIN" "$KS_CMD"
expect_out '^type: 2 \(ADMIN\)$'
expect_out 'expires in (9|10) minutes'
check "profile login command ks lists users" 0 "$KTESTME" call --url "$PFU" --ks "$KS_CMD" user list
expect_out 'admin@example.com'

check "profile login file" 0 "$KTESTME" --profile=fromfile login --type admin --user bob
KS_FILE=$(sed -n 1p "$OUT")
check "profile login file ks" 0 "$KTESTME" ks decode --secret "$PF_ADMIN" "$KS_FILE"
expect_out '^user: bob$'
expect_out '^type: 2 \(ADMIN\)$'

check "profile login user secret" 0 env PF_TEST_USER="$PF_USER" "$KTESTME" login --profile useronly
expect_out '^djJ8MjQ2OH'
check "profile login user secret no admin" 64 env PF_TEST_USER="$PF_USER" "$KTESTME" login \
	--profile useronly --type admin
expect_err 'needs the admin secret'
expect_one_err_line

check "profile login by login id" 0 env PF_TEST_PASSWORD=Demo-password-1 "$KTESTME" login --profile portal
expect_out '^djJ8'
check "profile login by login id wrong password" 1 env PF_TEST_PASSWORD=nope "$KTESTME" login --profile portal
expect_err '^USER_WRONG_PASSWORD|^LOGIN_'

check "profile login local" 0 env PF_TEST_SECRET="$PF_ADMIN" "$KTESTME" login --profile fromenv --local \
	--privileges disableentitlement --url http://127.0.0.1:9
KS_LOCAL=$(sed -n 1p "$OUT")
check "profile login local ks works" 0 "$KTESTME" call --url "$PFU" --ks "$KS_LOCAL" session get
expect_out 'disableentitlement'

# ---- the app-token flow: a token made with an ADMIN KS, then login with it ----
"$KTESTME" call --url "$PFU" --ks "$KS_CMD" --format json appToken add \
	appToken:objectType=KalturaAppToken appToken:hashType=SHA512 appToken:sessionUserId=tokenuser \
	>"$SCRATCH/token.json" 2>/dev/null
PF_TOKEN_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$SCRATCH/token.json")
PF_TOKEN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$SCRATCH/token.json")
rm -f "$SCRATCH/token.json"
printf '\n[profile apptoken]\nurl = %s\npartner_id = 2468\napp_token_id = %s\napp_token_hash_type = sha512\napp_token_env = PF_TEST_TOKEN\n' \
	"$PFU" "$PF_TOKEN_ID" >>"$PF"
check "profile login app token" 0 env PF_TEST_TOKEN="$PF_TOKEN" "$KTESTME" login --profile apptoken
KS_TOKEN=$(sed -n 1p "$OUT")
check "profile login app token ks" 0 "$KTESTME" ks decode --secret "$PF_ADMIN" "$KS_TOKEN"
expect_out "^privileges: .*apptoken:$PF_TOKEN_ID"
expect_out '^user: tokenuser$'
check "profile login app token wrong" 1 env PF_TEST_TOKEN=00000000000000000000000000000000 "$KTESTME" \
	login --profile apptoken
expect_err '^INVALID_APP_TOKEN_HASH'
check "profile login app token no token" 66 env -u PF_TEST_TOKEN "$KTESTME" login --profile apptoken
expect_err "PF_TEST_TOKEN .app_token_env. is not set"

# ---- failures: one line each, distinct exit codes ----
check "profile unknown" 64 "$KTESTME" --profile nosuch ks gen
expect_err "no profile 'nosuch'.*fromenv, fromcmd"
expect_one_err_line
check "profile env unset" 66 env -u PF_TEST_SECRET "$KTESTME" login --profile fromenv
expect_err 'PF_TEST_SECRET .* is not set'
expect_one_err_line
check "profile command fails" 66 "$KTESTME" login --profile broken
expect_err "profile broken: admin_secret_command: 'false' exited with status 1"
expect_one_err_line
check "profile no value" 64 "$KTESTME" ks gen --profile
expect_one_err_line
check "profile no credentials" 64 "$KTESTME" login --profile bare
expect_err 'no credentials'
expect_one_err_line
check "profile no credentials local" 64 "$KTESTME" login --profile bare --local
expect_err '--local needs an admin secret'

# the secret stays with the profile's endpoint
check "profile secret stays home" 1 env PF_TEST_SECRET="$PF_ADMIN" "$KTESTME" call --profile elsewhere \
	--url "$PFU" session start type=2
expect_err 'stays with https://api.eu.kaltura.com'
expect_err '^MISSING_MANDATORY_PARAMETER'

# ---- the profile for ks gen / decode / renew and call ----
check "profile ks gen" 0 env PF_TEST_SECRET="$PF_ADMIN" "$KTESTME" ks gen --profile fromenv
KS_GEN=$(sed -n 1p "$OUT")
check "profile ks decode" 0 env PF_TEST_SECRET="$PF_ADMIN" "$KTESTME" --profile fromenv ks decode "$KS_GEN"
expect_out '^partner_id: 2468$'
expect_out '^user: alice@example.com$'
expect_out '^signature: valid$'
check "profile ks renew" 0 "$KTESTME" ks renew --profile fromcmd --expiry 120 "$KS_GEN"
check "profile default source fails" 0 env -u PF_TEST_SECRET "$KTESTME" ks decode "$KS_GEN"
expect_err 'warning: .*PF_TEST_SECRET.*the default profile'
expect_out '^partner_id: 2468$'
check "profile call session start" 0 "$KTESTME" --profile fromfile call session start type=2
expect_out 'djJ8MjQ2OH'
# the default profile fills what the environment lacks; the environment wins over it
check "profile default" 0 env PF_TEST_SECRET="$PF_ADMIN" "$KTESTME" ks gen
check "profile default decodes" 0 env PF_TEST_SECRET="$PF_ADMIN" "$KTESTME" ks decode "$(sed -n 1p "$OUT")"
expect_out '^user: alice@example.com$'
check "profile env beats default" 0 env PF_TEST_SECRET="$PF_ADMIN" KALTURA_PARTNER_ID=77 "$KTESTME" ks gen
check "profile env beats default decodes" 0 "$KTESTME" ks decode "$(sed -n 1p "$OUT")"
expect_out '^partner_id: 77$'
check "profile named beats env" 0 env PF_TEST_SECRET="$PF_ADMIN" KALTURA_PARTNER_ID=77 KTESTME_PROFILE=fromenv \
	"$KTESTME" ks gen
check "profile named beats env decodes" 0 "$KTESTME" ks decode "$(sed -n 1p "$OUT")"
expect_out '^partner_id: 2468$'

# ---- the config file itself ----
cp "$PF" "$SCRATCH/config.good"
printf '[profile x]\nregion = mars\n' >"$PF"
check "profile bad config" 65 "$KTESTME" ks gen --profile x
expect_err "config:2: unknown region 'mars'"
expect_one_err_line
printf 'profile = p\n[profile p]\nurl = %s\npartner_id = 2468\nadmin_secret = %s\n' "$PFU" "$PF_ADMIN" >"$PF"
chmod 644 "$PF"
check "profile readable plaintext warns" 0 "$KTESTME" login --profile p
expect_err 'warning: .*config:5: admin_secret of profile p is a plaintext secret .*chmod 600'
chmod 664 "$PF"
check "profile writable refused" 65 "$KTESTME" login --profile p
expect_err 'may be changed by other users'
rm -f "$PF"
check "profile no config named" 64 "$KTESTME" login --profile p
expect_err "no profile 'p'"
check "profile no home" 0 env -i PATH=/usr/bin:/bin "$KTESTME" ks gen --partner-id 1 --secret x
check "profile no home named" 64 env -i PATH=/usr/bin:/bin "$KTESTME" ks gen --profile p
expect_err "no profile 'p'"
expect_one_err_line
check "profile no config default" 0 env KALTURA_ADMIN_SECRET=x KALTURA_PARTNER_ID=1 "$KTESTME" ks gen
cp "$SCRATCH/config.good" "$PF"
chmod 600 "$PF"

# no secret reached a file the program wrote
current="profile: no secret in any written file"
if grep -rlF -e "$PF_ADMIN" -e "$PF_USER" -e Demo-password-1 -e "$PF_TOKEN" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" \
	"$XDG_DATA_HOME" "$HOME" 2>/dev/null | grep -q .; then
	fail "a secret is in $(grep -rlF -e "$PF_ADMIN" -e "$PF_USER" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$XDG_DATA_HOME" "$HOME" | head -1)"
else
	pass
fi
rm -f "$PF"
sandbox_down profile
