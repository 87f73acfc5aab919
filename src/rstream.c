#include "rstream.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "request.h"
#include "utf8.h"
#include "util.h"

/* Pretty text is handed on in pieces of about this size. */
#define RS_FLUSH 65536
/* The first body bytes, kept for the format check and an HTML page's <title>. */
#define RS_HEAD 65536
/* Bytes to see before judging what the body is (when the body is not shorter). */
#define RS_SNIFF 512
/* Model nodes kept under one child of the result before its grandchildren become
 * placeholders: a list's objects are not part of the model, an error always fits. */
#define RS_KEEP_SUB 4096
/* Past this many nodes in all, each finished child of the result is cut down the same way. */
#define RS_KEEP_ALL 65536
/* libxml2 indents at most 30 levels (60 spaces). */
#define RS_INDENT_MAX 30
/* Jansson's own nesting limit, and the model's. */
#define RS_JSON_MAX_DEPTH 2048
#define RS_MODEL_MAX_DEPTH 256

#if LIBXML_VERSION >= 21200
typedef const xmlError *rs_xml_error_ref;
#else
typedef xmlError *rs_xml_error_ref;
#endif

typedef struct xframe {
	char *name;         /* as printed: prefix:local */
	const char *mname;  /* as the model names it: the local name when the prefix is bound */
	unsigned nchildren; /* nodes of any kind, as libxml2's tree would hold them */
	bool first_text, last_text;
	bool open;          /* "<name ..." written, its ">" not yet */
	bool formatted;     /* its children go one per line */
	bool preserve;      /* xml:space="preserve" */
	bool has_elem, has_text;
	xmlNode *keep;      /* its model node, or NULL */
	bool keep_kids;     /* element children get model nodes too */
	int kdepth;         /* depth under <result> (0 is the result), -1 outside, -2 executionTime */
} xframe;

typedef enum { J_VALUE, J_KEY_OR_END, J_KEY, J_COLON, J_COMMA_OR_END, J_DONE } jstate;

typedef struct jframe {
	bool is_obj;
	size_t n;          /* members or items so far */
	json_t *keep;      /* its model value, or NULL */
	bool keep_kids;
	int kdepth;
	json_t *keys;      /* keys seen, for a repeated key (NULL past the model's reach) */
} jframe;

struct rs_stream {
	int format;
	rs_write_fn write;
	void *ud;
	kt_buf out;
	size_t written;
	kt_buf head;        /* the first RS_HEAD bytes */
	bool started;       /* the head was checked and handed to the parser */
	bool failed, finished, complete, exact;
	kt_error err;
	bool secret;        /* a credential seen where the model keeps no node */
	size_t sub_nodes, all_nodes;
	bool sub_pruned;

	/* XML */
	xmlParserCtxt *ctxt;
	xmlSAXHandler sax;
	response_xml_capture cap;
	xframe *xf;
	size_t nxf, capxf;
	xmlNode *kroot;     /* the root's model node: holds <result> and <executionTime> */
	xmlNode *sub_node;  /* the child of <result> being read */
	bool got_result, got_exec, decl_done, root_seen, root_html;
	kt_buf blank;       /* whitespace waiting for what follows to decide whether it is text */
	bool blank_pending;
	char blank_raw;     /* the byte after it: '<', '\r' (both judged), or 0 (not read yet) */
	bool in_cdata;
	bool nul_seen;
	char cdata_tail;

	/* JSON */
	jstate js;
	jframe *jf;
	size_t njf, capjf;
	json_t *jroot;
	json_t *jsub;
	kt_buf tok;         /* a string, number or literal cut by a chunk boundary */
	int tok_kind;       /* 0 none, '"' string, '0' number, 'l' literal */
	bool tok_escape;
	char *pending_key;  /* the key before its value */
	int real_prec;      /* the precision of the reals printed so far; 0 none */
	size_t line, col;   /* of the next byte, for messages */
	bool bom_checked;
};

/* ---- output ---- */

static void out_flush(rs_stream *s)
{
	if (s->out.len && s->write)
		s->write(s->ud, s->out.data, s->out.len);
	s->written += s->out.len;
	kt_buf_reset(&s->out);
}

static void out_add(rs_stream *s, const char *p, size_t n)
{
	kt_buf_add(&s->out, p, n);
	if (s->out.len >= RS_FLUSH)
		out_flush(s);
}

static void out_adds(rs_stream *s, const char *p)
{
	out_add(s, p, strlen(p));
}

static void out_indent(rs_stream *s, size_t level)
{
	static const char spaces[2 * RS_INDENT_MAX] =
		"                                                            ";
	out_add(s, spaces, 2 * (level > RS_INDENT_MAX ? RS_INDENT_MAX : level));
}

static int stream_fail(rs_stream *s, kt_error *err)
{
	s->failed = true;
	if (err && err != &s->err)
		*err = s->err;
	return -1;
}

/* ---- XML: libxml2's formatter, one event at a time ---- */

/* Text as xmlEscapeContent writes it, or (attr) an attribute value as
 * xmlBufAttrSerializeTxtContent does (UTF-8 kept as is). */
static void xml_out_escaped(rs_stream *s, const char *p, size_t n, bool attr)
{
	const char *run = p, *end = p + n;
	for (; p < end; p++) {
		const char *rep;
		switch (*p) {
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '&': rep = "&amp;"; break;
		case '\r': rep = "&#13;"; break;
		case '"': if (!attr) continue; rep = "&quot;"; break;
		case '\n': if (!attr) continue; rep = "&#10;"; break;
		case '\t': if (!attr) continue; rep = "&#9;"; break;
		default: continue;
		}
		out_add(s, run, (size_t)(p - run));
		out_adds(s, rep);
		run = p + 1;
	}
	out_add(s, run, (size_t)(end - run));
}

/* As xmlBufWriteQuotedString. */
static void xml_out_quoted(rs_stream *s, const char *v)
{
	if (!strchr(v, '"')) {
		out_adds(s, "\"");
		out_adds(s, v);
		out_adds(s, "\"");
	} else if (!strchr(v, '\'')) {
		out_adds(s, "'");
		out_adds(s, v);
		out_adds(s, "'");
	} else {
		out_adds(s, "\"");
		for (; *v; v++) {
			if (*v == '"')
				out_adds(s, "&quot;");
			else
				out_add(s, v, 1);
		}
		out_adds(s, "\"");
	}
}

