/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/dirlist.h"
#include "base/root.h"
#include "base/strbuf.h"
#include "base/banned.h"

static bool wanted(const char *dir, const char *name, const char *suffix, unsigned int flags)
{
	size_t n = strlen(name), k;
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	int r;

	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	if (name[0] == '.' && !(flags & DIRLIST_HIDDEN))
		return false;
	if (suffix) {
		k = strlen(suffix);
		if (n <= k || strcmp(name + n - k, suffix))
			return false;
	}
	if (!(flags & (DIRLIST_REGULAR | DIRLIST_DIRS)))
		return true;
	/* Links followed as the target system would, within the root. */
	strbuf_addf(&path, "%s/%s", dir, name);
	r = root_stat(path.buf, &st);
	strbuf_release(&path);
	if (r < 0)
		return false;
	return (flags & DIRLIST_REGULAR) ? S_ISREG(st.st_mode) : S_ISDIR(st.st_mode);
}

int dir_list(const char *dir, const char *suffix, unsigned int flags, struct strlist *names)
{
	DIR *d = root_opendir(dir);
	struct dirent *e;
	size_t first = names->n;

	if (!d)
		return -1;
	errno = 0;
	while ((e = readdir(d))) {
		if (wanted(dir, e->d_name, suffix, flags))
			strlist_add(names, e->d_name);
		errno = 0;
	}
	if (errno) {
		int err = errno;

		closedir(d);
		errno = err;
		return -1;
	}
	closedir(d);
	strlist_sort(names, first);
	return 0;
}
