/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * passcheck - is this host ready for PCI passthrough, and what fixes it
 * if not: one line per check, `STATUS check-id: message`
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot/boot.h"
#include "virt/domain.h"
#include "initramfs/initramfs.h"
#include "base/dirlist.h"
#include "pci/devsel.h"
#include "pci/hostiommu.h"
#include "pci/hostuse.h"
#include "kmod/kmodules.h"
#include "kmod/modprobe.h"
#include "pci/optionrom.h"
#include "base/macros.h"
#include "base/output.h"
#include "pci/pcidev.h"
#include "boot/iommuparam.h"
#include "boot/procmdline.h"
#include "base/prog.h"
#include "base/root.h"
#include "base/shquote.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "kmod/vfioconf.h"
#include "kmod/vfioids.h"
#include "kmod/vfiopaths.h"

enum { OPT_ROOT = 0x100, OPT_XML };

static const struct option longopts[] = {
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "json",	no_argument,		NULL, 'J' },
	{ "xml",	required_argument,	NULL, OPT_XML },
	{ "root",	required_argument,	NULL, OPT_ROOT },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static noreturn void usage(void)
{
	printf("Usage: %s [options] [DEVICE...]\n"
	       "\n"
	       "Check that this host is ready to pass DEVICE through to a virtual machine,\n"
	       "one line per check: PASS, WARN, FAIL or SKIP, the check, what was found and\n"
	       "what fixes it.  DEVICE is a PCI address ([domain:]bus:slot.func) or a\n"
	       "vendor:device ID; without one, every display controller that is not the\n"
	       "boot VGA device.\n"
	       "\n"
	       "Options:\n"
	       "  -q, --quiet         print only WARN and FAIL lines\n"
	       "  -J, --json          print JSON\n"
	       "      --xml FILE      also check the libvirt domain in FILE (- for standard\n"
	       "                      input): DEVICE passed to it, the hypervisor hidden\n"
	       "      --root DIR      check the system under DIR\n"
	       "  -h, --help          show this help and exit\n"
	       "  -V, --version       show the version and exit\n"
	       "\n"
	       "Exit status: 0 nothing failed, 1 a check failed, 2 usage error.\n",
	       prog_name());
	exit(EXIT_OK);
}

/* Reporting. */

enum status { PASS, WARN, FAIL, SKIP };
static const char *const status_name[] = { "PASS", "WARN", "FAIL", "SKIP" };

static struct out out;
static bool quiet;
static unsigned int counts[4];

static void __attribute__((format(printf, 4, 5)))
report(enum status s, const char *id, const char *device, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	counts[s]++;
	if (out.json) {
		out_object_begin(&out, NULL);
		out_string(&out, "status", NULL, status_name[s]);
		out_string(&out, "check", NULL, id);
		out_string(&out, "device", NULL, device);
		out_string(&out, "message", NULL, msg);
		out_object_end(&out);
	} else if (!quiet || s == WARN || s == FAIL) {
		printf("%s %s: %s%s%s\n", status_name[s], id, device ? device : "",
		       device ? ": " : "", msg);
	}
	free(msg);
}

/* Host checks. */

static struct host_iommu host;
static struct kcmdline cmdline;
static bool have_cmdline;

static const char *cpu_param(void)
{
	return iommu_param_advised(host.cpu == HOST_CPU_AMD ? IOMMU_VENDOR_AMD :
				   host.cpu == HOST_CPU_INTEL ? IOMMU_VENDOR_INTEL : IOMMU_VENDOR_OTHER);
}

static void check_cpu(void)
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

static void check_iommu(void)
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
			       "%s: run kcmdline-edit --remove %s --iommu, regenerate the boot "
			       "configuration, reboot", off, off);
		else
			report(FAIL, "iommu-enabled", NULL, "no IOMMU groups; the kernel was booted "
			       "without %s: run kcmdline-edit --iommu, regenerate the boot "
			       "configuration, reboot", cpu_param());
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

static void check_cmdline(void)
{
	const char *v, *off;
	bool amd_on;

	if (!have_cmdline) {
		report(SKIP, "kernel-cmdline", NULL, "could not read '%s'", root_show("/proc/cmdline"));
		return;
	}
	amd_on = kcmdline_get(&cmdline, "amd_iommu", &v) && iommu_param_ignored("amd_iommu", v);
	if ((off = iommu_param_off(&cmdline)))
		report(FAIL, "kernel-cmdline", NULL, "%s turns the IOMMU off: kcmdline-edit --remove %s "
		       "--iommu, regenerate the boot configuration, reboot", off, off);
	else if (host.cpu == HOST_CPU_INTEL && host.dmar && !host.groups &&
		 !proc_cmdline_has(&cmdline, "intel_iommu", "on"))
		report(FAIL, "kernel-cmdline", NULL, "intel_iommu=on is missing: kcmdline-edit --iommu, "
		       "regenerate the boot configuration, reboot");
	else if (amd_on)
		report(WARN, "kernel-cmdline", NULL, "amd_iommu=on is not a kernel option (the kernel "
		       "ignores it; AMD-Vi is on by default): kcmdline-edit --remove amd_iommu=on");
	else if (!host.dmar && !host.ivrs && !host.groups)
		report(SKIP, "kernel-cmdline", NULL, "no IOMMU to configure until the firmware "
		       "describes one (iommu-firmware)");
	else
		report(PASS, "kernel-cmdline", NULL, "%s%s",
		       proc_cmdline_has(&cmdline, "intel_iommu", "on") ? "intel_iommu=on" :
		       "nothing turns the IOMMU off",
		       proc_cmdline_has(&cmdline, "iommu", "pt") ? ", iommu=pt" : "");
}

