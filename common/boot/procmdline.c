/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "boot/procmdline.h"
#include "base/root.h"
#include "base/banned.h"

int proc_cmdline_read(struct kcmdline *c)
{
	size_t len;
	char *text = root_read_file("/proc/cmdline", &len);

	memset(c, 0, sizeof(*c));
	if (!text)
		return -1;
	(void)kcmdline_parse(c, text, len);
	free(text);
	return 0;
}

bool proc_cmdline_has(const struct kcmdline *c, const char *key, const char *value)
{
	const char *v;

	return kcmdline_get(c, key, &v) && v && param_list_has(v, NULL, value);
}

bool param_list_has(const char *s, const char *key, const char *item)
{
	size_t klen = key ? strlen(key) : 0, ilen = strlen(item);
	const char *p = s, *end;

	if (key) {
		for (p = s; (p = strstr(p, key)); p += klen)
			if ((p == s || p[-1] == ' ') && p[klen] == '=')
				break;
		if (!p)
			return false;
		p += klen + 1;
	}
	end = p + strcspn(p, " \t\n");
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t len = (size_t)((comma ? comma : end) - p);

		if (len == ilen && !strncasecmp(p, item, ilen))
			return true;
		p += len + 1;
	}
	return false;
}
