#include "completion.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The commands and their options, as their --help lists them (tests/integration/completion.sh
 * checks that they still do). */
static const struct {
	const char *name, *opts;
} commands[] = {
	{"", "--help --version --profile --region --url --schema --sandbox --insecure --timeout "
	     "--max-size --location"},
	{"console", "--region --url --schema --sandbox --insecure --timeout --max-size --location "
		    "--help"},
	{"keys", "--help"},
	{"ks", "--partner-id --secret --secret-file --user --type --expiry --valid-until "
	       "--privileges --v1 --v2 --rand --hash-type --ks --token --token-file --explain "
	       "--profile --help"},
	{"call", "--region --url --ks --partner-id --format --insecure --timeout --max-size "
		 "--location --raw --verbose --from-curl --entry --help"},
	{"run", "--region --url --ks --partner-id --format --insecure --timeout --max-size "
		"--location --raw --verbose --file --help"},
	{"saved", "--file --from-curl --entry --format --help"},
	{"regions", "--help"},
	{"schema", "--schema --region --url --insecure --verbose --help"},
	{"code", "--region --url --ks --partner-id --format --schema --help"},
	{"sandbox", "--listen --partner-id --admin-secret --admin-secret-file --user-secret "
		    "--user-secret-file --admin-password --admin-password-file --ks-version --help"},
	{"login", "--profile --region --url --type --user --privileges --expiry --partner-id "
		  "--login-id --password --password-file --partners --local "
		  "--insecure --help"},
	{"completion", "--schema --region --url --help"},
};

/* options followed by a value */
static const char value_opts[] =
	"--region --url --schema --ks --partner-id --format --timeout --max-size --from-curl "
	"--entry --file --secret --secret-file --user --type --expiry --valid-until --privileges "
	"--rand --hash-type --token --token-file --listen --admin-secret --admin-secret-file "
	"--user-secret --user-secret-file --admin-password --admin-password-file --ks-version "
	"--profile --login-id --password --password-file";

