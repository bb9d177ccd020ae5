/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vfio-bind's own parts: binding now (sysfs.c) and at every boot (persist.c). */
#ifndef VFIO_BIND_H
#define VFIO_BIND_H

#include <stdbool.h>

#include "pci/devsel.h"
#include "pci/hostuse.h"
#include "pci/pcidev.h"

struct opts {
	bool dry_run, check, unbind, persist, now, list, force, ignore_msrs, backup, json;
};

/* The devices under the root, and what the host uses of them. */
extern struct pcidevs devs;
extern struct hostuse inuse;

/* TAKE: one flag per device of devs, the functions to bind or give back. */
int bind_now(const struct opts *o, const bool *take);
int unbind_now(const struct opts *o, const bool *take);
/* --list: the functions on vfio-pci or with a driver_override; EXIT_NOTMET for none. */
int list_bound(const struct opts *o);

/* --persist: the managed block of /etc/modprobe.d/vfio.conf. */
int persist(const struct opts *o, const bool *take);
/* --persist --now: NOW (bind_now or unbind_now) first, then the file. */
int now_then_persist(const struct opts *o, const bool *take,
		     int (*now)(const struct opts *, const bool *));

#endif
