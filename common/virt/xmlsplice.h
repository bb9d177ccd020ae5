/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the parts of a parsed XML document sit in its text, and edits made
 * as splices of that text.  libxml2 does not give a document back as it
 * read it: its serializer puts attributes in double quotes where libvirt
 * writes single ones, turns <a></a> into <a/> and character references
 * into characters, and adds or drops the XML declaration.  A splice
 * changes only the bytes an edit is about; comments, quotes, tabs, line
 * endings and the declaration (or its absence) stay as they were.
 *
 * New elements go where libvirt would write them, indented like their
 * neighbours with the line ending of the lines around them; an element
 * removed takes its line with it, so removing what was inserted gives the
 * text back byte for byte.
 */
#ifndef VFIO_XMLSPLICE_H
#define VFIO_XMLSPLICE_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

enum xs_kind { XS_ELEMENT, XS_TEXT, XS_COMMENT, XS_PI, XS_CDATA };

struct xs_attr {
	size_t name, name_len;		/* the qualified name */
	size_t value, value_len;	/* between the quotes */
	char quote;
};

struct xs_node {
	enum xs_kind kind;
	size_t start, end;	/* an element's from '<' to the end of its end tag */
	long parent, next;	/* indices, -1 for none */
	long first, last;	/* elements: the first and last child */
	size_t name_len;	/* elements: the qualified name, at start + 1 */
	size_t stag_end;	/* elements: just past the start tag */
	size_t etag;		/* elements: where the end tag starts; end for <a/> */
	size_t attr, nattr;	/* elements: their slice of the attribute array */
	bool blank;		/* text: white space only */
};

struct xmlsplice {
	const char *text;
	size_t len;
	struct xs_node *node;
	size_t n;
	struct xs_attr *attr;
	size_t nattr;
	char quote;		/* the quote of the document's first attribute */
};

/*
 * Scan TEXT, which libxml2 parsed into DOC without error and without a
 * DTD, and tie each of DOC's elements to its text.  Returns 0, or -1 with
 * errno EINVAL when the scan and libxml2 disagree.
 */
int xmlsplice_scan(struct xmlsplice *s, const char *text, size_t len, xmlDocPtr doc);
struct domain;
/*
 * domain_parse() of TEXT into D, then xmlsplice_scan() of it into S: a
 * domain read for editing by splicing.  -1 with the error said, naming
 * NAME, and nothing left to free.
 */
int xmlsplice_parse(struct domain *d, struct xmlsplice *s, const char *text, size_t len,
		    const char *name);
void xmlsplice_free(struct xmlsplice *s);

/*
 * An empty element, <NAME a='v' .../>: ATTRS holds name and value pairs
 * and ends with NULL; values are escaped and put in the document's quotes.
 */
char *xmlsplice_markup(const struct xmlsplice *s, const char *name, const char *const *attrs);
struct strbuf;
/*
 * V as an attribute value: & < > " as entities, and ' too when APOS (a
 * value that may be put in single quotes); libvirt's own formatter, which
 * always uses double quotes, leaves ' as it is.
 */
void xmlsplice_escape(struct strbuf *f, const char *v, bool apos);

/* Whether EL holds nothing but white space. */
bool xmlsplice_is_empty(const struct xmlsplice *s, xmlNodePtr el);

/*
 * The edits.  Each returns the whole new text, NUL-terminated, its length
 * in *LEN; the caller frees it.
 *
 * xmlsplice_insert: MARKUP as a child of PARENT, before the first child
 * element named in BEFORE (NULL-terminated), else after the last child.
 * An element written <a/> is opened up.
 */
char *xmlsplice_insert(const struct xmlsplice *s, xmlNodePtr parent, const char *markup,
		    const char *const *before, size_t *len);
/* MARKUP as the next sibling of EL, on a line of its own when EL has one. */
char *xmlsplice_insert_after(const struct xmlsplice *s, xmlNodePtr el, const char *markup,
			     size_t *len);
/* Set attribute NAME of EL to VALUE, in place, or added after the others. */
char *xmlsplice_set_attr(const struct xmlsplice *s, xmlNodePtr el, const char *name,
		      const char *value, size_t *len);
/* Remove EL, and its line when it has one to itself. */
char *xmlsplice_remove(const struct xmlsplice *s, xmlNodePtr el, size_t *len);
/* Write EL, which holds only white space, as <a .../>. */
char *xmlsplice_collapse(const struct xmlsplice *s, xmlNodePtr el, size_t *len);

#endif
