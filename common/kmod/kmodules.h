/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the kernel's module tree says: the running kernel's version, which
 * modules are built in, which module a driver or a modalias belongs to.
 * Read from /proc, /sys and /lib/modules under the root, never by running
 * modprobe or modinfo.
 */
#ifndef VFIO_KMODULES_H
#define VFIO_KMODULES_H

#include <stdbool.h>
#include <stddef.h>

/* The running kernel's release (/proc/sys/kernel/osrelease); -1 if unknown. */
int kernel_release(char *buf, size_t size);
/*
 * Whether MODULE (either spelling, vfio-pci or vfio_pci) is built into
 * kernel RELEASE, from /lib/modules/RELEASE/modules.builtin (or /usr/lib/...).
 * Returns 1 built in, 0 not, -1 when that kernel's tree is not there.
 */
int module_builtin(const char *release, const char *module);
/*
 * The kernels installed: the releases with a module tree (modules.dep or
 * modules.builtin) under /lib/modules or /usr/lib/modules, in version
 * order.  Returns how many, with *list (caller frees with kernels_free);
 * never fails (out of memory exits).
 */
int kernels_installed(char ***list);
void kernels_free(char **list, int n);
/*
 * Whether kernel RELEASE has MODULE as a module of its own, from its
 * modules.dep.  Returns 1 yes, 0 no, -1 when there is no modules.dep.
 */
int module_loadable(const char *release, const char *module);
/* The MAJOR.MINOR of RELEASE as MAJOR * 1000 + MINOR, or -1. */
int kernel_version(const char *release);
/* The module of PCI driver DRIVER (its sysfs module link); -1 if none. */
int driver_module(const char *driver, char *buf, size_t size);
/* Whether MODULE is one of the comma-separated LIST. */
bool module_in_list(const char *list, const char *module);
/*
 * Every module whose modules.alias pattern matches MODALIAS for kernel
 * RELEASE, skipping SKIP (a module name or NULL), comma-separated in the
 * order of the file, each once: an NVIDIA card matches nouveau and nvidia
 * (from DKMS, in updates/), an AMD SI or CIK card radeon and amdgpu, and
 * whichever loads first claims it.  Names that do not fit SIZE are left
 * out whole.  -1 if none.
 */
int alias_module(const char *release, const char *modalias, const char *skip,
		 char *buf, size_t size);

#endif
