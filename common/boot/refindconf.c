/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/refindconf.h"
#include "base/xalloc.h"
#include "base/banned.h"

struct tok {
	char *s;
	size_t n, cap;
	size_t *a, *b;
	bool quoted;
	size_t tok_a, tok_b;
};

static void tok_put(struct tok *t, char c, size_t a, size_t b)
{
	if (t->n + 1 >= t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->s = xreallocarray(t->s, t->cap, sizeof(*t->s));
		t->a = xreallocarray(t->a, t->cap, sizeof(*t->a));
		t->b = xreallocarray(t->b, t->cap, sizeof(*t->b));
	}
	t->s[t->n] = c;
	t->a[t->n] = a;
	t->b[t->n] = b;
	t->s[++t->n] = '\0';
}

static void tok_free(struct tok *t)
{
	free(t->s);
	free(t->a);
	free(t->b);
	memset(t, 0, sizeof(*t));
}

static bool separator(char c)
{
	return c == ' ' || c == '\t' || c == '=' || c == ',';
}

/* The tokens of the line [a, end), as ReadTokenLine() splits them. */
static void read_tokens(const char *text, size_t a, size_t end, struct tok *toks, size_t max,
			size_t *ntok, bool *open_quote)
{
	size_t p = a;
	bool quoted = false, closed;

	*ntok = 0;
	for (;;) {
		struct tok t = { 0 };

		while (!quoted && p < end && separator(text[p]))
			p++;
		if (p >= end || text[p] == '#')
			break;
		t.tok_a = p;
		if (text[p] == '"') {
			quoted = !quoted;
			p++;
		}
		t.quoted = quoted;
		tok_put(&t, '\0', p, p);
		t.n = 0;
		closed = false;
		while (p < end) {
			char c = text[p];

			/* Inside a token, quoted or not, "" is a literal quote. */
			if (c == '"' && p + 1 < end && text[p + 1] == '"') {
				tok_put(&t, '"', p, p + 2);
				p += 2;
				continue;
			}
			/* A quote after an unquoted token opens the next one. */
			if (c == '"') {
				closed = quoted;
				quoted = false;
				break;
			}
			if (!quoted && (separator(c) || c == '#'))
				break;
			tok_put(&t, !quoted && c == '/' ? '\\' : c, p, p + 1);
			p++;
		}
		t.tok_b = closed ? p + 1 : p;
		if (*ntok < max)
			toks[(*ntok)++] = t;
		else
			tok_free(&t);
		if (p >= end || text[p] == '#')
			break;
		if (closed || text[p] != '"')
			p++;
	}
	*open_quote = quoted;
}

int refind_conf_parse(struct refind_conf *rc, const char *text, size_t len,
		      const char **why, unsigned *line)
{
	size_t pos = 0, cap = 0;
	unsigned lineno = 0;

	memset(rc, 0, sizeof(*rc));
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, ntok, i;
		struct tok toks[2];
		struct refind_line *l;
		bool open_quote;

		if (end > pos && text[end - 1] == '\r')
			end--;
		lineno++;
		read_tokens(text, pos, end, toks, 2, &ntok, &open_quote);
		pos = nl ? (size_t)(nl - text) + 1 : len;
		if (open_quote) {
			for (i = 0; i < ntok; i++)
				tok_free(&toks[i]);
			*why = "a double quote is never closed";
			*line = lineno;
			refind_conf_free(rc);
			return -1;
		}
		if (ntok == 0)
			continue;
		XGROW(rc->l, rc->n + 1, cap);
		l = &rc->l[rc->n++];
		memset(l, 0, sizeof(*l));
		l->lineno = lineno;
		l->label = toks[0].s;
		l->label_end = toks[0].tok_b;
		free(toks[0].a);
		free(toks[0].b);
		if (ntok > 1) {
			l->has_options = true;
			l->quoted = toks[1].quoted;
			l->tok_a = toks[1].tok_a;
			l->tok_b = toks[1].tok_b;
			l->quote_after = l->tok_b < end && text[l->tok_b] == '"';
			l->options = toks[1].s;
			l->optlen = toks[1].n;
			l->src_a = toks[1].a;
			l->src_b = toks[1].b;
		} else {
			l->options = xstrdup("");
		}
	}
	return 0;
}

void refind_conf_free(struct refind_conf *rc)
{
	size_t i;

	for (i = 0; i < rc->n; i++) {
		free(rc->l[i].label);
		free(rc->l[i].options);
		free(rc->l[i].src_a);
		free(rc->l[i].src_b);
	}
	free(rc->l);
	memset(rc, 0, sizeof(*rc));
}

static char *quote_doubled(const char *s, bool outer)
{
	size_t n = strlen(s), i, k = 0;
	char *q = xmalloc(2 * n + 3);

	if (outer)
		q[k++] = '"';
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			q[k++] = '"';
		q[k++] = s[i];
	}
	if (outer)
		q[k++] = '"';
	q[k] = '\0';
	return q;
}

static void put(struct text_change **f, size_t *nf, size_t *cap, size_t a, size_t b, char *text)
{
	XGROW(*f, *nf + 1, *cap);
	(*f)[*nf].start = a;
	(*f)[*nf].end = b;
	(*f)[*nf].text = text;
	(*nf)++;
}

void refind_line_changes(const struct refind_line *l, const struct text_change *ch, size_t n,
			struct text_change **f, size_t *nf, size_t *cap)
{
	size_t i;

	if (!l->has_options || !l->quoted) {
		/* No options, or options without quotes: write the token anew, quoted. */
		char *now = text_changes_apply(l->options, l->optlen, ch, n, NULL), *q, *sp;
		bool gap_before;

		q = quote_doubled(now, true);
		free(now);
		/*
		 * Against the label's closing quote or the next token's opening
		 * one, a quote would make "" of the two, a quote inside the
		 * token: a blank keeps them apart.
		 */
		gap_before = !l->has_options || l->tok_a == l->label_end;
		if (l->has_options && !gap_before && !l->quote_after) {
			put(f, nf, cap, l->tok_a, l->tok_b, q);
			return;
		}
		sp = xasprintf("%s%s%s", gap_before ? " " : "", q, l->quote_after ? " " : "");
		free(q);
		if (l->has_options)
			put(f, nf, cap, l->tok_a, l->tok_b, sp);
		else
			put(f, nf, cap, l->label_end, l->label_end, sp);
		return;
	}
	/*
	 * A label against the options' opening quote (Arch"quiet") is read
	 * apart only while the next character is no quote: a parameter added
	 * first that starts with one would make "" of the two, a quote in the
	 * label.  Options that come to start with a quote, added or left
	 * first by a removal, would make "" of the two, a quote in the label.
	 * A blank keeps them apart.
	 */
	if (l->tok_a == l->label_end) {
		char *now = text_changes_apply(l->options, l->optlen, ch, n, NULL);
		bool quote_first = now[0] == '"';

		free(now);
		if (quote_first)
			put(f, nf, cap, l->tok_a, l->tok_a, xstrdup(" "));
	}
	for (i = 0; i < n; i++) {
		const struct text_change *c = &ch[i];
		size_t a = c->start < l->optlen ? l->src_a[c->start] : l->tok_b - 1;
		size_t b = c->end > c->start ? l->src_b[c->end - 1] : a;

		put(f, nf, cap, a, b, quote_doubled(c->text, false));
	}
}
