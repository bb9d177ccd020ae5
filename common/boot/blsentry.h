/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Boot Loader Specification type #1 entries (loader/entries/NAME.conf, read
 * by systemd-boot and by GRUB's blscfg): "key value" lines, and every
 * "options" line taken together, in order, as one kernel command line.
 */
#ifndef VFIO_BLSENTRY_H
#define VFIO_BLSENTRY_H

#include <stddef.h>

#include "boot/kcmdline.h"

struct bls_options {
	size_t line_a, line_b;	/* the whole line, its newline included */
	size_t val_a, val_b;	/* the value, surrounding white space excluded */
	size_t at;		/* where the value starts in the command line */
};

struct bls_entry {
	const char *text;
	size_t len;
	struct bls_options *opt;
	size_t nopt;
	char *cmdline;		/* the options values joined by line breaks */
	size_t cmdlen;
};

/* Read TEXT (kept, not copied). */
void bls_entry_parse(struct bls_entry *e, const char *text, size_t len);
void bls_entry_free(struct bls_entry *e);

/*
 * The entry with CH (changes to the command line) made: an options line
 * left empty goes, and an entry without one gets one at the end.
 * NUL-terminated, length in *NEWLEN.
 */
char *bls_entry_edit(const struct bls_entry *e, const struct text_change *ch, size_t n,
		     size_t *newlen);

#endif