/* Every boot configuration's command lines, read once for the checks that compare them. */
static struct boot_cmdlines bootlines;

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

static void check_boot_cmdline(void)
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
		if (kcmdline_parse(&c, b->text, strlen(b->text)) < 0)
			err(EXIT_FAIL, "could not allocate memory");
		boot_diff(&c, set, sizeof(set), unset, sizeof(unset));
		kcmdline_free(&c);
		boot_regen_commands(b->kind, regen, sizeof(regen));
		regen[strcspn(regen, "\n")] = '\0';
		if (*set) {
			differ = true;
			report(WARN, "boot-cmdline", NULL, "'%s' sets %s, which the running kernel was "
			       "booted without: %s%s%sreboot", root_show(b->source), set,
			       *regen ? "run " : "", regen, *regen ? ", then " : "");
		}
		if (*unset) {
			differ = true;
			report(WARN, "boot-cmdline", NULL, "'%s' does not set %s, which the running kernel "
			       "was booted with: the next boot goes without; kcmdline-edit --add puts it "
			       "there", root_show(b->source), unset);
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

static void check_vfio(void)
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
		report(WARN, "vfio-modules", NULL, "vfio-pci is not loaded: vfio-bind loads it; "
		       "initramfs-vfio loads it at boot");

	if (root_stat("/dev/vfio/vfio", &st) == 0 && S_ISCHR(st.st_mode))
		report(PASS, "vfio-device", NULL, "/dev/vfio/vfio is there");
	else if (!host_module_present("vfio"))
		report(SKIP, "vfio-device", NULL, "vfio is not loaded");
	else
		report(FAIL, "vfio-device", NULL, "vfio is loaded but there is no /dev/vfio/vfio: is "
		       "devtmpfs mounted on /dev?");
}

/* Device checks. */

static struct pcidevs devs;
static struct devsel sel;
static struct pcidev_chain by_id;
static bool *chosen;		/* the devices to check, and their groups' members */
static struct modprobe_conf modconf;
static bool have_modconf;
static struct vfio_persist persisted;
static struct hostuse inuse;

/* The functions that go to the VM with a device, in address order (devsel_iter). */
struct mates {
	struct devsel_iter it;
};

static void mates_init(struct mates *it, const struct pcidev *d)
{
	devsel_iter_init(&it->it, &sel, d);
}

static const struct pcidev *mates_next(struct mates *it)
{
	return devsel_iter_next(&it->it);
}

static const char *what(const struct pcidev *m, char *buf, size_t size)
{
	char cls[128];

	snprintf(buf, size, "%s (%s, %s)", m->name,
		 pcidev_class_name(&devs, m, cls, sizeof(cls)) ? cls : "unknown class",
		 m->driver[0] ? m->driver : "no driver");
	return buf;
}

static void check_group(const struct pcidev *d)
{
	struct strbuf list = STRBUF_INIT;
	const struct pcidev *m;
	struct mates it;
	char one[256];

	if (d->group < 0) {
		report(FAIL, "group-isolated", d->name, "in no IOMMU group: the IOMMU is off "
		       "(iommu-enabled)");
		return;
	}
	for (mates_init(&it, d); (m = mates_next(&it)); ) {
		if (m->group != d->group || pcidev_same_slot(d, m))
			continue;
		strbuf_addf(&list, "%s%s", list.len ? ", " : "", what(m, one, sizeof(one)));
	}
	if (!list.len)
		report(PASS, "group-isolated", d->name, "group %ld holds only this device's functions "
		       "and bridges", d->group);
	else
		report(FAIL, "group-isolated", d->name, "group %ld also holds %s: all of them would "
		       "go to the VM; try another slot (one wired to the CPU) or another board",
		       d->group, list.buf);
	strbuf_release(&list);
}

/*
 * The functions going with D that the host uses, as "0000:04:00.0" each
 * (", " between) in NAMES; how many.
 */
static size_t host_uses(const struct pcidev *d, char *names, size_t size)
{
	const struct pcidev *m;
	struct mates it;
	size_t n = 0, k, len;

	*names = '\0';
	for (mates_init(&it, d); (m = mates_next(&it)); ) {
		if (!hostuse_find(&inuse, m, &k))
			continue;
		len = strlen(names);
		if (len + strlen(m->name) + 3 < size)
			snprintf(names + len, size - len, "%s%s", n ? ", " : "", m->name);
		n++;
	}
	return n;
}

/* A FAIL for each function going with D that the host uses, with every reason. */
static void check_in_use(const struct pcidev *d)
{
	const struct hostuse_item *u;
	const struct pcidev *m;
	char why[2048];
	struct mates it;
	size_t n, k, len, total = 0, failed = 0;

	for (mates_init(&it, d); (m = mates_next(&it)); ) {
		total++;
		if (!(u = hostuse_find(&inuse, m, &n)))
			continue;
		*why = '\0';
		for (k = 0; k < n; k++) {
			len = strlen(why);
			if (len + strlen(u[k].text) + 3 < sizeof(why))
				snprintf(why + len, sizeof(why) - len, "%s%s", k ? "; " : "", u[k].text);
		}
		report(FAIL, "host-in-use", d->name, "%s is in use by the host: %s; a VM cannot "
		       "have it without taking it from the host", m->name, why);
		failed++;
	}
	if (!failed)
		report(PASS, "host-in-use", d->name, "the host uses none of the %zu function%s",
		       total, total == 1 ? "" : "s");
}