static xframe *xtop(rs_stream *s)
{
	return s->nxf ? &s->xf[s->nxf - 1] : NULL;
}

static void xml_decl(rs_stream *s)
{
	if (s->decl_done)
		return;
	s->decl_done = true;
	out_adds(s, "<?xml version=");
	xml_out_quoted(s, s->ctxt->version ? (const char *)s->ctxt->version : "1.0");
	out_adds(s, " encoding=\"UTF-8\"");
	if (s->ctxt->standalone == 0)
		out_adds(s, " standalone=\"no\"");
	else if (s->ctxt->standalone == 1)
		out_adds(s, " standalone=\"yes\"");
	out_adds(s, "?>\n");
}

static void cdata_close(rs_stream *s)
{
	if (s->in_cdata) {
		out_adds(s, "]]>");
		s->in_cdata = false;
	}
}

/* A node of the given kind joins the open element: closes its start tag and, in a formatted
 * parent, starts the node's line. text: a text, CDATA or entity node (never indented). */
static void xml_child_begins(rs_stream *s, bool text, bool is_text_node)
{
	cdata_close(s);
	xframe *p = xtop(s);
	if (!p)
		return;
	if (p->open) {
		p->open = false;
		/* libxml2 formats an element's children only when none is text */
		if (p->formatted && text)
			p->formatted = false;
		out_adds(s, ">");
		if (p->formatted)
			out_adds(s, "\n");
	} else if (p->formatted && text) {
		/* text after element children: libxml2 would have printed this element unformatted */
		s->exact = false;
		p->formatted = false;
	}
	if (!p->nchildren)
		p->first_text = is_text_node;
	p->nchildren++;
	p->last_text = is_text_node;
	if (p->formatted && !text)
		out_indent(s, s->nxf);
}

/* After a child: the newline of a formatted parent; at the top, the document's newline. */
static void xml_child_ends(rs_stream *s)
{
	xframe *p = xtop(s);
	if (!p || p->formatted)
		out_adds(s, "\n");
}

static void xml_text_model(xframe *f, const char *p, size_t n, bool cdata)
{
	if (n)
		f->has_text = true;
	if (!f->keep)
		return;
	xmlNode *t = cdata ? xmlNewCDataBlock(NULL, (const xmlChar *)p, (int)n)
			   : xmlNewTextLen((const xmlChar *)p, (int)n);
	if (t && !xmlAddChild(f->keep, t))
		xmlFreeNode(t);
}

static void xml_text_out(rs_stream *s, const char *p, size_t n)
{
	xml_child_begins(s, true, true);
	xml_out_escaped(s, p, n, false);
	xframe *f = xtop(s);
	if (f)
		xml_text_model(f, p, n, false);
}

/* Whitespace between tags is dropped as XML_PARSE_NOBLANKS drops it (areBlanks in parser.c),
 * which depends on what follows: decided at the next event. end_tag: that event closes the
 * element. */
static void blank_decide(rs_stream *s, bool end_tag, bool more_text)
{
	if (!s->blank_pending)
		return;
	s->blank_pending = false;
	xframe *f = xtop(s);
	/* what follows a carriage return or a tag is judged; more text after the unknown is text */
	bool keep = (more_text && !s->blank_raw) || !f || f->preserve || (f->nchildren == 0 && end_tag) ||
		    (f->nchildren > 0 && (f->last_text || f->first_text));
	/* libxml2 also keeps it when earlier text in the element took a path of its parser
	 * that SAX does not show (the space state -2): a guess, so not exact */
	if (!keep && f && f->has_text)
		s->exact = false;
	if (keep)
		xml_text_out(s, s->blank.data, s->blank.len);
	kt_buf_reset(&s->blank);
}

static bool all_blank(const xmlChar *ch, int len)
{
	for (int i = 0; i < len; i++)
		if (ch[i] != ' ' && ch[i] != '\t' && ch[i] != '\n' && ch[i] != '\r')
			return false;
	return true;
}

static void sax_characters(void *ud, const xmlChar *ch, int len)
{
	rs_stream *s = ud;
	xframe *f = xtop(s);
	if (!f)
		return;
	const xmlParserInput *in = s->ctxt->input;
	/* a character reference (&#32;) is text whatever it holds */
	bool charref = in && in->cur > in->base && in->cur[-1] == ';';
	if (!charref && all_blank(ch, len) && !f->preserve) {
		blank_decide(s, false, true);
		xmlChar raw = in && in->cur ? in->cur[0] : 0;
		if (raw == '<' || raw == '\r' || raw == 0) {
			kt_buf_add(&s->blank, ch, (size_t)len);
			s->blank_pending = true;
			s->blank_raw = (char)raw;
			return;
		}
	} else {
		blank_decide(s, false, true);
	}
	xml_text_out(s, (const char *)ch, (size_t)len);
}

static void sax_ignorable(void *ud, const xmlChar *ch, int len)
{
	sax_characters(ud, ch, len);
}

static void sax_cdata(void *ud, const xmlChar *ch, int len)
{
	rs_stream *s = ud;
	blank_decide(s, false, false);
	xframe *f = xtop(s);
	if (!f)
		return;
	if (s->in_cdata) {
		/* libxml2 merges adjacent sections, then cuts the merged text at "]]>" */
		if (len && (ch[0] == '>' || ch[0] == ']') && s->cdata_tail == ']')
			s->exact = false;
	} else {
		xml_child_begins(s, true, false);
		out_adds(s, "<![CDATA[");
		s->in_cdata = true;
	}
	out_add(s, (const char *)ch, (size_t)len);
	if (len)
		s->cdata_tail = (char)ch[len - 1];
	xml_text_model(f, (const char *)ch, (size_t)len, true);
}

static void sax_reference(void *ud, const xmlChar *name)
{
	rs_stream *s = ud;
	blank_decide(s, false, true);
	xml_child_begins(s, true, false);
	out_adds(s, "&");
	out_adds(s, (const char *)name);
	out_adds(s, ";");
}

