/* completion: the generated script's data from tests/data/schema-small.xml (services,
 * actions, parameters with their types, writable properties only, enum values, objectType
 * subclasses), and names the shell could misread left out. The shell side is tested by
 * tests/integration/completion.sh. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "completion.h"
#include "schema.h"
#include "util.h"

static schema *load_small(void)
{
	const char *dir = getenv("KT_TESTDATA");
	char *path = kt_xasprintf("%s/schema-small.xml", dir ? dir : "tests/data");
	kt_error err = {0};
	schema *s = schema_load_file(path, &err);
	cr_assert_not_null(s, "%s: %s", path, err.msg);
	free(path);
	return s;
}

Test(completion, data_from_the_schema)
{
	schema *s = load_small();
	char *bash = completion_script(s, COMPLETION_BASH);
	cr_assert_not_null(strstr(bash, "\n_ktestme_services='"));
	cr_assert_not_null(strstr(bash, "\tsession) REPLY='start "), "session's actions");
	cr_assert_not_null(strstr(bash, "\tsession.start) REPLY='secret:string"));
	cr_assert_not_null(strstr(bash, "type:@KalturaSessionType"));
	cr_assert_not_null(strstr(bash, "\tKalturaSessionType) REPLY='0 2' ;;"));
	cr_assert_not_null(strstr(bash, "\tKalturaMediaEntryOrderBy) REPLY='+createdAt -createdAt' ;;"));
	cr_assert_not_null(strstr(bash, "\tKalturaBaseEntry) REPLY_BASE= REPLY='name:string"),
			   "read-only id is not offered");
	cr_assert_not_null(strstr(bash, "complete -F _ktestme ktestme"));
	char *zsh = completion_script(s, COMPLETION_ZSH);
	cr_assert(!strncmp(zsh, "#compdef ktestme\n", 17));
	cr_assert_null(strstr(zsh, "complete -F"));
	free(bash);
	free(zsh);
	schema_free(s);
}

Test(completion, unsafe_names_are_left_out)
{
	static const char xml[] =
		"<xml apiVersion=\"1\"><enums><enum name=\"E\" enumType=\"string\">"
		"<const name=\"A\" value=\"a'b\"/><const name=\"B\" value=\"ok\"/>"
		"<const name=\"C\" value=\"$(x)\"/></enum></enums><classes/><services>"
		"<service id=\"s\" name=\"s\"><action name=\"a\"><param name=\"p;rm\" type=\"string\""
		" optional=\"0\"/><param name=\"q\" type=\"string\" enumType=\"E\" optional=\"0\"/>"
		"</action></service></services></xml>";
	kt_error err = {0};
	schema *s = schema_load_memory(xml, sizeof xml - 1, "mem", &err);
	cr_assert_not_null(s, "%s", err.msg);
	char *bash = completion_script(s, COMPLETION_BASH);
	cr_assert_not_null(strstr(bash, "\tE) REPLY='ok' ;;"));
	cr_assert_not_null(strstr(bash, "\ts.a) REPLY='q:@E' ;;"));
	cr_assert_null(strstr(bash, "p;rm"));
	cr_assert_null(strstr(bash, "$(x)"));
	free(bash);
	schema_free(s);
}