static void check_driver(const struct pcidev *d, char *slot)
{
	struct strbuf list = STRBUF_INIT;
	const struct pcidev *m;
	struct mates it;
	char used[1024];
	size_t total = 0;

	for (mates_init(&it, d); (m = mates_next(&it)); ) {
		total++;
		if (devsel_on_vfio(m))
			continue;
		strbuf_addf(&list, "%s%s on %s", list.len ? ", " : "", m->name,
			    m->driver[0] ? m->driver : "no driver");
	}
	if (!list.len)
		report(PASS, "vfio-driver", d->name, "%zu function%s on vfio-pci", total,
		       total == 1 ? "" : "s");
	else if (host_uses(d, used, sizeof(used)))
		report(FAIL, "vfio-driver", d->name, "%s: the host uses %s (host-in-use): "
		       "binding would take from the host what it needs", list.buf, used);
	else
		report(FAIL, "vfio-driver", d->name, "%s: run vfio-bind %s", list.buf, slot);
	strbuf_release(&list);
}

/*
 * An ids= that the next boot gives vfio-pci: the one kmod passes from
 * modprobe.d (the last ids= of every `options vfio-pci` line: parse_args
 * keeps the last), the running kernel's command line's, and each boot
 * configuration's.
 */
struct ids_src {
	char where[640];	/* "root/etc/modprobe.d/gpu.conf:1", as shown */
	char what[1024];	/* the parameter as written */
	char *ids;		/* its value */
	bool costly;		/* it takes a device the host keeps */
};

static struct ids_src *srcs;
static size_t nsrcs;
static long modprobe_src = -1, proc_src = -1;
static char vm_slots[512];	/* the devices checked, for vfio-bind --persist */

static struct ids_src *ids_src_add(const char *ids)
{
	srcs = xreallocarray(srcs, nsrcs + 1, sizeof(*srcs));
	srcs[nsrcs].ids = xstrdup(ids);
	srcs[nsrcs].costly = false;
	return &srcs[nsrcs++];
}

/* PATH:LINE of the last line of PATH that sets vfio-pci.ids, or just PATH. */
static void where_in_file(const char *path, char *buf, size_t size)
{
	char *text = root_read_file(path, NULL), *p;
	unsigned int n = 1, last = 0;

	for (p = text; p && *p; p++) {
		if ((!strncmp(p, "vfio-pci.ids=", 13) || !strncmp(p, "vfio_pci.ids=", 13)) &&
		    (p == text || !strchr("-_.", p[-1])) && last != n)
			last = n;
		if (*p == '\n')
			n++;
	}
	free(text);
	if (last)
		snprintf(buf, size, "%s:%u", root_show(path), last);
	else
		snprintf(buf, size, "%s", root_show(path));
}

static void collect_ids(void)
{
	char release[128];
	const struct modprobe_line *last;
	const char *v;
	char *ids;
	struct kcmdline c;
	const struct boot_cmdlines *l = &bootlines;
	struct ids_src *src;
	size_t i, len;

	/* A built-in vfio-pci never reads modprobe.d. */
	if (have_modconf && !(kernel_release(release, sizeof(release)) == 0 &&
			      module_builtin(release, "vfio_pci") == 1) &&
	    (ids = vfio_ids_modprobe(&modconf, &last))) {
		modprobe_src = (long)nsrcs;
		src = ids_src_add(ids);
		snprintf(src->where, sizeof(src->where), "%s:%u", root_show(last->file),
			 last->lineno);
		snprintf(src->what, sizeof(src->what), "ids=%s", ids);
		free(ids);
	}
	if (have_cmdline && kcmdline_get(&cmdline, "vfio_pci.ids", &v) && v) {
		proc_src = (long)nsrcs;
		src = ids_src_add(v);
		snprintf(src->where, sizeof(src->where), "the running kernel's command line");
		snprintf(src->what, sizeof(src->what), "vfio-pci.ids=%s", v);
	}
	for (i = 0; i < l->n; i++) {
		const struct boot_cmdline *b = &l->v[i];

		if (!b->text || (b->kind == BOOT_REFIND && i > 0 && l->v[i - 1].kind == BOOT_REFIND))
			continue;
		if (kcmdline_parse(&c, b->text, strlen(b->text)) < 0)
			err(EXIT_FAIL, "could not allocate memory");
		if (kcmdline_get(&c, "vfio_pci.ids", &v) && v) {
			src = ids_src_add(v);
			len = strcspn(b->source, ":");
			if (b->source[len])	/* rEFInd: already FILE:LINE */
				snprintf(src->where, sizeof(src->where), "%s", root_show(b->source));
			else
				where_in_file(b->source, src->where, sizeof(src->where));
			snprintf(src->what, sizeof(src->what), "vfio-pci.ids=%s", v);
		}
		kcmdline_free(&c);
	}
}

/* The host keeps what is not checked or goes with what is, and the boot VGA card. */
static bool host_keeps(size_t i)
{
	return !chosen[i] || boot_vga_card(&devs, i);
}