static void sax_comment(void *ud, const xmlChar *value)
{
	rs_stream *s = ud;
	if (s->ctxt->inSubset)
		return;
	blank_decide(s, false, false);
	xml_decl(s);
	xml_child_begins(s, false, false);
	out_adds(s, "<!--");
	out_adds(s, (const char *)value);
	out_adds(s, "-->");
	xml_child_ends(s);
}

static void sax_pi(void *ud, const xmlChar *target, const xmlChar *data)
{
	rs_stream *s = ud;
	if (s->ctxt->inSubset)
		return;
	blank_decide(s, false, false);
	xml_decl(s);
	xml_child_begins(s, false, false);
	out_adds(s, "<?");
	out_adds(s, (const char *)target);
	if (data) {
		out_adds(s, " ");
		out_adds(s, (const char *)data);
	}
	out_adds(s, "?>");
	xml_child_ends(s);
}

static void sax_start_document(void *ud)
{
	xml_decl(ud);
}

static void sax_internal_subset(void *ud, const xmlChar *name, const xmlChar *ext,
				const xmlChar *sys)
{
	rs_stream *s = ud;
	xml_decl(s);
	out_adds(s, "<!DOCTYPE ");
	out_adds(s, (const char *)name);
	if (ext) {
		out_adds(s, " PUBLIC ");
		xml_out_quoted(s, (const char *)ext);
		out_adds(s, " ");
		xml_out_quoted(s, sys ? (const char *)sys : "");
	} else if (sys && strcmp((const char *)sys, "about:legacy-compat")) {
		out_adds(s, " SYSTEM ");
		xml_out_quoted(s, (const char *)sys);
	}
	/* declarations inside [ ] are not repeated: no Kaltura response has any */
	const xmlParserInput *in = s->ctxt->input;
	if (in && in->cur) {
		const xmlChar *c = in->cur;
		while (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r')
			c++;
		if (*c == '[')
			s->exact = false;
	}
	out_adds(s, ">\n");
}

/* "&#38;" is how the parser leaves an escaped '&' in attribute values for SAX2. */
static char *attr_value(const xmlChar *v, const xmlChar *end)
{
	size_t n = (size_t)(end - v);
	char *out = kt_xmalloc(n + 1), *o = out;
	for (const xmlChar *p = v; p < end;) {
		if (end - p >= 5 && !memcmp(p, "&#38;", 5)) {
			*o++ = '&';
			p += 5;
		} else {
			*o++ = (char)*p++;
		}
	}
	*o = '\0';
	return out;
}

static xframe *xpush(rs_stream *s)
{
	if (s->nxf == s->capxf) {
		s->capxf = s->capxf ? 2 * s->capxf : 32;
		s->xf = kt_xrealloc(s->xf, s->capxf * sizeof *s->xf);
	}
	xframe *f = &s->xf[s->nxf++];
	memset(f, 0, sizeof *f);
	return f;
}

static bool model_secret_leaf(const char *name)
{
	return name && strcmp(name, "objectType") && strcmp(name, "itemKey") &&
	       strcmp(name, "item") && request_is_secret_name(name);
}

/* What the model would have said of a subtree it no longer keeps. */
static void scan_secret(rs_stream *s, const xmlNode *n, int depth)
{
	if (depth > RS_MODEL_MAX_DEPTH)
		return;
	bool elem = false, text = false;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			elem = true;
			scan_secret(s, c, depth + 1);
		} else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
			   c->content && *c->content) {
			text = true;
		}
	}
	if (!elem && text && model_secret_leaf((const char *)n->name))
		s->secret = true;
}

/* Grandchildren of sub become placeholders: element nodes without children. */
static void prune_sub(rs_stream *s, xmlNode *sub)
{
	for (xmlNode *c = sub->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		bool elem = false;
		for (xmlNode *g = c->children; g; g = g->next)
			elem |= g->type == XML_ELEMENT_NODE;
		if (!elem)
			continue;
		scan_secret(s, c, 0);
		xmlFreeNodeList(c->children);
		c->children = c->last = NULL;
	}
}

static bool is_error_item(const xmlNode *n)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)c->name, "error"))
			return true;
		if (!strcmp((const char *)c->name, "objectType") && c->children &&
		    c->children->content &&
		    strstr((const char *)c->children->content, "KalturaAPIException"))
			return true;
	}
	return false;
}

/* A model node for f, within the budget of the result's child it belongs to. */
static void keep_element(rs_stream *s, xframe *f, xframe *p)
{
	f->keep = xmlNewChild(p->keep, NULL, (const xmlChar *)f->mname, NULL);
	f->keep_kids = true;
	s->all_nodes++;
	if (f->kdepth < 1)
		return;
	if (f->kdepth == 1) {
		s->sub_nodes = 0;
		s->sub_pruned = false;
		s->sub_node = f->keep;
	} else {
		f->keep_kids = !s->sub_pruned;
	}
	if (++s->sub_nodes > RS_KEEP_SUB && !s->sub_pruned) {
		s->sub_pruned = true;
		prune_sub(s, s->sub_node);
		for (size_t i = 0; i < s->nxf; i++) {
			xframe *g = &s->xf[i];
			if (g->kdepth >= 3)
				g->keep = NULL;
			if (g->kdepth >= 2)
				g->keep_kids = false;
		}
	}
}

