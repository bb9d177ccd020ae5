/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/diff.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define CONTEXT 3
/* Past this many cells the middle is shown as one replaced block. */
#define MAX_CELLS (16u * 1024 * 1024)

struct lines {
	const char **s;
	size_t *len;	/* with the newline, if any */
	size_t n;
};

static void split(const char *text, size_t size, struct lines *l)
{
	size_t i, start = 0, cap = 16;

	l->n = 0;
	l->s = xreallocarray(NULL, cap, sizeof(*l->s));
	l->len = xreallocarray(NULL, cap, sizeof(*l->len));
	for (i = 0; i <= size; i++) {
		if (i < size && text[i] != '\n')
			continue;
		if (i == size && start == size)
			break;
		if (l->n == cap) {
			cap *= 2;
			l->s = xreallocarray(l->s, cap, sizeof(*l->s));
			l->len = xreallocarray(l->len, cap, sizeof(*l->len));
		}
		l->s[l->n] = text + start;
		l->len[l->n] = (i < size ? i + 1 : i) - start;
		l->n++;
		start = i + 1;
	}
}

static bool same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && !memcmp(a->s[i], b->s[j], a->len[i]);
}

/* One edit-script entry: ' ', '-' or '+', and the line's index on its side. */
struct op {
	char kind;
	size_t i;
};

/*
 * Longest common subsequence by dynamic programming over the part between
 * the common head and tail; configuration files are small.
 */
static struct op *script(const struct lines *a, const struct lines *b, size_t *nops)
{
	size_t head = 0, tail = 0, n, m, i, j, k = 0;
	struct op *ops = xreallocarray(NULL, a->n + b->n + 1, sizeof(*ops));
	unsigned int *t = NULL;

	while (head < a->n && head < b->n && same(a, head, b, head))
		head++;
	while (tail < a->n - head && tail < b->n - head &&
	       same(a, a->n - 1 - tail, b, b->n - 1 - tail))
		tail++;
	n = a->n - head - tail;
	m = b->n - head - tail;
	for (i = 0; i < head; i++)
		ops[k++] = (struct op){ ' ', i };
	if (n && m && (n + 1) * (m + 1) <= MAX_CELLS)
		t = xcalloc((n + 1) * (m + 1), sizeof(*t));
	if (t) {
		/* t[i][j]: LCS length of a[head+i..] and b[head+j..] */
		for (i = n; i-- > 0; )
			for (j = m; j-- > 0; )
				t[i * (m + 1) + j] = same(a, head + i, b, head + j) ?
					t[(i + 1) * (m + 1) + j + 1] + 1 :
					(t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1] ?
					 t[(i + 1) * (m + 1) + j] : t[i * (m + 1) + j + 1]);
		i = j = 0;
		while (i < n && j < m) {
			if (same(a, head + i, b, head + j)) {
				ops[k++] = (struct op){ ' ', head + i };
				i++;
				j++;
			} else if (t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1]) {
				ops[k++] = (struct op){ '-', head + i++ };
			} else {
				ops[k++] = (struct op){ '+', head + j++ };
			}
		}
		free(t);
	} else {
		i = j = 0;
	}
	for (; i < n; i++)
		ops[k++] = (struct op){ '-', head + i };
	for (; j < m; j++)
		ops[k++] = (struct op){ '+', head + j };
	for (i = 0; i < tail; i++)
		ops[k++] = (struct op){ ' ', a->n - tail + i };
	*nops = k;
	return ops;
}

static void put_line(FILE *out, char kind, const char *s, size_t len)
{
	fputc(kind, out);
	fwrite(s, 1, len, out);
	if (len == 0 || s[len - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", out);
}

static void range(FILE *out, char sign, size_t start, size_t count)
{
	/* An empty range names the line before it, as diff -u does. */
	fprintf(out, " %c%zu", sign, count ? start + 1 : start);
	if (count != 1)
		fprintf(out, ",%zu", count);
}

void diff_unified(FILE *out, const char *path, const char *old, size_t oldlen,
		  const char *new, size_t newlen)
{
	struct lines a = { 0 }, b = { 0 };
	struct op *ops;
	size_t nops = 0, x = 0;
	/* line numbers on each side before ops[x] */
	size_t *ai, *bi;

	if ((old ? oldlen : 0) == (new ? newlen : 0) && old && new && !memcmp(old, new, oldlen))
		return;
	split(old ? old : "", old ? oldlen : 0, &a);
	split(new ? new : "", new ? newlen : 0, &b);
	ops = script(&a, &b, &nops);
	ai = xreallocarray(NULL, nops + 1, sizeof(*ai));
	bi = xreallocarray(NULL, nops + 1, sizeof(*bi));
	ai[0] = bi[0] = 0;
	for (x = 0; x < nops; x++) {
		ai[x + 1] = ai[x] + (ops[x].kind != '+');
		bi[x + 1] = bi[x] + (ops[x].kind != '-');
	}
	fprintf(out, "--- %s%s\n+++ %s%s\n", old ? "a" : "/dev/null", old ? path : "",
		new ? "b" : "/dev/null", new ? path : "");
	x = 0;
	while (x < nops) {
		size_t first, last, y, gap;

		while (x < nops && ops[x].kind == ' ')
			x++;
		if (x == nops)
			break;
		first = x > CONTEXT ? x - CONTEXT : 0;
		/* Extend the hunk while the next change is within 2 * CONTEXT lines. */
		last = x;
		for (y = x; y < nops; y++) {
			if (ops[y].kind != ' ') {
				last = y;
				continue;
			}
			for (gap = y; gap < nops && ops[gap].kind == ' '; gap++)
				;
			if (gap == nops || gap - y > 2 * CONTEXT)
				break;
			y = gap - 1;
		}
		last = last + CONTEXT + 1 < nops ? last + CONTEXT + 1 : nops;
		fputs("@@", out);
		range(out, '-', ai[first], ai[last] - ai[first]);
		range(out, '+', bi[first], bi[last] - bi[first]);
		fputs(" @@\n", out);
		for (y = first; y < last; y++) {
			const struct lines *l = ops[y].kind == '+' ? &b : &a;

			put_line(out, ops[y].kind, l->s[ops[y].i], l->len[ops[y].i]);
		}
		x = last;
	}
	free(ai);
	free(bi);
	free(ops);
	free(a.s);
	free(a.len);
	free(b.s);
	free(b.len);
}
