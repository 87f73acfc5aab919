# `ktestme schema update`: download, check, cache per host, prefer the cached schema.
[ -n "${FIXTURE_URL:-}" ] || { echo "schema_update.sh: no fixture server"; failed=$((failed + 1)); return; }
F=$FIXTURE_URL
hostfile=$XDG_CACHE_HOME/ktestme/schemas/127.0.0.1_${F##*:}.xml

check "shipped schema by default" 0 "$KTESTME" schema stats
shipped_services=$(sed -n 's/^services: //p' "$OUT")
expect_no_err 'cached'
check "update needs an endpoint" 64 "$KTESTME" schema update
expect_one_err_line
check "update rejects --schema" 64 "$KTESTME" schema update --schema x --url "$F"
check "update: html page" 2 "$KTESTME" schema update --url "$F/html"
expect_err 'HTTP 502'
expect_one_err_line
current="no cache after a failed download"; [ ! -e "$hostfile" ] && pass || fail "cache written"
check "update: closed port" 2 "$KTESTME" schema update --url "http://127.0.0.1:$(closed_port)"
check "update" 0 "$KTESTME" schema update --url "$F"
expect_out "^schema of $F: [0-9]+ services"
expect_out "stored in .*127\.0\.0\.1_${F##*:}\.xml"
current="cache file mode 0600"
[ "$(stat -c %a "$hostfile" 2>/dev/null)" = 600 ] && pass || fail "mode $(stat -c %a "$hostfile" 2>/dev/null)"
current="cache holds what was served"
cmp -s "$hostfile" "$TESTDATA/schema-small.xml" && pass || fail "cache differs from the served schema"
check "cached schema preferred for that endpoint" 0 "$KTESTME" schema stats --url "$F"
expect_err "using the schema cached for $F"
cached_services=$(sed -n 's/^services: //p' "$OUT")
current="cached schema is a different file"
[ "$cached_services" != "$shipped_services" ] && pass || fail "same counts as shipped"
check "env endpoint picks the cache too" 0 env KALTURA_SERVICE_URL="$F" "$KTESTME" schema stats
expect_err 'using the schema cached'
check "other endpoints keep the shipped schema" 0 "$KTESTME" schema stats --region eu
expect_no_err 'cached'
cp "$hostfile" "$SCRATCH/before.xml"
for bad in truncated empty html; do
	check "update: $bad leaves the cache" "$([ $bad = html ] && echo 2 || echo 4)" "$KTESTME" schema update --url "$F/$bad"
	expect_err 'unchanged|HTTP'
	expect_one_err_line
	current="cache intact after $bad"
	cmp -s "$hostfile" "$SCRATCH/before.xml" && pass || fail "cache changed"
done
current="no temp files left in the cache"
[ "$(ls -A "$(dirname "$hostfile")" | wc -l)" = 1 ] && pass || fail "$(ls -A "$(dirname "$hostfile")")"
check "update: unknown region" 64 "$KTESTME" schema update --region mars
check "KTESTME_SCHEMA beats the cache" 0 env KTESTME_SCHEMA="$root/schemas/kaltura.xml" "$KTESTME" schema stats --url "$F"
expect_no_err 'cached'
expect_out "^services: $shipped_services$"