static void check_vfio_ids(void)
{
	char cls[128], one[1024] = "", slots[512], slot[PCI_ADDR_LEN];
	size_t k, i, fine = 0, len;
	long last;

	for (k = 0; k < nsrcs; k++) {
		struct ids_src *src = &srcs[k];

		/* What the list is for: the checked cards it takes. */
		*slots = '\0';
		for (i = 0, last = -1; i < devs.n; i++) {
			if (host_keeps(i) || !vfio_ids_match(src->ids, &devs.dev[i]) ||
			    (last >= 0 && pcidev_same_slot(&devs.dev[last], &devs.dev[i])))
				continue;
			last = (long)i;
			len = strlen(slots);
			snprintf(slots + len, sizeof(slots) - len, "%s%s", len ? " " : "",
				 pcidev_slot(&devs, &devs.dev[i], slot));
		}
		for (i = 0; i < devs.n; i++) {
			struct pcidev *d = &devs.dev[i];

			if (pcidev_is_bridge(d) || !host_keeps(i) || !vfio_ids_match(src->ids, d))
				continue;
			if (!chosen[i] && pcidev_read(d, PCIDEV_DRIVER) < 0)
				d->driver[0] = '\0';
			src->costly = true;
			report(FAIL, "vfio-ids", d->name, "%s: '%s' takes every device with ID "
			       "%04x:%04x at boot, this one too (%s, %s), which the host keeps: take "
			       "%04x:%04x out of it and bind the VM's functions by address with "
			       "vfio-bind --persist %s", src->where, src->what, d->vendor, d->device,
			       pcidev_class_name(&devs, d, cls, sizeof(cls)) ? cls : "unknown class",
			       d->driver[0] ? d->driver : "no driver", d->vendor, d->device,
			       *slots ? slots : *vm_slots ? vm_slots : "DEVICE");
		}
		if (!src->costly) {
			len = strlen(one);
			fine++;
			snprintf(one + len, sizeof(one) - len, "%s%s", len ? ", " : "", src->where);
		}
	}
	if (!have_modconf)
		report(WARN, "vfio-ids", NULL, "could not read modprobe.d (the error above): what kmod "
		       "gives vfio-pci at boot is unknown");
	if (!nsrcs && have_modconf)
		report(PASS, "vfio-ids", NULL, "nothing binds devices to vfio-pci by ID at boot "
		       "(no options vfio-pci ids=, no vfio-pci.ids=)");
	else if (*one)
		report(PASS, "vfio-ids", NULL, "%s bind%s no device the host keeps by ID", one,
		       fine == 1 ? "s" : "");
}

/* `options vfio-pci` lines that set what vfio_pci does not have. */
static void check_vfio_options(void)
{
	struct kcmdline c;
	size_t i, j, lines = 0, bad = 0;

	if (!have_modconf)
		return;
	for (i = 0; i < modconf.n; i++) {
		const struct modprobe_line *m = &modconf.v[i];

		if (strcmp(m->cmd, "options") || strcmp(m->module, "vfio_pci"))
			continue;
		lines++;
		if (kcmdline_parse(&c, m->rest, strlen(m->rest)) < 0)
			err(EXIT_FAIL, "could not allocate memory");
		for (j = 0; j < c.n; j++) {
			const struct kparam *p = &c.p[j];
			const char *dot = strchr(p->key, '.');
			char fix[512];

			if (!dot && vfio_pci_param(p->key))
				continue;
			bad++;
			if (dot && dot > p->key && dot[1])
				snprintf(fix, sizeof(fix), "write 'options %.*s %s%s%s' on a line of its "
					 "own", (int)(dot - p->key), p->key, dot + 1, p->val ? "=" : "",
					 p->val ? p->val : "");
			else
				snprintf(fix, sizeof(fix), "take it out (vfio_pci has ids, nointxmask, "
					 "disable_vga, disable_idle_d3, enable_sriov, disable_denylist)");
			report(FAIL, "vfio-options", NULL, "%s:%u: '%s%s%s' is not a parameter of "
			       "vfio_pci: the kernel ignores it (\"vfio_pci: unknown parameter '%s' "
			       "ignored\"); %s", root_show(m->file), m->lineno, p->key, p->val ? "=" : "",
			       p->val ? p->val : "", p->key, fix);
		}
		kcmdline_free(&c);
	}
	if (lines && !bad)
		report(PASS, "vfio-options", NULL, "the options vfio-pci line%s set%s only vfio_pci's "
		       "parameters", lines > 1 ? "s" : "", lines > 1 ? "" : "s");
}

/* Whether something puts M on vfio-pci at boot, and what; *COSTLY: only what takes more. */
static const char *bound_at_boot(const struct pcidev *m, const char **costly)
{
	static char modprobe_how[800], proc_how[] = "vfio-pci.ids= on the kernel command line";
	char path[64], buf[64];
	int fd;
	bool hit;

	*costly = NULL;
	if (vfioconf_find(&persisted, m->name) >= 0)
		return VFIO_MODPROBE_CONF;
	if (modprobe_src >= 0 && vfio_ids_match(srcs[modprobe_src].ids, m)) {
		snprintf(modprobe_how, sizeof(modprobe_how), "options vfio-pci ids= in modprobe.d, "
			 "%s", srcs[modprobe_src].where);
		if (!srcs[modprobe_src].costly)
			return modprobe_how;
		*costly = modprobe_how;
	}
	if (proc_src >= 0 && vfio_ids_match(srcs[proc_src].ids, m)) {
		if (!srcs[proc_src].costly)
			return proc_how;
		*costly = proc_how;
	}
	snprintf(path, sizeof(path), "/etc/driverctl.d/pci-%s", m->name);
	fd = root_open_regular(path);
	if (fd >= 0) {
		buf[0] = '\0';
		hit = read(fd, buf, sizeof(buf) - 1) > 0 && !strncmp(buf, "vfio-pci", 8);
		close(fd);
		if (hit)
			return "a driverctl override";
	}
	return NULL;
}

