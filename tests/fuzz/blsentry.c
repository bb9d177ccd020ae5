/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Boot Loader Specification entries: their options lines as one command
 * line, and kcmdline-edit's edit of them through the BLS back end
 * (bls_plan()).  Parts after the first: the
 * parameters to add ("+p") and remove ("-p").
 *
 * Properties: the options values lie inside the entry; the edited entry,
 * read again, has the command line the planned changes make (the same
 * parameters: line breaks between options lines are white space to the
 * kernel); its lines other than options lines are as they were; a second
 * edit changes nothing; adding a parameter that was not there to an entry
 * with a non-empty options line and removing it again gives back the bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "boot/blsentry.h"
#include "boot/boot.h"
#include "fuzz.h"
#include "boot/kcmdline.h"

/* The entry with OPS made in *OUT: 1, or 0 when nothing changes. */
static int edit(const char *text, size_t len, const struct kparam_op *ops, size_t nops,
		char **out, size_t *newlen)
{
	struct bls_entry e, again;
	struct text_change *ch;
	struct kcmdline want, now;
	char *planned;
	size_t plen, i;
	long n;

	bls_entry_parse(&e, text, len);
	for (i = 0; i < e.nopt; i++) {
		const struct bls_options *o = &e.opt[i];

		CHECK(o->line_a <= o->val_a && o->val_a <= o->val_b && o->val_b <= o->line_b);
		CHECK(o->line_b <= len && o->at + (o->val_b - o->val_a) <= e.cmdlen);
		CHECK(!memcmp(e.cmdline + o->at, text + o->val_a, o->val_b - o->val_a));
	}
	n = kcmdline_plan(e.cmdline, e.cmdlen, ops, nops, &ch);
	CHECK(n >= 0);
	/* the tool's own edit, through the BLS back end */
	CHECK(bls_plan(text, len, ops, nops, out, newlen) == (n > 0));
	if (n == 0) {
		bls_entry_free(&e);
		return 0;
	}
	CHECK(*out != NULL);
	planned = fuzz_nonnull(text_changes_apply(e.cmdline, e.cmdlen, ch, (size_t)n, &plen));
	bls_entry_parse(&again, *out, *newlen);
	kcmdline_parse(&want, planned, plen);
	kcmdline_parse(&now, again.cmdline, again.cmdlen);
	CHECK(kcmdline_same(&want, &now));
	kcmdline_free(&want);
	kcmdline_free(&now);
	bls_entry_free(&again);
	free(planned);
	text_changes_free(ch, (size_t)n);
	bls_entry_free(&e);
	return 1;
}

/* The lines of TEXT that are not options lines, in order, joined. */
static char *other_lines(const char *text, size_t len)
{
	struct bls_entry e;
	char *s = fuzz_nonnull(malloc(len + 1));
	size_t at = 0, k = 0, i;

	bls_entry_parse(&e, text, len);
	for (i = 0; i <= e.nopt; i++) {
		size_t to = i < e.nopt ? e.opt[i].line_a : len;

		memcpy(s + k, text + at, to - at);
		k += to - at;
		if (i < e.nopt)
			at = e.opt[i].line_b;
	}
	/* A line break added before a new options line at the end is no change. */
	while (k > 0 && s[k - 1] == '\n')
		k--;
	s[k] = '\0';
	bls_entry_free(&e);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kparam_op ops[FUZZ_MAX_OPS];
	struct bls_entry raw, e;
	struct parts p;
	size_t nops, i, l1, l2;
	char *once, *twice;

	/* NUL bytes and all, as the file would be read. */
	bls_entry_parse(&raw, (const char *)data, size);
	bls_entry_free(&raw);
	parts_split(&p, data, size, FUZZ_MAX_PARTS);
	nops = fuzz_kparam_ops(&p, 1, ops);
	if (edit(p.s[0], p.len[0], ops, nops, &once, &l1) > 0) {
		char *a = other_lines(p.s[0], p.len[0]), *b = other_lines(once, l1);

		CHECK(!strcmp(a, b));
		free(a);
		free(b);
		CHECK(edit(once, l1, ops, nops, &twice, &l2) == 0);
		free(once);
	}
	bls_entry_parse(&e, p.s[0], p.len[0]);
	for (i = 0; i < nops; i++) {
		struct kcmdline c;
		struct kparam_op rm;
		const char *why, *v;
		bool fresh;

		if (ops[i].action != KPARAM_ADD)
			continue;
		kcmdline_parse(&c, e.cmdline, e.cmdlen);
		fresh = c.n > 0 && !kcmdline_get(&c, ops[i].key, &v);
		kcmdline_free(&c);
		if (!fresh || kparam_op_parse(&rm, KPARAM_REMOVE, ops[i].text, &why) < 0)
			continue;
		CHECK(edit(p.s[0], p.len[0], &ops[i], 1, &once, &l1) > 0);
		CHECK(edit(once, l1, &rm, 1, &twice, &l2) > 0);
		CHECK(l2 == p.len[0] && !memcmp(twice, p.s[0], l2));
		free(once);
		free(twice);
		kparam_op_free(&rm);
	}
	bls_entry_free(&e);
	fuzz_kparam_ops_free(ops, nops);
	parts_free(&p);
	return 0;
}
