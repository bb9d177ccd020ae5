/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PCI device model shared by the tools: enumeration with libpci's
 * sysfs access method (under --root), attributes read from sysfs, names
 * exactly as lspci prints them.
 */
#ifndef VFIO_PCIDEV_H
#define VFIO_PCIDEV_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/pciaddr.h"

/* What to read beyond addresses, IDs, class, revision and IOMMU group. */
enum {
	PCIDEV_SUBSYS	= 1 << 0,
	PCIDEV_DRIVER	= 1 << 1,
	PCIDEV_OVERRIDE	= 1 << 2,
	PCIDEV_BOOT_VGA	= 1 << 3,
	PCIDEV_RESET	= 1 << 4,
	PCIDEV_ALL	= (1 << 5) - 1,
};

struct pcidev {
	struct pci_addr addr;
	char name[PCI_ADDR_LEN];	/* as in /sys/bus/pci/devices: 0000:07:00.0 */
	unsigned int vendor, device;
	unsigned int class;		/* base << 16 | sub << 8 | prog-if */
	int revision;			/* -1 when unknown */
	int subsys_vendor, subsys_device; /* -1 when unknown */
	long group;			/* -1 when in no IOMMU group */
	char driver[64];		/* "" when no driver is bound */
	char override[64];		/* driver_override, "" when unset */
	int boot_vga;			/* 0 or 1; -1 when the kernel has no boot_vga */
	bool has_reset;			/* reset_method exists */
	char reset[128];		/* its methods, space separated */
};

struct pcidevs {
	struct pcidev *dev;
	size_t n;
	bool domains;		/* some device is outside domain 0: show domains, as lspci */
	struct pci_access *pacc;
	int sysfs_fd, ids_fd;	/* what libpci reads, opened inside the root */
	struct pcidev_names *names;	/* each name looked up once */
};

/*
 * Enumerate every PCI function under the root's /sys/bus/pci/devices, in
 * address order, and read FIELDS for each.  Returns 0, or -1 after
 * printing why, with nothing left to free.
 */
int pcidevs_scan(struct pcidevs *l, unsigned int fields);
void pcidevs_free(struct pcidevs *l);
/*
 * Before pcidevs_scan(): the PCI ID database FILE, a path in the running
 * system whatever the root, as lspci -i (the scan fails naming it when it
 * cannot be read); with FILE NULL, the root's and, when the root has
 * none, the running system's.  Without a call only the root's is read.
 */
void pcidevs_use_ids(const char *file);
/*
 * Read FIELDS of one device from a scan, for a tool that needs them for a
 * few devices only.  Returns 0, or -1 with errno set.
 */
int pcidev_read(struct pcidev *d, unsigned int fields);
/* Order by IOMMU group, then address; devices without a group last. */
void pcidevs_sort_by_group(struct pcidevs *l);
/* Index of the device at ADDR, or -1. */
long pcidevs_find(const struct pcidevs *l, const struct pci_addr *addr);
/* Number of devices with an IOMMU group. */
size_t pcidevs_grouped(const struct pcidevs *l);

/*
 * Devices that share a value, linked in the order of l->dev: first[i] is
 * the first device with device i's value and next[i] the one after i, -1
 * at the end; a device in no IOMMU group is in no group's chain (first[i]
 * is -1).  A tool looking at many devices finds each one's group or ID
 * mates without scanning every device.
 */
enum pcidev_key { PCIDEV_BY_GROUP, PCIDEV_BY_ID };
struct pcidev_chain {
	long *first, *next;
};
void pcidev_chain_init(struct pcidev_chain *c, const struct pcidevs *l, enum pcidev_key key);
void pcidev_chain_free(struct pcidev_chain *c);

/* PCI-to-PCI and CardBus bridges: vfio-pci does not take them. */
bool pcidev_is_bridge(const struct pcidev *d);
/*
 * What vfio-pci never takes and VFIO accepts in a group beside the
 * device: bridges, and a host bridge (0600) no driver claims, such as
 * AMD's "PCIe Dummy Host Bridge" in GPU groups.  Needs PCIDEV_DRIVER read
 * for host bridges.
 */
bool pcidev_left_out(const struct pcidev *d);
/* Display controllers: VGA (0300), 3D (0302) and other display (0380). */
bool pcidev_is_display(const struct pcidev *d);
/* Functions of one physical device: same domain, bus and slot. */
bool pcidev_same_slot(const struct pcidev *a, const struct pcidev *b);

/* "07:00.0", or "0000:07:00.0" when addresses show domains. */
const char *pcidev_slot(const struct pcidevs *l, const struct pcidev *d, char *buf);
/* Exactly what `lspci -nns SLOT` prints for the device, without the newline. */
const char *pcidev_describe(const struct pcidevs *l, const struct pcidev *d,
			    char *buf, size_t size);
/* Names from pci.ids without numbers, or NULL when the database has none. */
const char *pcidev_class_name(const struct pcidevs *l, const struct pcidev *d, char *buf, size_t size);
const char *pcidev_vendor_name(const struct pcidevs *l, const struct pcidev *d, char *buf, size_t size);
const char *pcidev_device_name(const struct pcidevs *l, const struct pcidev *d, char *buf, size_t size);
const char *pcidev_subsys_name(const struct pcidevs *l, const struct pcidev *d, char *buf, size_t size);

#endif