static const char common_sh[] =
	"# the names of saved requests, from the program on the line (one without spaces each)\n"
	"_ktestme_saved() {\n"
	"	local prog\n"
	"	for prog in $_ktestme_words; do break; done\n"
	"	command \"$prog\" saved names 2>/dev/null | grep -v '[[:space:]]'\n"
	"}\n"
	"_ktestme_pick() {\n"
	"	local e\n"
	"	REPLY2=\n"
	"	for e in $2; do\n"
	"		if [ \"${e%%:*}\" = \"$1\" ]; then\n"
	"			REPLY2=${e#*:}\n"
	"			return 0\n"
	"		fi\n"
	"	done\n"
	"	return 1\n"
	"}\n"
	"_ktestme_prop() {\n"
	"	local c=$1\n"
	"	while [ -n \"$c\" ]; do\n"
	"		_ktestme_class \"$c\"\n"
	"		_ktestme_pick \"$2\" \"$REPLY\" && return 0\n"
	"		c=$REPLY_BASE\n"
	"	done\n"
	"	return 1\n"
	"}\n"
	"_ktestme_chosen() {\n"
	"	local w\n"
	"	for w in $_ktestme_words; do\n"
	"		case $w in \"$1:objectType=\"?*) REPLY2=${w#*=}; return 0 ;; esac\n"
	"	done\n"
	"	return 1\n"
	"}\n"
	"# the type of a parameter path (\"filter:advancedSearch\") of service.action $1, in REPLY2\n"
	"_ktestme_resolve() {\n"
	"	local rest=$2 part t seen\n"
	"	part=${rest%%:*}\n"
	"	rest=${rest#\"$part\"}\n"
	"	rest=${rest#:}\n"
	"	_ktestme_params \"$1\"\n"
	"	_ktestme_pick \"$part\" \"$REPLY\" || return 1\n"
	"	t=$REPLY2\n"
	"	seen=$part\n"
	"	while :; do\n"
	"		case $t in\n"
	"		'[]'*) ;;\n"
	"		*) _ktestme_chosen \"$seen\" && t=$REPLY2 ;;\n"
	"		esac\n"
	"		[ -z \"$rest\" ] && break\n"
	"		part=${rest%%:*}\n"
	"		rest=${rest#\"$part\"}\n"
	"		rest=${rest#:}\n"
	"		seen=\"$seen:$part\"\n"
	"		case $t in\n"
	"		'[]'*) t=${t#'[]'}; continue ;;\n"
	"		esac\n"
	"		_ktestme_prop \"$t\" \"$part\" || return 1\n"
	"		t=$REPLY2\n"
	"	done\n"
	"	REPLY2=$t\n"
	"}\n"
	"# \"name=\" for a value, \"name:\" for an object or an array\n"
	"_ktestme_entries() {\n"
	"	local e n t\n"
	"	for e in $2; do\n"
	"		n=${e%%:*}\n"
	"		t=${e#*:}\n"
	"		case $t in\n"
	"		Kaltura*|'[]'*) _ktestme_out=\"$_ktestme_out $1$n:\" ;;\n"
	"		*) _ktestme_out=\"$_ktestme_out $1$n=\" ;;\n"
	"		esac\n"
	"	done\n"
	"}\n"
	"_ktestme_values() {\n"
	"	case $2 in\n"
	"	@*) _ktestme_enum \"${2#@}\"; set -- \"$1\" \"$REPLY\" ;;\n"
	"	bool) set -- \"$1\" \"0 1\" ;;\n"
	"	*) return ;;\n"
	"	esac\n"
	"	local v\n"
	"	for v in $2; do _ktestme_out=\"$_ktestme_out $1$v\"; done\n"
	"}\n"
	"# parameters of service.action $1 for the word $2\n"
	"_ktestme_params_of() {\n"
	"	local sa=$1 cur=$2 key parent c all v\n"
	"	case $cur in\n"
	"	*=*)\n"
	"		key=${cur%%=*}\n"
	"		case $key in\n"
	"		*:objectType)\n"
	"			parent=${key%:objectType}\n"
	"			_ktestme_resolve \"$sa\" \"$parent\" || return\n"
	"			_ktestme_concrete \"${REPLY2#'[]'}\"\n"
	"			for v in $REPLY; do _ktestme_out=\"$_ktestme_out $key=$v\"; done\n"
	"			;;\n"
	"		*)\n"
	"			_ktestme_resolve \"$sa\" \"$key\" && _ktestme_values \"$key=\" \"$REPLY2\"\n"
	"			;;\n"
	"		esac\n"
	"		;;\n"
	"	*:*)\n"
	"		parent=${cur%:*}\n"
	"		_ktestme_resolve \"$sa\" \"$parent\" || return\n"
	"		case $REPLY2 in\n"
	"		'[]'*)\n"
	"			_ktestme_out=\"$_ktestme_out $parent:0: $parent:1: $parent:-=\"\n"
	"			;;\n"
	"		Kaltura*)\n"
	"			c=$REPLY2\n"
	"			all=\n"
	"			while [ -n \"$c\" ]; do\n"
	"				_ktestme_class \"$c\"\n"
	"				all=\"$all $REPLY\"\n"
	"				c=$REPLY_BASE\n"
	"			done\n"
	"			_ktestme_out=\"$_ktestme_out $parent:objectType=\"\n"
	"			_ktestme_entries \"$parent:\" \"$all\"\n"
	"			;;\n"
	"		esac\n"
	"		;;\n"
	"	*)\n"
	"		_ktestme_params \"$sa\"\n"
	"		_ktestme_entries \"\" \"$REPLY\"\n"
	"		;;\n"
	"	esac\n"
	"}\n"
	"# the service.action of multirequest item $1 on the line\n"
	"_ktestme_item() {\n"
	"	local w s= a=\n"
	"	for w in $_ktestme_words; do\n"
	"		case $w in\n"
	"		\"$1:service=\"*) s=${w#*=} ;;\n"
	"		\"$1:action=\"*) a=${w#*=} ;;\n"
	"		esac\n"
	"	done\n"
	"	REPLY2=$s.$a\n"
	"}\n"
	"_ktestme_call() {\n"
	"	local n=$1 cur=$2 svc=$3 act=$4 v\n"
	"	if [ \"$n\" -eq 0 ]; then\n"
	"		_ktestme_out=\"$_ktestme_services multirequest\"\n"
	"	elif [ \"$svc\" = multirequest ]; then\n"
	"		case $cur in\n"
	"		[0-9]*:*)\n"
	"			local idx=${cur%%:*} rest=${cur#*:}\n"
	"			case $rest in\n"
	"			service=*)\n"
	"				for v in $_ktestme_services; do _ktestme_out=\"$_ktestme_out $idx:service=$v\"; done ;;\n"
	"			action=*)\n"
	"				_ktestme_item \"$idx\"\n"
	"				_ktestme_actions \"${REPLY2%%.*}\"\n"
	"				for v in $REPLY; do _ktestme_out=\"$_ktestme_out $idx:action=$v\"; done ;;\n"
	"			*)\n"
	"				_ktestme_item \"$idx\"\n"
	"				local sa=$REPLY2 before=$_ktestme_out\n"
	"				_ktestme_out=\n"
	"				_ktestme_params_of \"$sa\" \"$rest\"\n"
	"				local got=$_ktestme_out\n"
	"				_ktestme_out=\"$before $idx:service= $idx:action=\"\n"
	"				for v in $got; do _ktestme_out=\"$_ktestme_out $idx:$v\"; done ;;\n"
	"			esac\n"
	"			;;\n"
	"		*) _ktestme_out=\"1:service= 1:action= 2:service= 2:action=\" ;;\n"
	"		esac\n"
	"	elif [ \"$n\" -eq 1 ]; then\n"
	"		_ktestme_actions \"$svc\"\n"
	"		_ktestme_out=$REPLY\n"
	"	else\n"
	"		_ktestme_params_of \"$svc.$act\" \"$cur\"\n"
	"	fi\n"
	"}\n"
	"_ktestme_candidates() {\n"
	"	local cur=$1 w cmd= skip= lastopt= first=1 n=0 p1= p2= p3= p4=\n"
	"	_ktestme_out= _ktestme_nospace= _ktestme_files= _ktestme_fileprefix=\n"
	"	for w in $_ktestme_words; do\n"
	"		if [ -n \"$first\" ]; then first=; continue; fi\n"
	"		if [ -n \"$skip\" ]; then skip=; continue; fi\n"
	"		case $w in\n"
	"		--) ;;\n"
	"		--*=*) ;;\n"
	"		-*)\n"
	"			case \" $_ktestme_valopts \" in *\" $w \"*) skip=1; lastopt=$w ;; esac ;;\n"
	"		*)\n"
	"			if [ -z \"$cmd\" ]; then cmd=$w\n"
	"			else\n"
	"				n=$((n + 1))\n"
	"				case $n in 1) p1=$w ;; 2) p2=$w ;; 3) p3=$w ;; 4) p4=$w ;; esac\n"
	"			fi ;;\n"
	"		esac\n"
	"	done\n"
	"	if [ -n \"$skip\" ]; then\n"
	"		case $lastopt in\n"
	"		--region) _ktestme_out='us eu ap sg ca de' ;;\n"
	"		--format) _ktestme_out='xml json' ;;\n"
	"		--type) _ktestme_out='user admin 0 2' ;;\n"
	"		--hash-type) _ktestme_out='sha1 md5 sha256 sha512' ;;\n"
	"		--ks-version) _ktestme_out='1 2' ;;\n"
	"		--from-curl|--schema|--file|--secret-file|--token-file|--admin-secret-file|--user-secret-file|--admin-password-file) _ktestme_files=1 ;;\n"
	"		esac\n"
	"		return\n"
	"	fi\n"
	"	case $cur in\n"
	"	-*)\n"
	"		_ktestme_opts \"$cmd\"\n"
	"		_ktestme_out=$REPLY\n"
	"		return ;;\n"
	"	esac\n"
	"	if [ -z \"$cmd\" ]; then\n"
	"		_ktestme_out=$_ktestme_cmds\n"
	"		return\n"
	"	fi\n"
	"	# NAME@PATH uploads a file, NAME=@PATH reads a value from one: paths after the @\n"
	"	case $cmd.$cur in\n"
	"	call.*@*|code.*@*)\n"
	"		case ${cur%%@*} in\n"
	"		*=*=*|*=?*) ;;\n"
	"		*) _ktestme_files=1 _ktestme_fileprefix=${cur%%@*}@; return ;;\n"
	"		esac ;;\n"
	"	esac\n"
	"	case $cmd in\n"
	"	call) _ktestme_call \"$n\" \"$cur\" \"$p1\" \"$p2\" ;;\n"
	"	code)\n"
	"		if [ \"$n\" -eq 0 ]; then _ktestme_out='curl php python node'\n"
	"		else _ktestme_call $((n - 1)) \"$cur\" \"$p2\" \"$p3\"; fi ;;\n"
	"	ks) [ \"$n\" -eq 0 ] && _ktestme_out='gen decode renew apptoken-hash' ;;\n"
	"	completion) [ \"$n\" -eq 0 ] && _ktestme_out='bash zsh' ;;\n"
	"	schema)\n"
	"		if [ \"$n\" -eq 0 ]; then _ktestme_out='stats show search update'\n"
	"		elif [ \"$p1\" = show ] && [ \"$n\" -eq 1 ]; then _ktestme_out=$_ktestme_services\n"
	"		elif [ \"$p1\" = show ] && [ \"$n\" -eq 2 ]; then _ktestme_actions \"$p2\"; _ktestme_out=$REPLY\n"
	"		fi ;;\n"
	"	run)\n"
	"		[ \"$n\" -eq 0 ] && _ktestme_out=$(_ktestme_saved)\n"
	"		[ \"$n\" -ge 1 ] && _ktestme_nospace=1 ;;\n"
	"	saved)\n"
	"		case $n.$p1 in\n"
	"		0.) _ktestme_out='list names show add delete export import' ;;\n"
	"		1.show|1.delete) _ktestme_out=$(_ktestme_saved) ;;\n"
	"		1.import|1.export) _ktestme_files=1 ;;\n"
	"		*.add) [ \"$n\" -ge 2 ] && _ktestme_call $((n - 2)) \"$cur\" \"$p3\" \"$p4\" ;;\n"
	"		esac ;;\n"
	"	esac\n"
	"	case $_ktestme_out in *[=:]|*[=:]' '*) _ktestme_nospace=1 ;; esac\n"
	"}\n";

