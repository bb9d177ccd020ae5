/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Atomic replacement of configuration files under the root: the new
 * contents go to a temporary file in the same directory, which gets the
 * old file's mode and owner, is fsync'ed and renamed over the old one,
 * then the directory is fsync'ed.  On any failure the original is left
 * byte-identical and no temporary file remains.
 *
 * Staging and committing are separate so that a tool updating several
 * files can write them all before it renames any.
 */
#ifndef VFIO_ATOMICFILE_H
#define VFIO_ATOMICFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct atomic_file {
	int dirfd;		/* open only while staging or committing */
	bool existed;
	char path[4096];	/* the file replaced, symbolic links resolved */
	char dir[4096];		/* its directory */
	char base[256];
	char tmp[300];
	bool renamed;		/* committed, though the directory sync may have failed */
	unsigned long nlink;	/* EMLINK: the file's hard links */
	char xattr[256];	/* an extended attribute that could not be kept */
};

/*
 * Write DATA to a temporary file beside PATH (absolute, under the root).
 * A new file gets NEWMODE; a replaced one's mode, owner and extended
 * attributes (ACLs, SELinux label, user.*) are kept.  PATH may be a
 * symbolic link; the file it points to is replaced.  A file with other
 * hard links is refused (EMLINK, NLINK set): a new file would part from
 * them.  Returns 0, or -1 with errno set and nothing left behind; when an
 * extended attribute could not be kept, XATTR names it.  No descriptor
 * stays open between staging and committing, so that any number of files
 * can be staged.
 */
int atomic_stage(struct atomic_file *af, const char *path, const void *data,
		 size_t len, mode_t newmode);
/*
 * Rename the staged file into place and sync the directory.  On failure
 * RENAMED tells whether the new contents are in place all the same.
 */
int atomic_commit(struct atomic_file *af);
/* Remove a staged file that will not be committed. */
void atomic_abort(struct atomic_file *af);

/* Stage and commit in one call. */
int atomic_write(const char *path, const void *data, size_t len, mode_t newmode);
/*
 * Like atomic_write(), but the file gets the mode and owner in AS and the
 * extended attributes in XATTRS (from atomic_xattrs_get()) whether or not
 * it exists: to put back a file that was removed.
 */
int atomic_write_as(const char *path, const void *data, size_t len, const struct stat *as,
		    const char *xattrs, size_t xattrslen);
/*
 * The extended attributes of the open file FD in *BLOB (malloc'ed, *LEN
 * bytes; NULL when it has none or its file system keeps none), for
 * atomic_write_as().  Returns 0, or -1 with errno set.
 */
int atomic_xattrs_get(int fd, char **blob, size_t *len);

#endif
