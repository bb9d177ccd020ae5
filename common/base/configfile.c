/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/configfile.h"
#include "base/prog.h"
#include "base/root.h"
#include "base/banned.h"

char *config_read(const char *path, size_t *len)
{
	size_t n = 0;
	char *text = root_read_file(path, &n);

	if (!text) {
		if (errno == EINVAL)
			warnx("could not read '%s': not a regular file", root_show(path));
		else if (errno != ENOENT)
			warn("could not read '%s'", root_show(path));
		return NULL;
	}
	if (strlen(text) != n) {
		const char *p;
		unsigned line = 1;

		for (p = text; *p; p++)
			line += *p == '\n';
		warnx("could not parse '%s': line %u: a NUL byte", root_show(path), line);
		free(text);
		errno = EINVAL;
		return NULL;
	}
	if (len)
		*len = n;
	return text;
}
