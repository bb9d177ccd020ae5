/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * passcheck: the host: CPU, IOMMU, the running command line against what
 * the boot configurations give, VFIO.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "passcheck.h"
#include "base/banned.h"

static const char *cpu_param(void)
{
	return iommu_param_advised(host.cpu == HOST_CPU_AMD ? IOMMU_VENDOR_AMD :
				   host.cpu == HOST_CPU_INTEL ? IOMMU_VENDOR_INTEL : IOMMU_VENDOR_OTHER);
}

void check_cpu(void)
{
	struct stat st;

	if (!host.cpuinfo)
		report(SKIP, "cpu-virt", NULL, "could not read '%s'", root_show("/proc/cpuinfo"));
	else if (host.vmx || host.svm)
		report(PASS, "cpu-virt", NULL, "the CPU has %s", host.vmx ? "VT-x (vmx)" : "AMD-V (svm)");
	else
		report(FAIL, "cpu-virt", NULL, "the CPU flags show neither vmx nor svm: enable %s in "
		       "the firmware setup", host.cpu == HOST_CPU_AMD ? "SVM (AMD-V)" :
		       host.cpu == HOST_CPU_INTEL ? "Intel VT-x" : "VT-x or AMD-V");

	if (root_stat("/dev/kvm", &st) == 0 && S_ISCHR(st.st_mode))
		report(PASS, "kvm-device", NULL, "/dev/kvm is there");
	else if (host.cpuinfo && !host.vmx && !host.svm)
		report(FAIL, "kvm-device", NULL, "no /dev/kvm: the CPU's virtualization is off (cpu-virt)");
	else
		report(FAIL, "kvm-device", NULL, "no /dev/kvm: load KVM (modprobe %s)",
		       host.cpu == HOST_CPU_AMD ? "kvm_amd" : "kvm_intel");
}

void check_iommu(void)
{
	const char *off;

	if (host.dmar || host.ivrs)
		report(PASS, "iommu-firmware", NULL, "the firmware describes an IOMMU (ACPI %s table)",
		       host.dmar ? "DMAR" : "IVRS");
	else if (host.hypervisor)
		report(FAIL, "iommu-firmware", NULL, "no ACPI DMAR or IVRS table: this is a virtual "
		       "machine (the CPU flag hypervisor): " HOST_VIOMMU_FIX ", then reboot");
	else
		report(FAIL, "iommu-firmware", NULL, "no ACPI DMAR or IVRS table: enable %s in the "
		       "firmware setup, then reboot",
		       host.cpu == HOST_CPU_AMD ? "AMD-Vi (IOMMU)" :
		       host.cpu == HOST_CPU_INTEL ? "VT-d" : "VT-d (Intel) or AMD-Vi (AMD)");

	if (host.groups) {
		report(PASS, "iommu-enabled", NULL, "%zu IOMMU groups%s%s%s", host.groups,
		       host.units ? " (" : "", host.units ? host.unit : "", host.units ? ")" : "");
	} else if (!host.dmar && !host.ivrs) {
		report(FAIL, "iommu-enabled", NULL, "no IOMMU groups: the firmware describes no "
		       "IOMMU (iommu-firmware)");
	} else {
		off = have_cmdline ? iommu_param_off(&cmdline) : NULL;
		if (off)
			report(FAIL, "iommu-enabled", NULL, "no IOMMU groups; the kernel was booted with "
			       "%s: run %s --remove %s --iommu, regenerate the boot "
			       "configuration, reboot", off, cmd_tool("kcmdline-edit"), off);
		else
			report(FAIL, "iommu-enabled", NULL, "no IOMMU groups; the kernel was booted "
			       "without %s: run %s --iommu, regenerate the boot "
			       "configuration, reboot", cpu_param(), cmd_tool("kcmdline-edit"));
	}

	if (!host.groups)
		report(SKIP, "interrupt-remapping", NULL, "no IOMMU in use");
	else if (host.ir_enabled == 1 || (host.ir_enabled < 0 && host.ir_capable == 1))
		report(PASS, "interrupt-remapping", NULL, "%s",
		       host.ir_enabled == 1 ? "interrupts are remapped (IR- chips in /proc/interrupts)"
					    : "the IOMMU can remap interrupts");
	else if (host.ir_enabled < 0 && host.ir_capable < 0)
		report(SKIP, "interrupt-remapping", NULL, "could not read '%s'",
		       root_show("/proc/interrupts"));
	else if (host.unsafe_interrupts)
		report(WARN, "interrupt-remapping", NULL, "interrupts are not remapped and vfio allows "
		       "it (vfio_iommu_type1 allow_unsafe_interrupts=1): a guest can send interrupts "
		       "the host did not give it");
	else
		report(FAIL, "interrupt-remapping", NULL, "interrupts are not remapped%s: vfio refuses "
		       "such devices (\"No interrupt remapping support\"); enable x2APIC and "
		       "interrupt remapping in the firmware setup, or (unsafe) set "
		       "'options vfio_iommu_type1 allow_unsafe_interrupts=1'",
		       host.ir_capable == 0 ? " (the IOMMU cannot)" : "");
}

