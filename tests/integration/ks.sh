# `ktestme ks`: sourced by tests/integration/run.sh, which provides check, expect_out,
# expect_err and $KTESTME. Reference KSs are rows of tests/data/ks-vectors.tsv (accepted by the
# Kaltura server); the app-token digests are the FIPS 180 / RFC 1321 ones for "abc".

# Runs the binary directly, for a KS that a later check consumes.
ks_run() { # the warning about --secret on the command line is hardening.sh's to check
	env -u KALTURA_ADMIN_SECRET -u KALTURA_PARTNER_ID "$KTESTME" "$@" 2> >(grep -vE "$WARNING_RE" >&2)
}

NOENV="env -u KALTURA_ADMIN_SECRET -u KALTURA_PARTNER_ID"

# Two vector rows: v2 (2500001, all:*,disableentitlement) and v1 (1234, actionslimit:10).
KS_V2_SECRET=3f2a9c0e51b34d7f8a6e2c1b0d9f4e7a
KS_V2=djJ8MjUwMDAwMXw2YMvl5QN-YRGAwPekMgq7NuIkyHyNvOFyGfRpdsu3Cj-BZMWewHRi3EQ0rujretL9EmkVwAjo0y8XQNul_5NBdVi5Jh0x3mEL4C20ypx8c24Jy6ohegJKe2xJ9RXzc_g3Kg-iTdTDnEJ2D9xlxNqdx8KmaXbzs1TtyHsFwRI4zA==
KS_V1_SECRET=abcdef0123456789abcdef0123456789
KS_V1=ZGFkZDk5ZTgxYjNhN2IxOTQ0MmZjODc1NDQ2NGFhZWQyNDZiMmM5M3wxMjM0OzEyMzQ7MjAwMDAwMDAwMDsyOzE3MjI5MDYwODEuMzA2NjthZG1pbjthY3Rpb25zbGltaXQ6MTA7Ow==
# v1, expired (valid_until 1700000000)
KS_V1_OLD=ZWM3ZjIyYTJmZjg5MDcyMjc5NWM5YzMwOWFlZDk4ZTZhZmY3OGUxNHwxMjM0OzEyMzQ7MTcwMDAwMDAwMDsyOzE3MDQ0MjcwMTAuMzk4OTt1c2VyQGV4YW1wbGUuY29tO2Rpc2FibGVlbnRpdGxlbWVudDs7

# ---- help and dispatch ----
check ks-help 0 $KTESTME ks --help
expect_out '^Usage: ktestme ks SUBCOMMAND'
expect_out 'apptoken-hash'
for sub in gen decode renew apptoken-hash; do
	check "ks-$sub-help" 0 $KTESTME ks $sub --help
	expect_out "^Usage: ktestme ks $sub"
done
check ks-no-subcommand 64 $KTESTME ks
expect_err '^ktestme ks: .*subcommand'
expect_one_err_line
check ks-unknown-subcommand 64 $KTESTME ks frobnicate
expect_err "^ktestme ks: unknown subcommand 'frobnicate'"
expect_one_err_line
check ks-unknown-option 64 $KTESTME ks --frobnicate
expect_err '^ktestme ks: unknown option'
expect_one_err_line

# ---- gen: the reference vectors, byte for byte ----
check ks-gen-v2-vector 0 $NOENV $KTESTME ks gen --partner-id 2500001 --secret $KS_V2_SECRET \
	--user 'ünïcødé' --type admin --privileges 'all:*,disableentitlement' \
	--valid-until 1800000000 --rand d96fe62aada4d044eab9bcd408cc6cde
expect_out "^${KS_V2}\$"
check ks-gen-v1-vector 0 $NOENV $KTESTME ks gen --v1 --partner-id 1234 --secret $KS_V1_SECRET \
	--user admin --type 2 --privileges actionslimit:10 --valid-until 2000000000 \
	--rand 1722906081.3066
