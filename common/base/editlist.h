/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Planned changes to several files, as the edit_file entries that
 * edit_apply_all() takes, with the list owning each one's path and
 * contents.  Out of memory exits (base/xalloc.h).
 */
#ifndef VFIO_EDITLIST_H
#define VFIO_EDITLIST_H

#include <stddef.h>
#include <sys/types.h>

#include "base/edit.h"

struct edit_list {
	struct edit_file *v;
	size_t n, alloc;
};

#define EDIT_LIST_INIT { NULL, 0, 0 }

/*
 * The change of PATH from OLD (OLDLEN bytes, copied; NULL: no file) to
 * NEW (taken; NULL: remove it), a created file getting MODE.  Nothing is
 * added when both are NULL or alike; NEW is freed then, and a file left
 * alike goes to the report (report.h) as unchanged.
 */
void edit_list_add(struct edit_list *l, const char *path, const char *old, size_t oldlen,
		   char *new, mode_t mode);
/* Drop the entries from N on. */
void edit_list_truncate(struct edit_list *l, size_t n);
void edit_list_free(struct edit_list *l);

#endif
