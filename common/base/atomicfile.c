/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <linux/limits.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "base/atomicfile.h"
#include "base/root.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define MAX_LINKS 8

static int split(const char *path, char *dir, size_t dirsize, char *base, size_t basesize)
{
	const char *slash = strrchr(path, '/');
	size_t dlen;

	if (!slash || !slash[1]) {
		errno = EINVAL;
		return -1;
	}
	dlen = slash == path ? 1 : (size_t)(slash - path);
	if (dlen >= dirsize || strlen(slash + 1) >= basesize) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, path, dlen);
	dir[dlen] = '\0';
	snprintf(base, basesize, "%s", slash + 1);
	return 0;
}

/*
 * Open PATH's directory and look at PATH itself, following symbolic links
 * (inside the root) so that the file they point to is the one replaced.
 */
static int locate(struct atomic_file *af, const char *path, struct stat *st)
{
	char cur[4096], dir[4096], target[4096];
	int hops;

	if (snprintf(cur, sizeof(cur), "%s", path) >= (int)sizeof(cur)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (hops = 0; ; hops++) {
		if (split(cur, dir, sizeof(dir), af->base, sizeof(af->base)) < 0)
			return -1;
		af->dirfd = root_open(dir, O_RDONLY | O_DIRECTORY, 0);
		if (af->dirfd < 0)
			return -1;
		if (fstatat(af->dirfd, af->base, st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				goto fail;
			af->existed = false;
			break;
		}
		af->existed = true;
		if (!S_ISLNK(st->st_mode)) {
			if (!S_ISREG(st->st_mode)) {
				errno = EINVAL;
				goto fail;
			}
			if (st->st_nlink > 1) {
				af->nlink = (unsigned long)st->st_nlink;
				errno = EMLINK;
				goto fail;
			}
			break;
		}
		if (hops == MAX_LINKS) {
			errno = ELOOP;
			goto fail;
		}
		if (link_read(af->dirfd, af->base, target, sizeof(target)) < 0)
			goto fail;
		close(af->dirfd);
		af->dirfd = -1;
		if (target[0] == '/') {
			snprintf(cur, sizeof(cur), "%s", target);
		} else if (snprintf(cur, sizeof(cur), "%s/%s", strcmp(dir, "/") ? dir : "",
				    target) >= (int)sizeof(cur)) {
			errno = ENAMETOOLONG;
			return -1;
		}
	}
	snprintf(af->path, sizeof(af->path), "%s", cur);
	snprintf(af->dir, sizeof(af->dir), "%s", dir);
	return 0;
fail:
	{
		int e = errno;

		close(af->dirfd);
		af->dirfd = -1;
		errno = e;
	}
	return -1;
}

/*
 * ".#NAME.XXXXXX", NAME cut short so that the whole stays within NAME_MAX
 * (255 bytes) for the longest names.
 */
#define TEMP_NAME_MAX 255
#define TEMP_PREFIX_MAX (TEMP_NAME_MAX - 2 - 1 - 6)

static int open_temp(struct atomic_file *af)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	int tries, fd, i;

	for (tries = 0; tries < 100; tries++) {
		unsigned char rnd[6];

		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			for (i = 0; i < 6; i++)
				rnd[i] = (unsigned char)(rand() >> 3);
		snprintf(af->tmp, sizeof(af->tmp), ".#%.*s.", TEMP_PREFIX_MAX, af->base);
		for (i = 0; i < 6; i++) {
			size_t n = strlen(af->tmp);

			af->tmp[n] = chars[rnd[i] % (sizeof(chars) - 1)];
			af->tmp[n + 1] = '\0';
		}
		fd = openat(af->dirfd, af->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

int atomic_xattrs_get(int fd, char **blob, size_t *bloblen)
{
	char *names = NULL, *name, *out = NULL;
	size_t used = 0;
	ssize_t len, vlen;
	int e;

	*blob = NULL;
	*bloblen = 0;
	len = flistxattr(fd, NULL, 0);
	if (len <= 0)
		return len == 0 || errno == ENOTSUP ? 0 : -1;
	names = xmalloc((size_t)len + 1);
	len = flistxattr(fd, names, (size_t)len);
	if (len < 0)
		goto fail;
	names[len] = '\0';
	for (name = names; name < names + len; name += strlen(name) + 1) {
		size_t n = strlen(name) + 1, v;

		vlen = fgetxattr(fd, name, NULL, 0);
		if (vlen < 0)
			goto fail;
		v = (size_t)vlen;
		out = xreallocarray(out, used + n + sizeof(v) + v + 1, 1);
		vlen = fgetxattr(fd, name, out + used + n + sizeof(v), v);
		if (vlen < 0)
			goto fail;
		v = (size_t)vlen;
		memcpy(out + used, name, n);
		memcpy(out + used + n, &v, sizeof(v));
		used += n + sizeof(v) + v;
	}
	free(names);
	*blob = out;
	*bloblen = used;
	return 0;
fail:
	e = errno;
	free(names);
	free(out);
	errno = e;
	return -1;
}

/* Set on FD the attributes of BLOB (atomic_xattrs_get()); XATTR names the one that fails. */
static int xattrs_set(struct atomic_file *af, int fd, const char *blob, size_t len)
{
	const char *p = blob;

	while (p < blob + len) {
		const char *name = p;
		size_t v;

		p += strlen(p) + 1;
		memcpy(&v, p, sizeof(v));
		p += sizeof(v);
		if (fsetxattr(fd, name, p, v, 0) < 0) {
			snprintf(af->xattr, sizeof(af->xattr), "%s", name);
			return -1;
		}
		p += v;
	}
	return 0;
}

/*
 * The extended attributes of the file replaced onto the temporary file FD:
 * POSIX ACLs, security labels, user.* and the rest.  Any that cannot be set
 * fails the whole write: a file that lost its ACL or SELinux label is
 * readable by others or unreadable to the services meant to read it, and
 * the new file is beside the old one, so the same file system holds both.
 * Nothing is allocated: a rollback writes files back through here, and
 * running out of memory then would leave some files new and others old.
 */
static int copy_xattrs(struct atomic_file *af, int fd)
{
	/* The kernel's limits for a list of names and for one value. */
	static char names[XATTR_LIST_MAX], value[XATTR_SIZE_MAX];
	const char *name;
	ssize_t len, vlen;
	int src, e;

	af->xattr[0] = '\0';
	src = openat(af->dirfd, af->base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (src < 0)
		return -1;
	len = flistxattr(src, names, sizeof(names));
	if (len < 0) {
		e = errno;
		close(src);
		errno = e;
		return e == ENOTSUP ? 0 : -1;
	}
	for (name = names; name < names + len; name += strlen(name) + 1) {
		vlen = fgetxattr(src, name, value, sizeof(value));
		if (vlen < 0 || fsetxattr(fd, name, value, (size_t)vlen, 0) < 0) {
			e = errno;
			if (vlen >= 0)
				snprintf(af->xattr, sizeof(af->xattr), "%s", name);
			close(src);
			errno = e;
			return -1;
		}
	}
	close(src);
	return 0;
}

/* A new file gets NEWMODE, unless AS gives the mode and owner. */
static int stage(struct atomic_file *af, const char *path, const void *data,
		 size_t len, mode_t newmode, const struct stat *as, const char *xattrs,
		 size_t xattrslen)
{
	struct stat st;
	int fd, e;

	af->dirfd = -1;
	af->tmp[0] = '\0';
	af->renamed = false;
	af->nlink = 0;
	af->xattr[0] = '\0';
	if (locate(af, path, &st) < 0)
		return -1;
	if (as)
		st = *as;
	fd = open_temp(af);
	if (fd < 0)
		goto fail;
	if (fd_write_all(fd, data, len) < 0 ||
	    fchmod(fd, af->existed || as ? st.st_mode & 07777 : newmode) < 0 ||
	    ((af->existed || as) && fchown(fd, st.st_uid, st.st_gid) < 0) ||
	    (af->existed && !as && copy_xattrs(af, fd) < 0) ||
	    (as && xattrs_set(af, fd, xattrs, xattrslen) < 0) ||
	    fsync(fd) < 0) {
		e = errno;
		close(fd);
		errno = e;
		goto fail;
	}
	if (close(fd) < 0)
		goto fail;
	close(af->dirfd);
	af->dirfd = -1;
	return 0;
fail:
	atomic_abort(af);
	return -1;
}

/* The directory of a staged file, open again. */
static int reopen(struct atomic_file *af)
{
	if (af->dirfd < 0)
		af->dirfd = root_open(af->dir, O_RDONLY | O_DIRECTORY, 0);
	return af->dirfd;
}

int atomic_stage(struct atomic_file *af, const char *path, const void *data,
		 size_t len, mode_t newmode)
{
	return stage(af, path, data, len, newmode, NULL, NULL, 0);
}

int atomic_commit(struct atomic_file *af)
{
	int e;

	if (reopen(af) < 0 || renameat(af->dirfd, af->tmp, af->dirfd, af->base) < 0) {
		atomic_abort(af);
		return -1;
	}
	af->tmp[0] = '\0';
	af->renamed = true;
	/* The rename is done; a failed directory sync is still reported. */
	if (fsync(af->dirfd) < 0) {
		e = errno;
		close(af->dirfd);
		af->dirfd = -1;
		errno = e;
		return -1;
	}
	close(af->dirfd);
	af->dirfd = -1;
	return 0;
}

void atomic_abort(struct atomic_file *af)
{
	int e = errno;

	if (af->tmp[0])
		reopen(af);
	if (af->dirfd >= 0) {
		if (af->tmp[0])
			unlinkat(af->dirfd, af->tmp, 0);
		close(af->dirfd);
	}
	af->dirfd = -1;
	af->tmp[0] = '\0';
	errno = e;
}

int atomic_write(const char *path, const void *data, size_t len, mode_t newmode)
{
	struct atomic_file af;

	if (atomic_stage(&af, path, data, len, newmode) < 0)
		return -1;
	return atomic_commit(&af);
}

int atomic_write_as(const char *path, const void *data, size_t len, const struct stat *as,
		    const char *xattrs, size_t xattrslen)
{
	struct atomic_file af;

	if (stage(&af, path, data, len, 0, as, xattrs, xattrslen) < 0)
		return -1;
	return atomic_commit(&af);
}
