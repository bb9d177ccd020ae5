/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /etc/default/grub: GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT
 * read as sh reads the file, and kcmdline-edit's edit of them.  Parts
 * after the first: the parameters to add ("+p") and remove ("-p").
 *
 * Properties: the edited file, read again, gives exactly the value the
 * planned changes make; a second edit changes nothing; adding a
 * parameter to an assigned variable and removing it again gives back the
 * file byte for byte.  And the same file through GRUB's back end, as
 * kcmdline-edit plans it (grub_plan): its result reads back, a second
 * plan changes nothing once the line booted has what was asked, and it
 * has it whenever the two variables hold plain parameters.
 */
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "fuzz.h"
#include "boot/kcmdline.h"
#include "boot/shvalue.h"

/*
 * The file with OPS made to NAME in *OUT: returns 1, or 0 when nothing
 * changes, -1 when the file cannot be read or the edit is refused.
 */
static int edit(const char *text, size_t len, const char *name, const struct kparam_op *ops,
		size_t nops, char **out, size_t *newlen)
{
	struct shvalue_error e;
	struct shvalue *sv = shvalue_read(text, len, name, &e);
	struct text_change *ch = NULL;
	const char *value;
	char *want;
	size_t vlen, wantlen = 0;
	long n;
	int r = 1;

	*out = NULL;
	if (!sv)
		return -1;
	value = shvalue_value(sv, &vlen);
	CHECK(strlen(value) <= vlen);
	n = kcmdline_plan(value, vlen, ops, nops, &ch);
	CHECK(n >= 0);
	if (n == 0) {
		shvalue_free(sv);
		return 0;
	}
	want = fuzz_nonnull(text_changes_apply(value, vlen, ch, (size_t)n, &wantlen));
	if (shvalue_edit(sv, ch, (size_t)n, out, newlen, &e) == 0) {
		struct shvalue *again = shvalue_read(*out, *newlen, name, &e);
		const char *now;
		size_t nowlen;

		CHECK(again != NULL);
		now = shvalue_value(again, &nowlen);
		CHECK(nowlen == wantlen && !memcmp(now, want, wantlen));
		CHECK(shvalue_assigned(again, NULL));
		shvalue_free(again);
	} else {
		CHECK(e.why[0] != '\0');
		*out = NULL;
		r = -1;
	}
	free(want);
	text_changes_free(ch, (size_t)n);
	shvalue_free(sv);
	return r;
}

/* Whether B is A with WHAT and white space around it inserted at one place. */
static bool inserted(const char *a, size_t alen, const char *b, size_t blen, const char *what)
{
	size_t pre = 0, suf = 0, wl = strlen(what), s, e;

	while (pre < alen && pre < blen && a[pre] == b[pre])
		pre++;
	while (suf < alen - pre && suf < blen - pre && a[alen - 1 - suf] == b[blen - 1 - suf])
		suf++;
	if (blen <= alen || pre + suf != alen)
		return false;
	for (s = pre; s < blen - suf && (b[s] == ' ' || b[s] == '\t'); s++)
		;
	for (e = blen - suf; e > s && (b[e - 1] == ' ' || b[e - 1] == '\t'); e--)
		;
	return e - s == wl && !memcmp(b + s, what, wl);
}

static void add_then_remove(const char *text, size_t len, const char *name, const struct kparam_op *add)
{
	struct shvalue_error e;
	struct shvalue *sv = shvalue_read(text, len, name, &e);
	struct kcmdline c;
	struct kparam_op rm;
	const char *why, *value, *v;
	size_t vlen, l1, l2;
	char *t1, *t2;
	bool fresh;

	if (!sv)
		return;
	value = shvalue_value(sv, &vlen);
	kcmdline_parse(&c, value, vlen);
	fresh = shvalue_assigned(sv, NULL) && !kcmdline_get(&c, add->key, &v);
	kcmdline_free(&c);
	shvalue_free(sv);
	if (!fresh || kparam_op_parse(&rm, KPARAM_REMOVE, add->text, &why) < 0)
		return;
	/*
	 * Where the addition had to do more than put the parameter in (quote
	 * an unquoted value, escape), the removal does not undo that.
	 */
	if (edit(text, len, name, add, 1, &t1, &l1) > 0 && inserted(text, len, t1, l1, add->text)) {
		CHECK(edit(t1, l1, name, &rm, 1, &t2, &l2) > 0);
		CHECK(l2 == len && !memcmp(t2, text, len));
		free(t2);
	}
	free(t1);
	kparam_op_free(&rm);
}

