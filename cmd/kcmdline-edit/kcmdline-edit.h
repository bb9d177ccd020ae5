/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kcmdline-edit's own parts beside main(). */
#ifndef KCMDLINE_EDIT_H
#define KCMDLINE_EDIT_H

#include <stdnoreturn.h>

#include "pci/hostiommu.h"

/* --help: print the usage and exit 0. */
noreturn void usage(void);

/*
 * The CPU --iommu is for, into H: the root's /proc/cpuinfo, or (under
 * --root without one) this machine's, said so; exits when neither can
 * be read.
 */
void read_cpu(struct host_iommu *h);

#endif
