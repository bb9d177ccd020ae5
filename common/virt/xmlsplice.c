/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virt/xmlsplice.h"
#include "virt/domain.h"
#include "base/strbuf.h"
#include "base/prog.h"
#include "base/text.h"
#include "base/xalloc.h"
#include "base/banned.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool starts(const struct xmlsplice *s, size_t i, const char *lit)
{
	size_t n = strlen(lit);

	return s->len - i >= n && !memcmp(s->text + i, lit, n);
}

/* Offset just past the first LIT at or after I, or 0 if there is none. */
static size_t past(const struct xmlsplice *s, size_t i, const char *lit)
{
	size_t n = strlen(lit);
	const char *p = i <= s->len ? memmem(s->text + i, s->len - i, lit, n) : NULL;

	return p ? (size_t)(p - s->text) + n : 0;
}

static long add(struct xmlsplice *s, size_t *cap, enum xs_kind kind, size_t start, long parent,
		long *top_last)
{
	struct xs_node *x;
	long i, *last;

	XGROW(s->node, s->n + 1, *cap);
	i = (long)s->n++;
	x = &s->node[i];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->start = start;
	x->parent = parent;
	x->next = x->first = x->last = -1;
	last = parent >= 0 ? &s->node[parent].last : top_last;
	if (*last >= 0)
		s->node[*last].next = i;
	else if (parent >= 0)
		s->node[parent].first = i;
	*last = i;
	return i;
}

static void add_attr(struct xmlsplice *s, size_t *cap, const struct xs_attr *a)
{
	XGROW(s->attr, s->nattr + 1, *cap);
	s->attr[s->nattr++] = *a;
}

/* A start tag at I as element K; returns the offset past it, 0 if malformed. */
static size_t start_tag(struct xmlsplice *s, size_t *acap, long k, size_t i, bool *open)
{
	const char *t = s->text;
	size_t j = i + 1;
	struct xs_node *x;

	while (j < s->len && !is_blank(t[j]) && t[j] != '/' && t[j] != '>')
		j++;
	x = &s->node[k];
	x->name_len = j - i - 1;
	x->attr = s->nattr;
	for (;;) {
		struct xs_attr a;

		while (j < s->len && is_blank(t[j]))
			j++;
		if (j + 1 < s->len && t[j] == '/' && t[j + 1] == '>') {
			x->stag_end = x->etag = x->end = j + 2;
			*open = false;
			return j + 2;
		}
		if (j < s->len && t[j] == '>') {
			x->stag_end = j + 1;
			*open = true;
			return j + 1;
		}
		a.name = j;
		while (j < s->len && !is_blank(t[j]) && t[j] != '=')
			j++;
		a.name_len = j - a.name;
		while (j < s->len && is_blank(t[j]))
			j++;
		if (j >= s->len || t[j] != '=')
			return 0;
		j++;
		while (j < s->len && is_blank(t[j]))
			j++;
		if (j >= s->len || (t[j] != '\'' && t[j] != '"'))
			return 0;
		a.quote = t[j];
		a.value = ++j;
		while (j < s->len && t[j] != a.quote)
			j++;
		if (j >= s->len)
			return 0;
		a.value_len = j - a.value;
		j++;
		add_attr(s, acap, &a);
		x->nattr++;
		if (!s->quote)
			s->quote = a.quote;
	}
}

static int tokenize(struct xmlsplice *s)
{
	const char *t = s->text;
	size_t i = 0, cap = 0, acap = 0, end;
	long cur = -1, top_last = -1, k;
	bool open;

	while (i < s->len) {
		enum xs_kind kind = XS_TEXT;

		if (t[i] != '<') {
			bool blank = true;

			k = add(s, &cap, XS_TEXT, i, cur, &top_last);
			for (; i < s->len && t[i] != '<'; i++)
				if (!is_blank(t[i]))
					blank = false;
			s->node[k].end = i;
			s->node[k].blank = blank;
			continue;
		}
		if (starts(s, i, "<!--")) {
			kind = XS_COMMENT;
			end = past(s, i + 4, "-->");
		} else if (starts(s, i, "<![CDATA[")) {
			kind = XS_CDATA;
			end = past(s, i + 9, "]]>");
		} else if (starts(s, i, "<?")) {
			kind = XS_PI;
			end = past(s, i + 2, "?>");
		} else if (starts(s, i, "</")) {
			end = past(s, i, ">");
			if (cur < 0 || !end)
				goto invalid;
			s->node[cur].etag = i;
			s->node[cur].end = end;
			cur = s->node[cur].parent;
			i = end;
			continue;
		} else if (starts(s, i, "<!")) {
			goto invalid;
		} else {
			k = add(s, &cap, XS_ELEMENT, i, cur, &top_last);
			i = start_tag(s, &acap, k, i, &open);
			if (!i)
				goto invalid;
			if (open)
				cur = k;
			continue;
		}
		if (!end)
			goto invalid;
		k = add(s, &cap, kind, i, cur, &top_last);
		s->node[k].end = end;
		i = end;
	}
	if (cur >= 0)
		goto invalid;
	if (!s->quote)
		s->quote = '\'';
	return 0;
invalid:
	errno = EINVAL;
	return -1;
}