static const char bash_sh[] =
	"_ktestme() {\n"
	"	local w=${COMP_WORDS[COMP_CWORD]} line=${COMP_LINE:0:$COMP_POINT} c pre\n"
	"	local cur=${line##*[[:space:]]}\n"
	"	_ktestme_words=${line%\"$cur\"}\n"
	"	_ktestme_candidates \"$cur\"\n"
	"	COMPREPLY=()\n"
	"	if [ -n \"$_ktestme_fileprefix\" ]; then\n"
	"		# bash breaks words at @ too: it replaces the part after the last break\n"
	"		pre=${cur%\"$w\"}\n"
	"		[ \"$pre\" = \"$cur\" ] && [ -n \"$w\" ] && pre=\n"
	"		while IFS= read -r c; do\n"
	"			c=$_ktestme_fileprefix$c\n"
	"			COMPREPLY+=(\"${c#\"$pre\"}\")\n"
	"		done < <(compgen -f -- \"${cur#\"$_ktestme_fileprefix\"}\")\n"
	"		compopt -o filenames 2>/dev/null\n"
	"		return 0\n"
	"	fi\n"
	"	if [ -n \"$_ktestme_files\" ]; then\n"
	"		COMPREPLY=($(compgen -f -- \"$cur\"))\n"
	"		compopt -o filenames 2>/dev/null\n"
	"		return 0\n"
	"	fi\n"
	"	# bash splits words at = and :; what it replaces is the part after the last of them\n"
	"	pre=${cur%\"$w\"}\n"
	"	[ \"$pre\" = \"$cur\" ] && [ -n \"$w\" ] && pre=\n"
	"	for c in $_ktestme_out; do\n"
	"		case $c in \"$cur\"*) COMPREPLY+=(\"${c#\"$pre\"}\") ;; esac\n"
	"	done\n"
	"	[ -n \"$_ktestme_nospace\" ] && compopt -o nospace 2>/dev/null\n"
	"	return 0\n"
	"}\n"
	"complete -F _ktestme ktestme\n";