static void sax_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
		      int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
	(void)ndef;
	rs_stream *s = ud;
	blank_decide(s, false, false);
	xml_decl(s);
	xframe *p = xtop(s);
	xml_child_begins(s, false, false);
	if (p)
		p->has_elem = true;
	xframe *f = xpush(s);
	p = s->nxf > 1 ? &s->xf[s->nxf - 2] : NULL;
	f->name = prefix ? kt_xasprintf("%s:%s", prefix, local) : kt_xstrdup((const char *)local);
	f->mname = prefix && uri ? f->name + strlen((const char *)prefix) + 1 : f->name;
	f->open = true;
	f->formatted = p ? p->formatted : true;
	f->preserve = p ? p->preserve : false;
	f->kdepth = -1;

	out_adds(s, "<");
	out_adds(s, f->name);
	for (int i = 0; i < nns; i++) {
		const char *pre = (const char *)ns[2 * i], *href = (const char *)ns[2 * i + 1];
		if (pre && !strcmp(pre, "xml"))
			continue;
		out_adds(s, pre ? " xmlns:" : " xmlns");
		if (pre)
			out_adds(s, pre);
		out_adds(s, "=");
		xml_out_quoted(s, href ? href : "");
	}
	char *key = NULL;
	for (int i = 0; i < nattr; i++) {
		const xmlChar **a = attrs + 5 * i;
		char *v = attr_value(a[3], a[4]);
		out_adds(s, " ");
		if (a[1]) {
			out_adds(s, (const char *)a[1]);
			out_adds(s, ":");
		}
		out_adds(s, (const char *)a[0]);
		out_adds(s, "=\"");
		xml_out_escaped(s, v, strlen(v), true);
		out_adds(s, "\"");
		if (a[1] && !strcmp((const char *)a[1], "xml") && !strcmp((const char *)a[0], "space"))
			f->preserve = !strcmp(v, "preserve") ? true :
				      !strcmp(v, "default") ? false : f->preserve;
		if (!a[1] && !strcmp((const char *)a[0], "key") && !key)
			key = v;
		else
			free(v);
	}

	/* the model: <result> and <executionTime> under the root, and what the budget allows */
	if (!p) {
		s->root_seen = true;
		s->root_html = !strcasecmp(f->name, "html");
		s->kroot = xmlNewNode(NULL, (const xmlChar *)f->mname);
		f->keep = s->kroot;
	} else if (s->nxf == 2) {
		if (!s->got_result && !strcmp(f->mname, "result")) {
			s->got_result = true;
			f->kdepth = 0;
		} else if (!s->got_exec && !strcmp(f->mname, "executionTime")) {
			s->got_exec = true;
			f->kdepth = -2;
		}
		if (f->kdepth != -1) {
			f->keep = xmlNewChild(s->kroot, NULL, (const xmlChar *)f->mname, NULL);
			f->keep_kids = true;
		}
	} else {
		f->kdepth = p->kdepth >= 0 ? p->kdepth + 1 : p->kdepth;
		if (p->keep && p->keep_kids && f->kdepth != -1)
			keep_element(s, f, p);
	}
	if (f->keep && key)
		xmlSetProp(f->keep, (const xmlChar *)"key", (const xmlChar *)key);
	free(key);
}

static void sax_end(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	(void)local, (void)prefix, (void)uri;
	rs_stream *s = ud;
	blank_decide(s, true, false);
	cdata_close(s);
	xframe *f = xtop(s);
	if (!f)
		return;
	if (f->open) {
		out_adds(s, "/>");
	} else {
		if (f->formatted)
			out_indent(s, s->nxf - 1);
		out_adds(s, "</");
		out_adds(s, f->name);
		out_adds(s, ">");
	}
	if (!f->keep && f->kdepth >= 0 && !f->has_elem && f->has_text &&
	    model_secret_leaf(f->mname))
		s->secret = true;
	if (f->kdepth == 1 && f->keep && s->all_nodes > RS_KEEP_ALL && !is_error_item(f->keep))
		prune_sub(s, f->keep);
	free(f->name);
	s->nxf--;
	xml_child_ends(s);
	if (!s->nxf)
		s->complete = true;
}

static int xml_check(rs_stream *s, kt_error *err)
{
	if (s->failed)
		return stream_fail(s, err);
	if (s->ctxt && !s->ctxt->wellFormed) {
		/* the push parser calls a body cut short "extra content": say what the one-pass
		 * reader says */
		if (s->finished && s->nxf && !s->cap.deep)
			kt_fail(&s->err, KT_E_RESPONSE,
				"malformed XML at line %d: Premature end of data in tag %s",
				s->ctxt->input ? s->ctxt->input->line : 0, xtop(s)->name);
		else
			response_xml_fail(&s->cap, &s->err);
		return stream_fail(s, err);
	}
	return 0;
}

static int xml_chunk(rs_stream *s, const char *p, size_t len, bool end, kt_error *err)
{
	/* libxml2 reads a body in memory up to its first NUL byte: so does the stream */
	if (s->nul_seen)
		len = 0;
	const char *nul = len ? memchr(p, '\0', len) : NULL;
	if (nul) {
		len = (size_t)(nul - p);
		s->nul_seen = true;
	}
#if LIBXML_VERSION < 21300
	/* encoding errors bypass the context's handler before 2.13; the global one is per thread */
	xmlStructuredErrorFunc old = xmlStructuredError;
	void *old_data = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(&s->cap, response_xml_on_error);
#endif
	do {
		int n = len > INT_MAX / 2 ? INT_MAX / 2 : (int)len;
		xmlParseChunk(s->ctxt, p, n, end && (size_t)n == len);
		p += n;
		len -= (size_t)n;
	} while (len && s->ctxt->wellFormed && !s->failed);
#if LIBXML_VERSION < 21300
	xmlSetStructuredErrorFunc(old_data, old);
#endif
	return xml_check(s, err);
}

/* Parser errors come with the SAX data, the stream. */
static void xml_on_error(void *ud, rs_xml_error_ref e)
{
	rs_stream *s = ud;
	response_xml_on_error(&s->cap, e);
}

static int xml_start(rs_stream *s, kt_error *err)
{
	memset(&s->sax, 0, sizeof s->sax);
	s->sax.initialized = XML_SAX2_MAGIC;
	s->sax.startDocument = sax_start_document;
	s->sax.startElementNs = sax_start;
	s->sax.endElementNs = sax_end;
	s->sax.characters = sax_characters;
	/* a handler of its own, so the parser moves past whitespace before reporting it */
	s->sax.ignorableWhitespace = sax_ignorable;
	s->sax.cdataBlock = sax_cdata;
	s->sax.comment = sax_comment;
	s->sax.processingInstruction = sax_pi;
	s->sax.reference = sax_reference;
	s->sax.internalSubset = sax_internal_subset;
	s->sax.serror = xml_on_error;
	s->ctxt = xmlCreatePushParserCtxt(&s->sax, s, NULL, 0, NULL);
	if (!s->ctxt) {
		kt_fail(&s->err, KT_E_INTERNAL, "libxml2 could not create a parser");
		return stream_fail(s, err);
	}
	xmlCtxtUseOptions(s->ctxt, XML_PARSE_NONET);
	return 0;
}

