/* list: the one list engine of the sandbox's list actions. A handler renders the objects the
 * KS may see; the engine applies the request's filter, orderBy and pager the way the server's
 * filters do (api_v3/lib/types/filters/KalturaFilter.php and the generated base filters): a
 * filter field is a property of the listed class plus an operator suffix, read from the schema. */
#ifndef KT_SANDBOX_LIST_H
#define KT_SANDBOX_LIST_H

#include <stddef.h>

#include "sandbox/service.h"

/* One page of objs (rendered objects of class cls, in the order the server lists them when no
 * orderBy is given) as a list_cls result set on c. The engine owns objs and every item. The
 * filter and pager are the action's "filter" and "pager" parameters. 0, or -1 with the error
 * set (a filter field the sandbox cannot evaluate). */
int sb_list(sb_call *c, rvalue **objs, size_t n, const char *cls, const char *list_cls);
/* The same with the filter in another parameter (partner.listPartnersForUser's partnerFilter). */
int sb_list_by(sb_call *c, const char *filter, rvalue **objs, size_t n, const char *cls,
	       const char *list_cls);

/* One filter condition on a value: field is the filter property ("fullNameEqual"), have the
 * object's property (NULL when null), want the filter's value. Exposed for the unit tests.
 * 1 match, 0 no match, -1 an operator the engine does not know. */
int sb_list_match(const char *op, const char *type, const char *have, const char *want);

/* The operator of a filter field: the suffix after the property's name ("Equal", "In",
 * "MultiLikeOr"...), with *stem_len the property name's length; NULL when none. */
const char *sb_list_suffix(const char *field, size_t *stem_len);

#endif