expect_out "^${KS_V1}\$"
check ks-gen-prints-one-line 0 bash -c '"$0" ks gen --partner-id 1 --secret s | wc -l | grep -qx 1' \
	"$KTESTME"

# ---- gen -> decode round trip ----
KS_NEW=$(ks_run ks gen --partner-id 4321 --secret 'p@ss w0rd' --user bob --type admin \
	--privileges 'disableentitlement,privacycontext:MyCtx' --expiry 3600)
check ks-roundtrip-v2 0 $NOENV $KTESTME ks decode --secret 'p@ss w0rd' "$KS_NEW"
expect_out '^version: 2$'
expect_out '^partner_id: 4321$'
expect_out '^valid_until: [0-9]+ \([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC, expires in (59 minutes|1 hour)'
expect_out '^type: 2 \(ADMIN\)$'
expect_out '^user: bob$'
expect_out '^privileges: disableentitlement,privacycontext:MyCtx$'
expect_out '^rand: [0-9a-f]{32}$'
expect_out '^signature: valid$'

KS_NEW1=$(ks_run ks gen --v1 --partner-id 99 --secret s3cr3t --user alice)
check ks-roundtrip-v1 0 $NOENV $KTESTME ks decode --secret s3cr3t "$KS_NEW1"
expect_out '^version: 1$'
expect_out '^type: 0 \(USER\)$'
expect_out '^user: alice$'
expect_out '^rand: [0-9]{10}(\.[0-9]{1,4})?$'
expect_out 'expires in (23 hours|1 day)'
expect_out '^signature: valid$'

# ---- decode: the vectors, unchecked, wrong secrets, not a KS ----
check ks-decode-vector 0 $NOENV $KTESTME ks decode --secret $KS_V2_SECRET $KS_V2
expect_out '^valid_until: 1800000000 \(2027-01-15 08:00:00 UTC, expires in '
expect_out '^user: ünïcødé$'
expect_out '^privileges: all:\*,disableentitlement$'
expect_out '^rand: d96fe62aada4d044eab9bcd408cc6cde$'
expect_out '^signature: valid$'
check ks-decode-v2-without-secret 0 $NOENV $KTESTME ks decode $KS_V2
expect_out '^version: 2$'
expect_out '^partner_id: 2500001$'
expect_out '^signature: unchecked$'
expect_out 'admin secret.*(--secret|KALTURA_ADMIN_SECRET)'
check ks-decode-v1-without-secret 0 $NOENV $KTESTME ks decode $KS_V1
expect_out '^privileges: actionslimit:10$'
expect_out '^signature: unchecked$'
check ks-decode-v2-wrong-secret 3 $NOENV $KTESTME ks decode --secret nope $KS_V2
expect_out '^signature: INVALID$'
expect_err '^ktestme: KS signature does not match the secret$'
expect_one_err_line
check ks-decode-v1-wrong-secret 3 $NOENV $KTESTME ks decode --secret nope $KS_V1
expect_out '^user: admin$'
expect_out '^signature: INVALID$'
expect_err 'KS signature does not match the secret'
expect_one_err_line
check ks-decode-expired 0 $NOENV $KTESTME ks decode --secret $KS_V1_SECRET $KS_V1_OLD
expect_out '^valid_until: 1700000000 \(2023-11-14 22:13:20 UTC, expired [0-9]+ days( [0-9]+ hours?)? ago\)$'
expect_out '^signature: valid$'
check ks-decode-garbage 7 $NOENV $KTESTME ks decode 'this is no KS'
expect_err '^ktestme: not a KS: '
expect_one_err_line
check ks-decode-no-bar 7 $NOENV $KTESTME ks decode aGVsbG8gd29ybGQ=
expect_err '^ktestme: not a KS: .*\|'
expect_one_err_line
check ks-decode-empty 7 $NOENV $KTESTME ks decode ''
expect_err '^ktestme: not a KS: '
expect_one_err_line
check ks-decode-truncated 7 $NOENV $KTESTME ks decode "${KS_V1:0:60}"
expect_err '^ktestme: not a KS: '
expect_one_err_line
check ks-decode-v2-truncated 7 $NOENV $KTESTME ks decode "${KS_V2:0:102}"
expect_err 'not a multiple of 16'
expect_one_err_line
check ks-decode-v2-cut-at-block 3 $NOENV $KTESTME ks decode --secret $KS_V2_SECRET "${KS_V2:0:100}"
expect_out '^signature: INVALID$'
check ks-decode-huge 7 bash -c 'head -c 1048576 /dev/zero | tr "\0" A | "$0" ks decode -' "$KTESTME"
expect_err '^ktestme: not a KS: '
expect_one_err_line
check ks-decode-missing-ks 64 $NOENV $KTESTME ks decode
expect_err '^ktestme ks decode: '
expect_one_err_line
check ks-decode-two-args 64 $NOENV $KTESTME ks decode $KS_V1 $KS_V2
expect_err '^ktestme ks decode: unexpected argument'
expect_one_err_line

