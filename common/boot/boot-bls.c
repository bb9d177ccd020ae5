/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The BLS back end: a Type #1 entry's options lines. */
#include <stdlib.h>

#include "boot/blsentry.h"
#include "boot/boot.h"
#include "base/banned.h"

void bls_read(const char *text, size_t len, struct boot_lines *out)
{
	struct bls_entry e;

	out->v = NULL;
	out->n = 0;
	bls_entry_parse(&e, text, len);
	boot_lines_add(out, e.cmdline, e.cmdlen, 0, true);
	bls_entry_free(&e);
}

int bls_plan(const char *text, size_t len, const struct kparam_op *ops, size_t nops,
	     char **out, size_t *outlen)
{
	struct bls_entry e;
	struct text_change *ch = NULL;
	long n;

	*out = NULL;
	*outlen = 0;
	bls_entry_parse(&e, text, len);
	n = kcmdline_plan(e.cmdline, e.cmdlen, ops, nops, &ch);
	if (n > 0)
		*out = bls_entry_edit(&e, ch, (size_t)n, outlen);
	text_changes_free(ch, (size_t)n);
	bls_entry_free(&e);
	return n > 0;
}
