/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Several splices of one text at once: base/textedit. */
#include <stdlib.h>
#include <string.h>

#include "base/textedit.h"
#include "base/xalloc.h"
#include "tap.h"

/* N changes: starts and ends in pairs from POS, their texts copied from TEXTS. */
static struct text_change *changes(size_t n, const size_t *pos, const char *const *texts)
{
	struct text_change *ch = xcalloc(n ? n : 1, sizeof(*ch));
	size_t i;

	for (i = 0; i < n; i++) {
		ch[i].start = pos[2 * i];
		ch[i].end = pos[2 * i + 1];
		ch[i].text = xstrdup(texts[i]);
	}
	return ch;
}

int main(void)
{
	static const size_t pos[] = { 0, 0, 6, 15, 22, 22, 24, 24, 2, 3 };
	static const char *const texts[] = { "rw ", "", " iommu=pt", " x", "B" };
	const char *line = "quiet splash=1 apm=off  ";
	struct text_change *ch = changes(5, pos, texts);
	size_t len = 0;
	char *s;

	s = text_changes_apply(line, strlen(line), ch, 4, &len);
	is_str(s, "rw quiet apm=off iommu=pt   x",
	       "insertions at the start, the end and inside, and a deletion, in one pass");
	ok(len == strlen(s), "the new length is the text's");
	free(s);
	s = text_changes_apply(line, strlen(line), ch, 0, NULL);
	is_str(s, line, "no change: a copy byte for byte");
	free(s);
	s = text_changes_apply("", 0, ch, 1, &len);
	is_str(s, "rw ", "an empty text takes an insertion");
	ok(len == 3, "and its length");
	free(s);
	s = text_changes_apply("a\0b\0c", 5, ch + 4, 1, &len);
	ok(len == 5 && !memcmp(s, "a\0B\0c", 5) && !s[5],
	   "NUL bytes outside the changes kept, the result NUL-terminated");
	free(s);
	text_changes_free(ch, 5);
	text_changes_free(NULL, 0);
	return tap_done();
}
