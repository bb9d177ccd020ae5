/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading a configuration file that a writer edits: a text file, so that
 * a NUL byte (a binary or damaged file) is refused before anything is
 * planned, rather than carried into the new file.
 */
#ifndef VFIO_CONFIGFILE_H
#define VFIO_CONFIGFILE_H

#include <stddef.h>

/*
 * A configuration file under the root: NULL with errno ENOENT when absent;
 * NULL after an error naming it when it cannot be read, is not a regular
 * file or holds a NUL byte.
 */
char *config_read(const char *path, size_t *len);

#endif
