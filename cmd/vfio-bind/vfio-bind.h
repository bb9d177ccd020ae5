/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vfio-bind's own parts: binding now (sysfs.c) and at every boot (persist.c). */
#ifndef VFIO_BIND_H
#define VFIO_BIND_H

#include <stdbool.h>

#include "kmod/modprobe.h"
#include "pci/devsel.h"
#include "pci/hostuse.h"
#include "pci/pcidev.h"

struct opts {
	bool dry_run, check, unbind, persist, now, list, force, ignore_msrs, backup, json;
	bool stop_holders, handover, giveback, hook;
};

/* The devices under the root, and what the host uses of them. */
extern struct pcidevs devs;
extern struct hostuse inuse;

/* TAKE: one flag per device of devs, the functions to bind or give back. */
int bind_now(const struct opts *o, const bool *take);
int unbind_now(const struct opts *o, const bool *take);
/*
 * Before binding now: the processes holding the device nodes of the
 * functions in TAKE refuse it, naming each (EXIT_FAIL); --stop-holders
 * ends them first (SIGTERM, then SIGKILL) and looks again.  EXIT_OK when
 * none holds any.
 */
int check_holders(const struct opts *o, const bool *take);
/* The processes holding the nodes of the functions in TAKE, named as check_holders does; how many. */
size_t name_holders(const bool *take);
/*
 * --handover: the consoles on the card's framebuffers unbound, the
 * firmware framebuffer on it released, then bind_now, each change first
 * recorded in /run/vfio-utils/handover-FUNCTION with the boot id.
 * --giveback: what that file records undone in reverse order, then the
 * file removed.  EXIT_OK, or EXIT_FAIL after saying why.
 */
int handover(const struct opts *o, const bool *take);
int giveback(const struct opts *o, const bool *take);
/*
 * --libvirt-hook with libvirt's ARGS and the domain XML on standard input:
 * CARD(o, DEV, give) for each card of the domain's PCI hostdevs, DEV its
 * slot, to hand it over on prepare/begin (the first refusal stops and
 * gives back those already handed over) or give it back on release/end.
 * Any other operation reads the XML and does nothing.
 */
int libvirt_hook(const struct opts *o, char **args, size_t nargs,
		 int (*card)(const struct opts *o, const char *dev, bool give));
/* --list: the functions on vfio-pci or with a driver_override; EXIT_NOTMET for none. */
int list_bound(const struct opts *o);

/* How a function binds to vfio-pci at boot, for --list. */
enum boot_how {
	BOOT_NO,
	BOOT_IDS,		/* modprobe.d's vfio_pci ids= matches it */
	BOOT_ADDRESS,		/* the block's install hook binds its address */
};

struct boot_bind {
	enum boot_how how;
	const char *file;	/* the line that does it, as in the system */
	unsigned int line;
	char ids[256];		/* BOOT_IDS: the ids= value */
};

/*
 * What binds at boot: one entry per device of devs, read from modprobe.d
 * as kmod reads it and from vfio-bind's block.  Returns 0, or -1 after an
 * error naming the file; *MC is freed by the caller (the entries point
 * into it).
 */
int boot_bindings(struct boot_bind *b, struct modprobe_conf *mc);

/* --persist: the managed block of /etc/modprobe.d/vfio.conf. */
int persist(const struct opts *o, const bool *take);
/* --persist --now: NOW (bind_now or unbind_now) first, then the file. */
int now_then_persist(const struct opts *o, const bool *take,
		     int (*now)(const struct opts *, const bool *));

#endif
