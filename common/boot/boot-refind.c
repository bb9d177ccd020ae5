/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rEFInd back end: refind_linux.conf, one options string a line. */
#include <stdio.h>
#include <stdlib.h>

#include "boot/boot.h"
#include "boot/refindconf.h"
#include "base/banned.h"

/* 0, or -1 with E filled. */
static int parse(struct refind_conf *rc, const char *text, size_t len, struct boot_error *e)
{
	const char *why;
	unsigned line = 0;

	e->file[0] = '\0';
	e->var = NULL;
	e->line = 0;
	e->why[0] = '\0';
	if (refind_conf_parse(rc, text, len, &why, &line) < 0) {
		e->line = line;
		snprintf(e->why, sizeof(e->why), "%s", why);
		return -1;
	}
	return 0;
}

int refind_read(const char *text, size_t len, struct boot_lines *out, struct boot_error *e)
{
	struct refind_conf rc;
	size_t i;

	out->v = NULL;
	out->n = 0;
	if (parse(&rc, text, len, e) < 0)
		return -1;
	for (i = 0; i < rc.n; i++)
		boot_lines_add(out, rc.l[i].options, rc.l[i].optlen, rc.l[i].lineno,
			       rc.l[i].has_options);
	refind_conf_free(&rc);
	return 0;
}

int refind_plan(const char *text, size_t len, const struct kparam_op *ops, size_t nops,
		char **out, size_t *outlen, struct boot_error *e)
{
	struct refind_conf rc;
	struct text_change *f = NULL, tmp;
	size_t nf = 0, cap = 0, i, j;

	*out = NULL;
	*outlen = 0;
	if (parse(&rc, text, len, e) < 0)
		return -1;
	for (i = 0; i < rc.n; i++) {
		struct text_change *ch = NULL;
		long n = kcmdline_plan(rc.l[i].options, rc.l[i].optlen, ops, nops, &ch);

		if (n > 0)
			refind_line_changes(&rc.l[i], ch, (size_t)n, &f, &nf, &cap);
		text_changes_free(ch, (size_t)n);
	}
	/* each line's changes in text order already; the lines' in theirs */
	for (i = 1; i < nf; i++)
		for (j = i; j > 0 && f[j].start < f[j - 1].start; j--) {
			tmp = f[j];
			f[j] = f[j - 1];
			f[j - 1] = tmp;
		}
	if (nf)
		*out = text_changes_apply(text, len, f, nf, outlen);
	text_changes_free(f, nf);
	refind_conf_free(&rc);
	return nf > 0;
}
