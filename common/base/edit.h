/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The writers' common ending: given a file's old and new contents, show
 * the change (--dry-run), report whether one is needed (--check), or make
 * it atomically, with a backup on request.
 */
#ifndef VFIO_EDIT_H
#define VFIO_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum edit_mode {
	EDIT_WRITE,	/* replace the file */
	EDIT_DRY_RUN,	/* print a unified diff on stdout (into the report with -J), change nothing */
	EDIT_CHECK,	/* change and print nothing */
};

struct edit_opts {
	enum edit_mode mode;
	bool backup;	/* keep the old file as FILE.bak before replacing it */
};

/*
 * Bring PATH (under the root) from OLD to NEW.  OLD NULL: the file does not
 * exist; NEW NULL: remove it.  A new file gets NEWMODE.
 * Returns 0 when nothing needs to change, 1 when it changed (or would),
 * -1 on failure after printing "could not write 'PATH': cause".
 */
int edit_apply(const struct edit_opts *o, const char *path,
	       const char *old, size_t oldlen, const char *new, size_t newlen,
	       mode_t newmode);

struct edit_file {
	const char *path;	/* under the root */
	const char *old, *new;	/* as in edit_apply() */
	size_t oldlen, newlen;
	mode_t newmode;		/* a created file's mode */
};

/*
 * Like edit_apply() for several files that change together, created,
 * changed or removed, in the order given (backups first).  Every new
 * contents is staged beside its file before any file is touched, so that
 * a full disk leaves everything as it was; when a rename, removal or sync
 * of a directory fails after others succeeded, those are put back from
 * OLD.  Returns how many files change (or would), or -1 after printing
 * what could not be written.
 */
int edit_apply_all(const struct edit_opts *o, const struct edit_file *f, size_t n);

/*
 * Before a writer reads what it will change: lock the directory of PATH,
 * or with PATH NULL the root directory, until edit_apply_all() in
 * EDIT_WRITE mode is done (or the process exits), so that commands run
 * after the write (a regeneration) do not keep other writers waiting.  A
 * second writer waits here (a minute at most) and then reads what the
 * first one wrote, instead of being refused at commit time.  Each process
 * takes this one lock before any other, which keeps the order the same in
 * every writer.  Returns 0, or -1 after saying why.
 */
int edit_lock(const char *path);

#endif
