/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Why devices share an IOMMU group: the kernel's grouping of PCI devices
 * (drivers/iommu/iommu.c pci_device_group() with pci_acs_path_enabled(),
 * pci_for_each_dma_alias() and the ACS quirks of Linux 6.1) made again
 * from the hardware alone, with a reason for every device that does not
 * get a group of its own:
 *
 *  - A device below a conventional PCI bridge or a PCIe-to-PCI bridge is
 *    seen by the IOMMU with the bridge's requester ID: it joins the
 *    bridge's group (the lowest such bridge above it).
 *  - Otherwise, when the bridge above it has a port on its path to the
 *    root complex that lacks ACS (SV, RR, CR and UF all enabled, or
 *    missing from the capability as hard-wired), it joins that bridge's
 *    group: "at" is the first port on the path that lacks it.
 *  - Otherwise it is the start of a group, which takes in the devices on
 *    its bus that are its DMA aliases (quirks), and, when it is a
 *    multifunction device without ACS, the functions of its slot that lack
 *    ACS too.
 *  - Quirks answer before the ACS capability (acs_quirk()); with
 *    pcie_acs_override= on /proc/cmdline the out-of-tree override patch's
 *    answers are made too, and the groups that exist only because of it are
 *    named; unless init got the parameter in its environment, which a
 *    kernel without the patch does.
 *
 * What could not be read (a function in D3cold, config space past 64
 * bytes without root, a tree without extended config space) is taken as
 * no isolation, and said in a reason of its own: never a guess.  Cost:
 * linear in the number of devices (a device's path to the root is as deep
 * as the bus hierarchy).
 */
#ifndef VFIO_GROUPWHY_H
#define VFIO_GROUPWHY_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/acs.h"
#include "pci/pcidev.h"

enum why_rule {
	WHY_ISOLATED,		/* a group of its own: nothing to explain */
	WHY_NO_ACS,		/* a port on the path without the ACS capability */
	WHY_ACS_OFF,		/* ACS there, a required control not enabled (lacks) */
	WHY_PCIE_TO_PCI,	/* below a conventional PCI or PCIe-to-PCI bridge */
	WHY_MULTIFUNCTION,	/* functions of a slot without ACS */
	WHY_DMA_ALIAS,		/* a quirk's DMA alias on the same bus */
	WHY_QUIRK,		/* isolated (or not) because of a kernel quirk */
	WHY_ACS_OVERRIDE,	/* a group only pcie_acs_override= makes */
	WHY_UNREADABLE,		/* config space not read: text says why */
};

struct why_reason {
	enum why_rule rule;
	long dev;		/* a device of the group it explains (index in l) */
	long at;		/* where isolation stops (index in l) */
	long other;		/* WHY_DMA_ALIAS: the alias; -1 */
	unsigned int lacks;	/* WHY_ACS_OFF, and WHY_MULTIFUNCTION with ACS: ACS_* bits */
	bool no_acs;		/* "lacks": the whole ACS capability */
	char text[256];		/* one line, without the group: "multifunction device without ACS at 0000:02:00.0" */
};

struct groupwhy {
	const struct pcidevs *l;
	size_t n;
	struct acs_info *acs;	/* each device's, as read */
	long *parent;		/* the bridge above each device; -1 on a root bus */
	long *set;		/* the predicted group: a representative device */
	long *hwset;		/* the same without pcie_acs_override= */
	long *pos;		/* each device's place in address order */
	struct why_reason *r;	/* by predicted group, then rule, then place */
	size_t nr;
	char override[128];	/* pcie_acs_override= in effect; "" when not */
	bool override_ignored;	/* on /proc/cmdline, but init got it: no patch */
};

/*
 * Read what the kernel reads for every device of L (acs_read()), the bus
 * hierarchy from sysfs and /proc/cmdline, and predict.  L must stay as it
 * is (not sorted again) while W is used.  Returns 0, or -1 after printing
 * why (out of memory exits).
 */
int groupwhy_build(struct groupwhy *w, const struct pcidevs *l);
void groupwhy_free(struct groupwhy *w);

/* Whether devices I and J are predicted in one group. */
bool groupwhy_same(const struct groupwhy *w, size_t i, size_t j);
/*
 * The reasons of device I's predicted group: *COUNT of them from the
 * returned one, at least one (WHY_ISOLATED when nothing else).
 */
const struct why_reason *groupwhy_reasons(const struct groupwhy *w, size_t i, size_t *count);
/* Whether the prediction for I's group rests on config space not read. */
bool groupwhy_unsure(const struct groupwhy *w, size_t i);

/*
 * A card put in the slot below PORT (a root or downstream port, or any
 * bridge): whether it would get a group of its own, with the reason in R
 * (WHY_ISOLATED or WHY_QUIRK when it would, what stops isolation when not;
 * R->dev is PORT).  A multifunction card without ACS still shares with its
 * own functions only.
 */
bool groupwhy_port(const struct groupwhy *w, size_t port, struct why_reason *r);

/* "isolated", "no-acs", "acs-off"...: the names the JSON uses. */
const char *groupwhy_rule_name(enum why_rule rule);

#endif