static void check_boot(const struct pcidev *d, const char *slot)
{
	const char *how = NULL, *h, *cost, *costly = NULL;
	struct strbuf missing = STRBUF_INIT;
	const struct pcidev *m;
	struct mates it;
	bool all_bound = true;
	char used[1024];

	for (mates_init(&it, d); (m = mates_next(&it)); ) {
		if (!devsel_on_vfio(m))
			all_bound = false;
		h = bound_at_boot(m, &cost);
		if (h && !how)
			how = h;
		if (!h && cost && !costly)
			costly = cost;
		if (!h && !cost)
			strbuf_addf(&missing, "%s%s", missing.len ? ", " : "", m->name);
	}
	if (missing.len && host_uses(d, used, sizeof(used)))
		report(WARN, "vfio-at-boot", d->name, "%s: nothing binds %s at boot, and nothing "
		       "should: the host uses %s (host-in-use)", all_bound ? "on vfio-pci now" :
		       "not on vfio-pci", missing.buf, used);
	else if (missing.len)
		report(WARN, "vfio-at-boot", d->name, "%s: nothing binds %s at boot: run vfio-bind "
		       "--persist %s, then initramfs-vfio", all_bound ? "on vfio-pci now" :
		       "not on vfio-pci", missing.buf, slot);
	else if (costly)
		report(WARN, "vfio-at-boot", d->name, "bound to vfio-pci at boot only by %s, which "
		       "takes a device the host keeps too (vfio-ids): vfio-bind --persist %s binds "
		       "by address", costly, slot);
	else
		report(PASS, "vfio-at-boot", d->name, "bound to vfio-pci at boot (%s)", how);
	strbuf_release(&missing);
}

/* AMD GPUs with the reset bug that gnif/vendor-reset works around. */
static bool amd_reset_bug(const struct pcidev *d)
{
	static const unsigned int ranges[][2] = {
		{ 0x67c0, 0x67ff }, { 0x6fdf, 0x6fdf }, { 0x6860, 0x687f }, { 0x66a0, 0x66af },
		{ 0x7310, 0x731f }, { 0x7340, 0x734f }, { 0x7360, 0x7360 }, { 0x7362, 0x7362 },
		{ 0x738c, 0x738c }, { 0x73ff, 0x73ff },
	};
	size_t i;

	if (d->vendor != 0x1002 || !pcidev_is_display(d))
		return false;
	for (i = 0; i < ARRAY_SIZE(ranges); i++)
		if (d->device >= ranges[i][0] && d->device <= ranges[i][1])
			return true;
	return false;
}

static void check_reset(const struct pcidev *d)
{
	if (amd_reset_bug(d)) {
		if (host_module_present("vendor_reset") && !strncmp(d->reset, "device_specific", 15))
			report(PASS, "reset", d->name, "vendor-reset resets it (%s)", d->reset);
		else
			report(WARN, "reset", d->name, "an AMD GPU with the reset bug: it may not come "
			       "back after the VM stops; load vendor-reset early and set "
			       "'device_specific' in its reset_method");
	} else if (!d->has_reset || !d->reset[0]) {
		report(WARN, "reset", d->name, "no reset method: the device cannot be reset between "
		       "VM starts and may work only the first time");
	} else {
		report(PASS, "reset", d->name, "reset methods: %s", d->reset);
	}
}

static void check_boot_vga(const struct pcidev *d)
{
	if (d->boot_vga == 1)
		report(WARN, "boot-vga", d->name, "the boot VGA device: the firmware and the console "
		       "use it and the host may be left without a display; pass the other card, or "
		       "make the other one primary in the firmware setup");
	else
		report(PASS, "boot-vga", d->name, "not the boot VGA device");
}

static void check_shared_ids(const struct pcidev *d)
{
	/* shared: ids= would take the host's device too; handled: bound by address */
	struct strbuf shared = STRBUF_INIT, handled = STRBUF_INIT;
	const struct pcidev *m;
	struct mates it;
	char used[1024];
	long j;

	for (mates_init(&it, d); (m = mates_next(&it)); ) {
		long e = vfioconf_find(&persisted, m->name);
		struct strbuf *list = e >= 0 && persisted.v[e].by_address ? &handled : &shared;

		for (j = by_id.first[m - devs.dev]; j >= 0; j = by_id.next[j]) {
			const struct pcidev *h = &devs.dev[j];

			if (chosen[j])
				continue;
			strbuf_addf(list, "%s%04x:%04x of %s is also %s", list->len ? "; " : "",
				    m->vendor, m->device, m->name, h->name);
		}
	}
	if (shared.len && host_uses(d, used, sizeof(used)))
		report(WARN, "shared-ids", d->name, "%s, which the host keeps: 'options vfio-pci ids=' "
		       "would take both", shared.buf);
	else if (shared.len)
		report(WARN, "shared-ids", d->name, "%s, which the host keeps: 'options vfio-pci ids=' "
		       "would take both; vfio-bind --persist binds by address instead", shared.buf);
	else if (handled.len)
		report(PASS, "shared-ids", d->name, "%s, which the host keeps: bound by address at "
		       "boot, not by ID", handled.buf);
	else
		report(PASS, "shared-ids", d->name, "no device the host keeps has the same IDs");
	strbuf_release(&shared);
	strbuf_release(&handled);
}

