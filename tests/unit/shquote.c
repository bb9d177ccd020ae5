/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Words of printed commands, checked against what sh reads back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/shquote.h"
#include "tap.h"

/* What sh makes of LINE as the arguments of printf '%s\n'. */
static char *sh_words(const char *line)
{
	static char out[4096];
	char cmd[8192];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "printf '[%%s]' %s", line);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	pclose(p);
	return out;
}

int main(void)
{
	static const char *const words[] = {
		"win10", "", "win10; reboot", "it's", "'", "''", "$(id)", "`id`", "a\nb",
		"a b\tc", "*", "~root", "#x", "x=1", "-n", "\\", "\"q\"", "!", "{a,b}",
		"my root/sys/bus/pci/devices/0000:07:00.0/rom",
	};
	char buf[SHQUOTE_SIZE(64)], want[128];
	size_t i;

	is_str(shquote("win10", buf, sizeof(buf)), "win10", "a plain word is as it is");
	is_str(shquote("0000:07:00.0", buf, sizeof(buf)), "0000:07:00.0", "an address is as it is");
	is_str(shquote("", buf, sizeof(buf)), "''", "the empty word is ''");
	is_str(shquote("win10; reboot", buf, sizeof(buf)), "'win10; reboot'", "a ; is quoted");
	is_str(shquote("it's", buf, sizeof(buf)), "'it'\\''s'", "a ' ends, is escaped, restarts");
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		const char *q = shquote(words[i], buf, sizeof(buf));

		snprintf(want, sizeof(want), "[%s]", words[i]);
		ok(q && !strcmp(sh_words(q), want), "sh reads back word %zu as it was", i);
	}
	ok(shquote("abcdef", buf, 6) == NULL, "a word that does not fit: NULL");
	ok(shquote("a'b", buf, 8) == NULL, "a quoted word that does not fit: NULL");
	ok(shquote("a'b", buf, 9) != NULL, "one that just fits is quoted");
	return tap_done();
}
