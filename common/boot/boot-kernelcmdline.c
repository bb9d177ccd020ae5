/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The /etc/kernel/cmdline back end: kernel-install's and the UKI tools' file. */
#include <stdlib.h>

#include "boot/boot.h"
#include "base/banned.h"

void kernel_cmdline_read(const char *text, size_t len, struct boot_lines *out)
{
	out->v = NULL;
	out->n = 0;
	boot_lines_add(out, text, len, 0, true);
}

int kernel_cmdline_plan(const char *text, size_t len, const struct kparam_op *ops, size_t nops,
			char **out, size_t *outlen)
{
	struct text_change *ch = NULL;
	long n = kcmdline_plan(text, len, ops, nops, &ch);

	*out = NULL;
	*outlen = 0;
	if (n > 0)
		*out = text_changes_apply(text, len, ch, (size_t)n, outlen);
	text_changes_free(ch, (size_t)n);
	return n > 0;
}
