/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel module and parameter names, where '-' and '_' are the same
 * character: kmod turns '-' into '_' in every module name it reads
 * (libkmod's modname_normalize), and the kernel compares parameter names
 * with the two alike over the whole name (kernel/params.c, parameqn).
 */
#ifndef VFIO_MODNAME_H
#define VFIO_MODNAME_H

#include <stdbool.h>
#include <stddef.h>

/* '-' turned into '_' in NAME, in place; returns NAME. */
char *modname_normalize(char *name);
/* The first N bytes of A and B equal with '-' and '_' alike. */
bool modname_eqn(const char *a, const char *b, size_t n);
/* A and B equal with '-' and '_' alike. */
bool modname_eq(const char *a, const char *b);

#endif
