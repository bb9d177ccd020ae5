/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rEFInd's refind_linux.conf as rEFInd tokenizes it, and kcmdline-edit's
 * edit of every line's options.  Parts after the first: the parameters
 * to add ("+p") and remove ("-p").
 *
 * Properties: the changes to the file lie inside the options tokens (or
 * just after a label without options), in order and apart; the edited
 * file, read again, has the same boot options with the same labels, each
 * with the command line the planned changes make; a second edit changes
 * nothing; adding a parameter that was in none of the lines and removing
 * it again gives back the bytes, where every line had its options in
 * quotes, apart from the label (options without them are written anew,
 * in quotes).  The edit is the tool's own: the rEFInd back end's
 * refind_plan().
 */
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "fuzz.h"
#include "boot/kcmdline.h"
#include "boot/refindconf.h"

/* The file with OPS made in *OUT: 1, 0 when nothing changes, -1 when it is refused. */
static int edit(const char *text, size_t len, const struct kparam_op *ops, size_t nops,
		char **out, size_t *newlen)
{
	struct refind_conf rc, again;
	struct text_change *f = NULL;
	char **planned;
	size_t nf = 0, cap = 0, i;
	const char *why;
	unsigned line;

	*out = NULL;
	if (refind_conf_parse(&rc, text, len, &why, &line) < 0) {
		CHECK(why && line >= 1);
		return -1;
	}
	planned = fuzz_nonnull(calloc(rc.n + 1, sizeof(*planned)));
	for (i = 0; i < rc.n; i++) {
		const struct refind_line *l = &rc.l[i];
		struct text_change *ch = NULL;
		size_t from = nf;
		long n;

		CHECK(l->label_end <= len && strlen(l->options) == l->optlen);
		if (l->has_options)
			CHECK(l->label_end <= l->tok_a && l->tok_a < l->tok_b && l->tok_b <= len);
		n = kcmdline_plan(l->options, l->optlen, ops, nops, &ch);
		CHECK(n >= 0);
		planned[i] = fuzz_nonnull(text_changes_apply(l->options, l->optlen, ch, (size_t)n, NULL));
		if (n > 0)
			refind_line_changes(l, ch, (size_t)n, &f, &nf, &cap);
		text_changes_free(ch, n > 0 ? (size_t)n : 0);
		for (; from < nf; from++) {
			if (l->has_options)
				CHECK(f[from].start >= l->tok_a && f[from].end <= l->tok_b);
			else
				CHECK(f[from].start == l->label_end && f[from].end == l->label_end);
			CHECK(from == 0 || f[from - 1].end <= f[from].start);
		}
	}
	/* the tool's own edit, through the rEFInd back end, makes these changes */
	{
		struct boot_error e;
		int r = refind_plan(text, len, ops, nops, out, newlen, &e);

		CHECK(r == (nf > 0));
		if (nf > 0) {
			size_t wantlen;
			char *want = fuzz_nonnull(text_changes_apply(text, len, f, nf, &wantlen));

			CHECK(*newlen == wantlen && !memcmp(*out, want, wantlen));
			free(want);
		}
	}
	if (nf > 0) {
		CHECK(refind_conf_parse(&again, *out, *newlen, &why, &line) == 0);
		CHECK(again.n == rc.n);
		for (i = 0; i < rc.n; i++) {
			CHECK(!strcmp(again.l[i].label, rc.l[i].label));
			CHECK(!strcmp(again.l[i].options, planned[i]));
		}
		refind_conf_free(&again);
	}
	for (i = 0; i < rc.n; i++)
		free(planned[i]);
	free(planned);
	text_changes_free(f, nf);
	refind_conf_free(&rc);
	return nf > 0;
}

/*
 * Whether every line with options has them in quotes, apart from the
 * label, and none has KEY.  Options against the label get a blank before
 * them when they come to start with a quote, and keep it.
 */
static bool fresh(const char *text, size_t len, const char *key)
{
	struct refind_conf rc;
	const char *why, *v;
	unsigned line;
	bool ok = true;
	size_t i;

	if (refind_conf_parse(&rc, text, len, &why, &line) < 0)
		return false;
	for (i = 0; ok && i < rc.n; i++) {
		struct kcmdline c;

		ok = rc.l[i].has_options && rc.l[i].quoted && rc.l[i].tok_a > rc.l[i].label_end;
		if (ok) {
			kcmdline_parse(&c, rc.l[i].options, rc.l[i].optlen);
			ok = !kcmdline_get(&c, key, &v);
			kcmdline_free(&c);
		}
	}
	refind_conf_free(&rc);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kparam_op ops[FUZZ_MAX_OPS];
	struct refind_conf raw;
	struct parts p;
	size_t nops, i, l1, l2;
	char *once, *twice;
	const char *why;
	unsigned line;

	/* NUL bytes and all, as the file would be read. */
	if (refind_conf_parse(&raw, (const char *)data, size, &why, &line) == 0)
		refind_conf_free(&raw);
	parts_split(&p, data, size, FUZZ_MAX_PARTS);
	nops = fuzz_kparam_ops(&p, 1, ops);
	if (edit(p.s[0], p.len[0], ops, nops, &once, &l1) > 0) {
		CHECK(edit(once, l1, ops, nops, &twice, &l2) == 0);
		free(once);
	}
	for (i = 0; i < nops; i++) {
		struct kparam_op rm;

		if (ops[i].action != KPARAM_ADD || !fresh(p.s[0], p.len[0], ops[i].key) ||
		    kparam_op_parse(&rm, KPARAM_REMOVE, ops[i].text, &why) < 0)
			continue;
		if (edit(p.s[0], p.len[0], &ops[i], 1, &once, &l1) > 0) {
			CHECK(edit(once, l1, &rm, 1, &twice, &l2) > 0);
			CHECK(l2 == p.len[0] && !memcmp(twice, p.s[0], l2));
			free(twice);
		}
		free(once);
		kparam_op_free(&rm);
	}
	fuzz_kparam_ops_free(ops, nops);
	parts_free(&p);
	return 0;
}
