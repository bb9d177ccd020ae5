/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A growing string, always NUL-terminated, for text built piece by piece
 * (in git's manner).  Out of memory exits (base/xalloc.h).
 *
 *	struct strbuf sb = STRBUF_INIT;
 *	strbuf_addf(&sb, "%s/%s", dir, name);
 *	use(sb.buf);
 *	strbuf_release(&sb);
 */
#ifndef VFIO_STRBUF_H
#define VFIO_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;		/* never NULL: "" until something is added */
	size_t len;
	size_t alloc;		/* 0 while buf is the shared "" */
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

void strbuf_init(struct strbuf *sb);
/* Room for EXTRA more bytes and the NUL. */
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Cut to LEN bytes (no more than it holds). */
void strbuf_setlen(struct strbuf *sb, size_t len);
/* The string, owned by the caller (never NULL; *LEN its length if LEN); SB is empty again. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_release(struct strbuf *sb);

#endif
