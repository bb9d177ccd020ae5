/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boot/bootpaths.h"
#include "base/dirlist.h"
#include "base/root.h"
#include "base/strlist.h"
#include "base/xalloc.h"
#include "base/banned.h"

const char *const bls_entries_dirs[] = {
	"/boot/loader/entries", "/efi/loader/entries", "/boot/efi/loader/entries", NULL,
};

bool boot_file_exists(const char *path)
{
	struct stat st;

	return root_stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Add DIR's regular files ending in SUFFIX, sorted, to OUT. */
static int list_dir(const char *dir, const char *suffix, struct boot_paths *out)
{
	struct strlist names = STRLIST_INIT;
	size_t i;

	if (dir_list(dir, suffix, DIRLIST_REGULAR, &names) < 0)
		return -1;
	out->path = xreallocarray(out->path, out->n + names.n + 1, sizeof(*out->path));
	for (i = 0; i < names.n; i++)
		out->path[out->n++] = xasprintf("%s/%s", dir, names.v[i]);
	strlist_free(&names);
	return 0;
}

int bls_entries_find(const char *dir, struct boot_paths *out)
{
	struct stat seen[8];
	size_t nseen = 0, i, k;

	memset(out, 0, sizeof(*out));
	if (dir)
		return list_dir(dir, ".conf", out);
	for (i = 0; bls_entries_dirs[i]; i++) {
		struct stat st;
		bool dup = false;

		if (root_stat(bls_entries_dirs[i], &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		for (k = 0; k < nseen; k++)
			if (seen[k].st_dev == st.st_dev && seen[k].st_ino == st.st_ino)
				dup = true;
		if (dup)
			continue;
		seen[nseen++] = st;
		/* one that cannot be read has no entries a loader would boot */
		(void)list_dir(bls_entries_dirs[i], ".conf", out);
	}
	return 0;
}

bool bls_entry_named(const char *path, const char *name)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t l = strlen(name);

	return !strcmp(base, name) || (!strncmp(base, name, l) && !strcmp(base + l, ".conf"));
}

int grub_dropins_find(struct boot_paths *out)
{
	memset(out, 0, sizeof(*out));
	if (list_dir(GRUB_DROPIN_DIR, ".cfg", out) < 0 && errno != ENOENT && errno != ENOTDIR)
		return -1;
	return 0;
}

void boot_lines_add(struct boot_lines *l, const char *text, size_t len, unsigned lineno,
		    bool options)
{
	struct boot_line *v;

	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	v = &l->v[l->n++];
	v->text = xstrndup(text, len);
	v->len = len;
	v->lineno = lineno;
	v->options = options;
}

void boot_lines_free(struct boot_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void boot_paths_free(struct boot_paths *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->path[i]);
	free(p->path);
	memset(p, 0, sizeof(*p));
}
