/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The boot configuration vfio-bind --persist writes: a managed block in
 * /etc/modprobe.d/vfio.conf, whose install command sets driver_override by
 * address for functions whose ID a device that stays on the host shares.
 * The block records the devices it was made for, so it can be
 * regenerated, extended and undone; everything outside it is left alone.
 */
#ifndef VFIO_VFIOCONF_H
#define VFIO_VFIOCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/pciaddr.h"

#define VFIOCONF_BEGIN "# vfio-bind: begin"
#define VFIOCONF_END "# vfio-bind: end"

struct vfio_entry {
	char name[PCI_ADDR_LEN];	/* 0000:07:00.1 */
	unsigned int vendor, device;
	char module[64];		/* the host driver's module, "" if unknown */
	bool by_address;		/* its ID is shared with a device the host keeps */
};

struct vfio_persist {
	struct vfio_entry *v;
	size_t n;
	bool ignore_msrs;
};

/*
 * Read the managed block of TEXT (a vfio.conf; NULL for none) into P.
 * Returns 0, or -1 with *why saying what is wrong (a block without its end,
 * a malformed device line).
 */
int vfioconf_parse(const char *text, struct vfio_persist *p, const char **why);
void vfioconf_free(struct vfio_persist *p);
/* Whether line LINENO (from 1) of TEXT lies inside its managed block. */
bool vfioconf_in_block(const char *text, unsigned int lineno);
/* Index of the entry for NAME, or -1. */
long vfioconf_find(const struct vfio_persist *p, const char *name);
/* Add or update an entry (copied). */
void vfioconf_set(struct vfio_persist *p, const struct vfio_entry *e);
void vfioconf_remove(struct vfio_persist *p, const char *name);

/*
 * TEXT with its managed block replaced by one made from P (appended when
 * there was none, dropped when P is empty); its ids= list made by
 * pci_ids_add().  Caller frees.
 */
char *vfioconf_render(const char *text, const struct vfio_persist *p);

#endif
