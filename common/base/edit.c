/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "base/atomicfile.h"
#include "base/diff.h"
#include "base/edit.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/xalloc.h"
#include "base/banned.h"

/*
 * One file of a transaction: what it becomes, and what putting it back
 * takes.  The backups of the files are steps of their own.
 */
struct step {
	const char *path;
	const char *data;	/* the new contents; NULL removes the file */
	size_t len;
	const char *undo;	/* the old contents; NULL: the file did not exist */
	size_t undolen;
	mode_t newmode;
	struct stat st;		/* a removed file's mode and owner */
	char *xattrs;		/* and its extended attributes (atomic_xattrs_get()) */
	size_t xattrslen;
	char *held;		/* contents read for UNDO, freed at the end */
	char name[4096 + 8];	/* a backup's path */
	char topdir[4096];	/* the outermost directory created for the file */
	struct atomic_file af;
	bool staged, done;
	bool check;		/* UNDO is what was read: the file must still hold it */
};

/*
 * The locks of a transaction: flock(2) on each directory whose files it
 * replaces, so that every vfio-utils writer waits for the others.  A lock
 * on the directory, not the file, since the file is replaced by another
 * one; and no lock file, which a killed writer would leave behind.
 */
struct lock {
	dev_t dev;
	ino_t ino;
	int fd;
};

static void dir_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');

	snprintf(dir, size, "%.*s", slash && slash != path ? (int)(slash - path) : 1, path);
}

