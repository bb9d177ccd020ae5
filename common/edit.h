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
	EDIT_DRY_RUN,	/* print a unified diff on stdout, change nothing */
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
	const char *path;	/* an existing file under the root */
	const char *old, *new;
	size_t oldlen, newlen;
};

/*
 * Like edit_apply() for several existing files that change together: all
 * new contents are staged beside their files before any is renamed into
 * place, so a failure (a full disk, a read-only file system) leaves every
 * file as it was.  Returns how many files change (or would), or -1 after
 * printing what could not be written.
 */
int edit_apply_all(const struct edit_opts *o, const struct edit_file *f, size_t n);

#endif
