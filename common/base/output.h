/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Records printed as text or as JSON from the same calls, so the two
 * outputs cannot drift apart.  In text mode a field is printed as its
 * label followed by the value, or not at all when the label is NULL; in
 * JSON mode every field is printed under its key, escaped, and the
 * document is indented.
 */
#ifndef VFIO_OUTPUT_H
#define VFIO_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#define OUT_MAX_DEPTH 16

struct out {
	FILE *f;
	bool json;
	int depth;
	bool has_items[OUT_MAX_DEPTH];
};

void out_init(struct out *o, FILE *f, bool json);
/* KEY is NULL for a value in an array or the document itself. */
void out_object_begin(struct out *o, const char *key);
void out_object_end(struct out *o);
void out_array_begin(struct out *o, const char *key);
void out_array_end(struct out *o);
/* VAL NULL prints null in JSON and nothing in text.  Booleans print yes/no. */
void out_string(struct out *o, const char *key, const char *label, const char *val);
void out_uint(struct out *o, const char *key, const char *label, unsigned long val);
void out_int(struct out *o, const char *key, const char *label, long val);
void out_bool(struct out *o, const char *key, const char *label, bool val);
void out_null(struct out *o, const char *key);
/* Text mode only: free text between fields. */
void out_text(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* JSON mode: the final newline. */
void out_finish(struct out *o);

#endif
