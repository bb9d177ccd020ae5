/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device selection, one rule for every tool: which functions a device
 * named on the command line is, which functions go to a virtual machine
 * with it, whether an IOMMU group is isolated, and what "on vfio" means.
 */
#ifndef VFIO_DEVSEL_H
#define VFIO_DEVSEL_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/hostuse.h"
#include "pci/pcidev.h"

/*
 * The driver a passed-through function must be bound to: QEMU's vfio-pci
 * device opens it through VFIO, which pci-stub does not offer (libvirt
 * with managed='yes' rebinds a pci-stub function itself, as it rebinds
 * any host driver's).
 */
#define DEVSEL_VFIO_DRIVER "vfio-pci"

/* Whether D is bound to vfio-pci. */
bool devsel_on_vfio(const struct pcidev *d);

/* How devsel_pick() takes a vendor:device ID that several devices have. */
enum devsel_how {
	DEVSEL_EVERY,		/* every one */
	DEVSEL_ONE,		/* none: list them and exit, asking for an address */
};

/*
 * Mark in WANT (one flag per device of L) the devices ARG names: a PCI
 * address ([domain:]bus:slot.func), a card's slot ([domain:]bus:slot, every
 * function of it, as lspci -s reads it) or a vendor:device ID.  Exits with a
 * usage error when ARG is neither, and with EXIT_FAIL naming the directory
 * or the ID when no device matches.  Returns how many it marked that were
 * not marked yet.
 */
size_t devsel_pick(const struct pcidevs *l, const char *arg, enum devsel_how how, bool *want);

/* The devices of a scan with their IOMMU groups chained. */
struct devsel {
	const struct pcidevs *l;
	struct pcidev_chain by_group;
};

void devsel_init(struct devsel *s, const struct pcidevs *l);
void devsel_free(struct devsel *s);

/*
 * What goes to a virtual machine with a device: every function of its
 * card (an HDMI audio function may sit in a group of its own) and every
 * other member of those functions' IOMMU groups, bridges and what else
 * pcidev_left_out() names aside (a bridge named itself brings its group
 * too, for a tool to show and refuse).  In address order when L is.
 */
struct devsel_iter {
	const struct devsel *s;
	long slot, slot_end;	/* the card's functions, next to each other */
	long grp[8];		/* a cursor in each function's group chain */
	size_t ngrp;
};

void devsel_iter_init(struct devsel_iter *it, const struct devsel *s, const struct pcidev *d);
const struct pcidev *devsel_iter_next(struct devsel_iter *it);
/* Mark in TAKE what goes with each device marked in WANT; how many are marked. */
size_t devsel_take(const struct devsel *s, const bool *want, bool *take);

/*
 * Mark in WANT (one flag per device of L) the devices each of the NARGS
 * ARGS names (devsel_pick, DEVSEL_ONE), and in CARD every function of
 * their cards.
 */
void devsel_pick_cards(const struct pcidevs *l, char **args, size_t nargs, bool *want,
		       bool *card);

/* What devsel_collect() found. */
enum devsel_verdict {
	DEVSEL_OK,		/* nothing refuses */
	DEVSEL_REFUSED,		/* something refuses (each said) */
	DEVSEL_NO_GROUPS,	/* no IOMMU groups, and not FORCE: nothing marked */
};

/*
 * What passing the devices in WANT through takes, marked in TAKE
 * (devsel_take), and what refuses it, each said as a warning of the -J
 * report (report_warn) with one message for every tool: no IOMMU groups
 * (the only refusal that stops the rest, unless FORCE), a bridge or a
 * host bridge no driver claims named, a member of a group that is no
 * function of the named cards (CARD, from devsel_pick_cards), the boot
 * VGA device, a device the host uses (U, from hostuse_scan).  HOW:
 * DEVSEL_FORCE, DEVSEL_BOOT_VGA (consent to take the boot VGA device,
 * which is then no refusal and not said).
 */
#define DEVSEL_FORCE	1u
#define DEVSEL_BOOT_VGA	2u
enum devsel_verdict devsel_collect(const struct devsel *s, const struct hostuse *u,
				   const bool *want, const bool *card, unsigned int how, bool *take);

/*
 * Whether the IOMMU group of device I is isolated: its members are all
 * functions of one card and none is a platform function of the chipset
 * (hostuse_platform()), bridges and left-out host bridges aside.  False
 * for a device in no group.
 */
bool devsel_group_isolated(const struct devsel *s, size_t i);

#endif
