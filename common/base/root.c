/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/prog.h"
#include "base/root.h"
#include "base/xalloc.h"
#include "base/banned.h"

static int rootfd = -1;
static char prefix[4096];
static int have_openat2 = 1;

int root_init(const char *dir)
{
	size_t n;
	int fd;

	/* An empty --root is a mistake (an unset variable), not the running system. */
	if (dir && !*dir)
		usage_error("--root needs a directory, not an empty string");
	if (!dir)
		dir = "/";
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = strlen(dir);
	while (n > 0 && dir[n - 1] == '/')
		n--;
	if (n >= sizeof(prefix)) {
		close(fd);
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(prefix, dir, n);
	prefix[n] = '\0';
	if (rootfd >= 0)
		close(rootfd);
	rootfd = fd;
	return 0;
}

const char *root_prefix(void)
{
	return prefix;
}

const char *root_show(const char *path)
{
	static char bufs[4][4096 + 256];
	static unsigned int next;
	char *b = bufs[next++ % 4];

	snprintf(b, sizeof(bufs[0]), "%s%s%s", prefix,
		 *prefix && *path != '/' ? "/" : "", path);
	return b;
}

static const char *relative(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

/*
 * The lookup openat2() would do, one component at a time, for kernels
 * without it (before 5.6, or a seccomp filter answering ENOSYS), as
 * systemd's chase() does: each component is opened with O_PATH|O_NOFOLLOW
 * from the directory before it; a symbolic link is read and its target put
 * in front of what is left to walk, an absolute one from TOP; ".." at TOP
 * stays there (RESOLVE_IN_ROOT) or fails with EXDEV (RESOLVE_BENEATH).
 * Only the last component is opened with FLAGS, and then with O_NOFOLLOW,
 * so a link swapped in meanwhile fails with ELOOP instead of leading out.
 */
#define CHASE_MAXLINKS 40

static int chase(int top, const char *path, int flags, mode_t mode, unsigned long long resolve)
{
	char buf[8192], tmp[8192], target[4096], name[NAME_MAX + 1];
	/* PATH as it is until a link is met; then what is left, in BUF. */
	const char *p = path;
	unsigned int links = 0, depth = 0;
	struct stat st;
	int cur, fd, e;
	ssize_t t;
	size_t n;

	if (*p == '/' && (resolve & RESOLVE_BENEATH)) {
		errno = EXDEV;
		return -1;
	}
	cur = fcntl(top, F_DUPFD_CLOEXEC, 0);
	if (cur < 0)
		return -1;
	for (;;) {
		int last;

		while (*p == '/')
			p++;
		if (!*p) {
			/* The path ends at a directory: "", "." or "a/..". */
			fd = openat(cur, ".", flags | O_CLOEXEC, mode);
			goto done;
		}
		n = strcspn(p, "/");
		if (n > NAME_MAX) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		while (*p == '/')
			p++;
		last = !*p;
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			if (depth == 0) {
				if (resolve & RESOLVE_BENEATH) {
					errno = EXDEV;
					goto fail;
				}
				continue;
			}
			fd = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (fd < 0)
				goto fail;
			close(cur);
			cur = fd;
			depth--;
			continue;
		}
		if (last && (flags & O_NOFOLLOW)) {
			fd = openat(cur, name, flags | O_CLOEXEC, mode);
			goto done;
		}
		fd = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT && last && (flags & O_CREAT))
				fd = openat(cur, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
			goto done;
		}
		if (fstat(fd, &st) < 0)
			goto fail_fd;
		if (S_ISLNK(st.st_mode)) {
			if (resolve & RESOLVE_NO_SYMLINKS) {
				errno = ELOOP;
				goto fail_fd;
			}
			if (last && (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
				errno = EEXIST;
				goto fail_fd;
			}
			if (++links > CHASE_MAXLINKS) {
				errno = ELOOP;
				goto fail_fd;
			}
			t = readlinkat(fd, "", target, sizeof(target));
			if (t < 0)
				goto fail_fd;
			close(fd);
			if ((size_t)t >= sizeof(target)) {
				errno = ENAMETOOLONG;
				goto fail;
			}
			target[t] = '\0';
			if ((size_t)snprintf(tmp, sizeof(tmp), "%s/%s", target, p) >= sizeof(tmp)) {
				errno = ENAMETOOLONG;
				goto fail;
			}
			memcpy(buf, tmp, strlen(tmp) + 1);
			p = buf;
			if (*target == '/') {
				if (resolve & RESOLVE_BENEATH) {
					errno = EXDEV;
					goto fail;
				}
				close(cur);
				cur = fcntl(top, F_DUPFD_CLOEXEC, 0);
				if (cur < 0)
					return -1;
				depth = 0;
			}
			continue;
		}
		if (last) {
			close(fd);
			fd = openat(cur, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
			goto done;
		}
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			goto fail_fd;
		}
		close(cur);
		cur = fd;
		depth++;
	}
done:
	e = errno;
	close(cur);
	errno = e;
	return fd;
fail_fd:
	e = errno;
	close(fd);
	errno = e;
fail:
	e = errno;
	close(cur);
	errno = e;
	return -1;
}

static int do_openat2(int dirfd, const char *path, int flags, mode_t mode,
		      unsigned long long resolve)
{
	struct open_how how = {
		.flags = (unsigned long long)flags | O_CLOEXEC,
		.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
		.resolve = resolve,
	};
	long fd;
	int tries = 0;

	if (have_openat2) {
		/*
		 * A lookup through ".." (every sysfs device link) fails with
		 * EAGAIN when anything on the system was renamed meanwhile:
		 * the kernel asks to try again.
		 */
		do
			fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		while (fd < 0 && errno == EAGAIN && ++tries < 128);
		if (fd >= 0 || errno != ENOSYS)
			return (int)fd;
		/* Kernels before 5.6: the same lookup, made here. */
		have_openat2 = 0;
	}
	return chase(dirfd, path, flags, mode, resolve);
}

int root_open(const char *path, int flags, mode_t mode)
{
	if (rootfd < 0 && root_init(NULL) < 0)
		return -1;
	/*
	 * The running system: there is nothing to escape from, and the
	 * magic links openat2 refuses to follow (EXDEV) are what the user
	 * names as /dev/stdin or <(virsh dumpxml win10).
	 */
	if (!*prefix)
		return openat(rootfd, relative(path), flags | O_CLOEXEC, mode);
	return do_openat2(rootfd, relative(path), flags, mode, RESOLVE_IN_ROOT);
}

/* Like root_open(), relative to a descriptor from it, and kept beneath it. */
static int root_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	if (*path == '/')
		return root_open(path, flags, mode);
	/*
	 * RESOLVE_IN_ROOT would make DIRFD the root; RESOLVE_BENEATH keeps the
	 * lookup under DIRFD, which is under the root.
	 */
	return do_openat2(dirfd, path, flags, mode, RESOLVE_BENEATH);
}

