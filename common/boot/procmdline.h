/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The running kernel's command line, /proc/cmdline, split as the kernel
 * split it (kcmdline.h); what it says about the IOMMU is in iommuparam.h.
 */
#ifndef VFIO_PROCMDLINE_H
#define VFIO_PROCMDLINE_H

#include <stdbool.h>

#include "boot/kcmdline.h"

/* Returns 0, or -1 with errno set when /proc/cmdline cannot be read. */
int proc_cmdline_read(struct kcmdline *c);

/* Whether KEY's value in effect lists VALUE (comma-separated). */
bool proc_cmdline_has(const struct kcmdline *c, const char *key, const char *value);

/*
 * Whether ITEM is in a comma-separated list: S itself when KEY is NULL,
 * else the value of KEY= among S's space-separated options
 * ("ids=1002:73ff,1002:ab28 disable_vga=1").
 */
bool param_list_has(const char *s, const char *key, const char *item);

#endif
