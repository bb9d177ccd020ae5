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
	char *held;		/* contents read for UNDO, freed at the end */
	char name[4096 + 8];	/* a backup's path */
	char topdir[4096];	/* the outermost directory created for the file */
	struct atomic_file af;
	bool staged, done;
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

/* mkdir -p of DIR, remembering in TOP the outermost directory it made. */
static int make_dirs(const char *dir, char *top, size_t size)
{
	char probe[4096];
	struct stat st;

	top[0] = '\0';
	snprintf(probe, sizeof(probe), "%s", dir);
	while (strcmp(probe, "/") && root_stat(probe, &st) < 0 && errno == ENOENT) {
		snprintf(top, size, "%s", probe);
		dir_of(top, probe, sizeof(probe));
	}
	return root_mkdirs(dir, 0755);
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

/* Write S's new contents beside it; nothing is replaced yet. */
static int prepare(struct step *s)
{
	char dir[4096];

	dir_of(s->path, dir, sizeof(dir));
	if (!s->data) {
		if (root_stat(s->path, &s->st) < 0) {
			warn("could not remove '%s'", root_show(s->path));
			return -1;
		}
		return 0;
	}
	if (!s->undo) {
		if (make_dirs(dir, s->topdir, sizeof(s->topdir)) < 0) {
			warn("could not create '%s'", root_show(dir));
			unmake_dirs(dir, s->topdir);
			s->topdir[0] = '\0';
			return -1;
		}
	}
	if (atomic_stage(&s->af, s->path, s->data, s->len, s->newmode) < 0) {
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
		r = remove_file(s->path, &gone);
	else if (!s->data)
		r = atomic_write_as(s->path, s->undo, s->undolen, &s->st);
	else
		r = atomic_write(s->path, s->undo, s->undolen, 0);
	if (r < 0) {
		warn("could not put back '%s' as it was", root_show(s->path));
		return;
	}
	if (!s->undo)
		unmake_dirs(dir, s->topdir);
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
		k++;
	}
	return (ssize_t)k;
}

int edit_apply_all(const struct edit_opts *o, const struct edit_file *f, size_t n)
{
	struct step *s;
	size_t i, changed = 0;
	ssize_t k, nsteps;
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
	s = calloc(2 * changed, sizeof(*s));
	if (!s) {
		warn("could not allocate memory");
		return -1;
	}
	nsteps = plan_steps(o, f, n, s);
	for (k = 0; k < nsteps; k++)
		if (prepare(&s[k]) < 0)
			break;
	if (k == nsteps)
		for (k = 0; k < nsteps; k++)
			if (commit(&s[k]) < 0)
				break;
	if (nsteps >= 0 && k == nsteps)
		ret = (int)changed;
	else
		for (k = nsteps - 1; k >= 0; k--)
			put_back(&s[k]);
	for (i = 0; i < 2 * changed; i++)
		free(s[i].held);
	free(s);
	return ret;
}

int edit_apply(const struct edit_opts *o, const char *path,
	       const char *old, size_t oldlen, const char *new, size_t newlen,
	       mode_t newmode)
{
	struct edit_file f = { path, old, new, oldlen, newlen, newmode };

	return edit_apply_all(o, &f, 1);
}