static void check_rom(const struct pcidev *d)
{
	char path[64];
	int fd, r;
	struct option_rom rom;

	if (!pcidev_is_display(d))
		return;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/rom", d->name);
	fd = root_open_regular(path);
	if (fd < 0) {
		report(SKIP, "option-rom", d->name, "no option ROM to read");
		return;
	}
	r = option_rom_read(fd, &rom);
	close(fd);
	if (r < 0)
	{
		char q[SHQUOTE_SIZE(sizeof(path) + 4096)];
		const char *w = shquote(root_show(path), q, sizeof(q));

		report(SKIP, "option-rom", d->name, "the ROM reads only once enabled (as root: "
		       "echo 1 > %s, and echo 0 after); passcheck changes nothing", w ? w : "ROM");
	}
	else if (rom.images == 0)
		report(WARN, "option-rom", d->name, "the ROM holds no valid image: the guest "
		       "firmware cannot initialise the card; give the VM a ROM file");
	else if (rom.efi)
		report(PASS, "option-rom", d->name, "the ROM has a UEFI image");
	else
		report(WARN, "option-rom", d->name, "the ROM has no UEFI image (only legacy x86 "
		       "code): OVMF cannot initialise the card; update its firmware or give the "
		       "VM a UEFI ROM file");
}

/* The libvirt domain of --xml. */

static struct domain dom;
static bool have_dom;
static char dom_name[256] = "DOMAIN";
static struct pci_addr *hostdevs;
static size_t nhostdevs;

/* The domain's name as a word of a printed command. */
static const char *dom_word(void)
{
	static char q[SHQUOTE_SIZE(sizeof(dom_name))];

	return shquote(dom_name, q, sizeof(q));
}

static void load_domain(const char *file)
{
	char *path = NULL, *text;
	const char *shown = "standard input";
	size_t len;
	int fd = STDIN_FILENO;

	if (strcmp(file, "-")) {
		path = root_file_arg(file);
		shown = *root_prefix() ? root_show(path) : file;
		fd = root_open(path, O_RDONLY, 0);
		if (fd < 0)
			err(EXIT_FAIL, "could not open '%s'", shown);
	}
	text = fd_read_all(fd, ROOT_FILE_MAX, &len);
	if (!text)
		err(EXIT_FAIL, "could not read '%s'", shown);
	if (fd != STDIN_FILENO)
		close(fd);
	if (domain_parse(&dom, text, len, shown) < 0)
		exit(EXIT_FAIL);
	have_dom = true;
	domain_child_text(dom.root, "name", dom_name, sizeof(dom_name));
	nhostdevs = domain_hostdev_pci(&dom, NULL, 0);
	hostdevs = xcalloc(nhostdevs, sizeof(*hostdevs));
	domain_hostdev_pci(&dom, hostdevs, nhostdevs);
	free(text);
	free(path);
}

static void check_domain(void)
{
	char vendor[DOMXML_VENDOR_ID_MAX + 1];

	if (domain_kvm_hidden(&dom))
		report(PASS, "xml-kvm-hidden", NULL, "domain %s hides KVM", dom_name);
	else
		report(WARN, "xml-kvm-hidden", NULL, "domain %s does not hide KVM: GPU drivers that "
		       "refuse to run in a VM (NVIDIA before R465: code 43) will not start; "
		       "virtxml-hide hides it", dom_name);
	if (domain_vendor_id(&dom, vendor, sizeof(vendor)))
		report(PASS, "xml-vendor-id", NULL, "domain %s sets the Hyper-V vendor_id '%s'",
		       dom_name, vendor);
	else if (domain_hyperv_mode(&dom) == HYPERV_PASSTHROUGH)
		report(SKIP, "xml-vendor-id", NULL, "domain %s has <hyperv mode='passthrough'>, which "
		       "takes no vendor_id", dom_name);
	else
		report(WARN, "xml-vendor-id", NULL, "domain %s sets no Hyper-V vendor_id: the guest "
		       "sees KVM's; virtxml-hide sets one", dom_name);
}

static void check_hostdev(const struct pcidev *d)
{
	char list[2048] = "", cmds[2048] = "", slot[PCI_ADDR_LEN];
	const struct pcidev *m;
	struct mates it;
	size_t k, n = 0;

	for (mates_init(&it, d); (m = mates_next(&it)); ) {
		size_t len;

		n++;
		for (k = 0; k < nhostdevs; k++)
			if (pci_addr_equal(&hostdevs[k], &m->addr))
				break;
		if (k < nhostdevs)
			continue;
		pcidev_slot(&devs, m, slot);
		len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "", m->name);
		len = strlen(cmds);
		snprintf(cmds + len, sizeof(cmds) - len, "%svirt-xml %s --add-device --hostdev %s",
			 len ? "; " : "", dom_word(), slot);
	}
	if (*list)
		report(FAIL, "xml-hostdev", d->name, "domain %s lacks %s (a VM takes every function "
		       "of the device and its IOMMU group): %s", dom_name, list, cmds);
	else
		report(PASS, "xml-hostdev", d->name, "domain %s has %s%zu function%s", dom_name,
		       n > 1 ? "all " : "", n, n > 1 ? "s" : "");
}

/* The initramfs images in /boot, and whether what they must carry changed after them. */

struct newest {
	char path[600];
	struct timespec mtime;
};