/* ---- JSON: Jansson's dump (JSON_INDENT(2), JSON_PRESERVE_ORDER), one token at a time ---- */

static int jfail(rs_stream *s, const char *why)
{
	kt_fail(&s->err, KT_E_RESPONSE, "malformed JSON at line %zu, column %zu: %s", s->line,
		s->col, why);
	s->failed = true;
	return -1;
}

static jframe *jtop(rs_stream *s)
{
	return s->njf ? &s->jf[s->njf - 1] : NULL;
}

/* Where a finished value goes in the model. */
static void jmodel_add(rs_stream *s, json_t *v)
{
	jframe *p = jtop(s);
	if (!p) {
		s->jroot = v;
		return;
	}
	if (!p->keep || !v) {
		json_decref(v);
		return;
	}
	if (p->is_obj)
		json_object_set_new(p->keep, s->pending_key ? s->pending_key : "", v);
	else
		json_array_append_new(p->keep, v);
}

/* Whether the next value gets a model node; its depth under the root. */
static bool jmodel_wants(rs_stream *s, int *kdepth)
{
	jframe *p = jtop(s);
	*kdepth = p ? p->kdepth + 1 : 0;
	return !p || (p->keep && p->keep_kids);
}

/* A value starts: separators and indentation as json_dumps writes them. */
static void jvalue_begins(rs_stream *s)
{
	jframe *p = jtop(s);
	if (p && !p->is_obj) {
		out_adds(s, p->n ? ",\n" : "\n");
		out_indent(s, s->njf);
	}
	if (p)
		p->n++;
}

static void jsecret_check(rs_stream *s, bool kept, bool nonempty)
{
	jframe *p = jtop(s);
	if (!kept && p && p->is_obj && nonempty && s->pending_key && p->kdepth >= 0 &&
	    request_is_secret_name(s->pending_key))
		s->secret = true;
}

static void jvalue_ends(rs_stream *s)
{
	free(s->pending_key);
	s->pending_key = NULL;
	s->js = s->njf ? J_COMMA_OR_END : J_DONE;
	if (!s->njf)
		s->complete = true;
}

/* Jansson's dump_string: UTF-8 as is, the short escapes, other controls as \u00XX. */
static void jout_string(rs_stream *s, const char *p, size_t n)
{
	out_adds(s, "\"");
	const char *run = p, *end = p + n;
	for (; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		char esc[8];
		if (c == '"')
			strcpy(esc, "\\\"");
		else if (c == '\\')
			strcpy(esc, "\\\\");
		else if (c == '\b')
			strcpy(esc, "\\b");
		else if (c == '\f')
			strcpy(esc, "\\f");
		else if (c == '\n')
			strcpy(esc, "\\n");
		else if (c == '\r')
			strcpy(esc, "\\r");
		else if (c == '\t')
			strcpy(esc, "\\t");
		else if (c < 0x20)
			snprintf(esc, sizeof esc, "\\u%04X", c);
		else
			continue;
		out_add(s, run, (size_t)(p - run));
		out_adds(s, esc);
		run = p + 1;
	}
	out_add(s, run, (size_t)(end - run));
	out_adds(s, "\"");
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int d = utf8_hexval((unsigned char)p[i]);
		if (d < 0)
			return -1;
		v = (v << 4) | (unsigned)d;
	}
	*out = v;
	return 0;
}

static void put_utf8(kt_buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
	}
	kt_buf_add(b, u, n);
}

/* The raw string between its quotes, escapes decoded into *out. */
static int jdecode_string(rs_stream *s, const char *p, size_t n, kt_buf *out)
{
	kt_buf_reset(out);
	const char *end = p + n;
	while (p < end) {
		const char *run = p;
		while (p < end && *p != '\\') {
			if ((unsigned char)*p < 0x20)
				return jfail(s, "control character in a string");
			p++;
		}
		kt_buf_add(out, run, (size_t)(p - run));
		if (p == end)
			break;
		p++; /* the backslash; the tokenizer saw the escape complete */
		char c = *p++;
		unsigned cp, lo;
		switch (c) {
		case '"': kt_buf_addc(out, '"'); break;
		case '\\': kt_buf_addc(out, '\\'); break;
		case '/': kt_buf_addc(out, '/'); break;
		case 'b': kt_buf_addc(out, '\b'); break;
		case 'f': kt_buf_addc(out, '\f'); break;
		case 'n': kt_buf_addc(out, '\n'); break;
		case 'r': kt_buf_addc(out, '\r'); break;
		case 't': kt_buf_addc(out, '\t'); break;
		case 'u':
			if (end - p < 4 || hex4(p, &cp))
				return jfail(s, "invalid escape");
			p += 4;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return jfail(s, "invalid Unicode escape (a lone low surrogate)");
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) ||
				    lo < 0xdc00 || lo > 0xdfff)
					return jfail(s, "invalid Unicode escape (a lone high surrogate)");
				p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (cp == 0)
				return jfail(s, "\\u0000 is not allowed in a string");
			put_utf8(out, cp);
			break;
		default:
			return jfail(s, "invalid escape");
		}
	}
	if (!utf8_valid(out->data ? out->data : "", out->len))
		return jfail(s, "invalid UTF-8 in a string");
	return 0;
}

/* Jansson's jsonp_dtostr: %.*g, a ".0" when it would read as an integer, a short exponent. */
static void jreal_text(double d, int prec, char *buf, size_t size)
{
	locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	locale_t old = c ? uselocale(c) : (locale_t)0;
	snprintf(buf, size, "%.*g", prec, d);
	if (old)
		uselocale(old);
	if (c)
		freelocale(c);
	size_t len = strlen(buf);
	if (!strchr(buf, '.') && !strchr(buf, 'e') && len + 3 < size) {
		memcpy(buf + len, ".0", 3);
		len += 2;
	}
	char *e = strchr(buf, 'e');
	if (e) {
		char *start = e + 1, *stop = start + 1;
		if (*start == '-')
			start++;
		while (*stop == '0')
			stop++;
		if (stop != start)
			memmove(start, stop, len - (size_t)(stop - buf) + 1);
	}
}