# ---- decode --explain: the inspector's fields, meanings and warnings ----
check ks-explain-v1 0 env KALTURA_PARTNER_ID=99 $KTESTME ks decode --explain --secret $KS_V1_SECRET "$KS_V1"
expect_out '^Type: ADMIN \(2\)$'
expect_out '^User: admin$'
expect_out '^privilege actionslimit:10: Good for 10 API calls'
expect_out '^warning: An ADMIN KS'
expect_out "^warning: The user id 'admin' looks shared"
expect_out '^warning: No appid:NAME-DOMAIN'
expect_out '^warning: Valid for .* more'
expect_out '^warning: This KS belongs to partner 1234, the session works with partner 99'
check ks-explain-expired 0 $NOENV $KTESTME ks decode --explain "$KS_V1_OLD"
expect_out '^Signature: unchecked'
expect_out '^warning: This KS expired .* ago'
expect_no_out 'belongs to partner'
check ks-explain-v2-no-secret 0 $NOENV $KTESTME ks decode --explain "$KS_V2"
expect_out '^Partner: 2500001$'
expect_out '^warning: A v2 KS is encrypted'
expect_no_out '^Type:'

# ---- stdin and environment ----
check_stdin ks-decode-stdin 0 "$KS_V2
" $NOENV $KTESTME ks decode --secret $KS_V2_SECRET -
expect_out '^signature: valid$'
check ks-decode-stdin-empty 7 $NOENV $KTESTME ks decode -
expect_err 'not a KS'
expect_one_err_line
check ks-decode-env-secret 0 env KALTURA_ADMIN_SECRET=$KS_V2_SECRET $KTESTME ks decode $KS_V2
expect_out '^signature: valid$'
check ks-decode-flag-beats-env 3 env KALTURA_ADMIN_SECRET=$KS_V2_SECRET $KTESTME ks decode \
	--secret nope $KS_V2
KS_ENV=$(env KALTURA_PARTNER_ID=777 KALTURA_ADMIN_SECRET=envsecret "$KTESTME" ks gen --user e)
check ks-gen-env 0 $NOENV $KTESTME ks decode --secret envsecret "$KS_ENV"
expect_out '^partner_id: 777$'
expect_out '^signature: valid$'
KS_ENV=$(env KALTURA_PARTNER_ID=777 KALTURA_ADMIN_SECRET=envsecret "$KTESTME" ks gen \
	--partner-id 888 --secret flagsecret 2> >(grep -vE "$WARNING_RE" >&2))
check ks-gen-flags-beat-env 0 $NOENV $KTESTME ks decode --secret flagsecret "$KS_ENV"
expect_out '^partner_id: 888$'
expect_out '^signature: valid$'

