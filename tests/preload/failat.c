/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * failat.so: make one call that writes a file fail, for the fault tests of
 * the writers.  LD_PRELOAD it and set
 *
 *	FAILAT=CALL:N[:ERRNO|kill|TERM|INT|HUP][,CALL:N...]
 *					the Nth CALL fails with ERRNO (EIO by
 *					default), or the process is killed
 *					there with SIGKILL, or gets SIGTERM,
 *					SIGINT or SIGHUP just before the call,
 *					which then goes ahead; several faults
 *					separated by commas
 *	FAILAT_LOG=FILE			append "CALL N" for every call seen,
 *					to learn the fault points (malloc only
 *					with FAILAT_LOG_MALLOC=1: there are many)
 *
 * CALL is one of create (openat with O_CREAT), write (to a regular file),
 * fchmod, fchown, fsync, rename (rename, renameat, renameat2), unlink
 * (unlinkat, unlink) and mkdir (mkdirat, mkdir); in failmalloc.so, which
 * is this file with FAILAT_MALLOC defined, also malloc (malloc, calloc,
 * realloc: NULL with ENOMEM, whatever ERRNO says).  Only there, since a
 * malloc of its own would take the place of AddressSanitizer's.
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

enum call { CREATE, WRITE, FCHMOD, FCHOWN, FSYNC, RENAME, UNLINK, MKDIR, MALLOC, NCALLS };

static const char *const names[NCALLS] = {
	"create", "write", "fchmod", "fchown", "fsync", "rename", "unlink", "mkdir", "malloc",
};

static const struct { const char *name; int err; } errnos[] = {
	{ "EIO", EIO }, { "ENOSPC", ENOSPC }, { "EDQUOT", EDQUOT }, { "EACCES", EACCES },
	{ "EPERM", EPERM }, { "EROFS", EROFS }, { "EINTR", EINTR }, { "ENOMEM", ENOMEM },
};

static unsigned long counts[NCALLS];
/* Inside fault(), whose own allocations (fopen) are not counted. */
static int busy;

/* The fault of SPEC ("call:n[:how][,...]") for the Nth call C, in HOW; 0 when none. */
static int find(const char *spec, enum call c, unsigned long n, char how[16])
{
	char name[16];
	unsigned long at;

	for (; spec; spec = strchr(spec, ',') ? strchr(spec, ',') + 1 : NULL) {
		snprintf(how, 16, "EIO");
		if (sscanf(spec, "%15[a-z]:%lu:%15[A-Za-z]", name, &at, how) < 2)
			continue;
		if (!strcmp(name, names[c]) && at == n)
			return 1;
	}
	return 0;
}

/* Whether this call is the one to fail; errno is set when it is. */
static int fault(enum call c)
{
	const char *spec = getenv("FAILAT"), *log = getenv("FAILAT_LOG");
	unsigned long n = ++counts[c];
	char how[16];
	size_t i;
	int hit;

	busy = 1;
	if (log && *log && (c != MALLOC || getenv("FAILAT_LOG_MALLOC"))) {
		int saved = errno;
		FILE *f = fopen(log, "ae");

		if (f) {
			fprintf(f, "%s %lu\n", names[c], n);
			fclose(f);
		}
		errno = saved;
	}
	hit = find(spec, c, n, how);
	busy = 0;
	if (!hit)
		return 0;
	if (c == MALLOC && strcmp(how, "kill")) {
		errno = ENOMEM;
		return 1;
	}
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

#ifdef FAILAT_MALLOC
/*
 * glibc's own allocator under the wrappers: dlsym() would allocate, and
 * the wrappers must not call themselves.
 */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

void *malloc(size_t size)
{
	return !busy && fault(MALLOC) ? NULL : __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	return !busy && fault(MALLOC) ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	return !busy && fault(MALLOC) ? NULL : __libc_realloc(p, size);
}
#endif
