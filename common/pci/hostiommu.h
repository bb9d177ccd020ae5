/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the host's CPU, firmware and kernel say about virtualization and
 * the IOMMU, read from /proc and /sys under the root: the facts behind
 * "is this host ready for passthrough".  Nothing here runs a program or
 * reads dmesg.
 */
#ifndef VFIO_HOSTIOMMU_H
#define VFIO_HOSTIOMMU_H

#include <stdbool.h>
#include <stddef.h>

enum host_cpu { HOST_CPU_OTHER, HOST_CPU_INTEL, HOST_CPU_AMD };

struct host_iommu {
	bool cpuinfo;		/* /proc/cpuinfo was readable */
	enum host_cpu cpu;	/* from its vendor_id */
	bool vmx, svm;		/* its flags: VT-x, AMD-V */
	bool hypervisor;	/* its flag hypervisor: this is a virtual machine */
	bool dmar, ivrs;	/* ACPI tables: the firmware describes an IOMMU */
	size_t units;		/* /sys/class/iommu entries: the kernel drives it */
	char unit[64];		/* the first one's name, e.g. dmar0 or ivhd0 */
	int ir_capable;		/* every Intel unit's ecap has interrupt remapping: 1, 0; -1 unknown */
	int ir_enabled;		/* /proc/interrupts shows remapped chips: 1, 0; -1 unreadable */
	bool unsafe_interrupts;	/* vfio_iommu_type1 allow_unsafe_interrupts=Y */
	size_t groups;		/* /sys/kernel/iommu_groups entries */
};

/* What a virtual machine's hypervisor must give it for an IOMMU. */
#define HOST_VIOMMU_FIX "the hypervisor must give it a virtual IOMMU (QEMU: -device " \
	"intel-iommu,intremap=on,caching-mode=on with -M q35,kernel-irqchip=split, or " \
	"-device amd-iommu; libvirt: <iommu model='intel'/>)"

/* Fill H; never fails: what cannot be read stays unknown. */
void host_iommu_read(struct host_iommu *h);
/* The CPU fields of H from TEXT, a /proc/cpuinfo (NUL-terminated). */
void host_cpu_parse(struct host_iommu *h, const char *text);

/* Whether module NAME (either spelling) is in /sys/module: loaded, or built in with parameters. */
bool host_module_present(const char *name);

#endif