/* Whether the line G's normal entries boot has what OPS ask for. */
static bool grub_met(const struct grub_conf *g, const struct kparam_op *ops, size_t nops)
{
	struct kcmdline c;
	size_t i;
	bool met = true;

	kcmdline_parse(&c, g->normal, strlen(g->normal));
	for (i = 0; i < nops; i++)
		met &= kparam_op_met(&ops[i], &c);
	kcmdline_free(&c);
	return met;
}

/* Values without quotes or a "--": what the kernel splits as plain words. */
static bool plain(const struct grub_conf *g)
{
	struct kcmdline c;
	bool r;

	if (strchr(g->normal, '"'))
		return false;
	kcmdline_parse(&c, g->normal, strlen(g->normal));
	r = c.init == c.n;
	kcmdline_free(&c);
	return r;
}

static void grub_backend(const char *text, size_t len, enum grub_var var, const struct kparam_op *ops,
			 size_t nops)
{
	struct grub_conf before, after;
	struct boot_error e;
	char *out = NULL, *again = NULL;
	size_t outlen, againlen;
	size_t a, b;
	int r;

	if (kparam_ops_conflict(ops, nops, &a, &b) || grub_conf_parse(&before, text, len, &e)) {
		grub_conf_free(&before);
		return;
	}
	r = grub_plan(text, len, var, 0, ops, nops, &out, &outlen, &e);
	CHECK(r >= 0 || e.why[0]);
	if (r == 0)
		CHECK(grub_met(&before, ops, nops) || !plain(&before));
	if (r == 1) {
		CHECK(grub_conf_parse(&after, out, outlen, &e) == 0);
		if (plain(&before) && plain(&after))
			CHECK(grub_met(&after, ops, nops));
		if (grub_met(&after, ops, nops))
			CHECK(grub_plan(out, outlen, var, 0, ops, nops, &again, &againlen, &e) == 0);
		free(again);
		grub_conf_free(&after);
	}
	free(out);
	grub_conf_free(&before);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "GRUB_CMDLINE_LINUX", "GRUB_CMDLINE_LINUX_DEFAULT" };
	struct kparam_op ops[FUZZ_MAX_OPS];
	struct shvalue_error e;
	struct parts p;
	size_t nops, i, k;
	unsigned line;
	bool self;

	/* NUL bytes and all, as the file would be read. */
	shvalue_free(shvalue_read((const char *)data, size, names[0], &e));
	parts_split(&p, data, size, FUZZ_MAX_PARTS);
	nops = fuzz_kparam_ops(&p, 1, ops);
	for (k = 0; k < 2; k++) {
		size_t l1, l2;
		char *once, *twice;

		shvalue_file_assigns(p.s[0], p.len[0], names[k], &line, &self);
		if (edit(p.s[0], p.len[0], names[k], ops, nops, &once, &l1) > 0) {
			CHECK(edit(once, l1, names[k], ops, nops, &twice, &l2) == 0);
			free(once);
		}
		for (i = 0; i < nops; i++)
			if (ops[i].action == KPARAM_ADD)
				add_then_remove(p.s[0], p.len[0], names[k], &ops[i]);
		grub_backend(p.s[0], p.len[0], k ? GRUB_LINUX_DEFAULT : GRUB_LINUX, ops, nops);
	}
	fuzz_kparam_ops_free(ops, nops);
	parts_free(&p);
	return 0;
}
