/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dracut's configuration (force_drivers, omit_drivers, the drop-ins) and the
 * modprobe.d install commands it must carry, and initramfs-vfio's drop-in.
 * The parts of an input are the files named below, in order.
 * Properties: see fuzz_initramfs() in fuzz.h.
 */
#include "fuzz.h"
#include "initramfs/initramfs.h"

FUZZ_INITRAMFS_TARGET(GEN_DRACUT,
	"/etc/dracut.conf",
	"/etc/dracut.conf.d/50-fuzz.conf",
	"/etc/modprobe.d/fuzz.conf")