static double c_strtod(const char *s, char **end)
{
	locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	locale_t old = c ? uselocale(c) : (locale_t)0;
	double d = strtod(s, end);
	if (old)
		uselocale(old);
	if (c)
		freelocale(c);
	return d;
}

static int jscalar(rs_stream *s, int kind, const char *p, size_t n)
{
	int kdepth;
	bool want = jmodel_wants(s, &kdepth);
	json_t *v = NULL;
	bool nonempty = true;
	kt_buf dec;
	if (kind == '"') {
		kt_buf_init(&dec);
		if (jdecode_string(s, p, n, &dec)) {
			kt_buf_free(&dec);
			return -1;
		}
		if (s->js == J_KEY || s->js == J_KEY_OR_END) {
			jframe *f = jtop(s);
			if (f->keys) {
				if (json_object_get(f->keys, dec.data ? dec.data : ""))
					s->exact = false; /* Jansson keeps the first place, the last value */
				else
					json_object_set_new(f->keys, dec.data ? dec.data : "", json_true());
			}
			out_adds(s, f->n ? ",\n" : "\n");
			out_indent(s, s->njf);
			f->n++;
			jout_string(s, dec.data ? dec.data : "", dec.len);
			out_adds(s, ": ");
			free(s->pending_key);
			s->pending_key = kt_xstrndup(dec.data ? dec.data : "", dec.len);
			kt_buf_free(&dec);
			s->js = J_COLON;
			return 0;
		}
		jvalue_begins(s);
		jout_string(s, dec.data ? dec.data : "", dec.len);
		nonempty = dec.len > 0;
		if (want)
			v = json_stringn_nocheck(dec.data ? dec.data : "", dec.len);
		kt_buf_free(&dec);
	} else if (kind == 'l') {
		const char *lit = n == 4 && !memcmp(p, "true", 4) ? "true" :
				  n == 5 && !memcmp(p, "false", 5) ? "false" :
				  n == 4 && !memcmp(p, "null", 4) ? "null" : NULL;
		if (!lit)
			return jfail(s, "invalid token");
		jvalue_begins(s);
		out_adds(s, lit);
		nonempty = *lit != 'n';
		if (want)
			v = *lit == 't' ? json_true() : *lit == 'f' ? json_false() : json_null();
	} else {
		/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
		size_t i = 0;
		bool real = false;
		if (i < n && p[i] == '-')
			i++;
		if (i < n && p[i] == '0')
			i++;
		else if (i < n && p[i] >= '1' && p[i] <= '9')
			while (i < n && p[i] >= '0' && p[i] <= '9')
				i++;
		else
			return jfail(s, "invalid token");
		if (i < n && p[i] == '.') {
			real = true;
			i++;
			if (i == n || p[i] < '0' || p[i] > '9')
				return jfail(s, "invalid token");
			while (i < n && p[i] >= '0' && p[i] <= '9')
				i++;
		}
		if (i < n && (p[i] == 'e' || p[i] == 'E')) {
			real = true;
			i++;
			if (i < n && (p[i] == '+' || p[i] == '-'))
				i++;
			if (i == n || p[i] < '0' || p[i] > '9')
				return jfail(s, "invalid token");
			while (i < n && p[i] >= '0' && p[i] <= '9')
				i++;
		}
		if (i != n)
			return jfail(s, "invalid token");
		char *num = kt_xstrndup(p, n);
		char *end;
		if (!real) {
			errno = 0;
			long long ll = strtoll(num, &end, 10);
			bool range = errno == ERANGE;
			free(num);
			if (range)
				return jfail(s, "too big integer");
			jvalue_begins(s);
			char t[32];
			snprintf(t, sizeof t, "%lld", ll);
			out_adds(s, t);
			if (want)
				v = json_integer(ll);
		} else {
			errno = 0;
			double d = c_strtod(num, &end);
			free(num);
			if (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL))
				return jfail(s, "real number overflow");
			int prec = response_real_precision(d);
			/* the whole body's reals are printed at the largest precision any needs */
			if (s->real_prec && prec != s->real_prec)
				s->exact = false;
			if (prec > s->real_prec)
				s->real_prec = prec;
			jvalue_begins(s);
			char t[64];
			jreal_text(d, prec, t, sizeof t);
			out_adds(s, t);
			if (want)
				v = json_real(d);
		}
	}
	jsecret_check(s, want, nonempty);
	if (want) {
		s->all_nodes++;
		if (kdepth >= 1)
			s->sub_nodes++;
	}
	jmodel_add(s, v);
	jvalue_ends(s);
	return 0;
}

static void jprune(json_t *sub)
{
	const char *k;
	json_t *v;
	size_t i;
	if (json_is_object(sub)) {
		json_object_foreach(sub, k, v)
			if (json_is_object(v))
				json_object_clear(v);
			else if (json_is_array(v))
				json_array_clear(v);
	} else if (json_is_array(sub)) {
		json_array_foreach(sub, i, v)
			if (json_is_object(v))
				json_object_clear(v);
			else if (json_is_array(v))
				json_array_clear(v);
	}
}

static void jscan_secret(rs_stream *s, json_t *v, int depth)
{
	const char *k;
	json_t *c;
	size_t i;
	if (depth > RS_MODEL_MAX_DEPTH)
		return;
	if (json_is_object(v)) {
		json_object_foreach(v, k, c) {
			if (json_is_object(c) || json_is_array(c))
				jscan_secret(s, c, depth + 1);
			else if (!json_is_null(c) && request_is_secret_name(k) &&
				 !(json_is_string(c) && !json_string_length(c)))
				s->secret = true;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, c)
			jscan_secret(s, c, depth + 1);
	}
}

static void jprune_scan(rs_stream *s, json_t *sub)
{
	jscan_secret(s, sub, 0);
	jprune(sub);
}

