# `ktestme code`: the examples. The curl one is run against the fixture and must send what
# `ktestme call` sends; the others are checked by their own language's parser when it is here.
code_schema=$root/schemas/kaltura.xml
code_dir=$SCRATCH/code
mkdir -p "$code_dir"

check "code --help" 0 "$KTESTME" code --help
expect_out 'Usage: ktestme code curl\|php\|python\|node'
check "code in the command list" 0 "$KTESTME" --help
expect_out '^  code +print a code example'

# Run the curl example: nested objects, a null, an empty array, array items, and values the
# shell and URL encoding could get wrong; the KS and the secret come from the environment.
code_args=(echo params 'filter:objectType=KalturaCategoryFilter' 'filter:nameEqual__null='
	'entries:-=' 'items:0:id=1' 'items:1:id=2'
	"filter:fullNameStartsWith=it's \"q\" \\ a&b=c %41+1 \$HOME \`id\` Démo 日本"
	'nl=line1
line2' 'secret=fixture-secret' '2:ks={1:result}')
if [ -z "${FIXTURE_URL:-}" ]; then
	echo "code.sh: no fixture server; the curl example is not run"
	failed=$((failed + 1))
elif ! command -v curl >/dev/null; then
	skip "code.sh: curl is not installed; the curl example is not run"
else
	check "code curl: echo.params" 0 "$KTESTME" code curl --schema "$code_schema" \
		--url "$FIXTURE_URL" --ks KS-VALUE-1 --partner-id 42 "${code_args[@]}"
	expect_no_out 'KS-VALUE-1'
	expect_no_out 'fixture-secret'
	expect_out '^# Credentials are read from the environment, never written here: KALTURA_KS, KALTURA_ADMIN_SECRET\.$'
	expect_out '"ks=\$KALTURA_KS"'
	expect_out '"secret=\$KALTURA_ADMIN_SECRET"'
	expect_err 'warning: service .echo. is not in the API schema'
	cp "$OUT" "$code_dir/echo.sh"
	check "code curl: bash -n" 0 bash -n "$code_dir/echo.sh"
	check "code curl: the example runs" 0 env KALTURA_KS=KS-VALUE-1 \
		KALTURA_ADMIN_SECRET=fixture-secret bash "$code_dir/echo.sh"
	# one item per line; a newline inside a value reads as '~' in both outputs, and a quote as
	# itself (the pretty printer of `call` writes &quot; as ")
	code_items() { tr '\n' '~' <"$OUT" | grep -o '<item>[^<]*</item>' | sed 's/&quot;/"/g'; }
	code_items >"$code_dir/curl.items"
	check "code curl: the same call" 0 "$KTESTME" call --url "$FIXTURE_URL" --ks KS-VALUE-1 \
		--partner-id 42 "${code_args[@]}"
	code_items >"$code_dir/call.items"
	if [ -s "$code_dir/call.items" ] && cmp -s "$code_dir/curl.items" "$code_dir/call.items"; then
		pass
	else
		fail "the curl example sent other parameters than ktestme call:
$(diff "$code_dir/call.items" "$code_dir/curl.items" | head -10)"
	fi
	# the lines with a quote, a newline and the secret arrived intact
	grep -qF '<item>filter:fullNameStartsWith=it'"'"'s "q" \ a&amp;b=c %41+1 $HOME `id` Démo 日本</item>' \
		"$code_dir/curl.items" && pass || fail "awkward value changed on the way"
	grep -qF '<item>nl=line1~line2</item>' "$code_dir/curl.items" && pass ||
		fail "a value with a newline changed on the way"
	grep -qF '<item>secret=fixture-secret</item>' "$code_dir/curl.items" && pass ||
		fail "secret not read from the environment"
	[ "$(grep -c '^<item>' "$code_dir/curl.items")" -ge 12 ] && pass ||
		fail "fewer items than expected"

	# session.start: the secret comes from KALTURA_ADMIN_SECRET even when not given
	check "code curl: session.start" 0 "$KTESTME" code curl --schema "$code_schema" \
		--url "$FIXTURE_URL" session start partnerId=100 type=2
	cp "$OUT" "$code_dir/start.sh"
	check "code curl: session.start runs" 0 env KALTURA_ADMIN_SECRET=fixture-secret bash "$code_dir/start.sh"
	expect_out '<result>djJ8MTAwfGZpeHR1cmUta3M=</result>'
fi

# The scripts, parsed by their interpreters.
code_list=(category list 'filter:objectType=KalturaCategoryFilter' 'filter:idEqual=5'
	'filter:parentIdEqual__null=' "filter:fullNameStartsWith=O'Brien \"q\" \\ é
x" 'pager:pageSize=10')
code_start=(session start type=2 secret=fixture-secret partnerId=100)
code_clone=(baseEntry clone entryId=0_x 'cloneOptions:0:objectType=KalturaBaseEntryCloneOptionComponent'
	'cloneOptions:0:itemType=1')
code_meta=(metadata list 'filter:objectType=KalturaMetadataFilter' 'filter:metadataObjectTypeEqual=1')
for code_lang in python node php; do
	case $code_lang in
	python) code_ext=py code_tool=python3 ;;
	node) code_ext=js code_tool=node ;;
	php) code_ext=php code_tool=php ;;
	esac
	for code_case in list start clone meta; do
		declare -n code_case_args=code_$code_case
		check "code $code_lang: $code_case" 0 "$KTESTME" code "$code_lang" --schema "$code_schema" \
			--ks KS-VALUE-2 "${code_case_args[@]}"
		expect_no_out 'KS-VALUE-2|fixture-secret'
		cp "$OUT" "$code_dir/$code_case.$code_ext"
		unset -n code_case_args
		if ! command -v "$code_tool" >/dev/null; then
			skip "code.sh: $code_tool is not installed; the $code_lang $code_case example is not parsed"
			continue
		fi
		case $code_lang in
		python) check "code python: $code_case compiles" 0 python3 -m py_compile "$code_dir/$code_case.py" ;;
		node) check "code node: $code_case parses" 0 node --check "$code_dir/$code_case.js" ;;
		php) check "code php: $code_case lints" 0 php -l "$code_dir/$code_case.php" ;;
		esac
	done
