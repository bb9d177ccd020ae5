/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "base/text.h"
#include "base/xalloc.h"
#include "base/banned.h"

size_t line_start(const char *text, size_t off)
{
	while (off > 0 && text[off - 1] != '\n')
		off--;
	return off;
}

size_t line_end(const char *text, size_t off)
{
	const char *nl = strchr(text + off, '\n');

	return nl ? (size_t)(nl - text) : off + strlen(text + off);
}

unsigned int line_number(const char *text, size_t off)
{
	unsigned int n = 1;
	size_t i;

	for (i = 0; i < off; i++)
		if (text[i] == '\n')
			n++;
	return n;
}

char *text_splice_n(const char *text, size_t tlen, size_t off, size_t len,
		    const char *ins, size_t ilen, size_t *newlen)
{
	size_t n = tlen - len + ilen;
	char *s = xmalloc(n + 1);

	memcpy(s, text, off);
	memcpy(s + off, ins, ilen);
	memcpy(s + off + ilen, text + off + len, tlen - off - len);
	s[n] = '\0';
	if (newlen)
		*newlen = n;
	return s;
}

char *text_splice(const char *text, size_t off, size_t len, const char *ins)
{
	return text_splice_n(text, strlen(text), off, len, ins, strlen(ins), NULL);
}