static const char zsh_sh[] =
	"_ktestme_zsh() {\n"
	"	local cur=$PREFIX\n"
	"	_ktestme_words=\"${words[1,CURRENT-1]}\"\n"
	"	setopt localoptions shwordsplit\n"
	"	_ktestme_candidates \"$cur\"\n"
	"	[ -n \"$_ktestme_fileprefix\" ] && compset -P \"$_ktestme_fileprefix\"\n"
	"	if [ -n \"$_ktestme_files\" ]; then\n"
	"		_files\n"
	"		return\n"
	"	fi\n"
	"	local -a c\n"
	"	c=(${=_ktestme_out})\n"
	"	if [ -n \"$_ktestme_nospace\" ]; then\n"
	"		compadd -S '' -Q -- $c\n"
	"	else\n"
	"		compadd -Q -- $c\n"
	"	fi\n"
	"}\n"
	"_ktestme() { _ktestme_zsh \"$@\"; }\n"
	"_ktestme \"$@\"\n";

/* Names and values go into single-quoted shell words split at spaces: anything else is left
 * out rather than quoted. */
static bool plain(const char *s)
{
	if (!s || !*s)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("'\"\\`$:=;&|<>()*?[]{}#~!", *p))
			return false;
	return true;
}

/* "name:type": a class, "@Enum", "[]Class", or the simple type */
static void add_type(kt_buf *b, const char *name, const char *type, const char *enum_type,
		     const char *array_type)
{
	if (!plain(name))
		return;
	if (enum_type && plain(enum_type))
		kt_buf_printf(b, " %s:@%s", name, enum_type);
	else if (array_type && plain(array_type))
		kt_buf_printf(b, " %s:[]%s", name, array_type);
	else if (plain(type))
		kt_buf_printf(b, " %s:%s", name, type);
}

