/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * booster.yaml (modules_force_load and the rest of its YAML) and
 * initramfs-vfio's edit of it.
 * The parts of an input are the files named below, in order.
 * Properties: see fuzz_initramfs() in fuzz.h.
 */
#include "fuzz.h"
#include "initramfs/initramfs.h"

FUZZ_INITRAMFS_TARGET(GEN_BOOSTER,
	"/etc/booster.yaml")
