/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/blsentry.h"
#include "base/text.h"
#include "base/xalloc.h"
#include "base/banned.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

void bls_entry_parse(struct bls_entry *e, const char *text, size_t len)
{
	size_t pos = 0, cap = 0, cmdcap = 1;

	memset(e, 0, sizeof(*e));
	e->text = text;
	e->len = len;
	e->cmdline = xmalloc(1);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, start = pos, a = pos, k, v, b;
		struct bls_options *o;

		pos = nl ? end + 1 : len;
		while (a < end && blank(text[a]))
			a++;
		for (k = a; k < end && !blank(text[k]); k++)
			;
		if (k - a != 7 || memcmp(text + a, "options", 7))
			continue;
		for (v = k; v < end && blank(text[v]); v++)
			;
		for (b = end; b > v && blank(text[b - 1]); b--)
			;
		XGROW(e->opt, e->nopt + 1, cap);
		o = &e->opt[e->nopt++];
		o->line_a = start;
		o->line_b = pos;
		o->val_a = v;
		o->val_b = b;
		if (e->nopt > 1)
			e->cmdline[e->cmdlen++] = '\n';
		o->at = e->cmdlen;
		XGROW(e->cmdline, e->cmdlen + (b - v) + 2, cmdcap);
		memcpy(e->cmdline + e->cmdlen, text + v, b - v);
		e->cmdlen += b - v;
	}
	e->cmdline[e->cmdlen] = '\0';
}

void bls_entry_free(struct bls_entry *e)
{
	free(e->opt);
	free(e->cmdline);
	memset(e, 0, sizeof(*e));
}

static void put_after(struct text_change **f, size_t *n, size_t *cap, size_t a, size_t b,
		      const char *pre, const char *text)
{
	XGROW(*f, *n + 1, *cap);
	(*f)[*n].start = a;
	(*f)[*n].end = b;
	(*f)[*n].text = xasprintf("%s%s", pre, text);
	(*n)++;
}

static void put(struct text_change **f, size_t *n, size_t *cap, size_t a, size_t b,
		const char *text)
{
	put_after(f, n, cap, a, b, "", text);
}

/*
 * TEXT put at AT in options line O: "options" alone has no blank after
 * it for the first parameter to follow, so it gets one.
 */
static void put_in(struct text_change **f, size_t *n, size_t *cap, const struct bls_entry *e,
		   const struct bls_options *o, size_t at, size_t end, const char *text)
{
	bool bare = at == o->val_a && text[0] && !blank(e->text[o->val_a - 1]);

	put_after(f, n, cap, at, end, bare ? " " : "", text);
}

char *bls_entry_edit(const struct bls_entry *e, const struct text_change *ch, size_t n,
		     size_t *newlen)
{
	struct text_change *f = NULL;
	size_t nf = 0, cap = 0, i, j, *kept = NULL;
	char *out, *line;

	if (e->nopt == 0) {
		char *add = text_changes_apply("", 0, ch, n, NULL);

		line = xasprintf("%soptions %s\n", e->len && e->text[e->len - 1] != '\n' ? "\n" : "", add);
		free(add);
		out = text_splice_n(e->text, e->len, e->len, 0, line, strlen(line), newlen);
		free(line);
		return out;
	}
	kept = xcalloc(e->nopt, sizeof(*kept));
	for (j = 0; j < e->nopt; j++)
		kept[j] = e->opt[j].val_b - e->opt[j].val_a;
	for (i = 0; i < n; i++) {
		const struct text_change *c = &ch[i];

		for (j = 0; j < e->nopt; j++) {
			const struct bls_options *o = &e->opt[j];
			size_t end = o->at + (o->val_b - o->val_a), a, b;

			/* An insertion belongs to the line it touches; the first wins. */
			if (c->start == c->end) {
				if (c->start >= o->at && c->start <= end) {
					put_in(&f, &nf, &cap, e, o, o->val_a + (c->start - o->at),
					       o->val_a + (c->start - o->at), c->text);
					kept[j] += strlen(c->text);
					break;
				}
				continue;
			}
			a = c->start > o->at ? c->start : o->at;
			b = c->end < end ? c->end : end;
			if (a > b || (a == b && !(c->start <= o->at && c->text[0])))
				continue;
			put_in(&f, &nf, &cap, e, o, o->val_a + (a - o->at), o->val_a + (b - o->at),
			       a == c->start ? c->text : "");
			kept[j] -= b - a;
			if (a == c->start)
				kept[j] += strlen(c->text);
		}
	}
	/* An options line with nothing left goes, line and all. */
	for (j = 0; j < e->nopt; j++) {
		const struct bls_options *o = &e->opt[j];

		if (kept[j] || o->val_b == o->val_a)
			continue;
		for (i = 0; i < nf; i++)
			if (f[i].start >= o->val_a && f[i].end <= o->val_b) {
				f[i].start = f[i].end = o->line_a;
				f[i].text[0] = '\0';
			}
		put(&f, &nf, &cap, o->line_a, o->line_b, "");
	}
	for (i = 1; i < nf; i++)
		for (j = i; j > 0 && (f[j].start < f[j - 1].start ||
				      (f[j].start == f[j - 1].start && f[j].end < f[j - 1].end)); j--) {
			struct text_change t = f[j];

			f[j] = f[j - 1];
			f[j - 1] = t;
		}
	out = text_changes_apply(e->text, e->len, f, nf, newlen);
	text_changes_free(f, nf);
	free(kept);
	return out;
}
