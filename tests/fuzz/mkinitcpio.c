/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mkinitcpio.conf's MODULES, HOOKS and FILES arrays as bash reads them,
 * with the drop-ins and a preset, and initramfs-vfio's edit of them.
 * The parts of an input are the files named below, in order.
 * Properties: see fuzz_initramfs() in fuzz.h.
 */
#include "fuzz.h"
#include "initramfs/initramfs.h"

FUZZ_INITRAMFS_TARGET(GEN_MKINITCPIO,
	"/etc/mkinitcpio.conf",
	"/etc/mkinitcpio.conf.d/50-fuzz.conf",
	"/etc/mkinitcpio.d/linux.preset")
