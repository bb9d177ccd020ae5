/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>

#include "base/dircount.h"
#include "base/root.h"
#include "base/banned.h"

size_t dir_count(const char *dir)
{
	DIR *d = root_opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}
