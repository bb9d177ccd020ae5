/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The processes that hold a PCI function's device nodes: its DRM nodes
 * (/dev/dri/cardN, renderDN), its sound card's (/dev/snd/controlCN,
 * pcmCNDM...) and its framebuffer (/dev/fbN), as sysfs lists them below
 * the function (drm/, sound/cardN/, graphics/).  A driver's unbind waits
 * for those files to be closed (ALSA's snd_card_free waits for every one;
 * a DRM driver's removal can hang under a live desktop), so a function
 * must not leave its driver while a process holds one.  One pass over
 * /proc under the root: each process's fd/ links and its maps; nothing is
 * run (no lsof, no fuser).
 */
#ifndef VFIO_HOLDERS_H
#define VFIO_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "pci/pcidev.h"

struct holder {
	char dev[PCI_ADDR_LEN];		/* the function: 0000:07:00.0 */
	pid_t pid;
	char comm[32];			/* /proc/PID/comm: "Xorg" */
	char node[64];			/* "/dev/dri/card1"; "char device 226:1" without a name */
	bool mapped;			/* in its maps only, through no descriptor */
	unsigned long long start;	/* /proc/PID/stat's starttime: the same process later */
	char dm[80];			/* in the display manager's unit: "lightdm.service"; "" */
	bool dm_by_name;		/* a display manager by its comm: "gdm", "sddm" */
};

struct holders {
	struct holder *v;		/* by function, then PID, then node */
	size_t n;
	size_t unreadable;		/* processes whose fd/ or maps could not be read (EACCES) */
	size_t nodes;			/* the device nodes looked for */
};

/*
 * The holders of the device nodes of the functions of L marked in TAKE
 * (one flag per device).  A process that ends during the scan is left
 * out; one that cannot be read is counted in h->unreadable.  A descriptor
 * matches by the node's number (stat through /proc/PID/fd/N), a mapping
 * by the node's device and inode; by the node's path only where there is
 * nothing at that path to look at (a tree under --root without /dev), and
 * then for a descriptor only when its target cannot be looked at either.
 */
void holders_scan(struct holders *h, const struct pcidevs *l, const bool *take);
void holders_free(struct holders *h);
/*
 * IT for messages: "PID 812 (Xorg) holds /dev/dri/card1", "PID 901
 * (kwin_wayland) has /dev/dri/renderD129 mapped", then ", the display
 * manager (lightdm.service)" for one by name in the unit display-manager
 * aliases, ", run by the display manager (lightdm.service)" for another
 * process of that unit, or ", a display manager" by name alone.
 */
void holder_describe(const struct holder *it, char *buf, size_t size);
/*
 * The start time of process PID (field 22 of /proc/PID/stat under the
 * root), and in *ZOMBIE whether it has ended and waits for its parent.
 * Returns 0, or -1 with errno set (ENOENT: no such process).
 */
int holder_proc_start(pid_t pid, unsigned long long *start, bool *zombie);
/* The parser: 0 when LINE is /proc/PID/stat's text, -1 otherwise. */
int holders_parse_stat(const char *line, char *state, unsigned long long *start);
/*
 * A line of /proc/PID/maps: the device (major:minor, hexadecimal), the
 * inode and the path (NULL for an anonymous mapping).  0, or -1.
 */
int holders_parse_maps(const char *line, unsigned int *major, unsigned int *minor,
		       unsigned long *ino, const char **path);

#endif