static int jopen(rs_stream *s, bool obj)
{
	if (s->njf >= RS_JSON_MAX_DEPTH) {
		kt_fail(&s->err, KT_E_RESPONSE, "the response is nested too deeply (over %d levels)",
			RS_MODEL_MAX_DEPTH);
		s->failed = true;
		return -1;
	}
	int kdepth;
	bool want = jmodel_wants(s, &kdepth);
	jvalue_begins(s);
	out_adds(s, obj ? "{" : "[");
	json_t *v = want ? (obj ? json_object() : json_array()) : NULL;
	/* the frame's value joins its parent at once; the parent holds the reference */
	char *key = s->pending_key;
	s->pending_key = NULL;
	if (v) {
		jframe *p = jtop(s);
		if (!p)
			s->jroot = json_incref(v);
		else if (p->is_obj)
			json_object_set(p->keep, key ? key : "", v);
		else
			json_array_append(p->keep, v);
		json_decref(v);
		s->all_nodes++;
		if (kdepth >= 1)
			s->sub_nodes++;
	}
	free(key);
	if (s->njf == s->capjf) {
		s->capjf = s->capjf ? 2 * s->capjf : 32;
		s->jf = kt_xrealloc(s->jf, s->capjf * sizeof *s->jf);
	}
	jframe *f = &s->jf[s->njf++];
	memset(f, 0, sizeof *f);
	f->is_obj = obj;
	f->keep = v;
	f->kdepth = kdepth;
	f->keep_kids = v != NULL;
	if (v && kdepth == 1) {
		s->sub_nodes = 0;
		s->sub_pruned = false;
		s->jsub = v;
	} else if (v && kdepth >= 2) {
		f->keep_kids = !s->sub_pruned;
	}
	if (obj)
		f->keys = json_object();
	if (v && kdepth >= 1 && s->sub_nodes > RS_KEEP_SUB && !s->sub_pruned) {
		s->sub_pruned = true;
		jprune_scan(s, s->jsub);
		for (size_t i = 0; i < s->njf; i++) {
			if (s->jf[i].kdepth >= 3)
				s->jf[i].keep = NULL;
			if (s->jf[i].kdepth >= 2)
				s->jf[i].keep_kids = false;
		}
	}
	s->js = obj ? J_KEY_OR_END : J_VALUE;
	return 0;
}

static bool jerror_value(json_t *v)
{
	json_t *ot = json_object_get(v, "objectType");
	return json_is_string(ot) && !strcmp(json_string_value(ot), "KalturaAPIException");
}

static void jclose(rs_stream *s)
{
	jframe *f = jtop(s);
	if (f->n) {
		out_adds(s, "\n");
		out_indent(s, s->njf - 1);
	}
	out_adds(s, f->is_obj ? "}" : "]");
	json_decref(f->keys);
	if (f->kdepth == 1 && f->keep && s->all_nodes > RS_KEEP_ALL && !jerror_value(f->keep))
		jprune_scan(s, f->keep);
	s->njf--;
	jvalue_ends(s);
}

static bool jspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void jadvance(rs_stream *s, char c)
{
	if (c == '\n')
		s->line++, s->col = 1;
	else
		s->col++;
}

/* A token cut by the end of a chunk waits in s->tok. */
static int json_chunk(rs_stream *s, const char *p, size_t len, bool end)
{
	const char *e = p + len;
	if (!s->bom_checked && len) {
		s->bom_checked = true;
		if ((unsigned char)p[0] == 0xef)
			return jfail(s, "'[' or '{' expected near a byte order mark");
	}
	while (p < e || (end && s->tok_kind)) {
		if (s->tok_kind == '"') {
			const char *q = p;
			bool esc = s->tok_escape;
			while (q < e && (esc || *q != '"')) {
				esc = !esc && *q == '\\';
				q++;
			}
			kt_buf_add(&s->tok, p, (size_t)(q - p));
			for (const char *c = p; c < q; c++)
				jadvance(s, *c);
			s->tok_escape = esc;
			if (q == e) {
				if (end)
					return jfail(s, "premature end of input in a string");
				return 0;
			}
			p = q + 1;
			jadvance(s, '"');
			s->tok_kind = 0;
			if (jscalar(s, '"', s->tok.data ? s->tok.data : "", s->tok.len))
				return -1;
			kt_buf_reset(&s->tok);
			continue;
		}
		if (s->tok_kind) {
			const char *q = p;
			while (q < e && !jspace(*q) && !strchr(",:]}[{\"", *q))
				q++;
			kt_buf_add(&s->tok, p, (size_t)(q - p));
			s->col += (size_t)(q - p);
			p = q;
			if (q == e && !end)
				return 0;
			int kind = s->tok_kind;
			s->tok_kind = 0;
			if (jscalar(s, kind, s->tok.data ? s->tok.data : "", s->tok.len))
				return -1;
			kt_buf_reset(&s->tok);
			continue;
		}
		char c = *p;
		if (jspace(c)) {
			jadvance(s, c);
			p++;
			continue;
		}
		switch (s->js) {
		case J_DONE:
			return jfail(s, "end of file expected");
		case J_COLON:
			if (c != ':')
				return jfail(s, "':' expected");
			s->js = J_VALUE;
			break;
		case J_COMMA_OR_END: {
			jframe *f = jtop(s);
			if (c == ',')
				s->js = f->is_obj ? J_KEY : J_VALUE;
			else if (c == (f->is_obj ? '}' : ']'))
				jclose(s);
			else
				return jfail(s, f->is_obj ? "'}' expected" : "']' expected");
			break;
		}
		case J_KEY_OR_END:
		case J_KEY:
			if (c == '}' && s->js == J_KEY_OR_END) {
				jclose(s);
				break;
			}
			if (c != '"')
				return jfail(s, "string or '}' expected");
			s->tok_kind = '"';
			s->tok_escape = false;
			break;
		case J_VALUE:
			if (c == ']' && jtop(s) && !jtop(s)->is_obj && !jtop(s)->n) {
				jclose(s);
				break;
			}
			if (c == '{' || c == '[') {
				jadvance(s, c);
				p++;
				if (jopen(s, c == '{'))
					return -1;
				continue;
			}
			if (c == '"') {
				s->tok_kind = '"';
				s->tok_escape = false;
			} else if (c == '-' || (c >= '0' && c <= '9')) {
				s->tok_kind = '0';
				continue; /* the number's first byte is read as part of it */
			} else if (c >= 'a' && c <= 'z') {
				s->tok_kind = 'l';
				continue;
			} else {
				return jfail(s, "unexpected token");
			}
			break;
		}
		jadvance(s, c);
		p++;
	}
	if (end && s->js != J_DONE)
		return jfail(s, "premature end of input");
	return 0;
}

