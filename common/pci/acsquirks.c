/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's device-specific ACS answers and DMA aliases, as data:
 * drivers/pci/quirks.c of Linux 6.1 (6.1.166, the 6.1 stable series that
 * Debian 12's kernel follows): pci_dev_acs_enabled[] with what each of its
 * functions answers, and the DECLARE_PCI_FIXUP_HEADER quirks that call
 * pci_add_dma_alias().  Left out: Switchtec NTB aliases, which the kernel
 * reads from the device's memory space.
 */
#include <stdio.h>
#include <string.h>

#include "pci/acs.h"
#include "base/macros.h"
#include "base/banned.h"

const char acs_quirk_kernel[] = "6.1";

#define ANY 0xffffffffu

enum quirk {
	Q_AMD_SB,		/* pci_quirk_amd_sb_acs */
	Q_MF_ENDPOINT,		/* pci_quirk_mf_endpoint_acs */
	Q_RCIEP,		/* pci_quirk_rciep_acs */
	Q_ROOT_PORT,		/* qcom_rp, nxp_rp, xgene, brcm, loongson: SV RR CR UF */
	Q_INTEL_PCH,		/* pci_quirk_intel_pch_acs */
	Q_INTEL_SPT,		/* pci_quirk_intel_spt_pch_acs */
	Q_CAVIUM,		/* pci_quirk_cavium_acs */
	Q_AL,			/* pci_quirk_al_acs */
	Q_ZHAOXIN,		/* pci_quirk_zhaoxin_pcie_ports_acs */
	Q_WANGXUN,		/* pci_quirk_wangxun_nic_acs */
};

static const char *const quirk_names[] = {
	[Q_AMD_SB] = "AMD southbridge function with an AMD IOMMU",
	[Q_MF_ENDPOINT] = "multifunction device without peer-to-peer between its functions",
	[Q_RCIEP] = "Intel root complex integrated endpoint",
	[Q_ROOT_PORT] = "root port without peer-to-peer",
	[Q_INTEL_PCH] = "Intel PCH root port",
	[Q_INTEL_SPT] = "Intel PCH root port with ACS registers at dword offsets",
	[Q_CAVIUM] = "Cavium root port",
	[Q_AL] = "Amazon Annapurna Labs root port",
	[Q_ZHAOXIN] = "Zhaoxin PCIe port",
	[Q_WANGXUN] = "Wangxun network card",
};

static const struct acs_quirk_id {
	unsigned int vendor, device;
	enum quirk quirk;
} quirk_ids[] = {
	/* In the kernel's order: the first quirk that answers decides. */
	{ 0x1002, 0x4385, Q_AMD_SB },
	{ 0x1002, 0x439c, Q_AMD_SB },
	{ 0x1002, 0x4383, Q_AMD_SB },
	{ 0x1002, 0x439d, Q_AMD_SB },
	{ 0x1002, 0x4384, Q_AMD_SB },
	{ 0x1002, 0x4399, Q_AMD_SB },
	{ 0x1022, 0x780f, Q_AMD_SB },
	{ 0x1022, 0x7809, Q_AMD_SB },
	{ 0x1924, 0x0903, Q_MF_ENDPOINT },	/* Solarflare */
	{ 0x1924, 0x0923, Q_MF_ENDPOINT },
	{ 0x1924, 0x0a03, Q_MF_ENDPOINT },
	{ 0x8086, 0x10c6, Q_MF_ENDPOINT },
	{ 0x8086, 0x10db, Q_MF_ENDPOINT },
	{ 0x8086, 0x10dd, Q_MF_ENDPOINT },
	{ 0x8086, 0x10e1, Q_MF_ENDPOINT },
	{ 0x8086, 0x10f1, Q_MF_ENDPOINT },
	{ 0x8086, 0x10f7, Q_MF_ENDPOINT },
	{ 0x8086, 0x10f8, Q_MF_ENDPOINT },
	{ 0x8086, 0x10f9, Q_MF_ENDPOINT },
	{ 0x8086, 0x10fa, Q_MF_ENDPOINT },
	{ 0x8086, 0x10fb, Q_MF_ENDPOINT },
	{ 0x8086, 0x10fc, Q_MF_ENDPOINT },
	{ 0x8086, 0x1507, Q_MF_ENDPOINT },
	{ 0x8086, 0x1514, Q_MF_ENDPOINT },
	{ 0x8086, 0x151c, Q_MF_ENDPOINT },
	{ 0x8086, 0x1529, Q_MF_ENDPOINT },
	{ 0x8086, 0x152a, Q_MF_ENDPOINT },
	{ 0x8086, 0x154d, Q_MF_ENDPOINT },
	{ 0x8086, 0x154f, Q_MF_ENDPOINT },
	{ 0x8086, 0x1551, Q_MF_ENDPOINT },
	{ 0x8086, 0x1558, Q_MF_ENDPOINT },
	{ 0x8086, 0x1509, Q_MF_ENDPOINT },	/* 82580 */
	{ 0x8086, 0x150e, Q_MF_ENDPOINT },
	{ 0x8086, 0x150f, Q_MF_ENDPOINT },
	{ 0x8086, 0x1510, Q_MF_ENDPOINT },
	{ 0x8086, 0x1511, Q_MF_ENDPOINT },
	{ 0x8086, 0x1516, Q_MF_ENDPOINT },
	{ 0x8086, 0x1527, Q_MF_ENDPOINT },
	{ 0x8086, 0x10c9, Q_MF_ENDPOINT },	/* 82576 */
	{ 0x8086, 0x10e6, Q_MF_ENDPOINT },
	{ 0x8086, 0x10e7, Q_MF_ENDPOINT },
	{ 0x8086, 0x10e8, Q_MF_ENDPOINT },
	{ 0x8086, 0x150a, Q_MF_ENDPOINT },
	{ 0x8086, 0x150d, Q_MF_ENDPOINT },
	{ 0x8086, 0x1518, Q_MF_ENDPOINT },
	{ 0x8086, 0x1526, Q_MF_ENDPOINT },
	{ 0x8086, 0x10a7, Q_MF_ENDPOINT },	/* 82575 */
	{ 0x8086, 0x10a9, Q_MF_ENDPOINT },
	{ 0x8086, 0x10d6, Q_MF_ENDPOINT },
	{ 0x8086, 0x1521, Q_MF_ENDPOINT },	/* I350 */
	{ 0x8086, 0x1522, Q_MF_ENDPOINT },
	{ 0x8086, 0x1523, Q_MF_ENDPOINT },
	{ 0x8086, 0x1524, Q_MF_ENDPOINT },
	{ 0x8086, 0x105e, Q_MF_ENDPOINT },	/* 82571 */
	{ 0x8086, 0x105f, Q_MF_ENDPOINT },
	{ 0x8086, 0x1060, Q_MF_ENDPOINT },
	{ 0x8086, 0x10d9, Q_MF_ENDPOINT },
	{ 0x8086, 0x15b7, Q_MF_ENDPOINT },	/* I219 */
	{ 0x8086, 0x15b8, Q_MF_ENDPOINT },
	{ 0x8086, ANY, Q_RCIEP },
	{ 0x17cb, 0x0400, Q_ROOT_PORT },	/* QCOM QDF2xxx */
	{ 0x17cb, 0x0401, Q_ROOT_PORT },
	{ 0x17cb, 0x0115, Q_ROOT_PORT },	/* QCOM SA8775P */
	{ 0x1dbf, 0x0401, Q_ROOT_PORT },	/* HXT SD4800 */
	{ 0x8086, ANY, Q_INTEL_PCH },
	{ 0x8086, ANY, Q_INTEL_SPT },
	{ 0x19a2, 0x0710, Q_MF_ENDPOINT },	/* Emulex BE3-R */
	{ 0x10df, 0x0720, Q_MF_ENDPOINT },	/* Emulex Skyhawk-R */
	{ 0x177d, ANY, Q_CAVIUM },
	{ 0x177d, 0xa026, Q_MF_ENDPOINT },
	{ 0x177d, 0xa059, Q_MF_ENDPOINT },
	{ 0x177d, 0xa060, Q_MF_ENDPOINT },
	{ 0x10e8, 0xe004, Q_ROOT_PORT },	/* APM X-Gene */
	{ 0x1def, 0xe005, Q_ROOT_PORT },	/* Ampere Computing */
	{ 0x1def, 0xe006, Q_ROOT_PORT },
	{ 0x1def, 0xe007, Q_ROOT_PORT },
	{ 0x1def, 0xe008, Q_ROOT_PORT },
	{ 0x1def, 0xe009, Q_ROOT_PORT },
	{ 0x1def, 0xe00a, Q_ROOT_PORT },
	{ 0x1def, 0xe00b, Q_ROOT_PORT },
	{ 0x1def, 0xe00c, Q_ROOT_PORT },
	{ 0x14e4, 0x16d7, Q_MF_ENDPOINT },	/* Broadcom */
	{ 0x14e4, 0x1750, Q_MF_ENDPOINT },
	{ 0x14e4, 0x1751, Q_MF_ENDPOINT },
	{ 0x14e4, 0x1752, Q_MF_ENDPOINT },
	{ 0x14e4, 0x1760, Q_MF_ENDPOINT },
	{ 0x14e4, 0x1761, Q_MF_ENDPOINT },
	{ 0x14e4, 0x1762, Q_MF_ENDPOINT },
	{ 0x14e4, 0x1763, Q_MF_ENDPOINT },
	{ 0x14e4, 0xd714, Q_ROOT_PORT },
	{ 0x0014, 0x3c09, Q_ROOT_PORT },	/* Loongson */
	{ 0x0014, 0x3c19, Q_ROOT_PORT },
	{ 0x0014, 0x3c29, Q_ROOT_PORT },
	{ 0x0014, 0x7a09, Q_ROOT_PORT },
	{ 0x0014, 0x7a19, Q_ROOT_PORT },
	{ 0x0014, 0x7a29, Q_ROOT_PORT },
	{ 0x0014, 0x7a39, Q_ROOT_PORT },
	{ 0x0014, 0x7a49, Q_ROOT_PORT },
	{ 0x0014, 0x7a59, Q_ROOT_PORT },
	{ 0x0014, 0x7a69, Q_ROOT_PORT },
	{ 0x1c36, 0x0031, Q_AL },		/* Amazon Annapurna Labs */
	{ 0x1d17, 0x3038, Q_MF_ENDPOINT },	/* Zhaoxin */
	{ 0x1d17, 0x3104, Q_MF_ENDPOINT },
	{ 0x1d17, 0x9083, Q_MF_ENDPOINT },
	{ 0x1957, 0x8d81, Q_ROOT_PORT },	/* NXP LX2xx0A */
	{ 0x1957, 0x8da1, Q_ROOT_PORT },
	{ 0x1957, 0x8d83, Q_ROOT_PORT },
	{ 0x1957, 0x8d80, Q_ROOT_PORT },	/* LX2xx0C */
	{ 0x1957, 0x8da0, Q_ROOT_PORT },
	{ 0x1957, 0x8d82, Q_ROOT_PORT },
	{ 0x1957, 0x8d90, Q_ROOT_PORT },	/* LX2xx0E */
	{ 0x1957, 0x8db0, Q_ROOT_PORT },
	{ 0x1957, 0x8d92, Q_ROOT_PORT },
	{ 0x1957, 0x8d91, Q_ROOT_PORT },	/* LX2xx0N */
	{ 0x1957, 0x8db1, Q_ROOT_PORT },
	{ 0x1957, 0x8d93, Q_ROOT_PORT },
	{ 0x1957, 0x8d89, Q_ROOT_PORT },	/* LX2xx2A */
	{ 0x1957, 0x8da9, Q_ROOT_PORT },
	{ 0x1957, 0x8d8b, Q_ROOT_PORT },
	{ 0x1957, 0x8d88, Q_ROOT_PORT },	/* LX2xx2C */
	{ 0x1957, 0x8da8, Q_ROOT_PORT },
	{ 0x1957, 0x8d8a, Q_ROOT_PORT },
	{ 0x1957, 0x8d98, Q_ROOT_PORT },	/* LX2xx2E */
	{ 0x1957, 0x8db8, Q_ROOT_PORT },
	{ 0x1957, 0x8d9a, Q_ROOT_PORT },
	{ 0x1957, 0x8d99, Q_ROOT_PORT },	/* LX2xx2N */
	{ 0x1957, 0x8db9, Q_ROOT_PORT },
	{ 0x1957, 0x8d9b, Q_ROOT_PORT },
	{ 0x1d17, ANY, Q_ZHAOXIN },
	{ 0x8088, ANY, Q_WANGXUN },
};

/* Root ports Intel lists (Red Hat bugzilla 1037684) as isolating without ACS. */
static const unsigned short intel_pch_ids[] = {
	/* Ibexpeak */
	0x3b42, 0x3b43, 0x3b44, 0x3b45, 0x3b46, 0x3b47, 0x3b48, 0x3b49,
	0x3b4a, 0x3b4b, 0x3b4c, 0x3b4d, 0x3b4e, 0x3b4f, 0x3b50, 0x3b51,
	/* Cougarpoint */
	0x1c10, 0x1c11, 0x1c12, 0x1c13, 0x1c14, 0x1c15, 0x1c16, 0x1c17,
	0x1c18, 0x1c19, 0x1c1a, 0x1c1b, 0x1c1c, 0x1c1d, 0x1c1e, 0x1c1f,
	/* Pantherpoint */
	0x1e10, 0x1e11, 0x1e12, 0x1e13, 0x1e14, 0x1e15, 0x1e16, 0x1e17,
	0x1e18, 0x1e19, 0x1e1a, 0x1e1b, 0x1e1c, 0x1e1d, 0x1e1e, 0x1e1f,
	/* Lynxpoint-H */
	0x8c10, 0x8c11, 0x8c12, 0x8c13, 0x8c14, 0x8c15, 0x8c16, 0x8c17,
	0x8c18, 0x8c19, 0x8c1a, 0x8c1b, 0x8c1c, 0x8c1d, 0x8c1e, 0x8c1f,
	/* Lynxpoint-LP */
	0x9c10, 0x9c11, 0x9c12, 0x9c13, 0x9c14, 0x9c15, 0x9c16, 0x9c17,
	0x9c18, 0x9c19, 0x9c1a, 0x9c1b,
	/* Wildcat */
	0x9c90, 0x9c91, 0x9c92, 0x9c93, 0x9c94, 0x9c95, 0x9c96, 0x9c97,
	0x9c98, 0x9c99, 0x9c9a, 0x9c9b,
	/* Patsburg (X79) */
	0x1d10, 0x1d12, 0x1d14, 0x1d16, 0x1d18, 0x1d1a, 0x1d1c, 0x1d1e,
	/* Wellsburg (X99) */
	0x8d10, 0x8d11, 0x8d12, 0x8d13, 0x8d14, 0x8d15, 0x8d16, 0x8d17,
	0x8d18, 0x8d19, 0x8d1a, 0x8d1b, 0x8d1c, 0x8d1d, 0x8d1e,
	/* Lynx Point (9 series) */
	0x8c90, 0x8c92, 0x8c94, 0x8c96, 0x8c98, 0x8c9a, 0x8c9c, 0x8c9e,
};

/* pci_acs_ctrl_enabled(): every control asked for is provided. */
static int provides(unsigned int flags, unsigned int provided)
{
	return (flags & provided) == flags;
}

/* pci_pcie_type() as the kernel has it: 0 (endpoint) for conventional PCI. */
static int kernel_type(const struct acs_info *a)
{
	return a->pcie_type == PCIE_NONE ? PCIE_ENDPOINT : a->pcie_type;
}

static bool is_root_port(const struct acs_info *a)
{
	return a->pcie_type == PCIE_ROOT_PORT;
}

static bool intel_pch_match(const struct pcidev *d, const struct acs_info *a)
{
	size_t i;

	if (!is_root_port(a))
		return false;
	for (i = 0; i < ARRAY_SIZE(intel_pch_ids); i++)
		if (intel_pch_ids[i] == d->device)
			return true;
	return false;
}

static bool intel_spt_match(const struct pcidev *d, const struct acs_info *a)
{
	unsigned int id = d->device;

	if (!is_root_port(a))
		return false;
	return (id >= 0xa110 && id <= 0xa11f) || (id >= 0xa167 && id <= 0xa16a) ||	/* Sunrise Point */
	       (id >= 0xa290 && id <= 0xa29f) || (id >= 0xa2e7 && id <= 0xa2ee) ||	/* Union Point */
	       (id >= 0x9d10 && id <= 0x9d1b);						/* 7th/8th gen mobile */
}

static int answer(enum quirk q, const struct pcidev *d, const struct acs_info *a,
		  unsigned int flags)
{
	unsigned int id = d->device;

	switch (q) {
	case Q_AMD_SB:
		if (!a->multifunction || !a->root_bus || !a->ivrs)
			return -1;
		flags &= ACS_RR | ACS_CR | ACS_EC | ACS_DT;
		return provides(flags, ACS_RR | ACS_CR);
	case Q_MF_ENDPOINT:
		return provides(flags, ACS_SV | ACS_TB | ACS_RR | ACS_CR | ACS_UF | ACS_DT);
	case Q_RCIEP:
		if (kernel_type(a) != PCIE_RC_END)
			return -1;
		return provides(flags, ACS_REQ);
	case Q_ROOT_PORT:
		return provides(flags, ACS_REQ);
	case Q_INTEL_PCH:
		/*
		 * The kernel answers yes once its boot quirk turned off peer
		 * decodes through the LPC bridge's RCBA, which it does on every
		 * such PCH whose RCBA is enabled.
		 */
		if (!intel_pch_match(d, a))
			return -1;
		return provides(flags, ACS_REQ);
	case Q_INTEL_SPT:
		if (!intel_spt_match(d, a) || !a->acs_pos)
			return -1;
		/* The capability register is right; control is a dword further on. */
		flags &= a->acs_cap | ACS_EC;
		return provides(flags, a->acs_ctrl32);
	case Q_CAVIUM:
		if (!is_root_port(a) ||
		    !((id >= 0xa000 && id <= 0xa7ff) || id == 0xaf84 || id == 0xb884))
			return -1;
		return provides(flags, ACS_REQ);
	case Q_AL:
		if (kernel_type(a) != PCIE_ROOT_PORT)
			return -1;
		return (flags & ~(unsigned int)ACS_REQ) ? 0 : 1;
	case Q_ZHAOXIN:
		if (a->pcie_type != PCIE_ROOT_PORT && a->pcie_type != PCIE_DOWNSTREAM)
			return -1;
		if ((id >= 0x0710 && id <= 0x071e) || id == 0x0721 || (id >= 0x0723 && id <= 0x0752))
			return provides(flags, ACS_REQ);
		return 0;
	case Q_WANGXUN:
		if ((id >= 0x0100 && id <= 0x010f) || id == 0x1001 || id == 0x2001 ||
		    id == 0x5010 || id == 0x5025 || id == 0x5040 ||
		    id == 0x5110 || id == 0x5125 || id == 0x5140)
			return provides(flags, ACS_REQ);
		return 0;
	}
	return -1;
}

int acs_quirk(const struct pcidev *d, const struct acs_info *a, unsigned int flags,
	      const char **name)
{
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(quirk_ids); i++) {
		const struct acs_quirk_id *q = &quirk_ids[i];

		if (q->vendor != d->vendor || (q->device != ANY && q->device != d->device))
			continue;
		r = answer(q->quirk, d, a, flags);
		if (r >= 0) {
			if (name)
				*name = quirk_names[q->quirk];
			return r;
		}
	}
	return -1;
}

