/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small macros every module may use. */
#ifndef VFIO_MACROS_H
#define VFIO_MACROS_H

/* The number of elements of array A (not of a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]) + \
	0 * sizeof(char[1 - 2 * __builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0]))]))

#endif