static void actions(kt_buf *b, const schema *s)
{
	kt_buf_adds(b, "_ktestme_actions() {\n\tcase $1 in\n");
	for (size_t i = 0; i < s->nservices; i++) {
		const schema_service *svc = s->services[i];
		if (!plain(svc->name))
			continue;
		kt_buf_printf(b, "\t%s) REPLY='", svc->name);
		for (size_t j = 0; j < svc->nactions; j++)
			if (plain(svc->actions[j].name))
				kt_buf_printf(b, "%s%s", j ? " " : "", svc->actions[j].name);
		kt_buf_adds(b, "' ;;\n");
	}
	kt_buf_adds(b, "\t*) REPLY= ;;\n\tesac\n}\n");
}

static void params(kt_buf *b, const schema *s)
{
	kt_buf_adds(b, "_ktestme_params() {\n\tcase $1 in\n");
	for (size_t i = 0; i < s->nservices; i++) {
		const schema_service *svc = s->services[i];
		for (size_t j = 0; plain(svc->name) && j < svc->nactions; j++) {
			const schema_action *a = &svc->actions[j];
			if (!plain(a->name) || !a->nparams)
				continue;
			kt_buf_printf(b, "\t%s.%s) REPLY='", svc->name, a->name);
			size_t mark = b->len;
			for (size_t k = 0; k < a->nparams; k++) {
				const schema_param *p = &a->params[k];
				add_type(b, p->name, p->type, p->enum_type, p->array_type);
			}
			if (b->len > mark && b->data[mark] == ' ')
				memmove(b->data + mark, b->data + mark + 1, b->len-- - mark);
			kt_buf_adds(b, "' ;;\n");
		}
	}
	kt_buf_adds(b, "\t*) REPLY= ;;\n\tesac\n}\n");
}