/* Header quirks that add DMA aliases (pci_add_dma_alias()). */
enum alias {
	A_FUNC0,		/* quirk_dma_func0_alias: function 0 of the slot */
	A_FUNC1,		/* quirk_dma_func1_alias: function 1 of the slot */
	A_FIXED_01_0,		/* quirk_fixed_dma_alias: devfn 01.0 (with the subsystem) */
	A_MIC_X200,		/* quirk_mic_x200_dma_alias: 10.0, 11.0, 12.3 */
	A_PEX_VCA,		/* quirk_pex_vca_alias: functions 0-4 of every slot */
	A_EVERY,		/* quirk_plx_ntb_dma_alias: every devfn */
};

static const struct {
	unsigned int vendor, device;
	int subvendor, subdevice;	/* -1: any */
	enum alias alias;
} alias_ids[] = {
	{ 0x1180, 0xe832, -1, -1, A_FUNC0 },	/* Ricoh */
	{ 0x1180, 0xe476, -1, -1, A_FUNC0 },
	{ 0x6766, 0x3d40, -1, -1, A_FUNC0 },	/* Glenfly */
	{ 0x6766, 0x3d41, -1, -1, A_FUNC0 },
	{ 0x1b4b, 0x9120, -1, -1, A_FUNC1 },	/* Marvell */
	{ 0x1b4b, 0x9123, -1, -1, A_FUNC1 },
	{ 0x1b4b, 0x9125, -1, -1, A_FUNC1 },
	{ 0x1b4b, 0x9128, -1, -1, A_FUNC1 },
	{ 0x1b4b, 0x9130, -1, -1, A_FUNC1 },
	{ 0x1b4b, 0x9170, -1, -1, A_FUNC1 },
	{ 0x1b4b, 0x9172, -1, -1, A_FUNC1 },
	{ 0x1b4b, 0x917a, -1, -1, A_FUNC1 },
	{ 0x1b4b, 0x9182, -1, -1, A_FUNC1 },
	{ 0x1b4b, 0x9183, -1, -1, A_FUNC1 },
	{ 0x1b4b, 0x91a0, -1, -1, A_FUNC1 },
	{ 0x1b4b, 0x9215, -1, -1, A_FUNC1 },
	{ 0x1b4b, 0x9220, -1, -1, A_FUNC1 },
	{ 0x1b4b, 0x9230, -1, -1, A_FUNC1 },
	{ 0x1b4b, 0x9235, -1, -1, A_FUNC1 },
	{ 0x1103, 0x0642, -1, -1, A_FUNC1 },	/* HighPoint (TTI) */
	{ 0x1103, 0x0645, -1, -1, A_FUNC1 },
	{ 0x197b, 0x2392, -1, -1, A_FUNC1 },	/* JMicron JMB388 ESD */
	{ 0x1c28, 0x0122, -1, -1, A_FUNC1 },	/* Lite-On Plextor M6E */
	{ 0x9005, 0x0285, 0x9005, 0x02bb, A_FIXED_01_0 },	/* Adaptec 3405 */
	{ 0x9005, 0x0285, 0x9005, 0x02bc, A_FIXED_01_0 },	/* Adaptec 3805 */
	{ 0x8086, 0x2260, -1, -1, A_MIC_X200 },
	{ 0x8086, 0x2264, -1, -1, A_MIC_X200 },
	{ 0x8086, 0x2954, -1, -1, A_PEX_VCA },
	{ 0x8086, 0x2955, -1, -1, A_PEX_VCA },
	{ 0x8086, 0x2956, -1, -1, A_PEX_VCA },
	{ 0x8086, 0x2958, -1, -1, A_PEX_VCA },
	{ 0x8086, 0x2959, -1, -1, A_PEX_VCA },
	{ 0x8086, 0x295a, -1, -1, A_PEX_VCA },
	{ 0x10b5, 0x87b0, -1, -1, A_EVERY },	/* PLX NTB */
	{ 0x10b5, 0x87b1, -1, -1, A_EVERY },
};