# ---- gen: bad arguments ----
check ks-gen-partner-not-numeric 64 $NOENV $KTESTME ks gen --partner-id 12x --secret s
expect_err '^ktestme ks gen: .*partner id'
expect_one_err_line
check ks-gen-partner-negative 64 $NOENV $KTESTME ks gen --partner-id -5 --secret s
expect_err '^ktestme ks gen: .*partner id'
expect_one_err_line
check ks-gen-partner-env-bad 64 env -u KALTURA_ADMIN_SECRET KALTURA_PARTNER_ID=abc $KTESTME ks gen \
	--secret s
expect_err '^ktestme ks gen: .*KALTURA_PARTNER_ID'
expect_one_err_line
check ks-gen-partner-missing 64 $NOENV $KTESTME ks gen --secret s
expect_err '^ktestme ks gen: .*partner id'
expect_one_err_line
check ks-gen-secret-missing 64 $NOENV $KTESTME ks gen --partner-id 1
expect_err '^ktestme ks gen: .*secret'
expect_one_err_line
check ks-gen-bad-type 64 $NOENV $KTESTME ks gen --partner-id 1 --secret s --type root
expect_err '^ktestme ks gen: .*type'
expect_one_err_line
check ks-gen-type-1 64 $NOENV $KTESTME ks gen --partner-id 1 --secret s --type 1
expect_err '^ktestme ks gen: .*type'
expect_one_err_line
check ks-gen-bad-expiry 64 $NOENV $KTESTME ks gen --partner-id 1 --secret s --expiry soon
expect_err '^ktestme ks gen: .*expiry'
expect_one_err_line
check ks-gen-zero-expiry 64 $NOENV $KTESTME ks gen --partner-id 1 --secret s --expiry 0
expect_err '^ktestme ks gen: .*expiry'
expect_one_err_line
check ks-gen-expiry-and-valid-until 64 $NOENV $KTESTME ks gen --partner-id 1 --secret s \
	--expiry 60 --valid-until 2000000000
expect_err '^ktestme ks gen: .*exclude'
expect_one_err_line
check ks-gen-bad-valid-until 64 $NOENV $KTESTME ks gen --partner-id 1 --secret s --valid-until x
expect_err '^ktestme ks gen: .*valid-until'
expect_one_err_line
check ks-gen-bad-rand-v2 64 $NOENV $KTESTME ks gen --partner-id 1 --secret s --rand 1234
expect_err '^ktestme ks gen: .*32 hex'
expect_one_err_line
check ks-gen-bad-rand-v1 64 $NOENV $KTESTME ks gen --v1 --partner-id 1 --secret s --rand 'a;b'
expect_err '^ktestme ks gen: .*;'
expect_one_err_line
check ks-gen-v1-user-semicolon 64 $NOENV $KTESTME ks gen --v1 --partner-id 1 --secret s --user 'a;b'
expect_err '^ktestme ks gen: '
expect_one_err_line
check ks-gen-v1-and-v2 64 $NOENV $KTESTME ks gen --v1 --v2 --partner-id 1 --secret s
expect_err '^ktestme ks gen: '
expect_one_err_line
check ks-gen-unknown-option 64 $NOENV $KTESTME ks gen --partner-id 1 --secret s --color
expect_err "^ktestme ks gen: unknown option '--color'"
expect_one_err_line
check ks-gen-missing-value 64 $NOENV $KTESTME ks gen --partner-id 1 --secret
expect_err "^ktestme ks gen: option '--secret' needs a value"
expect_one_err_line
check ks-gen-stray-argument 64 $NOENV $KTESTME ks gen --partner-id 1 --secret s extra
expect_err '^ktestme ks gen: unexpected argument'
expect_one_err_line

