# Interop: Kaltura's official PHP client (its default format 3, and 1) and Python client (XML),
# from ../shared/clients, against the sandbox; then the examples `ktestme code php|python`
# prints, run unchanged with those clients. Skips, saying so, only when a client or its
# interpreter's modules are missing (make deps installs them).
ic_clients=$root/../shared/clients
ic_py=/usr/bin/python3
[ -x "$ic_py" ] || ic_py=python3
ic_php_ok=false ic_py_ok=false
if [ -f "$ic_clients/php/KalturaClient.php" ] && command -v php >/dev/null &&
	php -m 2>/dev/null | grep -qx curl && php -m 2>/dev/null | grep -qx SimpleXML; then
	ic_php_ok=true
else
	echo "interop_clients.sh: SKIPPED PHP: php, php-curl, php-xml or ../shared/clients/php missing"
fi
if [ -d "$ic_clients/python/KalturaClient" ] &&
	"$ic_py" -c 'import requests, requests_toolbelt, six, lxml' 2>/dev/null; then
	ic_py_ok=true
else
	echo "interop_clients.sh: SKIPPED Python: python3-requests, -requests-toolbelt, -six, -lxml or ../shared/clients/python missing"
fi

if $ic_php_ok || $ic_py_ok; then
	ic_pw=Interop-pass-1
	sandbox_up clients --partner-id 4321 --admin-secret interop-admin-secret \
		--user-secret interop-user-secret --admin-password "$ic_pw"
	ic_url=$SANDBOX_URL
	ic_env=(SANDBOX_URL="$ic_url" PARTNER_ID=4321 ADMIN_SECRET=interop-admin-secret
		ADMIN_PASSWORD="$ic_pw" PHP_CLIENT="$ic_clients/php"
		PYTHON_CLIENT="$ic_clients/python")
	# ic_run LABEL STEPS CMD...: every "ok"/"not ok" line of CMD is a test; all STEPS must run
	ic_run() {
		local label=$1 steps=$2
		shift 2
		env "${ic_env[@]}" timeout 120 "$@" >"$OUT" 2>"$ERR" </dev/null
		local rc=$? status rest
		while read -r status rest; do
			case $status in
			ok) current="$label: $rest"; pass ;;
			not) current="$label: ${rest#ok }"; fail "" ;;
			esac
		done <"$OUT"
		current="$label: all $steps steps ran"
		if [ "$(grep -c '^ok ' "$OUT")" = "$steps" ] && [ "$rc" = 0 ]; then pass; else
			fail "$(grep -c '^ok ' "$OUT") steps passed of $steps, exit $rc"; fi
	}
	ic_ks=$("$KTESTME" call --url "$ic_url" --format json session start partnerId=4321 \
		secret=interop-admin-secret type=2 userId=coder privileges=disableentitlement 2>/dev/null |
		tr -d '"')
	# ic_same_id LANG RE: the last output shows one entry id twice (media.add's, and
	# media.get's of {1:result:id}) and its name
	ic_same_id() {
		current="$1 example: the second item read the first one's entry"
		local ids
		ids=$(grep -oE -- "$2" "$OUT" | grep -oE '[0-9]_[a-z0-9]+' | sort | uniq -c |
			awk '$1 == 2')
		[ -n "$ids" ] && grep -q 'Interop-MR' "$OUT" && pass || fail "ids: $(grep -oE -- "$2" "$OUT")"
	}
	ic_code_dir=$SCRATCH/interop-code
	mkdir -p "$ic_code_dir"
fi

if $ic_php_ok; then
	ic_run "php (format 3, its default)" 14 php "$root/tests/interop/interop.php"
	ic_run "php (format 1)" 14 env KALTURA_FORMAT=1 php "$root/tests/interop/interop.php"

	"$KTESTME" code php --url "$ic_url" session start secret=x partnerId=4321 type=2 \
		userId=coder >"$ic_code_dir/start.php" 2>"$ERR"
	check "php example: session.start runs" 0 env KALTURA_ADMIN_SECRET=interop-admin-secret \
		php -d include_path="$ic_clients/php" "$ic_code_dir/start.php"
	expect_out '^djJ8NDMyMX'
	"$KTESTME" code php --url "$ic_url" category list filter:objectType=KalturaCategoryFilter \
		filter:fullNameEqual=Demo >"$ic_code_dir/list.php" 2>"$ERR"
	check "php example: category.list prints the fields" 0 env KALTURA_KS="$ic_ks" \
		php -d include_path="$ic_clients/php" "$ic_code_dir/list.php"
	expect_out '\[totalCount\] => 1'
	expect_out '\[fullName\] => Demo$'
	expect_out 'KalturaCategory Object'
