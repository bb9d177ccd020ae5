/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runtime binding of PCI functions through sysfs, in the order libvirt
 * uses: driver_override, unbind from the current driver, drivers_probe,
 * then read the driver link back, since drivers_probe reports success
 * even when no driver took the device.
 */
#ifndef VFIO_SYSFSBIND_H
#define VFIO_SYSFSBIND_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/pcidev.h"

/*
 * Write VALUE to the sysfs file PATH (under the root).  With DRY_RUN print
 * the equivalent shell command instead.  Returns 0, or -1 after printing
 * "could not write 'PATH': cause".
 */
int sysfs_write(const char *path, const char *value, bool dry_run);

/* The driver bound to function NAME now ("" when none); -1 on error. */
int pci_driver_now(const char *name, char *buf, size_t size);
/* Whether a PCI driver of that name is registered (its module loaded). */
bool pci_driver_registered(const char *driver);

/*
 * Give function D to DRIVER: override, unbind, probe, verify.  On failure
 * the device is given back to the driver it had.  Returns 0, or -1 after
 * printing why.
 */
int pci_bind_driver(const struct pcidev *d, const char *driver, bool dry_run);
/*
 * Give function D back to the host: clear driver_override, unbind, probe.
 * The driver it ends up with (possibly none) is stored in NEWDRV.
 */
int pci_release(const struct pcidev *d, bool dry_run, char *newdrv, size_t size);

/* Write NAME to DRIVER's unbind.  Returns 0, or -1 after printing why. */
int pci_unbind_from(const char *name, const char *driver, bool dry_run);
/*
 * Write NAME to DRIVER's bind, then wait for the driver link a moment:
 * the driver it has then ("" for none) in NOW.  Returns 0, or -1 after
 * printing why; whether DRIVER took it is for the caller to judge.
 */
int pci_bind_to(const char *name, const char *driver, bool dry_run, char *now, size_t size);

#endif
