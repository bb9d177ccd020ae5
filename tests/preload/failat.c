/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * failat.so: make one call that writes a file fail, for the fault tests of
 * the writers.  LD_PRELOAD it and set
 *
 *	FAILAT=CALL:N[:ERRNO|kill|TERM|INT|HUP]
 *					the Nth CALL fails with ERRNO (EIO by
 *					default), or the process is killed
 *					there with SIGKILL, or gets SIGTERM,
 *					SIGINT or SIGHUP just before the call,
 *					which then goes ahead
 *	FAILAT_LOG=FILE			append "CALL N" for every call seen,
 *					to learn the fault points
 *
 * CALL is one of create (openat with O_CREAT), write (to a regular file),
 * fchmod, fchown, fsync, rename (rename, renameat, renameat2), unlink
 * (unlinkat, unlink) and mkdir (mkdirat, mkdir).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum call { CREATE, WRITE, FCHMOD, FCHOWN, FSYNC, RENAME, UNLINK, MKDIR, NCALLS };

static const char *const names[NCALLS] = {
	"create", "write", "fchmod", "fchown", "fsync", "rename", "unlink", "mkdir",
};

static const struct { const char *name; int err; } errnos[] = {
	{ "EIO", EIO }, { "ENOSPC", ENOSPC }, { "EDQUOT", EDQUOT }, { "EACCES", EACCES },
	{ "EPERM", EPERM }, { "EROFS", EROFS }, { "EINTR", EINTR }, { "ENOMEM", ENOMEM },
};

static unsigned long counts[NCALLS];

/* Whether this call is the one to fail; errno is set when it is. */
static int fault(enum call c)
{
	const char *spec = getenv("FAILAT"), *log = getenv("FAILAT_LOG");
	unsigned long n = ++counts[c];
	char name[16], how[16] = "EIO";
	unsigned long at;
	size_t i;

	if (log && *log) {
		int saved = errno;
		FILE *f = fopen(log, "ae");

		if (f) {
			fprintf(f, "%s %lu\n", names[c], n);
			fclose(f);
		}
		errno = saved;
	}
	if (!spec || sscanf(spec, "%15[a-z]:%lu:%15[A-Za-z]", name, &at, how) < 2)
		return 0;
	if (strcmp(name, names[c]) || at != n)
		return 0;
	if (!strcmp(how, "kill"))
		raise(SIGKILL);
	if (!strcmp(how, "TERM") || !strcmp(how, "INT") || !strcmp(how, "HUP")) {
		int saved = errno;

		raise(how[0] == 'T' ? SIGTERM : how[0] == 'I' ? SIGINT : SIGHUP);
		errno = saved;
		return 0;
	}
	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (!strcmp(how, errnos[i].name)) {
			errno = errnos[i].err;
			return 1;
		}
	errno = EIO;
	return 1;
}

#define NEXT(ret, fn, ...) \
	static ret (*next)(__VA_ARGS__); \
	if (!next) \
		next = (ret (*)(__VA_ARGS__))dlsym(RTLD_NEXT, fn)

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	NEXT(int, "openat", int, const char *, int, ...);

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
		if (fault(CREATE))
			return -1;
	}
	return next(dirfd, path, flags, mode);
}


ssize_t write(int fd, const void *buf, size_t len)
{
	struct stat st;
	NEXT(ssize_t, "write", int, const void *, size_t);

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fault(WRITE))
		return -1;
	return next(fd, buf, len);
}

int fchmod(int fd, mode_t mode)
{
	NEXT(int, "fchmod", int, mode_t);
	return fault(FCHMOD) ? -1 : next(fd, mode);
}

int fchown(int fd, uid_t uid, gid_t gid)
{
	NEXT(int, "fchown", int, uid_t, gid_t);
	return fault(FCHOWN) ? -1 : next(fd, uid, gid);
}

int fsync(int fd)
{
	NEXT(int, "fsync", int);
	return fault(FSYNC) ? -1 : next(fd);
}

int fdatasync(int fd)
{
	NEXT(int, "fdatasync", int);
	return fault(FSYNC) ? -1 : next(fd);
}

int rename(const char *from, const char *to)
{
	NEXT(int, "rename", const char *, const char *);
	return fault(RENAME) ? -1 : next(from, to);
}

int renameat(int fromfd, const char *from, int tofd, const char *to)
{
	NEXT(int, "renameat", int, const char *, int, const char *);
	return fault(RENAME) ? -1 : next(fromfd, from, tofd, to);
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned int flags)
{
	NEXT(int, "renameat2", int, const char *, int, const char *, unsigned int);
	return fault(RENAME) ? -1 : next(fromfd, from, tofd, to, flags);
}

int unlink(const char *path)
{
	NEXT(int, "unlink", const char *);
	return fault(UNLINK) ? -1 : next(path);
}

int unlinkat(int dirfd, const char *path, int flags)
{
	NEXT(int, "unlinkat", int, const char *, int);
	return fault(UNLINK) ? -1 : next(dirfd, path, flags);
}

int mkdir(const char *path, mode_t mode)
{
	NEXT(int, "mkdir", const char *, mode_t);
	return fault(MKDIR) ? -1 : next(path, mode);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	NEXT(int, "mkdirat", int, const char *, mode_t);
	return fault(MKDIR) ? -1 : next(dirfd, path, mode);
}