/* The next node after N in document order, NULL at the end. */
static xmlNodePtr preorder_next(xmlNodePtr n)
{
	if (n->children && n->type == XML_ELEMENT_NODE)
		return n->children;
	for (; n && n->type != XML_DOCUMENT_NODE; n = n->parent)
		if (n->next)
			return n->next;
	return NULL;
}

static bool same_name(const struct xmlsplice *s, const struct xs_node *x, xmlNodePtr n)
{
	const char *q = s->text + x->start + 1, *name = (const char *)n->name;
	size_t plen = 0;

	if (n->ns && n->ns->prefix) {
		plen = strlen((const char *)n->ns->prefix);
		if (x->name_len <= plen || memcmp(q, n->ns->prefix, plen) || q[plen] != ':')
			return false;
		plen++;
	}
	return x->name_len - plen == strlen(name) && !memcmp(q + plen, name, x->name_len - plen);
}

int xmlsplice_scan(struct xmlsplice *s, const char *text, size_t len, xmlDocPtr doc)
{
	xmlNodePtr n;
	size_t k = 0;

	memset(s, 0, sizeof(*s));
	s->text = text;
	s->len = len;
	if (tokenize(s) < 0)
		goto fail;
	for (n = doc->children; n; n = preorder_next(n)) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		while (k < s->n && s->node[k].kind != XS_ELEMENT)
			k++;
		if (k == s->n || !same_name(s, &s->node[k], n)) {
			errno = EINVAL;
			goto fail;
		}
		n->_private = (void *)(uintptr_t)(k + 1);
		k++;
	}
	for (; k < s->n; k++)
		if (s->node[k].kind == XS_ELEMENT) {
			errno = EINVAL;
			goto fail;
		}
	return 0;
fail:
	xmlsplice_free(s);
	return -1;
}

void xmlsplice_free(struct xmlsplice *s)
{
	free(s->node);
	free(s->attr);
	s->node = NULL;
	s->attr = NULL;
	s->n = s->nattr = 0;
}

static const struct xs_node *node_of(const struct xmlsplice *s, xmlNodePtr el)
{
	return &s->node[(uintptr_t)el->_private - 1];
}

/* Whether only blanks precede POS on its line: they are its indentation. */
static bool own_line(const struct xmlsplice *s, size_t pos)
{
	size_t i;

	for (i = line_start(s->text, pos); i < pos; i++)
		if (s->text[i] != ' ' && s->text[i] != '\t')
			return false;
	return true;
}

/* The line ending before POS's line, or else the document's first one. */
static const char *eol(const struct xmlsplice *s, size_t pos)
{
	size_t ls = line_start(s->text, pos);
	const char *nl;

	if (ls > 0)
		return ls >= 2 && s->text[ls - 2] == '\r' ? "\r\n" : "\n";
	nl = memchr(s->text, '\n', s->len);
	return nl && nl > s->text && nl[-1] == '\r' ? "\r\n" : "\n";
}

static void put_indent(struct strbuf *f, const struct xmlsplice *s, size_t pos)
{
	size_t ls = line_start(s->text, pos);

	strbuf_add(f, s->text + ls, pos - ls);
}

static const struct xs_node *first_element(const struct xmlsplice *s, const struct xs_node *p)
{
	long c;

	for (c = p->first; c >= 0; c = s->node[c].next)
		if (s->node[c].kind == XS_ELEMENT)
			return &s->node[c];
	return NULL;
}

