/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel command-line tokenizer and kcmdline-edit's edit planning, on
 * a command line as /etc/kernel/cmdline holds it.  Parts after the first:
 * the parameters to add ("+p") and remove ("-p").
 *
 * Properties: parameters and changes lie inside the text, in order and
 * apart; after the edit every addition is in effect and every removal
 * gone, the other parameters (and init's, after "--") are as they were,
 * and planning again changes nothing; adding a parameter that was not
 * there and removing it again gives back the text byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "boot/kcmdline.h"
#include "base/modname.h"

static void check_parse(const struct kcmdline *c, size_t len)
{
	size_t i;

	CHECK(c->init <= c->n);
	for (i = 0; i < c->n; i++) {
		CHECK(c->p[i].start < c->p[i].end && c->p[i].end <= len);
		CHECK(i == 0 || c->p[i - 1].end < c->p[i].start);
	}
}

static void check_plan(const struct text_change *ch, long n, size_t len)
{
	long i;

	CHECK(n >= 0);
	for (i = 0; i < n; i++) {
		CHECK(ch[i].start <= ch[i].end && ch[i].end <= len);
		CHECK(i == 0 || ch[i - 1].end <= ch[i].start);
	}
}

/* The text with OPS made; NULL when they change nothing. */
static char *edit(const char *text, size_t len, const struct kparam_op *ops, size_t nops,
		  size_t *newlen)
{
	struct text_change *ch;
	long n = kcmdline_plan(text, len, ops, nops, &ch);
	char *out = NULL;

	check_plan(ch, n, len);
	if (n > 0)
		out = fuzz_nonnull(text_changes_apply(text, len, ch, (size_t)n, newlen));
	text_changes_free(ch, n > 0 ? (size_t)n : 0);
	return out;
}

static bool touched(const char *key, const struct kparam_op *ops, size_t nops)
{
	size_t i;

	for (i = 0; i < nops; i++)
		if (modname_eq(key, ops[i].key))
			return true;
	return false;
}

/* The parameters of C (the kernel's, then init's) that no op names, in order. */
static bool others_same(const struct kcmdline *a, const struct kcmdline *b,
			const struct kparam_op *ops, size_t nops)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < a->init && touched(a->p[i].key, ops, nops))
			i++;
		while (j < b->init && touched(b->p[j].key, ops, nops))
			j++;
		if (i == a->init || j == b->init)
			break;
		if (strcmp(a->p[i].key, b->p[j].key) ||
		    (a->p[i].val && b->p[j].val ? strcmp(a->p[i].val, b->p[j].val) : a->p[i].val != b->p[j].val))
			return false;
		i++;
		j++;
	}
	if (i != a->init || j != b->init || a->n - a->init != b->n - b->init)
		return false;
	for (i = a->init, j = b->init; i < a->n; i++, j++)
		if (strcmp(a->p[i].key, b->p[j].key) ||
		    (a->p[i].val && b->p[j].val ? strcmp(a->p[i].val, b->p[j].val) : a->p[i].val != b->p[j].val))
			return false;
	return true;
}

static void add_then_remove(const char *text, size_t len, const struct kcmdline *c,
			    const struct kparam_op *add)
{
	struct kparam_op rm;
	const char *why, *v;
	size_t l1 = 0, l2 = 0;
	char *t1, *t2;

	if (kcmdline_get(c, add->key, &v) || kparam_op_parse(&rm, KPARAM_REMOVE, add->text, &why) < 0)
		return;
	t1 = edit(text, len, add, 1, &l1);
	CHECK(t1 != NULL);
	t2 = edit(t1, l1, &rm, 1, &l2);
	CHECK(t2 != NULL);
	CHECK(l2 == len && !memcmp(t2, text, len));
	free(t1);
	free(t2);
	kparam_op_free(&rm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kparam_op ops[FUZZ_MAX_OPS];
	struct kcmdline raw, c, after;
	struct parts p;
	size_t nops, newlen = 0, i;
	char *out;

	/* NUL bytes and all, as a file would be read. */
	kcmdline_parse(&raw, (const char *)data, size);
	check_parse(&raw, size);
	kcmdline_free(&raw);
	parts_split(&p, data, size, FUZZ_MAX_PARTS);
	nops = fuzz_kparam_ops(&p, 1, ops);
	kcmdline_parse(&c, p.s[0], p.len[0]);
	check_parse(&c, p.len[0]);
	out = edit(p.s[0], p.len[0], ops, nops, &newlen);
	if (out) {
		char *again;
		size_t againlen;

		kcmdline_parse(&after, out, newlen);
		for (i = 0; i < nops; i++)
			CHECK(kparam_op_met(&ops[i], &after));
		CHECK(others_same(&c, &after, ops, nops));
		again = edit(out, newlen, ops, nops, &againlen);
		CHECK(again == NULL);
		kcmdline_free(&after);
		free(out);
	} else {
		for (i = 0; i < nops; i++)
			CHECK(kparam_op_met(&ops[i], &c));
	}
	for (i = 0; i < nops; i++)
		if (ops[i].action == KPARAM_ADD)
			add_then_remove(p.s[0], p.len[0], &c, &ops[i]);
	kcmdline_free(&c);
	fuzz_kparam_ops_free(ops, nops);
	parts_free(&p);
	return 0;
}
