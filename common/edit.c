#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "diff.h"
#include "edit.h"
#include "prog.h"
#include "root.h"

static int remove_file(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd, r;

	snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	fd = root_open(dir, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return -1;
	r = unlinkat(fd, slash + 1, 0);
	if (r == 0)
		r = fsync(fd);
	close(fd);
	return r;
}

int edit_apply(const struct edit_opts *o, const char *path,
	       const char *old, size_t oldlen, const char *new, size_t newlen,
	       mode_t newmode)
{
	if (!old && !new)
		return 0;
	if (old && new && oldlen == newlen && !memcmp(old, new, oldlen))
		return 0;
	switch (o->mode) {
	case EDIT_CHECK:
		return 1;
	case EDIT_DRY_RUN:
		diff_unified(stdout, path, old, oldlen, new, newlen);
		return 1;
	case EDIT_WRITE:
		break;
	}
	if (o->backup && old) {
		char bak[4096 + 8];

		snprintf(bak, sizeof(bak), "%s.bak", path);
		if (atomic_write(bak, old, oldlen, 0600) < 0) {
			warn("could not write '%s'", root_show(bak));
			return -1;
		}
	}
	if (!new) {
		if (remove_file(path) < 0) {
			warn("could not remove '%s'", root_show(path));
			return -1;
		}
		return 1;
	}
	if (!old) {
		char dir[4096];
		const char *slash = strrchr(path, '/');

		snprintf(dir, sizeof(dir), "%.*s", slash && slash != path ? (int)(slash - path) : 1, path);
		if (root_mkdirs(dir, 0755) < 0) {
			warn("could not create '%s'", root_show(dir));
			return -1;
		}
	}
	if (atomic_write(path, new, newlen, newmode) < 0) {
		warn("could not write '%s'", root_show(path));
		return -1;
	}
	return 1;
}

static bool same(const struct edit_file *f)
{
	return f->oldlen == f->newlen && !memcmp(f->old, f->new, f->oldlen);
}

int edit_apply_all(const struct edit_opts *o, const struct edit_file *f, size_t n)
{
	struct atomic_file *af;
	size_t i, k, changed = 0;
	int ret = -1;

	for (i = 0; i < n; i++) {
		if (same(&f[i]))
			continue;
		changed++;
		if (o->mode == EDIT_DRY_RUN)
			diff_unified(stdout, f[i].path, f[i].old, f[i].oldlen, f[i].new, f[i].newlen);
	}
	if (o->mode != EDIT_WRITE || !changed)
		return (int)changed;
	af = calloc(n, sizeof(*af));
	if (!af) {
		warn("could not allocate memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		char bak[4096 + 8];

		if (same(&f[i]) || !o->backup)
			continue;
		snprintf(bak, sizeof(bak), "%s.bak", f[i].path);
		if (atomic_write(bak, f[i].old, f[i].oldlen, 0600) < 0) {
			warn("could not write '%s'", root_show(bak));
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		af[i].dirfd = -1;
		if (same(&f[i]))
			continue;
		if (atomic_stage(&af[i], f[i].path, f[i].new, f[i].newlen, 0644) < 0) {
			warn("could not write '%s'", root_show(f[i].path));
			for (k = 0; k < i; k++)
				if (!same(&f[k]))
					atomic_abort(&af[k]);
			goto out;
		}
	}
	ret = (int)changed;
	for (i = 0; i < n; i++)
		if (!same(&f[i]) && atomic_commit(&af[i]) < 0) {
			warn("could not write '%s'", root_show(f[i].path));
			ret = -1;
		}
out:
	free(af);
	return ret;
}