/* The indentation INNER's line adds to OUTER's, both lines of their own. */
static bool indent_step(const struct xmlsplice *s, const struct xs_node *outer,
			const struct xs_node *inner, size_t *at, size_t *n)
{
	size_t ols = line_start(s->text, outer->start), ils = line_start(s->text, inner->start);
	size_t ol = outer->start - ols, il = inner->start - ils;

	if (!own_line(s, outer->start) || !own_line(s, inner->start) || il < ol ||
	    memcmp(s->text + ols, s->text + ils, ol))
		return false;
	*at = ils + ol;
	*n = il - ol;
	return true;
}

/*
 * One level of indentation below P: what P's line adds to its parent's,
 * else what the root's first child adds to the root.  False when the
 * document does not put elements on lines of their own.
 */
static bool level_unit(const struct xmlsplice *s, const struct xs_node *p, size_t *at, size_t *n)
{
	const struct xs_node *root = p, *c;

	if (p->parent >= 0 && indent_step(s, &s->node[p->parent], p, at, n) && *n > 0)
		return true;
	while (root->parent >= 0)
		root = &s->node[root->parent];
	c = first_element(s, root);
	return c && indent_step(s, root, c, at, n);
}

void xmlsplice_escape(struct strbuf *f, const char *v, bool apos)
{
	for (; *v; v++) {
		switch (*v) {
		case '&':
			strbuf_addstr(f, "&amp;");
			break;
		case '<':
			strbuf_addstr(f, "&lt;");
			break;
		case '>':
			strbuf_addstr(f, "&gt;");
			break;
		case '\'':
			if (apos)
				strbuf_addstr(f, "&apos;");
			else
				strbuf_addch(f, '\'');
			break;
		case '"':
			strbuf_addstr(f, "&quot;");
			break;
		default:
			strbuf_addch(f, *v);
		}
	}
}

/* The text with DEL bytes at AT replaced by INS, which is released. */
static char *splice(const struct xmlsplice *s, size_t at, size_t del, struct strbuf *ins, size_t *len)
{
	char *out = text_splice_n(s->text, s->len, at, del, ins->buf, ins->len, len);

	strbuf_release(ins);
	return out;
}

char *xmlsplice_markup(const struct xmlsplice *s, const char *name, const char *const *attrs)
{
	struct strbuf f = STRBUF_INIT;

	strbuf_addf(&f, "<%s", name);
	for (; attrs && attrs[0]; attrs += 2) {
		strbuf_addf(&f, " %s=%c", attrs[0], s->quote);
		xmlsplice_escape(&f, attrs[1], true);
		strbuf_addch(&f, s->quote);
	}
	strbuf_addstr(&f, "/>");
	return strbuf_detach(&f, NULL);
}

bool xmlsplice_is_empty(const struct xmlsplice *s, xmlNodePtr el)
{
	long c;

	for (c = node_of(s, el)->first; c >= 0; c = s->node[c].next)
		if (s->node[c].kind != XS_TEXT || !s->node[c].blank)
			return false;
	return true;
}

static bool named_in(const struct xmlsplice *s, const struct xs_node *x, const char *const *names)
{
	for (; names && *names; names++)
		if (strlen(*names) == x->name_len && !memcmp(s->text + x->start + 1, *names, x->name_len))
			return true;
	return false;
}

char *xmlsplice_insert(const struct xmlsplice *s, xmlNodePtr parent, const char *markup,
		    const char *const *before, size_t *len)
{
	const struct xs_node *p = node_of(s, parent), *follower = NULL, *last = NULL;
	struct strbuf f = STRBUF_INIT;
	size_t at, unit, unit_len;
	bool shut;
	long c;

	for (c = p->first; c >= 0; c = s->node[c].next) {
		const struct xs_node *x = &s->node[c];

		if (x->kind == XS_TEXT && x->blank)
			continue;
		last = x;
		if (!follower && x->kind == XS_ELEMENT && named_in(s, x, before))
			follower = x;
	}
	if (follower && own_line(s, follower->start)) {
		/* A line of its own above the follower's. */
		at = line_start(s->text, follower->start);
		put_indent(&f, s, follower->start);
		strbuf_addf(&f, "%s%s", markup, eol(s, follower->start));
		return splice(s, at, 0, &f, len);
	}
	if (follower) {
		strbuf_addstr(&f, markup);
		return splice(s, follower->start, 0, &f, len);
	}
	if (last) {
		if (own_line(s, last->start)) {
			strbuf_addstr(&f, eol(s, last->start));
			put_indent(&f, s, last->start);
		}
		strbuf_addstr(&f, markup);
		return splice(s, last->end, 0, &f, len);
	}
	/* No children yet: open the element up, one level deeper than itself. */
	shut = p->etag == p->end;
	if (shut)
		strbuf_addch(&f, '>');
	if (own_line(s, p->start) && level_unit(s, p, &unit, &unit_len)) {
		strbuf_addstr(&f, eol(s, p->start));
		put_indent(&f, s, p->start);
		strbuf_add(&f, s->text + unit, unit_len);
		strbuf_addstr(&f, markup);
		strbuf_addstr(&f, eol(s, p->start));
		put_indent(&f, s, p->start);
	} else {
		strbuf_addstr(&f, markup);
	}
	if (shut) {
		/* "<a/>": its "/>" becomes ">", the child and "</a>". */
		strbuf_addf(&f, "</%.*s>", (int)p->name_len, s->text + p->start + 1);
		return splice(s, p->stag_end - 2, 2, &f, len);
	}
	return splice(s, p->stag_end, p->etag - p->stag_end, &f, len);
}