static void newer(struct newest *n, const char *path)
{
	struct stat st;

	if (root_stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	if (!*n->path || st.st_mtim.tv_sec > n->mtime.tv_sec ||
	    (st.st_mtim.tv_sec == n->mtime.tv_sec && st.st_mtim.tv_nsec > n->mtime.tv_nsec)) {
		snprintf(n->path, sizeof(n->path), "%s", path);
		n->mtime = st.st_mtim;
	}
}

/* The newest *.conf in DIR. */
static void newer_in(struct newest *n, const char *dir)
{
	struct strlist names = STRLIST_INIT;
	struct strbuf path = STRBUF_INIT;
	size_t i;

	dir_list(dir, ".conf", 0, &names);
	for (i = 0; i < names.n; i++) {
		strbuf_setlen(&path, 0);
		strbuf_addf(&path, "%s/%s", dir, names.v[i]);
		newer(n, path.buf);
	}
	strbuf_release(&path);
	strlist_free(&names);
}

/*
 * Which generator made /boot/NAME: -1 when it is no initramfs image.  Of
 * two that name their images alike (mkinitcpio and dracut), the first
 * installed, else the first.
 */
static int image_gen(const char *name)
{
	size_t len = strlen(name);
	int g, first = -1;

	for (g = 0; g < GEN_COUNT; g++) {
		const struct generator *gen = initramfs_generator(g);
		size_t pl = strlen(gen->image_prefix), sl = strlen(gen->image_suffix);

		if (len <= pl + sl || strncmp(name, gen->image_prefix, pl) ||
		    strcmp(name + len - sl, gen->image_suffix))
			continue;
		if (initramfs_gen_program(g))
			return g;
		if (first < 0)
			first = g;
	}
	return first;
}

/* The newest of the files generator G reads. */
static void gen_config_newest(int g, struct newest *n)
{
	const struct generator *gen = initramfs_generator(g);
	const char *const *p;

	for (p = gen->files; *p; p++)
		newer(n, *p);
	for (p = gen->dirs; *p; p++)
		newer_in(n, *p);
}

/* The commands that rebuild G's images, "; " between them; the generator's name for none. */
static void regen_command(int g, struct strbuf *sb)
{
	struct initramfs_cmds cmds = INITRAMFS_CMDS_INIT;
	size_t i, j;

	initramfs_regen_commands(g, &cmds);
	for (i = 0; i < cmds.n; i++)
		for (j = 0; cmds.v[i].argv[j]; j++)
			strbuf_addf(sb, "%s%s", i || j ? (j ? " " : "; ") : "", cmds.v[i].argv[j]);
	initramfs_cmds_free(&cmds);
	if (!sb->len)
		strbuf_addstr(sb, initramfs_gen_name(g));
}

static void check_initramfs(void)
{
	struct newest modprobe = { "", { 0, 0 } };
	struct strbuf images = STRBUF_INIT;
	struct strlist names = STRLIST_INIT;
	char img[600];
	struct stat st;
	size_t i, fresh = 0;

	/* The modprobe.d files that configure vfio-pci. */
	for (i = 0; have_modconf && i < modconf.n; i++) {
		const struct modprobe_line *m = &modconf.v[i];

		if (!strcmp(m->module, "vfio_pci") ||
		    (!strcmp(m->cmd, "softdep") && modprobe_softdep_pre(&modconf, m->module, "vfio_pci")))
			newer(&modprobe, m->file);
	}
	if (dir_list("/boot", NULL, DIRLIST_HIDDEN, &names) < 0)
		return;
	for (i = 0; i < names.n; i++) {
		struct newest n = modprobe;
		int g = image_gen(names.v[i]);

		if (g < 0)
			continue;
		snprintf(img, sizeof(img), "/boot/%s", names.v[i]);
		if (root_stat(img, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		gen_config_newest(g, &n);
		if (*n.path && (n.mtime.tv_sec > st.st_mtim.tv_sec ||
				(n.mtime.tv_sec == st.st_mtim.tv_sec &&
				 n.mtime.tv_nsec > st.st_mtim.tv_nsec))) {
			struct strbuf cmd = STRBUF_INIT, what = STRBUF_INIT;

			regen_command(g, &cmd);
			strbuf_addstr(&what, root_show(n.path));
			report(FAIL, "initramfs-stale", NULL, "'%s' is older than '%s': the next boot "
			       "runs the old configuration from the image; run %s", root_show(img),
			       what.buf, cmd.buf);
			strbuf_release(&what);
			strbuf_release(&cmd);
			continue;
		}
		fresh++;
		strbuf_addf(&images, "%s'%s'", images.len ? ", " : "", root_show(img));
	}
	strlist_free(&names);
	if (fresh)
		report(PASS, "initramfs-stale", NULL, "%s %s newer than the vfio-pci configuration in "
		       "modprobe.d and the generator's", images.buf, fresh > 1 ? "are" : "is");
	strbuf_release(&images);
}

/* Hostdevs of the domain at addresses where this host has no device. */
static void check_hostdev_missing(void)
{
	char addr[PCI_ADDR_LEN];
	size_t k, n = 0;

	for (k = 0; k < nhostdevs; k++) {
		if (pcidevs_find(&devs, &hostdevs[k]) >= 0)
			continue;
		n++;
		pci_addr_format(&hostdevs[k], addr);
		report(FAIL, "xml-hostdev-missing", addr, "domain %s passes %s, where this host has "
		       "no PCI device: the VM does not start; take it out (virt-xml %s "
		       "--remove-device --hostdev %s) or give the address of the device now", dom_name,
		       addr, dom_word(), addr);
	}
	if (nhostdevs && !n)
		report(PASS, "xml-hostdev-missing", NULL, "every <hostdev> of domain %s is a device "
		       "of this host", dom_name);
}

static void check_device(const struct pcidev *d)
{
	char slot[PCI_ADDR_LEN];

	pcidev_slot(&devs, d, slot);
	check_group(d);
	check_in_use(d);
	check_driver(d, slot);
	check_boot(d, slot);
	check_boot_vga(d);
	check_reset(d);
	check_shared_ids(d);
	check_rom(d);
	if (have_dom)
		check_hostdev(d);
}

static void check_no_device(void)
{
	size_t i;

	for (i = 0; i < devs.n; i++)
		if (pcidev_is_display(&devs.dev[i]))
			break;
	if (i < devs.n)
		report(SKIP, "devices", NULL, "no display controller besides the boot VGA device "
		       "(%s): name the device to check", devs.dev[i].name);
	else
		report(SKIP, "devices", NULL, "no display controller at all%s: name the device to "
		       "check", devs.n ? "" : " (no PCI device)");
}

/* The devices the arguments name; every display controller but the boot VGA without any. */
static size_t pick(char **args, size_t nargs, bool *want)
{
	size_t i, k, n = 0;

	for (k = 0; k < nargs; k++)
		n += devsel_pick(&devs, args[k], DEVSEL_EVERY, want);
	if (nargs)
		return n;
	for (i = 0; i < devs.n; i++)
		if (pcidev_is_display(&devs.dev[i]) && devs.dev[i].boot_vga != 1) {
			want[i] = true;
			n++;
		}
	return n;
}

static void load_boot_config(void)
{
	size_t len;
	char *text;
	const char *why;

	have_modconf = modprobe_conf_load(&modconf) == 0;
	text = root_read_file(VFIO_MODPROBE_CONF, &len);
	if (text && vfioconf_parse(text, &persisted, &why) < 0)
		warnx("could not parse '%s': %s", root_show(VFIO_MODPROBE_CONF), why);
	free(text);
}

int main(int argc, char **argv)
{
	const char *root = NULL, *xml = NULL;
	bool json = false, *want;
	size_t i, n;
	int c;

	prog_init();
	while ((c = getopt_long(argc, argv, ":qJhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'q':
			quiet = true;
			break;
		case 'J':
			json = true;
			break;
		case OPT_XML:
			if (!*optarg)
				usage_error("empty file name for --xml");
			xml = optarg;
			break;
		case OPT_ROOT:
			root = optarg;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_bad_option(c, argv, longopts);
		}
	}
	if (root_init(root) < 0)
		err(EXIT_FAIL, "could not open root directory '%s'", root);
	if (xml)
		load_domain(xml);
	/* Drivers and reset methods only for the devices checked and their mates. */
	if (pcidevs_scan(&devs, PCIDEV_BOOT_VGA) < 0)
		return EXIT_FAIL;
	want = calloc(devs.n ? devs.n : 1, sizeof(*want));
	chosen = calloc(devs.n ? devs.n : 1, sizeof(*chosen));
	/* Whether a host bridge is left out depends on its driver. */
	for (i = 0; i < devs.n; i++)
		if (devs.dev[i].class >> 8 == 0x0600 && pcidev_read(&devs.dev[i], PCIDEV_DRIVER) < 0)
			err(EXIT_FAIL, "could not read '%s/%s'", root_show("/sys/bus/pci/devices"),
			    devs.dev[i].name);
	if (!want || !chosen)
		err(EXIT_FAIL, "could not allocate memory");
	devsel_init(&sel, &devs);
	pcidev_chain_init(&by_id, &devs, PCIDEV_BY_ID);
	n = pick(argv + optind, (size_t)(argc - optind), want);
	devsel_take(&sel, want, chosen);
	for (i = 0; i < devs.n; i++)
		if ((chosen[i] || want[i]) &&
		    pcidev_read(&devs.dev[i], PCIDEV_DRIVER | (want[i] ? PCIDEV_RESET : 0)) < 0)
			err(EXIT_FAIL, "could not read '%s/%s'", root_show("/sys/bus/pci/devices"),
			    devs.dev[i].name);

	if (hostuse_scan(&inuse, &devs) < 0)
		err(EXIT_FAIL, "could not allocate memory");
	for (i = 0; i < devs.n; i++) {
		char slot[PCI_ADDR_LEN];
		size_t len = strlen(vm_slots);

		if (want[i])
			snprintf(vm_slots + len, sizeof(vm_slots) - len, "%s%s", len ? " " : "",
				 pcidev_slot(&devs, &devs.dev[i], slot));
	}

	host_iommu_read(&host);
	have_cmdline = proc_cmdline_read(&cmdline) == 0;
	load_boot_config();
	if (boot_cmdlines_read(&bootlines) < 0)
		err(EXIT_FAIL, "could not allocate memory");
	collect_ids();

	out_init(&out, stdout, json);
	out_object_begin(&out, NULL);
	out_array_begin(&out, "checks");
	check_cpu();
	check_iommu();
	check_cmdline();
	check_boot_cmdline();
	check_vfio();
	check_vfio_options();
	check_vfio_ids();
	check_initramfs();
	if (have_dom) {
		check_domain();
		check_hostdev_missing();
	}
	if (!n)
		check_no_device();
	for (i = 0; i < devs.n; i++)
		if (want[i])
			check_device(&devs.dev[i]);
	out_array_end(&out);
	out_uint(&out, "pass", NULL, counts[PASS]);
	out_uint(&out, "warn", NULL, counts[WARN]);
	out_uint(&out, "fail", NULL, counts[FAIL]);
	out_uint(&out, "skip", NULL, counts[SKIP]);
	out_object_end(&out);
	out_finish(&out);

	free(want);
	free(chosen);
	hostuse_free(&inuse);
	devsel_free(&sel);
	pcidev_chain_free(&by_id);
	free(hostdevs);
	for (i = 0; i < nsrcs; i++)
		free(srcs[i].ids);
	free(srcs);
	if (have_dom)
		domain_free(&dom);
	vfioconf_free(&persisted);
	if (have_modconf)
		modprobe_conf_free(&modconf);
	boot_cmdlines_free(&bootlines);
	kcmdline_free(&cmdline);
	pcidevs_free(&devs);
	return counts[FAIL] ? EXIT_FAIL : EXIT_OK;
}
