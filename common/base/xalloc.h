/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Allocation with one policy for running out of memory: the tool says
 * "tool: out of memory" and exits with EXIT_FAIL.  Nothing is half
 * written then, since every file is staged and renamed in place only once
 * every byte of it is in memory, and base/edit.c allocates nothing from a
 * commit's first temporary file to its last rename or their undoing (no
 * temporary file left, no file renamed without the others).  Callers
 * never check for NULL.
 */
#ifndef VFIO_XALLOC_H
#define VFIO_XALLOC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdnoreturn.h>

noreturn void xalloc_die(void);

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
/* realloc(P, N * SIZE), the product checked for overflow. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* LEN bytes of P and a NUL after them. */
char *xmemdupz(const void *p, size_t len);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/*
 * Make room for N elements in the array *P of *ALLOC, growing it by half
 * again each time (so that adding one at a time stays linear).
 */
#define XGROW(p, n, alloc) do { \
	if ((size_t)(n) > (alloc)) { \
		size_t xg_new_ = (alloc) + (alloc) / 2 + 8; \
		if (xg_new_ < (size_t)(n)) \
			xg_new_ = (n); \
		(p) = xreallocarray((p), xg_new_, sizeof(*(p))); \
		(alloc) = xg_new_; \
	} \
} while (0)

#endif
