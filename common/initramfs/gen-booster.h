/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The booster generator's entry in the table of initramfs/initramfs.c. */
#ifndef VFIO_GEN_BOOSTER_H
#define VFIO_GEN_BOOSTER_H

#include "initramfs/gen-util.h"

extern const struct generator gen_booster;

#endif
