/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unified diffs of two texts, for the writers' --dry-run: what would
 * change, in the form patch(1) and people read.
 */
#ifndef VFIO_DIFF_H
#define VFIO_DIFF_H

#include <stddef.h>
#include <stdio.h>

/*
 * Print the difference from OLD to NEW as a unified diff with three lines
 * of context, labelled "--- a/PATH" and "+++ b/PATH" (/dev/null for a file
 * that does not exist: OLD or NEW NULL).  Prints nothing when they are equal.
 */
void diff_unified(FILE *out, const char *path, const char *old, size_t oldlen,
		  const char *new, size_t newlen);

#endif
