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

#include "bootcmdline.h"
#include "domxml.h"
#include "hostiommu.h"
#include "hostuse.h"
#include "kmodules.h"
#include "modprobe.h"
#include "optionrom.h"
#include "output.h"
#include "pcidev.h"
#include "procmdline.h"
#include "prog.h"
#include "root.h"
#include "vfioconf.h"
#include "vfiopaths.h"

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
	       "  -q, --quiet         print only what did not pass\n"
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
	if (vasprintf(&msg, fmt, ap) < 0)
		err(EXIT_FAIL, "could not allocate memory");
	va_end(ap);
	counts[s]++;
	if (out.json) {
		out_object_begin(&out, NULL);
		out_string(&out, "status", NULL, status_name[s]);
		out_string(&out, "check", NULL, id);
		out_string(&out, "device", NULL, device);
		out_string(&out, "message", NULL, msg);
		out_object_end(&out);
	} else if (!quiet || s != PASS) {
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
	return host.cpu == HOST_CPU_AMD ? "iommu=pt" : "intel_iommu=on";
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
		off = have_cmdline ? proc_cmdline_iommu_off(&cmdline) : NULL;
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
	amd_on = kcmdline_get(&cmdline, "amd_iommu", &v) && v && !strcmp(v, "on");
	if ((off = proc_cmdline_iommu_off(&cmdline)))
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

	for (i = 0; i < sizeof(boot_keys) / sizeof(boot_keys[0]); i++) {
		const char *want = NULL, *have = NULL, *k = boot_keys[i];
		bool w = kcmdline_get(line, k, &want), h = kcmdline_get(&cmdline, k, &have);
		size_t n;

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
	struct boot_cmdlines l;
	char sources[1024] = "", regen[512];
	size_t i, n, nsources = 0;
	bool differ = false;

	if (!have_cmdline) {
		report(SKIP, "boot-cmdline", NULL, "could not read '%s'", root_show("/proc/cmdline"));
		return;
	}
	if (boot_cmdlines_read(&l) < 0)
		err(EXIT_FAIL, "could not allocate memory");
	if (l.n == 0)
		report(SKIP, "boot-cmdline", NULL, "no boot configuration found (GRUB, BLS entries, "
		       "/etc/kernel/cmdline, refind_linux.conf)");
	for (i = 0; i < l.n; i++) {
		const struct boot_cmdline *b = &l.v[i];
		struct kcmdline c;
		char set[512] = "", unset[512] = "";

		/* rEFInd boots the first line unless told otherwise at the menu. */
		if (b->kind == BOOT_REFIND && i > 0 && l.v[i - 1].kind == BOOT_REFIND)
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
	boot_cmdlines_free(&l);
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
static struct pcidev_chain by_group, by_id;
static bool *chosen;		/* the devices to check, and their groups' members */
static struct modprobe_conf modconf;
static bool have_modconf;
static struct vfio_persist persisted;
static struct hostuse inuse;

static bool on_vfio(const struct pcidev *d)
{
	return !strcmp(d->driver, "vfio-pci") || !strcmp(d->driver, "pci-stub");
}

/*
 * The functions that go to the VM with a device: its card's and its
 * group's, bridges left out, in address order: the card's functions (next
 * to each other in devs) merged with the group's chain.
 */
struct mates {
	long slot, slot_end, grp;
};

static void mates_init(struct mates *it, const struct pcidev *d)
{
	long i = d - devs.dev;

	it->slot = it->slot_end = i;
	while (it->slot > 0 && pcidev_same_slot(&devs.dev[it->slot - 1], d))
		it->slot--;
	while ((size_t)it->slot_end < devs.n && pcidev_same_slot(&devs.dev[it->slot_end], d))
		it->slot_end++;
	it->grp = by_group.first[i];
}

static const struct pcidev *mates_next(struct mates *it)
{
	long i;

	do {
		if (it->slot < it->slot_end && (it->grp < 0 || it->slot <= it->grp)) {
			i = it->slot++;
			if (it->grp == i)
				it->grp = by_group.next[i];
		} else if (it->grp >= 0) {
			i = it->grp;
			it->grp = by_group.next[i];
		} else {
			return NULL;
		}
	} while (pcidev_left_out(&devs.dev[i]));
	return &devs.dev[i];
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
	char list[4096] = "", one[256];
	const struct pcidev *m;
	struct mates it;
	size_t n = 0;

	if (d->group < 0) {
		report(FAIL, "group-isolated", d->name, "in no IOMMU group: the IOMMU is off "
		       "(iommu-enabled)");
		return;
	}
	for (mates_init(&it, d); (m = mates_next(&it)); ) {
		if (m->group != d->group || pcidev_same_slot(d, m))
			continue;
		if (n++ && strlen(list) + 2 < sizeof(list))
			strcat(list, ", ");
		if (strlen(list) + strlen(what(m, one, sizeof(one))) < sizeof(list))
			strcat(list, one);
	}
	if (!n)
		report(PASS, "group-isolated", d->name, "group %ld holds only this device's functions "
		       "and bridges", d->group);
	else
		report(FAIL, "group-isolated", d->name, "group %ld also holds %s: all of them would "
		       "go to the VM; try another slot (one wired to the CPU) or another board",
		       d->group, list);
}

/*
 * The functions going with D that the host uses, as "0000:04:00.0" each
 * (", " between) in NAMES; how many.
 */
static size_t host_uses(const struct pcidev *d, char *names, size_t size)
{
	const struct pcidev *m;
	struct mates it;
	size_t n = 0, k;

	*names = '\0';
	for (mates_init(&it, d); (m = mates_next(&it)); ) {
		if (!hostuse_find(&inuse, m, &k))
			continue;
		if (strlen(names) + strlen(m->name) + 3 < size) {
			if (n)
				strcat(names, ", ");
			strcat(names, m->name);
		}
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
	size_t n, k, total = 0, failed = 0;

	for (mates_init(&it, d); (m = mates_next(&it)); ) {
		total++;
		if (!(u = hostuse_find(&inuse, m, &n)))
			continue;
		*why = '\0';
		for (k = 0; k < n; k++)
			if (strlen(why) + strlen(u[k].text) + 3 < sizeof(why)) {
				if (k)
					strcat(why, "; ");
				strcat(why, u[k].text);
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
	char list[4096] = "", one[128], used[1024];
	const struct pcidev *m;
	struct mates it;
	size_t n = 0, total = 0;

	for (mates_init(&it, d); (m = mates_next(&it)); ) {
		total++;
		if (on_vfio(m))
			continue;
		snprintf(one, sizeof(one), "%s%s on %s", n++ ? ", " : "", m->name,
			 m->driver[0] ? m->driver : "no driver");
		if (strlen(list) + strlen(one) < sizeof(list))
			strcat(list, one);
	}
	if (!n)
		report(PASS, "vfio-driver", d->name, "%zu function%s on vfio-pci", total,
		       total == 1 ? "" : "s");
	else if (host_uses(d, used, sizeof(used)))
		report(FAIL, "vfio-driver", d->name, "%s: the host uses %s (host-in-use): "
		       "binding would take from the host what it needs", list, used);
	else
		report(FAIL, "vfio-driver", d->name, "%s: run vfio-bind %s", list, slot);
}

/* Whether something puts M on vfio-pci at boot, and what. */
static const char *bound_at_boot(const struct pcidev *m)
{
	char id[16], path[64], buf[64];
	char *opts;
	const char *v;
	int fd;
	bool hit;

	if (vfioconf_find(&persisted, m->name) >= 0)
		return VFIO_MODPROBE_CONF;
	snprintf(id, sizeof(id), "%04x:%04x", m->vendor, m->device);
	if (have_modconf && (opts = modprobe_options(&modconf, "vfio_pci"))) {
		hit = param_list_has(opts, "ids", id);
		free(opts);
		if (hit)
			return "options vfio-pci ids= in modprobe.d";
	}
	if (have_cmdline && kcmdline_get(&cmdline, "vfio-pci.ids", &v) && v &&
	    param_list_has(v, NULL, id))
		return "vfio-pci.ids= on the kernel command line";
	snprintf(path, sizeof(path), "/etc/driverctl.d/pci-%s", m->name);
	fd = root_open(path, O_RDONLY, 0);
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
	const char *how = NULL, *h;
	char missing[2048] = "", used[1024];
	const struct pcidev *m;
	struct mates it;
	bool all_bound = true;

	for (mates_init(&it, d); (m = mates_next(&it)); ) {
		if (!on_vfio(m))
			all_bound = false;
		h = bound_at_boot(m);
		if (h && !how)
			how = h;
		if (!h && strlen(missing) + strlen(m->name) + 3 < sizeof(missing)) {
			if (*missing)
				strcat(missing, ", ");
			strcat(missing, m->name);
		}
	}
	if (!*missing)
		report(PASS, "vfio-at-boot", d->name, "bound to vfio-pci at boot (%s)", how);
	else if (host_uses(d, used, sizeof(used)))
		report(WARN, "vfio-at-boot", d->name, "%s: nothing binds %s at boot, and nothing "
		       "should: the host uses %s (host-in-use)", all_bound ? "on vfio-pci now" :
		       "not on vfio-pci", missing, used);
	else
		report(WARN, "vfio-at-boot", d->name, "%s: nothing binds %s at boot: run vfio-bind "
		       "--persist %s, then initramfs-vfio", all_bound ? "on vfio-pci now" :
		       "not on vfio-pci", missing, slot);
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
	for (i = 0; i < sizeof(ranges) / sizeof(*ranges); i++)
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
	char shared[2048] = "", handled[2048] = "", one[128], used[1024];
	const struct pcidev *m;
	struct mates it;
	long j;

	for (mates_init(&it, d); (m = mates_next(&it)); ) {
		long e = vfioconf_find(&persisted, m->name);
		char *list = e >= 0 && persisted.v[e].by_address ? handled : shared;

		for (j = by_id.first[m - devs.dev]; j >= 0; j = by_id.next[j]) {
			const struct pcidev *h = &devs.dev[j];

			if (chosen[j])
				continue;
			snprintf(one, sizeof(one), "%s%04x:%04x of %s is also %s", *list ? "; " : "",
				 m->vendor, m->device, m->name, h->name);
			if (strlen(list) + strlen(one) < sizeof(handled))
				strcat(list, one);
		}
	}
	if (*shared && host_uses(d, used, sizeof(used)))
		report(WARN, "shared-ids", d->name, "%s, which the host keeps: 'options vfio-pci ids=' "
		       "would take both", shared);
	else if (*shared)
		report(WARN, "shared-ids", d->name, "%s, which the host keeps: 'options vfio-pci ids=' "
		       "would take both; vfio-bind --persist binds by address instead", shared);
	else if (*handled)
		report(PASS, "shared-ids", d->name, "%s, which the host keeps: bound by address at "
		       "boot, not by ID", handled);
	else
		report(PASS, "shared-ids", d->name, "no device the host keeps has the same IDs");
}

static void check_rom(const struct pcidev *d)
{
	char path[64];
	int fd, r;
	struct option_rom rom;

	if (!pcidev_is_display(d))
		return;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/rom", d->name);
	fd = root_open(path, O_RDONLY, 0);
	if (fd < 0) {
		report(SKIP, "option-rom", d->name, "no option ROM to read");
		return;
	}
	r = option_rom_read(fd, &rom);
	close(fd);
	if (r < 0)
		report(SKIP, "option-rom", d->name, "the ROM reads only once enabled (as root: "
		       "echo 1 > %s, and echo 0 after); passcheck changes nothing", root_show(path));
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

static struct domxml dom;
static bool have_dom;
static char dom_name[256] = "DOMAIN";
static struct pci_addr *hostdevs;
static size_t nhostdevs;

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
	if (domxml_parse(&dom, text, len, shown) < 0)
		exit(EXIT_FAIL);
	have_dom = true;
	domxml_child_text(dom.root, "name", dom_name, sizeof(dom_name));
	nhostdevs = domxml_hostdev_pci(&dom, NULL, 0);
	hostdevs = calloc(nhostdevs ? nhostdevs : 1, sizeof(*hostdevs));
	if (!hostdevs)
		err(EXIT_FAIL, "could not allocate memory");
	domxml_hostdev_pci(&dom, hostdevs, nhostdevs);
	free(text);
	free(path);
}

static void check_domain(void)
{
	char vendor[DOMXML_VENDOR_ID_MAX + 1];

	if (domxml_kvm_hidden(&dom))
		report(PASS, "xml-kvm-hidden", NULL, "domain %s hides KVM", dom_name);
	else
		report(WARN, "xml-kvm-hidden", NULL, "domain %s does not hide KVM: GPU drivers that "
		       "refuse to run in a VM (NVIDIA before R465: code 43) will not start; "
		       "virtxml-hide hides it", dom_name);
	if (domxml_vendor_id(&dom, vendor, sizeof(vendor)))
		report(PASS, "xml-vendor-id", NULL, "domain %s sets the Hyper-V vendor_id '%s'",
		       dom_name, vendor);
	else if (domxml_hyperv_mode(&dom) == HYPERV_PASSTHROUGH)
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
			 len ? "; " : "", dom_name, slot);
	}
	if (*list)
		report(FAIL, "xml-hostdev", d->name, "domain %s lacks %s (a VM takes every function "
		       "of the device and its IOMMU group): %s", dom_name, list, cmds);
	else
		report(PASS, "xml-hostdev", d->name, "domain %s has %s%zu function%s", dom_name,
		       n > 1 ? "all " : "", n, n > 1 ? "s" : "");
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

/* The devices the arguments name; every display controller but the boot VGA without any. */
static size_t pick(char **args, size_t nargs, bool *want)
{
	struct pci_addr a;
	struct pci_id id;
	const char *why;
	size_t i, k, n = 0;
	long f;

	for (k = 0; k < nargs; k++) {
		if (pci_addr_parse(args[k], &a, &why) == 0) {
			f = pcidevs_find(&devs, &a);
			if (f < 0)
				errx(EXIT_FAIL, "no PCI device at '%s' in '%s'", args[k],
				     root_show("/sys/bus/pci/devices"));
			n += !want[f];
			want[f] = true;
			continue;
		}
		if (strchr(args[k], '.') || strchr(args[k], '/') || pci_id_parse(args[k], &id, &why) < 0)
			usage_error("invalid device '%s': expected [domain:]bus:slot.func or "
				    "vendor:device", args[k]);
		f = -1;
		for (i = 0; i < devs.n; i++)
			if (devs.dev[i].vendor == id.vendor && devs.dev[i].device == id.device) {
				n += !want[i];
				want[i] = true;
				f = (long)i;
			}
		if (f < 0)
			errx(EXIT_FAIL, "no PCI device with ID '%s'", args[k]);
	}
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
	if (!want || !chosen || pcidev_chain_init(&by_group, &devs, PCIDEV_BY_GROUP) < 0 ||
	    pcidev_chain_init(&by_id, &devs, PCIDEV_BY_ID) < 0)
		err(EXIT_FAIL, "could not allocate memory");
	n = pick(argv + optind, (size_t)(argc - optind), want);
	for (i = 0; i < devs.n; i++) {
		const struct pcidev *m;
		struct mates it;

		if (!want[i])
			continue;
		for (mates_init(&it, &devs.dev[i]); (m = mates_next(&it)); )
			chosen[m - devs.dev] = true;
	}
	for (i = 0; i < devs.n; i++)
		if ((chosen[i] || want[i]) &&
		    pcidev_read(&devs.dev[i], PCIDEV_DRIVER | (want[i] ? PCIDEV_RESET : 0)) < 0)
			err(EXIT_FAIL, "could not read '%s/%s'", root_show("/sys/bus/pci/devices"),
			    devs.dev[i].name);

	if (hostuse_scan(&inuse, &devs) < 0)
		err(EXIT_FAIL, "could not allocate memory");
	host_iommu_read(&host);
	have_cmdline = proc_cmdline_read(&cmdline) == 0;
	load_boot_config();

	out_init(&out, stdout, json);
	out_object_begin(&out, NULL);
	out_array_begin(&out, "checks");
	check_cpu();
	check_iommu();
	check_cmdline();
	check_boot_cmdline();
	check_vfio();
	if (have_dom)
		check_domain();
	if (!n)
		report(SKIP, "devices", NULL, "no display controller besides the boot VGA device: "
		       "name the device to check");
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
	pcidev_chain_free(&by_group);
	pcidev_chain_free(&by_id);
	free(hostdevs);
	if (have_dom)
		domxml_free(&dom);
	vfioconf_free(&persisted);
	if (have_modconf)
		modprobe_conf_free(&modconf);
	kcmdline_free(&cmdline);
	pcidevs_free(&devs);
	return counts[FAIL] ? EXIT_FAIL : EXIT_OK;
}
