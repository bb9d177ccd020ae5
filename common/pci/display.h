/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host's display on a card: the framebuffer consoles bound while the
 * card or the firmware's framebuffer on it has a framebuffer, and the
 * firmware framebuffers (efifb's, simplefb's, vesafb's platform devices)
 * still bound that are the card's.  What vfio-bind --handover unbinds and
 * releases before it takes the card, and what passcheck says it would;
 * and where the hand-over records what it changed.  Read from sysfs and
 * /proc/iomem under the root.
 */
#ifndef VFIO_DISPLAY_H
#define VFIO_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/pcidev.h"

#define DISPLAY_VTCONSOLES	"/sys/class/vtconsole"
#define DISPLAY_PLATFORM	"/sys/bus/platform"
#define DISPLAY_STATE_DIR	"/run/vfio-utils"
#define DISPLAY_BOOT_ID		"/proc/sys/kernel/random/boot_id"

struct display_console {
	char name[64];		/* "vtcon1" */
	char what[128];		/* its name attribute: "(M) frame buffer device" */
};

struct display_firmware {
	char name[64];		/* its platform device: "efi-framebuffer.0" */
	char driver[64];	/* the driver that has it: "efifb" */
};

struct display {
	struct display_console *cons;	/* by the console's name */
	size_t ncons;
	struct display_firmware *fw;	/* efi-, simple-, then vesa-framebuffer.0 */
	size_t nfw;
};

/*
 * The display on the functions of L marked in TAKE (one flag per device):
 * the firmware framebuffers bound that are the card's (a region of one in
 * /proc/iomem inside a memory BAR of a function in TAKE; where /proc/iomem
 * shows none with its address, as to a reader who is not root, when TAKE
 * holds the boot VGA device), and the framebuffer consoles bound when a
 * function in TAKE or one of those has a framebuffer.
 */
void display_scan(struct display *dp, const struct pcidevs *l, const bool *take);
void display_free(struct display *dp);
/* The driver bound to the platform device NAME in BUF ("" for none); false when it is gone. */
bool display_platform_driver(const char *name, char *buf, size_t size);

/* The state file of the hand-over of TAKE: handover-FUNCTION, its first function. */
void display_handover_path(const struct pcidevs *l, const bool *take, char *buf, size_t size);
/* This boot's id (DISPLAY_BOOT_ID).  0, or -1 with errno set. */
int display_boot_id(char *buf, size_t size);
/*
 * Whether the state file PATH records a hand-over of this boot: 1 when it
 * does, 0 when there is none or it is of another boot (or of none, as
 * vfio-bind judges it), -1 with errno set and the file in *FAILED when it
 * or the boot id could not be read.
 */
int display_handover_recorded(const char *path, const char **failed);

#endif
