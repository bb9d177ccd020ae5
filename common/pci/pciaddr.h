/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Strict parsing of PCI addresses and vendor:device IDs given on the
 * command line.  Only hex digits and the separators are accepted, so an
 * argument can never name a path outside /sys/bus/pci/devices.
 */
#ifndef VFIO_PCIADDR_H
#define VFIO_PCIADDR_H

#include <stdbool.h>
#include <stddef.h>

struct pci_addr {
	unsigned int domain;	/* up to 8 hex digits, e.g. 10000 for VMD */
	unsigned int bus;	/* 0-ff */
	unsigned int slot;	/* 0-1f */
	unsigned int func;	/* 0-7 */
};

/* Room for "ffffffff:ff:1f.7" and the NUL. */
#define PCI_ADDR_LEN 20

/*
 * "[domain:]bus:slot.func" (domain 0 when omitted).  Returns 0, or -1
 * with *why saying what is wrong.
 */
int pci_addr_parse(const char *s, struct pci_addr *a, const char **why);
/* The kernel's spelling, "%04x:%02x:%02x.%x", as in /sys/bus/pci/devices. */
char *pci_addr_format(const struct pci_addr *a, char *buf);
bool pci_addr_equal(const struct pci_addr *a, const struct pci_addr *b);
/* Address order: domain, bus, slot, function; <0, 0 or >0 as strcmp. */
int pci_addr_cmp(const struct pci_addr *a, const struct pci_addr *b);
/* V as the kernel and lspci print IDs: lower-case hex, WIDTH (up to 8) digits at least. */
#define PCI_HEX_LEN 9
char *pci_hex(unsigned int v, int width, char *buf);

struct pci_id {
	unsigned int vendor, device;
};

/* "vvvv:dddd", four hex digits each.  Returns 0, or -1 with *why set. */
int pci_id_parse(const char *s, struct pci_id *id, const char **why);

/*
 * One entry of vfio-pci's ids= list:
 * vendor:device[:subvendor[:subdevice[:class[:class_mask]]]] in hex; an
 * omitted subvendor or subdevice is PCI_ID_ANY, an omitted class and mask
 * 0 (any class).
 */
#define PCI_ID_ANY 0xffffffffu
struct pci_id_match {
	unsigned int vendor, device, subvendor, subdevice, class, class_mask;
};

/*
 * The next entry of the ids= value at *LIST, as the kernel reads it
 * (vfio_pci_fill_ids(): split at ',', empty entries skipped, each read
 * with sscanf("%x:%x:%x:%x:%x:%x")).  Returns 1 with *M set, -1 for an
 * entry the kernel skips with "invalid id string" (fewer than two
 * numbers), 0 at the end of the list; *LIST moves past what was read.
 */
int pci_ids_next(const char **list, struct pci_id_match *m);
/* Append "vendor:device" to an ids= list in SB, after a ',' when MORE. */
struct strbuf;
void pci_ids_add(struct strbuf *sb, bool more, unsigned int vendor, unsigned int device);
/* Whether entry M takes a function with these IDs; a subsystem ID < 0 is unknown and may match. */
bool pci_id_match(const struct pci_id_match *m, unsigned int vendor, unsigned int device,
		  int subvendor, int subdevice, unsigned int class);

#endif
