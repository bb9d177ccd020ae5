/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A list of strings the list owns.  Out of memory exits (base/xalloc.h). */
#ifndef VFIO_STRLIST_H
#define VFIO_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

struct strlist {
	char **v;
	size_t n;
	size_t alloc;
};

#define STRLIST_INIT { NULL, 0, 0 }

/* A copy of S at the end. */
void strlist_add(struct strlist *l, const char *s);
/* S itself, which the list now owns, at the end. */
void strlist_add_owned(struct strlist *l, char *s);
bool strlist_has(const struct strlist *l, const char *s);
/* The strings from index FROM on, in strcmp() order. */
void strlist_sort(struct strlist *l, size_t from);
void strlist_free(struct strlist *l);

#endif
