/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iommu-groups: what fields.c prints for main's device lines. */
#ifndef VFIO_IOMMU_GROUPS_H
#define VFIO_IOMMU_GROUPS_H

#include "base/output.h"
#include "pci/hostuse.h"
#include "pci/pcidev.h"

/* " reset=flr,bus" (" reset=none"); JSON: the methods. */
void print_reset(struct out *o, const struct pcidev *d);
/* What the host uses D for: " inuse=swap:/dev/nvme0n1,route:eth0"; JSON null when nothing. */
void print_inuse(struct out *o, const struct hostuse *inuse, const struct pcidev *d);
/* JSON: every field of the device. */
void print_json_fields(struct out *o, const struct pcidevs *l, const struct pcidev *d);
/*
 * --why for the groups of L (sorted by group) with a device in WANT: the
 * reasons, and a warning for each group the rules predict otherwise.
 * Returns how many devices the groups shown have.
 */
size_t print_why(const struct pcidevs *l, const bool *want, bool json);

/*
 * slots.c, --slots: every physical slot of /sys/bus/pci/slots with its
 * port, whether a card there gets a group of its own and the functions
 * there now (their drivers with KERNEL); how many slots.  L in address
 * order.
 */
size_t list_slots(const struct pcidevs *l, bool kernel, bool json);

#endif
