#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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