void check_cmdline(void)
{
	const char *v, *off;
	bool amd_on;

	if (!have_cmdline) {
		report(SKIP, "kernel-cmdline", NULL, "could not read '%s'", root_show("/proc/cmdline"));
		return;
	}
	amd_on = kcmdline_get(&cmdline, "amd_iommu", &v) && iommu_param_ignored("amd_iommu", v);
	if ((off = iommu_param_off(&cmdline)))
		report(FAIL, "kernel-cmdline", NULL, "%s turns the IOMMU off: %s --remove %s "
		       "--iommu, regenerate the boot configuration, reboot", off,
		       cmd_tool("kcmdline-edit"), off);
	else if (host.cpu == HOST_CPU_INTEL && host.dmar && !host.groups &&
		 !iommu_param_intel_on(&cmdline))
		report(FAIL, "kernel-cmdline", NULL, "intel_iommu=on is missing: %s --iommu, "
		       "regenerate the boot configuration, reboot", cmd_tool("kcmdline-edit"));
	else if (amd_on)
		report(WARN, "kernel-cmdline", NULL, "amd_iommu=on is not a kernel option (the kernel "
		       "ignores it; AMD-Vi is on by default): %s --remove amd_iommu=on",
		       cmd_tool("kcmdline-edit"));
	else if (!host.dmar && !host.ivrs && !host.groups)
		report(SKIP, "kernel-cmdline", NULL, "no IOMMU to configure until the firmware "
		       "describes one (iommu-firmware)");
	else
		report(PASS, "kernel-cmdline", NULL, "%s%s",
		       iommu_param_intel_on(&cmdline) ? "intel_iommu=on" :
		       "nothing turns the IOMMU off",
		       iommu_param_pt(&cmdline) ? ", iommu=pt" : "");
}

/* Every boot configuration's command lines, read once for the checks that compare them. */
struct boot_cmdlines bootlines;
/* The parameters passthrough depends on, compared between boots. */
static const char *const boot_keys[] = {
	"intel_iommu", "amd_iommu", "iommu", "vfio_pci.ids",
	"vfio_iommu_type1.allow_unsafe_interrupts", "kvm.ignore_msrs", "pcie_acs_override",
};

/*
 * Append to DIFF what LINE sets of boot_keys that the running kernel did
 * not get, and what the running kernel got that LINE no longer sets.
 */
static void boot_diff(const struct kcmdline *line, char *set, size_t setsize,
		      char *unset, size_t unsetsize)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(boot_keys); i++) {
		const char *want = NULL, *have = NULL, *k = boot_keys[i];
		bool w = kcmdline_get(line, k, &want), h = kcmdline_get(&cmdline, k, &have);
		size_t n;

		/* amd_iommu=on is no option (kernel-cmdline says to remove it): never ask for it. */
		w = w && !iommu_param_ignored(k, want);
		h = h && !iommu_param_ignored(k, have);

		if (w && (!h || strcmp(want ? want : "", have ? have : ""))) {
			n = strlen(set);
			snprintf(set + n, setsize - n, "%s%s%s%s", n ? ", " : "", k,
				 want ? "=" : "", want ? want : "");
		} else if (!w && h) {
			n = strlen(unset);
			snprintf(unset + n, unsetsize - n, "%s%s%s%s", n ? ", " : "", k,
				 have ? "=" : "", have ? have : "");
		}
	}
}

