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

static int tok_put(struct tok *t, char c, size_t a, size_t b)
{
	if (t->n + 1 >= t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		char *s = realloc(t->s, cap);
		size_t *pa, *pb;

		if (!s)
			return -1;
		t->s = s;
		pa = realloc(t->a, cap * sizeof(*pa));
		if (!pa)
			return -1;
		t->a = pa;
		pb = realloc(t->b, cap * sizeof(*pb));
		if (!pb)
			return -1;
		t->b = pb;
		t->cap = cap;
	}
	t->s[t->n] = c;
	t->a[t->n] = a;
	t->b[t->n] = b;
	t->s[++t->n] = '\0';
	return 0;
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
static int read_tokens(const char *text, size_t a, size_t end, struct tok *toks, size_t max,
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
		if (tok_put(&t, '\0', p, p) < 0)
			return -1;
		t.n = 0;
		closed = false;
		while (p < end) {
			char c = text[p];

			/* Inside a token, quoted or not, "" is a literal quote. */
			if (c == '"' && p + 1 < end && text[p + 1] == '"') {
				if (tok_put(&t, '"', p, p + 2) < 0)
					return -1;
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
			if (tok_put(&t, !quoted && c == '/' ? '\\' : c, p, p + 1) < 0)
				return -1;
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
	return 0;
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
		if (read_tokens(text, pos, end, toks, 2, &ntok, &open_quote) < 0) {
			*why = "out of memory";
			goto fail;
		}
		pos = nl ? (size_t)(nl - text) + 1 : len;
		if (open_quote) {
			for (i = 0; i < ntok; i++)
				tok_free(&toks[i]);
			*why = "a double quote is never closed";
			*line = lineno;
			goto fail;
		}
		if (ntok == 0)
			continue;
		if (rc->n == cap) {
			l = realloc(rc->l, (cap = cap ? 2 * cap : 8) * sizeof(*l));
			if (!l) {
				for (i = 0; i < ntok; i++)
					tok_free(&toks[i]);
				*why = "out of memory";
				goto fail;
			}
			rc->l = l;
		}
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
			l->options = strdup("");
			if (!l->options) {
				*why = "out of memory";
				goto fail;
			}
		}
	}
	return 0;
fail:
	refind_conf_free(rc);
	return -1;
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
	char *q = malloc(2 * n + 3);

	if (!q)
		return NULL;
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

static int put(struct kc_change **f, size_t *nf, size_t *cap, size_t a, size_t b, char *text)
{
	if (!text)
		return -1;
	if (*nf == *cap) {
		struct kc_change *g = realloc(*f, (*cap = *cap ? 2 * *cap : 8) * sizeof(*g));

		if (!g) {
			free(text);
			return -1;
		}
		*f = g;
	}
	(*f)[*nf].start = a;
	(*f)[*nf].end = b;
	(*f)[*nf].text = text;
	(*nf)++;
	return 0;
}

int refind_line_changes(const struct refind_line *l, const struct kc_change *ch, size_t n,
			struct kc_change **f, size_t *nf, size_t *cap)
{
	size_t i;

	if (!l->has_options || !l->quoted) {
		/* No options, or options without quotes: write the token anew, quoted. */
		char *now = kc_apply(l->options, l->optlen, ch, n, NULL), *q, *sp;
		bool gap_before;

		if (!now)
			return -1;
		q = quote_doubled(now, true);
		free(now);
		if (!q)
			return -1;
		/*
		 * Against the label's closing quote or the next token's opening
		 * one, a quote would make "" of the two, a quote inside the
		 * token: a blank keeps them apart.
		 */
		gap_before = !l->has_options || l->tok_a == l->label_end;
		if (l->has_options && !gap_before && !l->quote_after)
			return put(f, nf, cap, l->tok_a, l->tok_b, q);
		sp = xasprintf("%s%s%s", gap_before ? " " : "", q, l->quote_after ? " " : "");
		free(q);
		if (l->has_options)
			return put(f, nf, cap, l->tok_a, l->tok_b, sp);
		return put(f, nf, cap, l->label_end, l->label_end, sp);
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
		char *now = kc_apply(l->options, l->optlen, ch, n, NULL);
		bool quote_first = now && now[0] == '"';

		free(now);
		if (!now || (quote_first && put(f, nf, cap, l->tok_a, l->tok_a, strdup(" ")) < 0))
			return -1;
	}
	for (i = 0; i < n; i++) {
		const struct kc_change *c = &ch[i];
		size_t a = c->start < l->optlen ? l->src_a[c->start] : l->tok_b - 1;
		size_t b = c->end > c->start ? l->src_b[c->end - 1] : a;

		if (put(f, nf, cap, a, b, quote_doubled(c->text, false)) < 0)
			return -1;
	}
	return 0;
}
