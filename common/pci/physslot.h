/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The physical slots the kernel lists in /sys/bus/pci/slots (pciehp,
 * acpiphp, pci_slot), each with the port it hangs off and the functions
 * in it now.
 *
 * A slot's address is its bus and slot number, "0000:02:00", or only the
 * bus, "0000:02", where the firmware gives no number (drivers/pci/slot.c).
 * The bus is the secondary bus of a root port or of a switch's downstream
 * port, or a root bus with no port above it.
 */
#ifndef VFIO_PHYSSLOT_H
#define VFIO_PHYSSLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/pcidev.h"

enum physslot_port {
	PHYSSLOT_PORT,		/* port is the bridge whose secondary bus is the slot's */
	PHYSSLOT_ROOT_BUS,	/* no bridge leads to the bus: a root bus */
	PHYSSLOT_PORT_UNKNOWN,	/* a bridge's secondary bus could not be read */
};

struct physslot {
	char name[256];
	struct pci_addr addr;	/* func unused; slot unused when !numbered */
	bool numbered;		/* the address has a slot number */
	enum physslot_port where;
	long port;		/* PHYSSLOT_PORT: index of the port in the scan, else -1 */
};

struct physslots {
	struct physslot *v;	/* in address order */
	size_t n;
};

/*
 * The slots under the root's /sys/bus/pci/slots, their ports found in L
 * (a scan in address order).  A slot whose address cannot be read is said
 * (warn()) and left out; no such directory is no slot.  Bridges' secondary
 * buses come from secondary_bus_number, or from the first 64 bytes of
 * config space on kernels without it, never from a bridge in D3cold.
 */
void physslots_read(struct physslots *s, const struct pcidevs *l);
void physslots_free(struct physslots *s);

/* "0000:02:00", or "0000:02" for a slot without a number. */
char *physslot_address(const struct physslot *p, char *buf);
/* Whether D sits in slot P: its bus, and its slot number where P has one. */
bool physslot_holds(const struct physslot *p, const struct pcidev *d);
/*
 * The index in L (in address order) of the first function in P, or l->n;
 * the others follow while physslot_holds().
 */
size_t physslot_first(const struct pcidevs *l, const struct physslot *p);

#endif