void check_boot_cmdline(void)
{
	const struct boot_cmdlines *l = &bootlines;
	char sources[1024] = "", regen[512];
	size_t i, n, nsources = 0;
	bool differ = false;

	if (!have_cmdline) {
		report(SKIP, "boot-cmdline", NULL, "could not read '%s'", root_show("/proc/cmdline"));
		return;
	}
	if (l->n == 0)
		report(SKIP, "boot-cmdline", NULL, "no boot configuration found (GRUB, BLS entries, "
		       "/etc/kernel/cmdline, refind_linux.conf)");
	for (i = 0; i < l->n; i++) {
		const struct boot_cmdline *b = &l->v[i];
		struct kcmdline c;
		char set[512] = "", unset[512] = "";

		/* rEFInd boots the first line unless told otherwise at the menu. */
		if (b->kind == BOOT_REFIND && i > 0 && l->v[i - 1].kind == BOOT_REFIND)
			continue;

		if (!b->text) {
			report(SKIP, "boot-cmdline", NULL, "cannot tell what '%s' sets: %s",
			       root_show(b->source), b->why);
			continue;
		}
		kcmdline_parse(&c, b->text, strlen(b->text));
		boot_diff(&c, set, sizeof(set), unset, sizeof(unset));
		kcmdline_free(&c);
		boot_regen_commands(b->kind, regen, sizeof(regen));
		regen[strcspn(regen, "\n")] = '\0';
		if (*set) {
			differ = true;
			report(WARN, "boot-cmdline", NULL, "'%s' sets %s, which the running kernel was "
			       "booted without: %s%s%s%sreboot", root_show(b->source), set,
			       *regen ? "run " : "", *regen ? cmd_chroot() : "", regen,
			       *regen ? ", then " : "");
		}
		if (*unset) {
			differ = true;
			report(WARN, "boot-cmdline", NULL, "'%s' does not set %s, which the running kernel "
			       "was booted with: the next boot goes without; %s --add puts it "
			       "there", root_show(b->source), unset, cmd_tool("kcmdline-edit"));
		}
		if (*set || *unset)
			continue;
		n = strlen(sources);
		snprintf(sources + n, sizeof(sources) - n, "%s'%s'", n ? ", " : "", root_show(b->source));
		nsources++;
	}
	if (*sources && !differ)
		report(PASS, "boot-cmdline", NULL, "the running kernel has the passthrough parameters "
		       "%s set%s", sources, nsources > 1 ? "" : "s");
}

void check_vfio(void)
{
	char release[128];
	struct stat st;
	bool present = host_module_present("vfio_pci");

	if (!present && kernel_release(release, sizeof(release)) == 0 &&
	    module_builtin(release, "vfio_pci") == 1)
		report(PASS, "vfio-modules", NULL, "vfio-pci is built into the kernel");
	else if (present)
		report(PASS, "vfio-modules", NULL, "vfio-pci is loaded");
	else
		report(WARN, "vfio-modules", NULL, "vfio-pci is not loaded: %s loads it; "
		       "%s loads it at boot", cmd_tool("vfio-bind"), cmd_tool("initramfs-vfio"));

	if (root_stat("/dev/vfio/vfio", &st) == 0 && S_ISCHR(st.st_mode))
		report(PASS, "vfio-device", NULL, "/dev/vfio/vfio is there");
	else if (!host_module_present("vfio"))
		report(SKIP, "vfio-device", NULL, "vfio is not loaded");
	else
		report(FAIL, "vfio-device", NULL, "vfio is loaded but there is no /dev/vfio/vfio: is "
		       "devtmpfs mounted on /dev?");
}
