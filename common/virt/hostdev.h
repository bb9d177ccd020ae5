/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Giving a libvirt domain a card's functions: one <hostdev mode='subsystem'
 * type='pci' managed='yes'> per function, the functions of one host slot
 * on one guest slot with the host's function numbers and multifunction='on'
 * on function 0, on a free pcie-root-port (q35, one added when none is
 * free) or a free slot of pci.0 (i440fx), never at an address the domain
 * already uses.  What is added is recorded (record.h, <vfio:hostdev>) with
 * each function's identity, so that --remove takes out exactly that and a
 * later run sees when the host's numbering changed.  Each change is a
 * splice (xmlsplice.h), the document parsed again after each, as hide.h
 * does.
 */
#ifndef VFIO_HOSTDEV_H
#define VFIO_HOSTDEV_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/pcidev.h"

struct hostdev_opts {
	bool remove;		/* take out what the record says was added */
	bool check;		/* say nothing about what is left alone */
	bool no_multifunction;	/* no multifunction='on' on function 0 */
	bool fix;		/* move a card's functions on several guest slots to one */
	const char *rom;	/* <rom file=.../> on the display functions, or NULL */
	const struct pcidevs *host;	/* the host's devices */
	const bool *take;	/* add: one flag per device of host, the set to add */
};

/* The facts the closing message needs. */
struct hostdev_after {
	char name[256];
	size_t added, removed;	/* hostdevs */
	size_t renumbered;	/* recorded functions now another device (or none) */
	size_t split;		/* host slots whose functions are on several guest slots */
	size_t moved;		/* --fix: functions moved to their card's guest slot */
	size_t unaddressed;	/* host slots with functions on no guest address */
};

/*
 * TEXT (LEN bytes, NAME being how messages call it) with the changes O
 * asks for made: the new text, or TEXT itself when nothing changes, its
 * length in *OUTLEN.  NULL after printing why the domain cannot be read
 * or edited, or, when adding, why it is refused: a recorded function
 * that is now another device (after->renumbered says so).
 */
char *hostdev_edit(const struct hostdev_opts *o, char *text, size_t len, const char *name,
		   size_t *outlen, struct hostdev_after *after);

#endif