static void set_devfn(uint64_t mask[4], unsigned int slot, unsigned int func)
{
	unsigned int devfn = (slot << 3 | func) & 0xff;

	mask[devfn / 64] |= 1ull << (devfn % 64);
}

bool acs_dma_aliases(const struct pcidev *d, uint64_t mask[4])
{
	bool any = false;
	unsigned int s, f;
	size_t i;

	memset(mask, 0, 4 * sizeof(mask[0]));
	for (i = 0; i < ARRAY_SIZE(alias_ids); i++) {
		if (alias_ids[i].vendor != d->vendor || alias_ids[i].device != d->device ||
		    (alias_ids[i].subvendor >= 0 && (alias_ids[i].subvendor != d->subsys_vendor ||
						     alias_ids[i].subdevice != d->subsys_device)))
			continue;
		switch (alias_ids[i].alias) {
		case A_FUNC0:
			if (d->addr.func != 0)
				set_devfn(mask, d->addr.slot, 0);
			break;
		case A_FUNC1:
			if (d->addr.func != 1)
				set_devfn(mask, d->addr.slot, 1);
			break;
		case A_FIXED_01_0:
			set_devfn(mask, 1, 0);
			break;
		case A_MIC_X200:
			set_devfn(mask, 0x10, 0);
			set_devfn(mask, 0x11, 0);
			set_devfn(mask, 0x12, 3);
			break;
		case A_PEX_VCA:
			for (s = 0; s < 0x20; s++)
				for (f = 0; f < 5; f++)
					set_devfn(mask, s, f);
			break;
		case A_EVERY:
			memset(mask, 0xff, 4 * sizeof(mask[0]));
			break;
		}
	}
	for (i = 0; i < 4; i++)
		any = any || mask[i];
	return any;
}
