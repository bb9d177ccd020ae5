/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text as bytes with offsets: the lines around an offset and a splice.
 * Every edit in the suite is a splice of the file's own bytes, so that
 * what it does not change stays byte for byte.
 */
#ifndef VFIO_TEXT_H
#define VFIO_TEXT_H

#include <stddef.h>

/* Byte offsets of the line around OFF: its start, and its '\n' (or the end). */
size_t line_start(const char *text, size_t off);
size_t line_end(const char *text, size_t off);
/* The 1-based number of the line OFF is on. */
unsigned int line_number(const char *text, size_t off);
/* TEXT with LEN bytes at OFF replaced by INS; the caller frees it. */
char *text_splice(const char *text, size_t off, size_t len, const char *ins);
/* The same for TEXT of TLEN bytes and INS of ILEN (either may hold NULs); *NEWLEN set. */
char *text_splice_n(const char *text, size_t tlen, size_t off, size_t len,
		    const char *ins, size_t ilen, size_t *newlen);

#endif
