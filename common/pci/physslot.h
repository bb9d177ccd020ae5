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

#include "pci/groupwhy.h"
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

/*
 * What a card put in a slot would get.  Below a port, the kernel puts it
 * in a group of its own when every port up to the root complex isolates
 * (groupwhy_port()), and otherwise in the port's group: that is still a
 * group of its own for passthrough when nothing but bridges (what
 * pcidev_left_out() leaves out) is in it besides what the slot holds now
 * (one card; a slot without a number on a bus of several cards takes none
 * of them out).  On a root bus no bridge is between it and the IOMMU.
 * With pcie_acs_override= in effect, a group of its own only because of
 * it says so (WHY_ACS_OVERRIDE).
 */
struct physslot_verdict {
	int own;		/* 1 a group of its own, 0 shared, -1 unknown */
	bool bridges_only;	/* own although a port does not isolate: bridges only */
	struct why_reason r;	/* why; r.at -1 without a port; WHY_ACS_OVERRIDE: own only
				   because of pcie_acs_override=, the hardware's reason */
};

struct physslot_check {
	const struct groupwhy *w;
	size_t *members;	/* per predicted group (its first device): what is not left out */
	size_t *hwmembers;	/* the same for the groups without pcie_acs_override= */
};

/* W built on the same scan as the slots; host bridges' drivers read (PCIDEV_DRIVER). */
void physslot_check_init(struct physslot_check *c, const struct groupwhy *w);
void physslot_check_free(struct physslot_check *c);
void physslot_verdict(const struct physslot_check *c, const struct physslot *p,
		      struct physslot_verdict *v);

#endif