/* Remove PATH and sync its directory; *GONE tells whether it went. */
static int remove_file(const char *path, bool *gone)
{
	char dir[4096];
	int fd, r;

	*gone = false;
	dir_of(path, dir, sizeof(dir));
	fd = root_open(dir, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return -1;
	r = unlinkat(fd, strrchr(path, '/') + 1, 0);
	if (r == 0) {
		*gone = true;
		r = fsync(fd);
	}
	if (r < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

/* Whether PATH is a symbolic link (to nothing, when it is not found); its target in LINK. */
static bool dangling(const char *path, char *link)
{
	char dir[4096];
	struct stat st;
	bool r = false;
	int fd;

	dir_of(path, dir, sizeof(dir));
	fd = root_open(dir, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return false;
	if (fstatat(fd, strrchr(path, '/') + 1, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode) && link_read(fd, strrchr(path, '/') + 1, link, 4096) >= 0)
		r = true;
	close(fd);
	return r;
}

/*
 * mkdir -p of DIR, remembering in TOP the outermost directory it made.
 * When a directory on the way is a symbolic link to nothing, nothing is
 * made: -2 after saying so.
 */
static int make_dirs(const char *dir, char *top, size_t size)
{
	char probe[4096], parent[4096], link[4096];
	struct stat st;

	top[0] = '\0';
	snprintf(probe, sizeof(probe), "%s", dir);
	while (strcmp(probe, "/") && root_stat(probe, &st) < 0 && errno == ENOENT) {
		if (dangling(probe, link)) {
			top[0] = '\0';
			warnx("could not create '%s': '%s' is a symbolic link to '%s', which does "
			      "not exist", root_show(dir), root_show(probe), link);
			return -2;
		}
		snprintf(top, size, "%s", probe);
		dir_of(top, probe, sizeof(probe));
	}
	if (root_mkdirs(dir, 0755) < 0)
		return -1;
	/* 0755 whatever the umask: a 0700 /etc/dracut.conf.d is not read by all. */
	if (!top[0])
		return 0;
	snprintf(probe, sizeof(probe), "%s", dir);
	for (;;) {
		int fd = root_open(probe, O_RDONLY | O_DIRECTORY, 0);

		if (fd < 0)
			return -1;
		if (fchmod(fd, 0755) < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		close(fd);
		if (!strcmp(probe, top))
			return 0;
		dir_of(probe, parent, sizeof(parent));
		snprintf(probe, sizeof(probe), "%s", parent);
	}
}

/*
 * Remove DIR and its parents up to TOP, the directories make_dirs() made
 * (those of them that a failed make_dirs() did make).
 */
static void unmake_dirs(const char *dir, const char *top)
{
	char cur[4096], parent[4096];

	if (!top[0])
		return;
	snprintf(cur, sizeof(cur), "%s", dir);
	for (;;) {
		int fd;

		dir_of(cur, parent, sizeof(parent));
		fd = root_open(parent, O_RDONLY | O_DIRECTORY, 0);
		if (fd >= 0 && unlinkat(fd, strrchr(cur, '/') + 1, AT_REMOVEDIR) == 0) {
			close(fd);
		} else if (errno != ENOENT) {
			warn("could not remove '%s'", root_show(cur));
			if (fd >= 0)
				close(fd);
			return;
		} else if (fd >= 0) {
			close(fd);
		}
		if (!strcmp(cur, top))
			return;
		snprintf(cur, sizeof(cur), "%s", parent);
	}
}

/*
 * A file to remove, looked at without following a symbolic link: removing
 * a link would leave the file it points to read all the same (a modprobe.d
 * link to /usr/lib/modprobe.d), so a link is refused with its target.
 */
static int prepare_remove(struct step *s, const char *dir)
{
	char target[4096];
	int fd, file;

	fd = root_open(dir, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0) {
		if (errno == ENOTDIR || errno == ENOENT)
			warnx("could not remove '%s': '%s' is not a directory (a symbolic link to "
			      "nothing?)", root_show(s->path), root_show(dir));
		else
			warn("could not remove '%s'", root_show(s->path));
		return -1;
	}
	if (fstatat(fd, strrchr(s->path, '/') + 1, &s->st, AT_SYMLINK_NOFOLLOW) < 0) {
		warn("could not remove '%s'", root_show(s->path));
		close(fd);
		return -1;
	}
	if (S_ISLNK(s->st.st_mode)) {
		if (link_read(fd, strrchr(s->path, '/') + 1, target, sizeof(target)) < 0)
			snprintf(target, sizeof(target), "?");
		warnx("could not remove '%s': a symbolic link to '%s', whose contents removing "
		      "the link would not take away; edit or remove that file by hand",
		      root_show(s->path), target);
		close(fd);
		return -1;
	}
	/* Its extended attributes, for putting it back as it was. */
	file = openat(fd, strrchr(s->path, '/') + 1, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (file < 0 || atomic_xattrs_get(file, &s->xattrs, &s->xattrslen) < 0) {
		warn("could not remove '%s': could not read its extended attributes",
		     root_show(s->path));
		if (file >= 0)
			close(file);
		close(fd);
		return -1;
	}
	close(file);
	close(fd);
	return 0;
}

/* Write S's new contents beside it; nothing is replaced yet. */
static int prepare(struct step *s)
{
	char dir[4096];

	dir_of(s->path, dir, sizeof(dir));
	if (!s->data)
		return prepare_remove(s, dir);
	if (!s->undo) {
		int r = make_dirs(dir, s->topdir, sizeof(s->topdir));

		if (r < 0) {
			if (r == -1)
				warn("could not create '%s'", root_show(dir));
			unmake_dirs(dir, s->topdir);
			s->topdir[0] = '\0';
			return -1;
		}
	}
	if (atomic_stage(&s->af, s->path, s->data, s->len, s->newmode) < 0) {
		if (errno == EMLINK && s->af.nlink)
			warnx("could not write '%s': it has %lu hard links, which a new file would "
			      "part from; make it a file of its own (cp, then mv) and run again",
			      root_show(s->path), s->af.nlink);
		else if (s->af.xattr[0])
			warn("could not write '%s': could not keep its extended attribute '%s'",
			     root_show(s->path), s->af.xattr);
		else
			warn("could not write '%s'", root_show(s->path));
		unmake_dirs(dir, s->topdir);
		s->topdir[0] = '\0';
		return -1;
	}
	s->staged = true;
	return 0;
}

static int commit(struct step *s)
{
	if (!s->data) {
		if (remove_file(s->path, &s->done) < 0) {
			warn("could not remove '%s'", root_show(s->path));
			return -1;
		}
		return 0;
	}
	s->staged = false;
	if (atomic_commit(&s->af) < 0) {
		s->done = s->af.renamed;
		warn("could not write '%s'", root_show(s->path));
		return -1;
	}
	s->done = true;
	return 0;
}

/* Undo a step: the file as it was, or gone again with what was made for it. */
static void put_back(struct step *s)
{
	char dir[4096];
	bool gone;
	int r;

	if (s->staged)
		atomic_abort(&s->af);
	dir_of(s->path, dir, sizeof(dir));
	if (!s->done) {
		if (s->data && !s->undo)
			unmake_dirs(dir, s->topdir);
		return;
	}
	if (!s->undo)
		r = remove_file(s->af.path[0] ? s->af.path : s->path, &gone);
	else if (!s->data)
		r = atomic_write_as(s->path, s->undo, s->undolen, &s->st, s->xattrs, s->xattrslen);
	else
		r = atomic_write(s->path, s->undo, s->undolen, 0);
	if (r < 0) {
		warn("could not put back '%s' as it was", root_show(s->path));
		return;
	}
	if (!s->undo)
		unmake_dirs(dir, s->topdir);
}

/* How long a writer waits for another one to finish, in 10 ms rounds. */
#define LOCK_ROUNDS 6000

/* The signals that would cut a commit short, held back over it. */
static void commit_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
}

/* Whether one of the signals held back came. */
static bool interrupted(void)
{
	sigset_t set, held;
	int sig;

	commit_signals(&held);
	if (sigpending(&set) < 0)
		return false;
	for (sig = 1; sig < NSIG; sig++)
		if (sigismember(&held, sig) == 1 && sigismember(&set, sig) == 1)
			return true;
	return false;
}

static int lock_order(const void *a, const void *b)
{
	const struct lock *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/*
 * Take the lock on FD, waiting while another writer holds it, for a minute
 * at most; gives up when a signal comes meanwhile.
 */
static int wait_lock(int fd)
{
	unsigned rounds;

	for (rounds = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; rounds++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		if (errno != EWOULDBLOCK && errno != EINTR) {
			warn("could not lock the directory of the files to write");
			return -1;
		}
		if (interrupted()) {
			warnx("interrupted while waiting for another writer; nothing changed");
			return -1;
		}
		if (rounds == LOCK_ROUNDS) {
			warnx("another program has held a lock on the directory of the files "
			      "to write for a minute; nothing changed");
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	return 0;
}

/*
 * The lock a writer took before reading (edit_lock()), held until its
 * files are written (or exit); fd -1 while none.
 */
static struct lock first = { 0, 0, -1 };

int edit_lock(const char *path)
{
	char dir[4096];
	struct stat st;
	sigset_t block, saved;
	int fd, r;

	if (first.fd >= 0)
		return 0;
	if (path)
		dir_of(path, dir, sizeof(dir));
	else
		snprintf(dir, sizeof(dir), "/");
	fd = root_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	/* No directory, no file to read: the reader says so, the commit locks. */
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	if (fd < 0 || fstat(fd, &st) < 0) {
		warn("could not lock '%s'", root_show(dir));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* A signal while waiting ends the wait with a message, then the run. */
	commit_signals(&block);
	sigprocmask(SIG_BLOCK, &block, &saved);
	r = wait_lock(fd);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (r < 0) {
		close(fd);
		return -1;
	}
	first.dev = st.st_dev;
	first.ino = st.st_ino;
	first.fd = fd;
	return 0;
}

/* The lock taken before reading, let go once the files are written. */
static void edit_unlock(void)
{
	if (first.fd >= 0)
		close(first.fd);
	first.fd = -1;
}

/*
 * Lock the directory of each of the N steps, in one order for all writers
 * so that none waits for another that waits for it.  Waits while another
 * writer holds one, for a minute at most, and gives up when a signal comes
 * meanwhile.  LOCKS has room for N; returns how many are held, or -1 after
 * saying why (those held stay in LOCKS, *HELD of them).
 */
static int lock_dirs(struct step *s, size_t n, struct lock *locks, size_t *held)
{
	size_t i, j, k = 0;
	struct stat st;

	*held = 0;
	for (i = 0; i < n; i++) {
		char dir[4096];
		int fd;

		if (s[i].data)
			snprintf(dir, sizeof(dir), "%s", s[i].af.dir);
		else
			dir_of(s[i].path, dir, sizeof(dir));
		fd = root_open(dir, O_RDONLY | O_DIRECTORY, 0);
		if (fd < 0 || fstat(fd, &st) < 0) {
			warn("could not lock '%s'", root_show(dir));
			if (fd >= 0)
				close(fd);
			*held = k;
			return -1;
		}
		for (j = 0; j < k; j++)
			if (locks[j].dev == st.st_dev && locks[j].ino == st.st_ino)
				break;
		/* Held since the files were read: another lock would wait for it. */
		if (j < k || (first.fd >= 0 && first.dev == st.st_dev && first.ino == st.st_ino)) {
			close(fd);
			continue;
		}
		locks[k].dev = st.st_dev;
		locks[k].ino = st.st_ino;
		locks[k].fd = fd;
		k++;
	}
	*held = k;
	qsort(locks, k, sizeof(*locks), lock_order);
	for (i = 0; i < k; i++)
		if (wait_lock(locks[i].fd) < 0)
			return -1;
	return (int)k;
}

static void unlock_dirs(struct lock *locks, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		close(locks[i].fd);
}

/*
 * Whether the file at PATH holds the LEN bytes of DATA (NULL: that there
 * is no such file); 1 or 0, or -1 with errno set.  Read through a buffer
 * of its own: nothing is allocated once files are staged, so that running
 * out of memory cannot leave temporary files behind.
 */
static int holds(const char *path, const char *data, size_t len)
{
	char buf[65536];
	size_t off = 0;
	ssize_t n = 0;
	int fd, e, r = 1;

	fd = root_open_regular(path);
	if (fd < 0)
		return errno == ENOENT && !data ? 1 : -1;
	if (!data) {
		close(fd);
		return 0;
	}
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if ((size_t)n > len - off || memcmp(buf, data + off, (size_t)n)) {
			r = 0;
			break;
		}
		off += (size_t)n;
	}
	e = errno;
	close(fd);
	if (n < 0) {
		errno = e;
		return -1;
	}
	return r && off == len;
}

/*
 * Under the locks: every file still holds what was read, for an editor or
 * a tool that takes no lock may have changed it since.
 */
static int unchanged(const struct step *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int r;

		if (!s[i].check)
			continue;
		r = holds(s[i].path, s[i].undo, s[i].undolen);
		if (r < 0) {
			warn("could not read '%s'", root_show(s[i].path));
			return -1;
		}
		if (!r) {
			warnx("could not write '%s': it changed since it was read (another program "
			      "wrote it); nothing changed, run again", root_show(s[i].path));
			return -1;
		}
	}
	return 0;
}

static bool same(const struct edit_file *f)
{
	if (!f->old || !f->new)
		return !f->old && !f->new;
	return f->oldlen == f->newlen && !memcmp(f->old, f->new, f->oldlen);
}

/* The steps of F's changes in order, backups first; how many, or -1. */
static ssize_t plan_steps(const struct edit_opts *o, const struct edit_file *f, size_t n,
			  struct step *s)
{
	size_t i, k = 0;

	for (i = 0; o->backup && i < n; i++) {
		if (same(&f[i]) || !f[i].old)
			continue;
		snprintf(s[k].name, sizeof(s[k].name), "%s.bak", f[i].path);
		s[k].path = s[k].name;
		s[k].data = f[i].old;
		s[k].len = f[i].oldlen;
		s[k].newmode = 0600;
		s[k].held = root_read_file(s[k].path, &s[k].undolen);
		if (!s[k].held && errno != ENOENT) {
			warn("could not read '%s'", root_show(s[k].path));
			return -1;
		}
		s[k].undo = s[k].held;
		k++;
	}
	for (i = 0; i < n; i++) {
		if (same(&f[i]))
			continue;
		s[k].path = f[i].path;
		s[k].data = f[i].new;
		s[k].len = f[i].newlen;
		s[k].undo = f[i].old;
		s[k].undolen = f[i].oldlen;
		s[k].newmode = f[i].newmode;
		s[k].check = true;
		k++;
	}
	return (ssize_t)k;
}

static enum report_action action(const struct edit_file *f)
{
	return !f->old ? REPORT_CREATED : !f->new ? REPORT_REMOVED : REPORT_UPDATED;
}

/* A dry run's diff of F into the report, as it would be printed. */
static void report_diff(const struct edit_file *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		xalloc_die();
	diff_unified(m, f->path, f->old, f->oldlen, f->new, f->newlen);
	if (fclose(m) != 0)
		xalloc_die();
	report_file(f->path, action(f), buf);
	free(buf);
}

int edit_apply_all(const struct edit_opts *o, const struct edit_file *f, size_t n)
{
	struct step *s;
	struct lock *locks;
	size_t i, changed = 0, held = 0;
	ssize_t k, nsteps;
	sigset_t block, saved;
	int ret = -1;

	for (i = 0; i < n; i++) {
		if (same(&f[i])) {
			if (f[i].old)
				report_file(f[i].path, REPORT_UNCHANGED, NULL);
			continue;
		}
		changed++;
		if (o->mode == EDIT_DRY_RUN && report_active())
			report_diff(&f[i]);
		else if (o->mode == EDIT_DRY_RUN)
			diff_unified(stdout, f[i].path, f[i].old, f[i].oldlen, f[i].new, f[i].newlen);
		else
			report_file(f[i].path, action(&f[i]), NULL);
	}
	if (o->mode != EDIT_WRITE && changed)
		report_changed();
	if (o->mode != EDIT_WRITE || !changed) {
		if (o->mode == EDIT_WRITE)
			edit_unlock();
		return (int)changed;
	}
	s = xcalloc(2 * changed, sizeof(*s));
	locks = xcalloc(2 * changed, sizeof(*locks));
	/*
	 * From the first temporary file to the last rename or its undoing,
	 * a signal waits: the run completes or rolls back, then it dies.
	 */
	commit_signals(&block);
	sigprocmask(SIG_BLOCK, &block, &saved);
	nsteps = plan_steps(o, f, n, s);
	/*
	 * Files to remove first, since reading their attributes allocates:
	 * from the first temporary file to the last rename or its undoing
	 * nothing does, so running out of memory leaves no temporary file
	 * and no file half the run renamed.
	 */
	for (k = 0; k < nsteps; k++)
		if (!s[k].data && prepare(&s[k]) < 0)
			break;
	if (k == nsteps)
		for (k = 0; k < nsteps; k++)
			if (s[k].data && prepare(&s[k]) < 0)
				break;
	if (k == nsteps && (lock_dirs(s, (size_t)nsteps, locks, &held) < 0 ||
			    unchanged(s, (size_t)nsteps) < 0))
		k = -1;
	if (k == nsteps)
		for (k = 0; k < nsteps; k++)
			if (commit(&s[k]) < 0)
				break;
	if (nsteps >= 0 && k == nsteps) {
		ret = (int)changed;
		report_changed();
	} else {
		for (k = nsteps - 1; k >= 0; k--)
			put_back(&s[k]);
	}
	unlock_dirs(locks, held);
	edit_unlock();
	sigprocmask(SIG_SETMASK, &saved, NULL);
	for (i = 0; i < 2 * changed; i++) {
		free(s[i].held);
		free(s[i].xattrs);
	}
	free(s);
	free(locks);
	return ret;
}

int edit_apply(const struct edit_opts *o, const char *path,
	       const char *old, size_t oldlen, const char *new, size_t newlen,
	       mode_t newmode)
{
	struct edit_file f = { path, old, new, oldlen, newlen, newmode };

	return edit_apply_all(o, &f, 1);
}