DIR *root_opendir(const char *path)
{
	int fd = root_open(path, O_RDONLY | O_DIRECTORY, 0);
	DIR *d;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return d;
}

int root_mkdirs(const char *path, mode_t mode)
{
	size_t n = strlen(path);
	char buf[4096], *p;
	struct stat st;

	if (n >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, n + 1);
	for (p = buf + 1; ; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (root_stat(buf, &st) < 0) {
			int parent;
			char *slash = strrchr(buf, '/');

			if (errno != ENOENT)
				return -1;
			*slash = '\0';
			parent = root_open(*buf ? buf : "/", O_PATH | O_DIRECTORY, 0);
			*slash = '/';
			if (parent < 0)
				return -1;
			if (mkdirat(parent, slash + 1, mode) < 0 && errno != EEXIST) {
				int e = errno;

				close(parent);
				errno = e;
				return -1;
			}
			close(parent);
		} else if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
		if (c == '\0')
			return 0;
		*p = c;
	}
}

int root_stat(const char *path, struct stat *st)
{
	int fd = root_open(path, O_PATH, 0);
	int r;

	if (fd < 0)
		return -1;
	r = fstat(fd, st);
	close(fd);
	return r;
}

/*
 * FD unless it is a FIFO, socket or device: then closed, and -1 with
 * EINVAL.  Opened with O_NONBLOCK, a FIFO did not block the open; refused,
 * it blocks no read.  A directory fails the read (EISDIR) as before.
 */
static int regular_only(int fd)
{
	struct stat st;
	int e;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		e = errno;
	else if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		e = EINVAL;
	else
		return fd;
	close(fd);
	errno = e;
	return -1;
}

int root_open_regular(const char *path)
{
	return regular_only(root_open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0));
}

int root_openat_regular(int dirfd, const char *name)
{
	return regular_only(root_openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0));
}

ssize_t attr_read(int dirfd, const char *name, char *buf, size_t size)
{
	ssize_t n;
	int fd, e;

	fd = regular_only(do_openat2(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0,
				     RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH));
	if (fd < 0)
		return -1;
	n = read(fd, buf, size);
	e = errno;
	close(fd);
	if (n < 0) {
		errno = e;
		return -1;
	}
	if ((size_t)n >= size) {
		errno = EFBIG;
		return -1;
	}
	/* The value is read as a string: a NUL ends it, and then its white space. */
	n = (ssize_t)strnlen(buf, (size_t)n);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		n--;
	buf[n] = '\0';
	return n;
}

ssize_t link_read(int dirfd, const char *name, char *buf, size_t size)
{
	ssize_t n = readlinkat(dirfd, name, buf, size);

	if (n < 0)
		return -1;
	if ((size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	buf[n] = '\0';
	return n;
}

ssize_t link_base(int dirfd, const char *name, char *buf, size_t size)
{
	char target[4096];
	const char *base;
	size_t n;

	if (link_read(dirfd, name, target, sizeof(target)) < 0)
		return -1;
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	n = strlen(base);
	if (n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, base, n + 1);
	return (ssize_t)n;
}

int fd_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

char *fd_read_all(int fd, size_t max, size_t *len)
{
	size_t cap = 8192, n = 0;
	char *data = xmalloc(cap);
	ssize_t r;
	int e;

	for (;;) {
		if (n + 1 == cap) {
			cap *= 2;
			data = xreallocarray(data, cap, 1);
		}
		r = read(fd, data + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			errno = EFBIG;
			goto fail;
		}
	}
	data[n] = '\0';
	if (len)
		*len = n;
	return data;
fail:
	e = errno;
	free(data);
	errno = e;
	return NULL;
}

char *root_read_file(const char *path, size_t *len)
{
	char *data;
	struct stat st;
	int fd, e;

	/* A FIFO would block the open, a device read forever. */
	fd = root_open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	data = fd_read_all(fd, ROOT_FILE_MAX, len);
	e = errno;
	close(fd);
	errno = e;
	return data;
}

char *root_file_arg(const char *file)
{
	char *cwd, *path;

	if (file[0] == '/' || *root_prefix())
		return xasprintf("%s%s", file[0] == '/' ? "" : "/", file);
	cwd = getcwd(NULL, 0);
	if (!cwd) {
		if (errno == ENOMEM)
			xalloc_die();
		err(EXIT_FAIL, "could not find the current directory");
	}
	path = xasprintf("%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "", file);
	free(cwd);
	return path;
}
