# The profile switcher: C-g lists the profiles of $XDG_CONFIG_HOME/ktestme/config; the one
# picked becomes the endpoint, its partner id and its secret (from an environment variable and
# from a command, run without a shell) fill the forms, and the top bar names the profile. No
# secret reaches any file the console wrote.
pf_port=$(closed_port)
mkdir -p "$SCRATCH/home/.config/ktestme"
printf '#!/bin/sh\necho tui-secret-from-command\n' >"$SCRATCH/home/pf-helper"
chmod 700 "$SCRATCH/home/pf-helper"
cat >"$SCRATCH/home/.config/ktestme/config" <<PFEOF
[profile fromenv]
url = http://127.0.0.1:$pf_port
partner_id = 777
admin_secret_env = PF_TUI_SECRET

[profile fromcmd]
region = eu
partner_id = 888
user_id = alice@example.com
admin_secret_command = $SCRATCH/home/pf-helper
PFEOF
chmod 600 "$SCRATCH/home/.config/ktestme/config"
KTESTME_ENV="PF_TUI_SECRET=tui-secret-from-env" opened
keys C-g
expect "the profiles listed" 'fromenv  http://127\.0\.0\.1:[0-9]+, partner 777'
expect "both" 'fromcmd  https://api\.eu\.kaltura\.com, partner 888'
keys Enter
expect "switched" 'Profile fromenv: http://127\.0\.0\.1'
expect "the top bar names it" 'profile fromenv │ url http://127\.0\.0\.1'
open_action session start
expect "partner prefilled" '\[x\] partnerId \(int\) +777$'
keys F3
expect "the secret from the environment" '\[x\] secret \(string\) +tui-secret-from-env'
keys F3
keys C-g
type_text "fromcmd"
keys Enter
expect "switched again" 'profile fromcmd │ eu'
expect "its partner" '\[x\] partnerId \(int\) +888$'
keys F3
expect "the secret from the command" '\[x\] secret \(string\) +tui-secret-from-command'
expect "its user" '\[x\] userId \(string\) +alice@example\.com'
keys F3 F10
expect "quit" '^EXITED=0$'
current="profiles: no secret in a file the console wrote"
if grep -rlF -e tui-secret-from-env -e tui-secret-from-command "$SCRATCH/home" 2>/dev/null |
	grep -v '/pf-helper$' | grep -q .; then
	fail "a secret is in a file"
else
	pass
fi
KTESTME_ENV=""
