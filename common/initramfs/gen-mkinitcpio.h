/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The mkinitcpio generator's entry in the table of initramfs/initramfs.c. */
#ifndef VFIO_GEN_MKINITCPIO_H
#define VFIO_GEN_MKINITCPIO_H

#include "initramfs/gen-util.h"

extern const struct generator gen_mkinitcpio;

#endif