done
check "code php: list" 0 "$KTESTME" code php --schema "$code_schema" "${code_list[@]}"
expect_out '^\$result = \$client->category->listAction\(\$filter, \$pager\);$'
expect_out '^\$filter = new KalturaCategoryFilter\(\);$'
check "code python: start" 0 "$KTESTME" code python --schema "$code_schema" "${code_start[@]}"
expect_out '^type = KalturaSessionType\.ADMIN$'
expect_out '^secret = os\.environ\["KALTURA_ADMIN_SECRET"\]$'
check "code node: list" 0 "$KTESTME" code node --schema "$code_schema" --region eu "${code_list[@]}"
expect_out "^config\.serviceUrl = 'https://api\.eu\.kaltura\.com';$"
expect_out '^kaltura\.services\.category\.listAction\(filter, pager\)$'
check "code: KTESTME_SCHEMA picks the schema" 0 env KTESTME_SCHEMA="$code_schema" "$KTESTME" code php category get id=1
expect_out 'category->get\(\$id\)'

# Bad arguments: exit 64 and one line.
check "code: no language" 64 "$KTESTME" code
expect_one_err_line
check "code: unknown language" 64 "$KTESTME" code java category list
expect_err "unknown language 'java'"
expect_one_err_line
check "code: missing action" 64 "$KTESTME" code curl category
expect_err "missing ACTION after 'category'"
expect_one_err_line
check "code: not name=value" 64 "$KTESTME" code curl category get id
expect_err "'id' is not name=value"
expect_one_err_line
check "code: empty key part" 64 "$KTESTME" code curl category get filter::x=1
expect_one_err_line
check "code: unknown region" 64 "$KTESTME" code curl --region mars category get id=1
expect_err "unknown region 'mars'"
expect_one_err_line
check "code: region and url" 64 "$KTESTME" code curl --region eu --url http://h category get id=1
expect_one_err_line
check "code: bad format" 64 "$KTESTME" code curl --format yaml category get id=1
expect_one_err_line
check "code: bad partner id" 64 "$KTESTME" code curl --partner-id 12x category get id=1
expect_one_err_line
check "code: unknown option" 64 "$KTESTME" code curl --bogus category get id=1
expect_one_err_line
check "code php: unknown service" 64 "$KTESTME" code php --schema "$code_schema" catgory list
expect_err "service 'catgory' is not in the API schema .*did you mean category"
expect_one_err_line
check "code python: unknown action" 64 "$KTESTME" code python --schema "$code_schema" category lst
expect_err "no action 'lst'"
expect_one_err_line
check "code node: unknown parameter" 64 "$KTESTME" code node --schema "$code_schema" category get idd=1
expect_err "has no parameter 'idd'"
expect_one_err_line
check "code php: unknown property" 64 "$KTESTME" code php --schema "$code_schema" category list filter:bogus=1
expect_one_err_line
check "code php: a multirequest item's KS from the item before" 0 "$KTESTME" code php \
	--schema "$code_schema" multirequest 1:service=session 1:action=start 1:partnerId=1 \
	2:service=session 2:action=get '2:ks={1:result}'
expect_out "setKs\\('\\{1:result\\}'\\)"
# a back-reference is no secret: no warning about it
expect_no_err 'visible to other users'
check "code php: a multirequest item without its action" 64 "$KTESTME" code php --schema "$code_schema" multirequest 1:service=session
expect_err 'multirequest item 1 has no 1:service and 1:action'
expect_one_err_line
check "code curl: unknown action is only a warning" 0 "$KTESTME" code curl --schema "$code_schema" category lst
expect_err '^ktestme code: warning: '
expect_one_err_line
check "code php: unreadable schema" 66 "$KTESTME" code php --schema "$SCRATCH/nope.xml" category get id=1
expect_one_err_line
check "code curl: unreadable schema given" 66 "$KTESTME" code curl --schema "$SCRATCH/nope.xml" category get id=1
expect_one_err_line
printf 'not xml' >"$code_dir/bad.xml"
check "code python: malformed schema" 65 "$KTESTME" code python --schema "$code_dir/bad.xml" category get id=1
expect_one_err_line