/* ---- the stream ---- */

rs_stream *rs_new(int format, rs_write_fn write, void *ud)
{
	rs_stream *s = kt_xcalloc(1, sizeof *s);
	s->format = format;
	s->write = write;
	s->ud = ud;
	s->exact = true;
	s->line = 1;
	s->col = 1;
	s->js = J_VALUE;
	kt_buf_init(&s->out);
	kt_buf_init(&s->head);
	kt_buf_init(&s->blank);
	kt_buf_init(&s->tok);
	return s;
}

static int start_parser(rs_stream *s, bool end, kt_error *err)
{
	if (response_check_body(s->head.data ? s->head.data : "", s->head.len, s->format, &s->err)) {
		/* only the end tells an empty body from one that starts late */
		bool blank = strstr(s->err.msg, "empty body") != NULL;
		if (!blank || end)
			return stream_fail(s, err);
		if (s->head.len < RS_HEAD)
			return 0;
		kt_error_clear(&s->err);
	}
	s->started = true;
	if (s->format == KT_FORMAT_XML) {
		if (xml_start(s, err))
			return -1;
		return xml_chunk(s, s->head.data, s->head.len, end, err);
	}
	if (json_chunk(s, s->head.data, s->head.len, end))
		return stream_fail(s, err);
	return 0;
}

int rs_feed(rs_stream *s, const char *p, size_t len, kt_error *err)
{
	if (s->failed)
		return stream_fail(s, err);
	if (s->format != KT_FORMAT_XML && s->format != KT_FORMAT_JSON) {
		kt_fail(&s->err, KT_E_USAGE,
			"response format %d is not supported: use 1 (JSON) or 2 (XML)", s->format);
		return stream_fail(s, err);
	}
	int rc = 0;
	if (!s->started) {
		size_t room = RS_HEAD - s->head.len, take = len < room ? len : room;
		kt_buf_add(&s->head, p, take);
		p += take;
		len -= take;
		if (s->head.len < RS_SNIFF && !len)
			return 0;
		if ((rc = start_parser(s, false, err)) || !s->started)
			goto out;
	} else if (s->head.len < RS_HEAD) {
		size_t take = RS_HEAD - s->head.len;
		kt_buf_add(&s->head, p, len < take ? len : take);
	}
	if (len)
		rc = s->format == KT_FORMAT_XML ? xml_chunk(s, p, len, false, err)
						: json_chunk(s, p, len, false) ? stream_fail(s, err) : 0;
out:
	out_flush(s);
	return rc;
}

int rs_finish(rs_stream *s, response *out, kt_error *err)
{
	memset(out, 0, sizeof *out);
	out->format = s->format;
	if (s->failed)
		return stream_fail(s, err);
	if (s->format != KT_FORMAT_XML && s->format != KT_FORMAT_JSON)
		return rs_feed(s, "", 0, err);
	s->finished = true;
	int rc;
	if (!s->started) {
		rc = start_parser(s, true, err);
		if (!rc && !s->started) {
			kt_fail(&s->err, KT_E_RESPONSE, "the server sent an empty body");
			rc = stream_fail(s, err);
		}
	} else if (s->format == KT_FORMAT_XML) {
		rc = xml_chunk(s, NULL, 0, true, err);
	} else {
		rc = json_chunk(s, NULL, 0, true) ? stream_fail(s, err) : 0;
	}
	if (!rc && s->format == KT_FORMAT_JSON)
		out_adds(s, "\n"); /* as response_pretty ends JSON */
	out_flush(s);
	if (rc)
		return -1;
	if (s->format == KT_FORMAT_XML) {
		if (!s->complete) {
			kt_fail(&s->err, KT_E_RESPONSE, "malformed XML");
			return stream_fail(s, err);
		}
		if (s->root_html)
			rc = response_fail_html(s->head.data, s->head.len, &s->err);
		else
			rc = response_model_xml(s->kroot, out, &s->err);
	} else {
		rc = response_model_json(s->jroot, out, &s->err);
	}
	if (rc) {
		response_free(out);
		if (err)
			*err = s->err;
	}
	return rc;
}

bool rs_exact(const rs_stream *s)
{
	return s->exact;
}

bool rs_pretty_complete(const rs_stream *s)
{
	return s->complete && s->finished && !s->failed;
}

bool rs_holds_secret(const rs_stream *s, const response *model, const char *service,
		     const char *action)
{
	return s->secret || response_holds_secret(model, service, action);
}

size_t rs_written(const rs_stream *s)
{
	return s->written + s->out.len;
}

void rs_free(rs_stream *s)
{
	if (!s)
		return;
	if (s->ctxt)
		xmlFreeParserCtxt(s->ctxt);
	for (size_t i = 0; i < s->nxf; i++)
		free(s->xf[i].name);
	free(s->xf);
	xmlFreeNode(s->kroot);
	for (size_t i = 0; i < s->njf; i++)
		json_decref(s->jf[i].keys);
	free(s->jf);
	json_decref(s->jroot);
	free(s->pending_key);
	kt_buf_free(&s->out);
	kt_buf_free(&s->head);
	kt_buf_free(&s->blank);
	kt_buf_free(&s->tok);
	free(s);
}

static void to_buf(void *ud, const char *p, size_t n)
{
	kt_buf_add(ud, p, n);
}

int rs_parse(const char *body, size_t len, int format, response *out, char **pretty,
	     kt_error *err)
{
	kt_buf b;
	kt_buf_init(&b);
	rs_stream *s = rs_new(format, pretty ? to_buf : NULL, &b);
	int rc = rs_feed(s, body ? body : "", body ? len : 0, err);
	if (!rc)
		rc = rs_finish(s, out, err);
	else
		memset(out, 0, sizeof *out);
	rs_free(s);
	if (pretty)
		*pretty = rc ? NULL : kt_buf_steal(&b);
	kt_buf_free(&b);
	return rc;
}
