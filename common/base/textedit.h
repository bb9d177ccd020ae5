/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Several splices of one text at once (text.h's text_splice_n() makes
 * one): each change replaces the bytes [start, end) of the text, and all
 * are made in one pass, so that the cost stays linear in the text and the
 * changes however many there are.
 */
#ifndef VFIO_TEXTEDIT_H
#define VFIO_TEXTEDIT_H

#include <stddef.h>

/* Replace bytes [start, end) of the text by TEXT (insert when equal). */
struct text_change {
	size_t start, end;
	char *text;
};

/*
 * TEXT (LEN bytes) with the N changes CH, in text order and not
 * overlapping, made: NUL-terminated, its length in *NEWLEN when not NULL.
 */
char *text_changes_apply(const char *text, size_t len, const struct text_change *ch, size_t n,
			 size_t *newlen);
/* Free the N changes CH, their texts included. */
void text_changes_free(struct text_change *ch, size_t n);

#endif
