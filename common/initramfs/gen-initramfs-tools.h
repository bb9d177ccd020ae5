/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The initramfs-tools generator's entry in the table of initramfs/initramfs.c. */
#ifndef VFIO_GEN_INITRAMFS_TOOLS_H
#define VFIO_GEN_INITRAMFS_TOOLS_H

#include "initramfs/gen-util.h"

extern const struct generator gen_initramfs_tools;

#endif
