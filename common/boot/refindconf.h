/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rEFInd's refind_linux.conf: one boot option a line, a label and the
 * kernel command line, each usually in double quotes.  Read as rEFInd's
 * ReadTokenLine() reads it: tokens split at blanks, '=' and ',' outside
 * quotes, '#' starting a comment outside quotes, "" inside a token for a
 * literal '"', a lone '"' ending a token and opening or closing quotes.
 */
#ifndef VFIO_REFINDCONF_H
#define VFIO_REFINDCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "boot/kcmdline.h"

struct refind_line {
	unsigned lineno;
	char *label;
	size_t label_end;	/* just after the label token, closing quote included */
	bool has_options;
	bool quoted;		/* the options token is in quotes */
	size_t tok_a, tok_b;	/* the options token's bytes, quotes included */
	bool quote_after;	/* a quote right after the options token opens the next */
	char *options;		/* as rEFInd passes it */
	size_t optlen;
	size_t *src_a, *src_b;	/* where each character of it is in the file */
};

struct refind_conf {
	struct refind_line *l;
	size_t n;
};

/* 0, or -1 with *WHY and *LINE set (a double quote never closed). */
int refind_conf_parse(struct refind_conf *rc, const char *text, size_t len,
		      const char **why, unsigned *line);
void refind_conf_free(struct refind_conf *rc);

/*
 * Append to *F (*NF entries, *CAP allocated) the file changes that make
 * CH on line L's options, in rEFInd's quoting.
 */
void refind_line_changes(const struct refind_line *l, const struct text_change *ch, size_t n,
			struct text_change **f, size_t *nf, size_t *cap);

#endif