fi

if $ic_py_ok; then
	ic_run "python (XML, its default)" 14 "$ic_py" "$root/tests/interop/interop.py"

	"$KTESTME" code python --url "$ic_url" session start secret=x partnerId=4321 type=2 \
		userId=coder >"$ic_code_dir/start.py" 2>"$ERR"
	check "python example: session.start runs" 0 env KALTURA_ADMIN_SECRET=interop-admin-secret \
		PYTHONPATH="$ic_clients/python" timeout 120 "$ic_py" "$ic_code_dir/start.py"
	expect_out '^djJ8NDMyMX'
	"$KTESTME" code python --url "$ic_url" category list filter:objectType=KalturaCategoryFilter \
		filter:fullNameEqual=Demo >"$ic_code_dir/list.py" 2>"$ERR"
	check "python example: category.list prints the fields" 0 env KALTURA_KS="$ic_ks" \
		PYTHONPATH="$ic_clients/python" timeout 120 "$ic_py" "$ic_code_dir/list.py"
	expect_out '^KalturaCategoryListResponse$'
	expect_out '^  totalCount: 1$'
	expect_out '^        fullName: Demo$'
	expect_no_out 'object at 0x'

	"$KTESTME" code python --url "$ic_url" --ks x multirequest 1:service=media 1:action=add \
		1:entry:objectType=KalturaMediaEntry 1:entry:name=Interop-MR 1:entry:mediaType=1 \
		2:service=media 2:action=get '2:entryId={1:result:id}' >"$ic_code_dir/multi.py" 2>"$ERR"
	check "python example: a multirequest with a reference runs" 0 env KALTURA_KS="$ic_ks" \
		PYTHONPATH="$ic_clients/python" timeout 120 "$ic_py" "$ic_code_dir/multi.py"
	expect_out '^\[1\]$'
	ic_same_id "python" '^    id: [0-9]_[a-z0-9]+$'
	"$KTESTME" code python --url "$ic_url" multirequest 1:service=session 1:action=start \
		1:partnerId=4321 1:type=2 2:service=category 2:action=get 2:id=1 '2:ks={1:result}' \
		>"$ic_code_dir/multi-ks.py" 2>/dev/null
	check "python example: a multirequest item takes the KS of the item before" 0 \
		env KALTURA_ADMIN_SECRET=interop-admin-secret PYTHONPATH="$ic_clients/python" \
		timeout 120 "$ic_py" "$ic_code_dir/multi-ks.py"
	expect_out '^    fullName: Demo$'
	expect_out '^  djJ8NDMyMX'
fi

# after the clients' own runs, which count the media entries
if $ic_php_ok; then
	# multirequests: a {1:result:id} reference, and an item's own KS from a session.start
	"$KTESTME" code php --url "$ic_url" --ks x multirequest 1:service=media 1:action=add \
		1:entry:objectType=KalturaMediaEntry 1:entry:name=Interop-MR 1:entry:mediaType=1 \
		2:service=media 2:action=get '2:entryId={1:result:id}' >"$ic_code_dir/multi.php" 2>"$ERR"
	check "php example: a multirequest with a reference runs" 0 env KALTURA_KS="$ic_ks" \
		php -d include_path="$ic_clients/php" "$ic_code_dir/multi.php"
	expect_out 'startMultiRequest|^Array'
	ic_same_id "php" '\[id\] => [0-9]_[a-z0-9]+'
	"$KTESTME" code php --url "$ic_url" multirequest 1:service=session 1:action=start \
		1:partnerId=4321 1:type=2 2:service=category 2:action=get 2:id=1 '2:ks={1:result}' \
		>"$ic_code_dir/multi-ks.php" 2>/dev/null
	check "php example: a multirequest item takes the KS of the item before" 0 \
		env KALTURA_ADMIN_SECRET=interop-admin-secret \
		php -d include_path="$ic_clients/php" "$ic_code_dir/multi-ks.php"
	expect_out '^ +\[fullName\] => Demo$'
	expect_out '^ +\[0\] => djJ8NDMyMX'
fi

if $ic_php_ok || $ic_py_ok; then
	sandbox_down clients
fi
