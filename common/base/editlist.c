/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/editlist.h"
#include "base/report.h"
#include "base/xalloc.h"
#include "base/banned.h"

void edit_list_add(struct edit_list *l, const char *path, const char *old, size_t oldlen,
		   char *new, mode_t mode)
{
	size_t newlen = new ? strlen(new) : 0;

	if ((!old && !new) || (old && new && newlen == oldlen && !memcmp(old, new, oldlen))) {
		if (old)
			report_file(path, REPORT_UNCHANGED, NULL);
		free(new);
		return;
	}
	XGROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = (struct edit_file){
		.path = xstrdup(path),
		.old = old ? xmemdupz(old, oldlen) : NULL,
		.new = new,
		.oldlen = oldlen,
		.newlen = newlen,
		.newmode = mode,
	};
}

/* What the list allocated, seen through edit_file's const pointers. */
static void release(const char *s)
{
	free((char *)(uintptr_t)s);
}

void edit_list_truncate(struct edit_list *l, size_t n)
{
	while (l->n > n) {
		struct edit_file *e = &l->v[--l->n];

		release(e->path);
		release(e->old);
		release(e->new);
	}
}

void edit_list_free(struct edit_list *l)
{
	edit_list_truncate(l, 0);
	free(l->v);
	*l = (struct edit_list)EDIT_LIST_INIT;
}