static void classes(kt_buf *b, const schema *s)
{
	kt_buf_adds(b, "_ktestme_class() {\n\tcase $1 in\n");
	for (size_t i = 0; i < s->nclasses; i++) {
		const schema_class *c = s->classes[i];
		if (!plain(c->name))
			continue;
		kt_buf_printf(b, "\t%s) REPLY_BASE=%s REPLY='", c->name,
			      c->base && plain(c->base->name) ? c->base->name : "");
		size_t mark = b->len;
		for (size_t k = 0; k < c->nprops; k++) {
			const schema_property *p = &c->props[k];
			if (p->read_only)
				continue;
			add_type(b, p->name, p->type, p->enum_type, p->array_type);
		}
		if (b->len > mark && b->data[mark] == ' ')
			memmove(b->data + mark, b->data + mark + 1, b->len-- - mark);
		kt_buf_adds(b, "' ;;\n");
	}
	kt_buf_adds(b, "\t*) REPLY_BASE= REPLY= ;;\n\tesac\n}\n");
	kt_buf_adds(b, "_ktestme_concrete() {\n\tcase $1 in\n");
	for (size_t i = 0; i < s->nclasses; i++) {
		const schema_class *c = s->classes[i];
		if (!plain(c->name) || !c->nconcrete)
			continue;
		kt_buf_printf(b, "\t%s) REPLY='", c->name);
		for (size_t k = 0; k < c->nconcrete; k++)
			if (plain(c->concrete[k]->name))
				kt_buf_printf(b, "%s%s", k ? " " : "", c->concrete[k]->name);
		kt_buf_adds(b, "' ;;\n");
	}
	kt_buf_adds(b, "\t*) REPLY= ;;\n\tesac\n}\n");
}

static void enums(kt_buf *b, const schema *s)
{
	kt_buf_adds(b, "_ktestme_enum() {\n\tcase $1 in\n");
	for (size_t i = 0; i < s->nenums; i++) {
		const schema_enum *e = s->enums[i];
		if (!plain(e->name))
			continue;
		kt_buf_printf(b, "\t%s) REPLY='", e->name);
		bool first = true;
		for (size_t k = 0; k < e->nconsts; k++)
			if (plain(e->consts[k].value)) {
				kt_buf_printf(b, "%s%s", first ? "" : " ", e->consts[k].value);
				first = false;
			}
		kt_buf_adds(b, "' ;;\n");
	}
	kt_buf_adds(b, "\t*) REPLY= ;;\n\tesac\n}\n");
}

char *completion_script(const schema *s, completion_shell shell)
{
	kt_buf b;
	kt_buf_init(&b);
	if (shell == COMPLETION_ZSH)
		kt_buf_adds(&b, "#compdef ktestme\n");
	kt_buf_printf(&b, "# ktestme completion for %s, generated by 'ktestme completion %s' from the "
			  "API schema %s.\n",
		      shell == COMPLETION_ZSH ? "zsh" : "bash", shell == COMPLETION_ZSH ? "zsh" : "bash",
		      plain(s->api_version) ? s->api_version : "(no version)");
	kt_buf_adds(&b, "_ktestme_cmds='");
	for (size_t i = 1; i < sizeof commands / sizeof commands[0]; i++)
		kt_buf_printf(&b, "%s%s", i > 1 ? " " : "", commands[i].name);
	kt_buf_printf(&b, "'\n_ktestme_valopts='%s'\n", value_opts);
	kt_buf_adds(&b, "_ktestme_opts() {\n\tcase $1 in\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		kt_buf_printf(&b, "\t%s) REPLY='%s' ;;\n", *commands[i].name ? commands[i].name : "''",
			      commands[i].opts);
	kt_buf_adds(&b, "\t*) REPLY='--help' ;;\n\tesac\n}\n");
	kt_buf_adds(&b, "_ktestme_services='");
	bool first = true;
	for (size_t i = 0; i < s->nservices; i++)
		if (plain(s->services[i]->name)) {
			kt_buf_printf(&b, "%s%s", first ? "" : " ", s->services[i]->name);
			first = false;
		}
	kt_buf_adds(&b, "'\n");
	actions(&b, s);
	params(&b, s);
	classes(&b, s);
	enums(&b, s);
	kt_buf_adds(&b, common_sh);
	kt_buf_adds(&b, shell == COMPLETION_ZSH ? zsh_sh : bash_sh);
	return kt_buf_steal(&b);
}