# ---- renew ----
KS_RENEWED=$(ks_run ks renew --secret $KS_V2_SECRET --expiry 120 $KS_V2)
check ks-renew-v2 0 $NOENV $KTESTME ks decode --secret $KS_V2_SECRET "$KS_RENEWED"
expect_out '^partner_id: 2500001$'
expect_out '^type: 2 \(ADMIN\)$'
expect_out '^user: ünïcødé$'
expect_out '^privileges: all:\*,disableentitlement$'
expect_out 'expires in (2 minutes|1 minute [0-9]+ seconds)'
expect_out '^signature: valid$'
check ks-renew-v2-fresh-rand 0 bash -c 'out=$("$0" ks decode --secret "$2" "$1") &&
	grep -q "^signature: valid$" <<<"$out" && ! grep -q d96fe62aada4d044eab9bcd408cc6cde <<<"$out"' \
	"$KTESTME" "$KS_RENEWED" "$KS_V2_SECRET"
check_stdin ks-renew-v1-stdin-runs 0 "$KS_V1_OLD" $NOENV $KTESTME ks renew --secret $KS_V1_SECRET -
KS_RENEWED=$(printf '%s\n' "$KS_V1_OLD" | ks_run ks renew --secret $KS_V1_SECRET -)
check ks-renew-v1-stdin 0 $NOENV $KTESTME ks decode --secret $KS_V1_SECRET "$KS_RENEWED"
expect_out '^version: 1$'
expect_out '^user: user@example.com$'
expect_out '^rand: 1704427010.3989$'
expect_out 'expires in (23 hours|1 day)'
expect_out '^signature: valid$'
check ks-renew-env-secret 0 env KALTURA_ADMIN_SECRET=$KS_V1_SECRET $KTESTME ks renew $KS_V1
expect_out '^[A-Za-z0-9+/]+=*$'
check ks-renew-wrong-secret 3 $NOENV $KTESTME ks renew --secret nope $KS_V2
expect_err '^ktestme: KS signature does not match the secret$'
expect_one_err_line
check ks-renew-garbage 7 $NOENV $KTESTME ks renew --secret s 'garbage!'
expect_err '^ktestme: not a KS: '
expect_one_err_line
check ks-renew-no-secret 64 $NOENV $KTESTME ks renew $KS_V2
expect_err '^ktestme ks renew: .*secret'
expect_one_err_line
check ks-renew-bad-expiry 64 $NOENV $KTESTME ks renew --secret s --expiry -3 $KS_V2
expect_err '^ktestme ks renew: .*expiry'
expect_one_err_line
check ks-renew-missing-ks 64 $NOENV $KTESTME ks renew --secret s
expect_err '^ktestme ks renew: '
expect_one_err_line

# ---- apptoken-hash: "ab" + "c" ----
check ks-apptoken-sha1 0 $KTESTME ks apptoken-hash --hash-type sha1 --ks ab --token c
expect_out '^a9993e364706816aba3e25717850c26c9cd0d89d$'
check ks-apptoken-md5 0 $KTESTME ks apptoken-hash --hash-type MD5 --ks ab --token c
expect_out '^900150983cd24fb0d6963f7d28e17f72$'
check ks-apptoken-sha256 0 $KTESTME ks apptoken-hash --hash-type sha256 --ks ab --token c
expect_out '^ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad$'
check ks-apptoken-sha512 0 $KTESTME ks apptoken-hash --hash-type sha512 --ks ab --token c
expect_out '^ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f$'
check_stdin ks-apptoken-stdin 0 "ab" $KTESTME ks apptoken-hash --hash-type sha1 --ks - --token c
expect_out '^a9993e364706816aba3e25717850c26c9cd0d89d$'
check ks-apptoken-unknown-type 64 $KTESTME ks apptoken-hash --hash-type sha3 --ks ab --token c
expect_err '^ktestme ks apptoken-hash: .*sha3'
expect_one_err_line
check ks-apptoken-missing-token 64 $KTESTME ks apptoken-hash --hash-type sha1 --ks ab
expect_err '^ktestme ks apptoken-hash: .*--token'
expect_one_err_line
