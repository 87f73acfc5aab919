# `ktestme completion bash|zsh`: the scripts parse, complete from the schema, and know every
# command's options. Sourced by tests/integration/run.sh.
comp_dir=$SCRATCH/completion
mkdir -p "$comp_dir"
comp_schema=$root/schemas/kaltura.xml

check "completion --help" 0 "$KTESTME" completion --help
expect_out '^Usage: ktestme completion bash\|zsh'
check "completion without a shell" 64 "$KTESTME" completion
expect_one_err_line
check "completion fish" 64 "$KTESTME" completion fish
expect_one_err_line
check "completion bad schema" 66 "$KTESTME" completion bash --schema "$comp_dir/none.xml"
expect_one_err_line
check "completion bash" 0 "$KTESTME" completion bash --schema "$comp_schema"
cp "$OUT" "$comp_dir/k.bash"
check "completion bash parses" 0 bash -n "$comp_dir/k.bash"

# COMPREPLY for a line with the cursor at its end, its words split as bash splits them
comp_try() {
	PATH=$(dirname "$KTESTME"):$PATH bash -c '
		source "$1"
		COMP_LINE=$2 COMP_POINT=${#2}
		read -r -a COMP_WORDS <<<"$(printf "%s" "$COMP_LINE" | sed "s/\([=:@]\)/ \1 /g")"
		[ "${COMP_LINE: -1}" = " " ] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		compopt() { :; }
		_ktestme
		printf "%s\n" "${COMPREPLY[@]}"' _ "$comp_dir/k.bash" "$1"
}
comp_expect() { # LINE WANTED: WANTED (a whole line) is among the completions of LINE
	current="completion: '$1' offers '$2'"
	if comp_try "$1" | grep -qxF -- "$2"; then pass; else fail "got: $(comp_try "$1" | head -8 | tr '\n' ' ')"; fi
}
comp_expect "ktestme ca" "call"
comp_expect "ktestme call sess" "session"
comp_expect "ktestme call session st" "start"
comp_expect "ktestme call session start ty" "type="
comp_expect "ktestme call session start type=" "=2"
comp_expect "ktestme call category list fil" "filter:"
comp_expect "ktestme call category list filter:" ":objectType="
comp_expect "ktestme call category list filter:objectType=" "=KalturaCategoryFilter"
comp_expect "ktestme call category list filter:objectType=KalturaCategoryFilter filter:fullNameSt" "fullNameStartsWith="
comp_expect "ktestme call --format " "json"
comp_expect "ktestme call --region " "eu"
comp_expect "ktestme call multirequest 1:service=sess" "session"
comp_expect "ktestme call multirequest 1:service=session 1:action=st" "start"
comp_expect "ktestme call multirequest 1:service=session 1:action=start 1:sec" "secret="
comp_expect "ktestme code " "python"
comp_expect "ktestme code curl category g" "get"
comp_expect "ktestme ks " "decode"
comp_expect "ktestme completion " "zsh"
comp_expect "ktestme saved add n category list pa" "pager:"
# NAME@PATH (a file to upload): paths, also in a multirequest item and for code
: >"$comp_dir/clip one.mp4"
: >"$comp_dir/clip-two.mp4"
comp_expect "ktestme call uploadToken upload fileData@$comp_dir/clip-" "$comp_dir/clip-two.mp4"
comp_expect "ktestme call multirequest 1:service=uploadToken 1:action=upload 1:fileData@$comp_dir/clip-t" "$comp_dir/clip-two.mp4"
comp_expect "ktestme code curl uploadToken upload fileData@$comp_dir/clip-" "$comp_dir/clip-two.mp4"
comp_expect "ktestme call uploadToken upload fileData@$comp_dir/clip" "$comp_dir/clip one.mp4"
comp_expect "ktestme call session start secret=@$comp_dir/clip-" "$comp_dir/clip-two.mp4"
current="completion: an @ inside a value is not a path"
comp_try "ktestme call user add user:email=a@$comp_dir/clip" | grep -q clip && fail "offered paths" || pass
"$KTESTME" saved add comp-demo category list >/dev/null 2>&1
comp_expect "ktestme run comp" "comp-demo"
"$KTESTME" saved delete comp-demo >/dev/null 2>&1

# every option a command's --help lists is offered after '-'
for c in console call run saved code sandbox schema completion ks "ks gen" "ks decode" "ks renew" "ks apptoken-hash" login; do
	"$KTESTME" $c --help >"$comp_dir/help" 2>&1
	comp_try "ktestme $c -" >"$comp_dir/offered"
	for opt in $(grep -oE -- '--[a-z][a-z0-9-]+' "$comp_dir/help" | sort -u); do
		current="completion: $c offers $opt"
		grep -qxF -- "$opt" "$comp_dir/offered" && pass || fail "not offered"
	done
done

if command -v zsh >/dev/null; then
	check "completion zsh" 0 "$KTESTME" completion zsh --schema "$comp_schema"
	cp "$OUT" "$comp_dir/_ktestme"
	expect_out '^#compdef ktestme$'
	check "completion zsh parses" 0 zsh -n "$comp_dir/_ktestme"
	# the shared part, in zsh: its word splitting and patterns differ from bash's
	sed '/^_ktestme_zsh() {/,$d' "$comp_dir/_ktestme" >"$comp_dir/data.zsh"
	check "completion zsh candidates" 0 zsh -c 'source "$1"; setopt shwordsplit
		_ktestme_words="ktestme call category list filter:objectType=KalturaCategoryFilter "
		_ktestme_candidates "filter:ful"; print -l -- ${=_ktestme_out}
		_ktestme_words="ktestme call session start "; _ktestme_candidates "type="
		print -l -- ${=_ktestme_out}' _ "$comp_dir/data.zsh"
	expect_out '^filter:fullNameStartsWith=$'
	expect_out '^type=2$'
	check "completion zsh: NAME@ completes paths" 0 zsh -c 'source "$1"; setopt shwordsplit
		_ktestme_words="ktestme call uploadToken upload "; _ktestme_candidates "fileData@/tm"
		print -r -- "files=$_ktestme_files prefix=$_ktestme_fileprefix"' _ "$comp_dir/data.zsh"
	expect_out '^files=1 prefix=fileData@$'
else
	echo "completion.sh: zsh is not installed (make deps installs it); the zsh script is not checked"
fi
