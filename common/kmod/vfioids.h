/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What vfio-pci's ids= parameter takes, as the kernel reads it
 * (drivers/vfio/pci/vfio_pci.c vfio_pci_fill_ids): a comma separated list
 * of vendor:device[:subvendor[:subdevice[:class[:class_mask]]]] in hex,
 * each one added as a dynamic ID, so that vfio-pci takes every device
 * that matches it and is not bound yet.  An ID that a device the host
 * keeps also has takes that device too: vfio-bind --persist binds by
 * address instead.
 */
#ifndef VFIO_VFIOIDS_H
#define VFIO_VFIOIDS_H

#include <stdbool.h>
#include <stddef.h>

#include "kmod/modprobe.h"
#include "pci/pcidev.h"

/*
 * Whether an entry of the ids= value LIST (pci_ids_next()) matches D, as
 * the PCI core matches a dynamic ID.
 */
bool vfio_ids_match(const char *list, const struct pcidev *d);

/* The ids= value an `options vfio_pci` line M sets, or NULL.  Caller frees. */
char *vfio_ids_of_line(const struct modprobe_line *m);
/*
 * The ids= that kmod gives vfio_pci from the modprobe.d of MC: the value
 * of the last `options vfio_pci ... ids=` (kmod passes every line's
 * options, and the kernel's parse_args() keeps the last), *LINE its line;
 * NULL when none sets it.  Caller frees.
 */
char *vfio_ids_modprobe(const struct modprobe_conf *mc, const struct modprobe_line **line);

/* Whether NAME is a parameter of vfio_pci (Linux 6.1 to 6.12). */
bool vfio_pci_param(const char *name);

/* Whether device I of L is a function of the boot VGA card (same domain, bus and slot). */
bool boot_vga_card(const struct pcidevs *l, size_t i);

/*
 * The devices of L that LIST takes although the host keeps them: their
 * indexes into KEPT (room for l->n), how many.  Without knowing which
 * devices go to the VM, the host keeps a function on the boot VGA card,
 * and one on a card whose function 0 (its first function that is not a
 * bridge) LIST does not take: the guide's 03:00.1 (1002:ab28, the boot
 * GPU's HDMI audio) when LIST is 1002:73ff,1002:ab28.
 */
size_t vfio_ids_kept(const struct pcidevs *l, const char *list, size_t *kept);

/*
 * For a tool adding PARAM=LIST to the kernel command line: when PARAM is
 * vfio-pci.ids (either spelling), scan the PCI devices under the root and
 * warn, naming each, about those LIST takes although the host keeps them.
 * Nothing when there is no /sys/bus/pci/devices to scan.
 */
void vfio_ids_warn_kept(const char *param, const char *list);

#endif
