/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The entries of a directory under the root, in one sorted list. */
#ifndef VFIO_DIRLIST_H
#define VFIO_DIRLIST_H

#include "base/strlist.h"

enum {
	DIRLIST_HIDDEN = 1 << 0,	/* names that start with '.' too ("." and ".." never) */
	DIRLIST_REGULAR = 1 << 1,	/* only regular files, symbolic links followed */
	DIRLIST_DIRS = 1 << 2,		/* only directories, symbolic links followed */
};

/*
 * Add the names (not paths) in DIR that end in SUFFIX (NULL: any; a name
 * that is only SUFFIX does not count) to NAMES, sorted by strcmp().
 * Returns 0, or -1 with errno set: ENOENT or ENOTDIR when there is no
 * such directory, which most callers take as an empty one.
 */
int dir_list(const char *dir, const char *suffix, unsigned int flags, struct strlist *names);

#endif
