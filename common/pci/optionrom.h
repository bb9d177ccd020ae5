/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI expansion ROMs: the chain of images a card's ROM holds (0x55AA
 * header, "PCIR" data structure, code type, last-image flag), to tell
 * whether the card can start under UEFI firmware such as OVMF.
 */
#ifndef VFIO_OPTIONROM_H
#define VFIO_OPTIONROM_H

#include <stdbool.h>
#include <stddef.h>

struct option_rom {
	unsigned int images;	/* valid images in the chain */
	bool x86;		/* a legacy x86 (code type 0) image */
	bool efi;		/* a UEFI (code type 3) image */
};

/* Read a ROM (a sysfs rom attribute) and parse it; -1 with errno set on a read error. */
int option_rom_read(int fd, struct option_rom *r);

#endif
