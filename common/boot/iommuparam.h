/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel parameters that turn the IOMMU on and off, in one place for
 * every tool that adds them (kcmdline-edit --iommu) or advises them
 * (passcheck, iommu-groups).  Intel's IOMMU (VT-d) stays off until
 * intel_iommu=on on most kernels; AMD's (AMD-Vi) is on by default, and
 * amd_iommu=on is no option at all (the kernel ignores it).  iommu=pt
 * leaves the host's own devices out of translation.  intel_iommu=off,
 * amd_iommu=off and iommu=off turn it off.
 */
#ifndef VFIO_IOMMUPARAM_H
#define VFIO_IOMMUPARAM_H

#include <stdbool.h>

#include "boot/kcmdline.h"

/* The CPU's vendor, as the caller knows it (pci/hostiommu's host_cpu). */
enum iommu_vendor { IOMMU_VENDOR_OTHER, IOMMU_VENDOR_INTEL, IOMMU_VENDOR_AMD };

/*
 * What --iommu adds for VENDOR, NULL-terminated: intel_iommu=on iommu=pt
 * (Intel), iommu=pt (AMD); NULL for another vendor.
 */
const char *const *iommu_params_on(enum iommu_vendor vendor);

/*
 * The one parameter advised when the kernel made no IOMMU groups:
 * iommu=pt on AMD, intel_iommu=on otherwise.
 */
const char *iommu_param_advised(enum iommu_vendor vendor);

/* "intel_iommu=off", "amd_iommu=off" or "iommu=off" when one is in effect in C, else NULL. */
const char *iommu_param_off(const struct kcmdline *c);

/* Whether intel_iommu=on is in effect in C: what Intel's IOMMU needs on most kernels. */
bool iommu_param_intel_on(const struct kcmdline *c);
/* Whether iommu=pt is in effect in C. */
bool iommu_param_pt(const struct kcmdline *c);

/* Whether KEY=VAL is a parameter the kernel ignores: amd_iommu=on. */
bool iommu_param_ignored(const char *key, const char *val);

#endif
