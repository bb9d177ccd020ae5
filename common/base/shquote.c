/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdbool.h>
#include <string.h>

#include "base/shquote.h"
#include "base/banned.h"

static bool plain(const char *w)
{
	if (!*w)
		return false;
	for (; *w; w++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-", *w))
			return false;
	return true;
}

const char *shquote(const char *word, char *buf, size_t size)
{
	size_t n = 0;
	const char *w;

	if (plain(word)) {
		n = strlen(word);
		if (n >= size)
			return NULL;
		return memcpy(buf, word, n + 1);
	}
	if (size < 3)
		return NULL;
	buf[n++] = '\'';
	for (w = word; *w; w++) {
		const char *piece = *w == '\'' ? "'\\''" : NULL;
		size_t len = piece ? 4 : 1;

		if (n + len + 2 > size)
			return NULL;
		if (piece)
			memcpy(buf + n, piece, len);
		else
			buf[n] = *w;
		n += len;
	}
	buf[n++] = '\'';
	buf[n] = '\0';
	return buf;
}