char *xmlsplice_insert_after(const struct xmlsplice *s, xmlNodePtr el, const char *markup,
			     size_t *len)
{
	const struct xs_node *x = node_of(s, el);
	struct strbuf f = STRBUF_INIT;

	if (own_line(s, x->start)) {
		strbuf_addstr(&f, eol(s, x->start));
		put_indent(&f, s, x->start);
	}
	strbuf_addstr(&f, markup);
	return splice(s, x->end, 0, &f, len);
}

char *xmlsplice_set_attr(const struct xmlsplice *s, xmlNodePtr el, const char *name,
		      const char *value, size_t *len)
{
	const struct xs_node *x = node_of(s, el);
	struct strbuf f = STRBUF_INIT;
	char quote = x->nattr ? s->attr[x->attr].quote : s->quote;
	size_t i, at;

	for (i = x->attr; i < x->attr + x->nattr; i++) {
		const struct xs_attr *a = &s->attr[i];

		if (a->name_len == strlen(name) && !memcmp(s->text + a->name, name, a->name_len)) {
			xmlsplice_escape(&f, value, true);
			return splice(s, a->value, a->value_len, &f, len);
		}
	}
	at = x->nattr ? s->attr[x->attr + x->nattr - 1].value +
			s->attr[x->attr + x->nattr - 1].value_len + 1 :
			x->start + 1 + x->name_len;
	strbuf_addf(&f, " %s=%c", name, quote);
	xmlsplice_escape(&f, value, true);
	strbuf_addch(&f, quote);
	return splice(s, at, 0, &f, len);
}

char *xmlsplice_remove(const struct xmlsplice *s, xmlNodePtr el, size_t *len)
{
	const struct xs_node *x = node_of(s, el);
	size_t a = x->start, b = x->end, z = x->end;

	while (z < s->len && (s->text[z] == ' ' || s->text[z] == '\t'))
		z++;
	if (own_line(s, a) && line_start(s->text, a) > 0 &&
	    (z == s->len || s->text[z] == '\n' || (s->text[z] == '\r' && z + 1 < s->len &&
						    s->text[z + 1] == '\n'))) {
		/* From the end of the line above to the end of the element's line. */
		a = line_start(s->text, a) - 1;
		if (a > 0 && s->text[a - 1] == '\r')
			a--;
		b = z;
	}
	return text_splice_n(s->text, s->len, a, b - a, "", 0, len);
}

char *xmlsplice_collapse(const struct xmlsplice *s, xmlNodePtr el, size_t *len)
{
	const struct xs_node *x = node_of(s, el);

	if (x->etag == x->end)
		return text_splice_n(s->text, s->len, 0, 0, "", 0, len);
	return text_splice_n(s->text, s->len, x->stag_end - 1, x->end - x->stag_end + 1, "/>", 2,
			     len);
}

int xmlsplice_parse(struct domain *d, struct xmlsplice *s, const char *text, size_t len,
		    const char *name)
{
	if (domain_parse(d, text, len, name) < 0)
		return -1;
	if (xmlsplice_scan(s, text, len, d->doc) < 0) {
		warnx("could not parse '%s': its text and libxml2's reading of it disagree", name);
		domain_free(d);
		return -1;
	}
	return 0;
}
