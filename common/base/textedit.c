/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "base/textedit.h"
#include "base/xalloc.h"
#include "base/banned.h"

char *text_changes_apply(const char *text, size_t len, const struct text_change *ch, size_t n,
			 size_t *newlen)
{
	size_t i, cur = 0, out = len + 1;
	char *s, *w;

	for (i = 0; i < n; i++)
		out += strlen(ch[i].text);
	s = xmalloc(out);
	w = s;
	for (i = 0; i < n; i++) {
		size_t tl = strlen(ch[i].text);

		memcpy(w, text + cur, ch[i].start - cur);
		w += ch[i].start - cur;
		memcpy(w, ch[i].text, tl);
		w += tl;
		cur = ch[i].end;
	}
	memcpy(w, text + cur, len - cur);
	w += len - cur;
	*w = '\0';
	if (newlen)
		*newlen = (size_t)(w - s);
	return s;
}

void text_changes_free(struct text_change *ch, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ch[i].text);
	free(ch);
}
