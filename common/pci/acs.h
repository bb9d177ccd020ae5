/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the kernel reads from a PCI function to decide its IOMMU group:
 * whether it is PCI Express and of which port type, whether it is
 * multifunction, its ACS (Access Control Services) capability and what
 * it enables, and the kernel's quirks (acsquirks.c) for hardware that
 * isolates without saying so.  Config space is read through libpci with
 * the scan's access (under --root), never of a function in D3cold.
 */
#ifndef VFIO_ACS_H
#define VFIO_ACS_H

#include <stdbool.h>
#include <stdint.h>

#include "pci/pcidev.h"

/* ACS control bits (PCIe base spec 7.7.8, the kernel's pci_regs.h). */
enum {
	ACS_SV = 0x01,		/* source validation */
	ACS_TB = 0x02,		/* translation blocking */
	ACS_RR = 0x04,		/* P2P request redirect */
	ACS_CR = 0x08,		/* P2P completion redirect */
	ACS_UF = 0x10,		/* upstream forwarding */
	ACS_EC = 0x20,		/* P2P egress control */
	ACS_DT = 0x40,		/* direct translated P2P */
	/* What the kernel asks of every port on the path (iommu.c REQ_ACS_FLAGS). */
	ACS_REQ = ACS_SV | ACS_RR | ACS_CR | ACS_UF,
};

/* PCI Express device/port types (Express capability flags, bits 7:4). */
enum {
	PCIE_NONE = -1,		/* conventional PCI or PCI-X: no Express capability */
	PCIE_ENDPOINT = 0x0,
	PCIE_LEG_END = 0x1,
	PCIE_ROOT_PORT = 0x4,
	PCIE_UPSTREAM = 0x5,
	PCIE_DOWNSTREAM = 0x6,
	PCIE_PCI_BRIDGE = 0x7,	/* PCIe to PCI/PCI-X */
	PCIE_PCIE_BRIDGE = 0x8,	/* PCI/PCI-X to PCIe */
	PCIE_RC_END = 0x9,	/* root complex integrated endpoint */
	PCIE_RC_EC = 0xa,	/* root complex event collector */
};

/* How far a function's config space could be read. */
enum acs_state {
	ACS_READ,		/* everything the kernel reads was read */
	ACS_D3COLD,		/* powered off: not read, a read would wake it */
	ACS_UNREADABLE,		/* config space missing or short: see why */
};

struct acs_info {
	enum acs_state state;
	char why[96];		/* ACS_UNREADABLE, ACS_D3COLD: why, for a message */
	bool multifunction;	/* header type bit 7 */
	bool bridge;		/* header type 1 */
	bool virtfn;		/* an SR-IOV virtual function: a physfn link */
	int pcie_type;		/* PCIE_*; PCIE_NONE for conventional PCI */
	int acs_pos;		/* 0: no ACS extended capability */
	uint16_t acs_cap, acs_ctrl;
	uint32_t acs_ctrl32;	/* the dword after the capability register (quirk) */
	/* Set by the caller, for the quirks that ask: */
	bool root_bus;		/* on a root bus (no bridge above it) */
	bool ivrs;		/* the firmware has an AMD IOMMU (ACPI IVRS) */
};

/*
 * Fill A for device D of L: power_state first (D3cold: nothing read),
 * then the header and capabilities through libpci, and the extended
 * capabilities of an Express function.  A config space shorter than what
 * the kernel reads (64 bytes for a reader without CAP_SYS_ADMIN, 256 for a
 * function with an Express capability on a machine or tree without
 * extended config space) leaves A->state ACS_UNREADABLE with why.
 */
void acs_read(const struct pcidevs *l, const struct pcidev *d, struct acs_info *a);

/*
 * The kernel's quirk answer for D (pci_dev_specific_acs_enabled()): -1
 * when no quirk applies, 0 when a quirk says the controls in FLAGS are not
 * provided, 1 when it says they are.  *NAME, when a quirk applied, names
 * it for a message ("Intel PCH root port").
 */
int acs_quirk(const struct pcidev *d, const struct acs_info *a, unsigned int flags,
	      const char **name);
/* The kernel release the quirk table is taken from. */
extern const char acs_quirk_kernel[];

/*
 * DMA aliases the kernel's header quirks give D (pci_add_dma_alias()):
 * devfns on D's bus, as a 256-bit set in MASK.  Returns whether any.
 */
bool acs_dma_aliases(const struct pcidev *d, uint64_t mask[4]);

/* "SV RR" for the bits of FLAGS, in BUF. */
const char *acs_flags_name(unsigned int flags, char *buf, size_t size);
/* "root port", "downstream port", "PCIe-to-PCI bridge"... for messages. */
const char *acs_type_name(const struct acs_info *a);

#endif
