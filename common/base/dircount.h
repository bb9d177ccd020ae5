/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How many entries a directory under the root holds, for a count that
 * needs no names: dir_list() would copy and sort thousands of them
 * (/sys/kernel/iommu_groups).
 */
#ifndef VFIO_DIRCOUNT_H
#define VFIO_DIRCOUNT_H

#include <stddef.h>

/* The names in DIR that do not start with '.'; 0 when there is no such directory. */
size_t dir_count(const char *dir);

#endif
