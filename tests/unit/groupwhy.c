/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IOMMU grouping engine on sysfs trees made here, config space byte
 * by byte, for what the captured fixtures lack: ACS with controls off,
 * hard-wired controls, the kernel's quirks, DMA aliases, a PCIe-to-PCI
 * bridge, switches, a function in D3cold, config space cut at 64 and at
 * 256 bytes, pcie_acs_override=, and a card below a port.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pci/groupwhy.h"
#include "base/prog.h"
#include "base/root.h"
#include "tap.h"

#define NONE -1
#define SV ACS_SV
#define RR ACS_RR
#define CR ACS_CR
#define UF ACS_UF
#define ALL (SV | RR | CR | UF)

struct tdev {
	const char *bdf;	/* "00:1c.0" */
	int parent;		/* index of the bridge above; -1 on the root bus */
	unsigned int vendor, device, class;
	int type;		/* PCIE_*, NONE: conventional PCI */
	int cap, ctrl;		/* ACS capability and control; cap NONE: no ACS */
	bool multi;		/* header type bit 7 */
	int size;		/* bytes of config space; 0: 4096 with Express, else 256 */
	const char *power;	/* power_state, or NULL */
	bool fifo;		/* config is a FIFO: a read would block */
	int ctrl8;		/* the dword after control (Sunrise Point's); NONE: as ctrl */
};

static char top[4096];
static int serial;

/* A path made from FMT, exiting when it does not fit. */
static void fmt(char *buf, size_t size, const char *f, ...) __attribute__((format(printf, 3, 4)));

static void fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, size, f, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		printf("# a path too long\n");
		exit(1);
	}
}

static void put(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		printf("# could not write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void putf(const char *dir, const char *name, const char *s)
{
	char p[8192];

	fmt(p, sizeof(p), "%s/%s", dir, name);
	put(p, s, strlen(s));
}

static void mkdirs(const char *path)
{
	char p[8192], *c;

	fmt(p, sizeof(p), "%s", path);
	for (c = p + 1; *c; c++)
		if (*c == '/') {
			*c = '\0';
			mkdir(p, 0755);
			*c = '/';
		}
	mkdir(p, 0755);
}

static void config(const struct tdev *d, uint8_t *cfg)
{
	memset(cfg, 0, 4096);
	cfg[0] = d->vendor & 0xff;
	cfg[1] = d->vendor >> 8;
	cfg[2] = d->device & 0xff;
	cfg[3] = d->device >> 8;
	cfg[9] = d->class & 0xff;
	cfg[10] = d->class >> 8 & 0xff;
	cfg[11] = d->class >> 16 & 0xff;
	cfg[14] = (d->class >> 8 == 0x0604) | (d->multi ? 0x80 : 0);
	if (d->type == NONE)
		return;
	cfg[6] = 0x10;			/* a capability list */
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x10;		/* PCI Express, the last */
	cfg[0x42] = (uint8_t)(d->type << 4 | 2);
	if (d->cap == NONE)
		return;
	cfg[0x100] = 0x0d;		/* ACS, version 1, the last */
	cfg[0x102] = 0x01;
	cfg[0x104] = (uint8_t)d->cap;
	cfg[0x106] = (uint8_t)d->ctrl;
	cfg[0x108] = (uint8_t)(d->ctrl8 == NONE ? d->ctrl : d->ctrl8);
}

/* A fresh root with the devices, CMDLINE and, when ivrs, an AMD IOMMU table. */
static void tree(const struct tdev *devs, size_t n, const char *cmdline, bool ivrs)
{
	char dir[8192], p[8192], link[8192];
	static char paths[32][1024];
	uint8_t cfg[4096];
	size_t i;

	fmt(top, sizeof(top), "%s/vfio-groupwhy.%d.%d",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid(), serial++);
	mkdirs(top);
	fmt(p, sizeof(p), "%s/sys/bus/pci/devices", top);
	mkdirs(p);
	fmt(p, sizeof(p), "%s/proc", top);
	mkdirs(p);
	putf(p, "cmdline", cmdline ? cmdline : "BOOT_IMAGE=/vmlinuz root=/dev/sda1\n");
	if (ivrs) {
		fmt(p, sizeof(p), "%s/sys/firmware/acpi/tables", top);
		mkdirs(p);
		putf(p, "IVRS", "");
	}
	for (i = 0; i < n; i++) {
		const struct tdev *d = &devs[i];
		char name[32], val[64];
		size_t size = d->size ? (size_t)d->size : d->type == NONE ? 256 : 4096;

		fmt(name, sizeof(name), "0000:%s", d->bdf);
		if (d->parent < 0)
			fmt(paths[i], sizeof(paths[i]), "devices/pci0000:00/%s", name);
		else
			fmt(paths[i], sizeof(paths[i]), "%s/%s", paths[d->parent], name);
		fmt(dir, sizeof(dir), "%s/sys/%s", top, paths[i]);
		mkdirs(dir);
		fmt(val, sizeof(val), "0x%04x\n", d->vendor);
		putf(dir, "vendor", val);
		fmt(val, sizeof(val), "0x%04x\n", d->device);
		putf(dir, "device", val);
		fmt(val, sizeof(val), "0x%06x\n", d->class);
		putf(dir, "class", val);
		putf(dir, "revision", "0x00\n");
		putf(dir, "irq", "0\n");
		putf(dir, "subsystem_vendor", "0x0000\n");
		putf(dir, "subsystem_device", "0x0000\n");
		putf(dir, "resource", "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
		if (d->power)
			putf(dir, "power_state", d->power);
		fmt(p, sizeof(p), "%s/config", dir);
		if (d->fifo) {
			mkfifo(p, 0644);
		} else {
			config(d, cfg);
			put(p, cfg, size);
		}
		fmt(p, sizeof(p), "%s/sys/bus/pci/devices/%s", top, name);
		fmt(link, sizeof(link), "../../../%s", paths[i]);
		if (symlink(link, p) < 0)
			printf("# symlink %s: %s\n", p, strerror(errno));
	}
	if (root_init(top) < 0)
		exit(1);
}

struct run {
	struct pcidevs l;
	struct groupwhy w;
};

static void run(struct run *r, const struct tdev *devs, size_t n, const char *cmdline,
		bool ivrs)
{
	tree(devs, n, cmdline, ivrs);
	if (pcidevs_scan(&r->l, 0) < 0 || groupwhy_build(&r->w, &r->l) < 0)
		exit(1);
}

static void done(struct run *r)
{
	char cmd[8192];

	groupwhy_free(&r->w);
	pcidevs_free(&r->l);
	fmt(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", top);
}

static long dev(const struct run *r, const char *bdf)
{
	char name[32];
	size_t i;

	fmt(name, sizeof(name), "0000:%s", bdf);
	for (i = 0; i < r->l.n; i++)
		if (!strcmp(r->l.dev[i].name, name))
			return (long)i;
	printf("# no device %s\n", bdf);
	exit(1);
}

static bool same(const struct run *r, const char *a, const char *b)
{
	return groupwhy_same(&r->w, (size_t)dev(r, a), (size_t)dev(r, b));
}

/* The reason of BDF's group with RULE, or NULL. */
static const struct why_reason *reason(const struct run *r, const char *bdf, enum why_rule rule)
{
	const struct why_reason *x;
	size_t n, k;

	x = groupwhy_reasons(&r->w, (size_t)dev(r, bdf), &n);
	for (k = 0; k < n; k++)
		if (x[k].rule == rule)
			return &x[k];
	return NULL;
}

static const char *text(const struct run *r, const char *bdf, enum why_rule rule)
{
	const struct why_reason *x = reason(r, bdf, rule);

	return x ? x->text : NULL;
}

#define HOST(bdf) { bdf, -1, 0x8086, 0x29c0, 0x060000, NONE, NONE, 0, false, 0, NULL, false, NONE }
#define PORT(bdf, parent, vendor, device, type, cap, ctrl) \
	{ bdf, parent, vendor, device, 0x060400, type, cap, ctrl, false, 0, NULL, false, NONE }
#define EP(bdf, parent, vendor, device, type, cap, ctrl, multi) \
	{ bdf, parent, vendor, device, 0x020000, type, cap, ctrl, multi, 0, NULL, false, NONE }

static void acs_off(void)
{
	const struct tdev t[] = {
		HOST("00:00.0"),
		PORT("00:1c.0", -1, 0x1b36, 0x000c, PCIE_ROOT_PORT, ALL, SV | UF),
		EP("01:00.0", 1, 0x8086, 0x10d3, PCIE_ENDPOINT, NONE, 0, false),
		PORT("00:1c.1", -1, 0x1b36, 0x000c, PCIE_ROOT_PORT, SV | RR | CR, SV | RR | CR),
		EP("02:00.0", 3, 0x8086, 0x10d3, PCIE_ENDPOINT, NONE, 0, false),
	};
	struct run r;
	const struct why_reason *x;

	run(&r, t, 5, NULL, false);
	ok(same(&r, "00:1c.0", "01:00.0"), "acs-off: the endpoint joins its root port's group");
	x = reason(&r, "01:00.0", WHY_ACS_OFF);
	ok(x && x->lacks == (RR | CR) && !x->no_acs, "acs-off: RR and CR are what it lacks");
	is_str(text(&r, "01:00.0", WHY_ACS_OFF),
	       "root port with ACS but RR CR not enabled at 0000:00:1c.0", "acs-off: its text");
	ok(!same(&r, "00:1c.1", "02:00.0"),
	   "a control missing from the capability (UF) is hard-wired on: own group");
	is_str(text(&r, "02:00.0", WHY_ISOLATED), "isolated", "... and nothing else is said");
	ok(!groupwhy_unsure(&r.w, (size_t)dev(&r, "01:00.0")), "acs-off: all was read");
	done(&r);
}

static void no_acs_switch(void)
{
	const struct tdev t[] = {
		PORT("00:01.0", -1, 0x8086, 0x1901, PCIE_ROOT_PORT, NONE, 0),
		PORT("01:00.0", 0, 0x1002, 0x1478, PCIE_UPSTREAM, NONE, 0),
		PORT("02:00.0", 1, 0x1002, 0x1479, PCIE_DOWNSTREAM, ALL, ALL),
		EP("03:00.0", 2, 0x1002, 0x73df, PCIE_ENDPOINT, NONE, 0, false),
		PORT("00:1b.0", -1, 0x8086, 0x06c0, PCIE_ROOT_PORT, ALL, ALL),
		PORT("04:00.0", 4, 0x10b5, 0x8747, PCIE_UPSTREAM, NONE, 0),
		PORT("05:00.0", 5, 0x10b5, 0x8747, PCIE_DOWNSTREAM, NONE, 0),
		PORT("05:01.0", 5, 0x10b5, 0x8747, PCIE_DOWNSTREAM, ALL, ALL),
		EP("06:00.0", 6, 0x8086, 0x10d3, PCIE_ENDPOINT, NONE, 0, false),
		EP("07:00.0", 7, 0x8086, 0x10d3, PCIE_ENDPOINT, NONE, 0, false),
	};
	struct run r;
	struct why_reason p;

	run(&r, t, 10, NULL, false);
	ok(same(&r, "00:01.0", "01:00.0") && same(&r, "01:00.0", "02:00.0") &&
	   same(&r, "02:00.0", "03:00.0"),
	   "no-acs: a switch below a root port without ACS is one group with it");
	is_str(text(&r, "03:00.0", WHY_NO_ACS), "root port without ACS at 0000:00:01.0",
	       "no-acs: isolation stops at the root port, not at the switch's ports with ACS");
	ok(!same(&r, "00:1b.0", "04:00.0") && !same(&r, "04:00.0", "05:00.0"),
	   "switch: its upstream port and downstream ports below a root port with ACS are apart");
	ok(same(&r, "05:00.0", "06:00.0"), "switch: a downstream port without ACS takes what is below");
	is_str(text(&r, "06:00.0", WHY_NO_ACS), "switch downstream port without ACS at 0000:05:00.0",
	       "switch: its text");
	ok(!same(&r, "05:01.0", "07:00.0") && !same(&r, "05:00.0", "05:01.0"),
	   "switch: a downstream port with ACS isolates its card");
	ok(groupwhy_port(&r.w, (size_t)dev(&r, "05:01.0"), &p) && p.rule == WHY_ISOLATED,
	   "port: a card below a downstream port with ACS gets its own group");
	ok(!groupwhy_port(&r.w, (size_t)dev(&r, "05:00.0"), &p) && p.rule == WHY_NO_ACS &&
	   p.at == dev(&r, "05:00.0"), "port: below one without, it does not, and why");
	ok(!groupwhy_port(&r.w, (size_t)dev(&r, "02:00.0"), &p) && p.at == dev(&r, "00:01.0"),
	   "port: below the first switch it stops at the root port");
	done(&r);
}

static void quirks(void)
{
	struct tdev t[] = {
		PORT("00:1c.0", -1, 0x8086, 0x8c10, PCIE_ROOT_PORT, NONE, 0),	/* Lynxpoint-H */
		EP("01:00.0", 0, 0x10de, 0x1b80, PCIE_ENDPOINT, NONE, 0, false),
		PORT("00:1c.4", -1, 0x8086, 0xa114, PCIE_ROOT_PORT, ALL, 0),	/* Sunrise Point */
		EP("02:00.0", 2, 0x10de, 0x1b80, PCIE_ENDPOINT, NONE, 0, false),
		PORT("00:1d.0", -1, 0x8086, 0x9d18, PCIE_ROOT_PORT, NONE, 0),	/* SPT, no ACS at all */
		EP("03:00.0", 4, 0x10de, 0x1b80, PCIE_ENDPOINT, NONE, 0, false),
		EP("00:19.0", -1, 0x8086, 0x10c9, PCIE_ENDPOINT, NONE, 0, true),	/* 82576 */
		EP("00:19.1", -1, 0x8086, 0x10c9, PCIE_ENDPOINT, NONE, 0, true),
		EP("00:1f.0", -1, 0x8086, 0x1234, PCIE_RC_END, NONE, 0, true),
		EP("00:1f.1", -1, 0x8086, 0x1235, PCIE_RC_END, NONE, 0, true),
	};
	struct tdev u[2] = {
		EP("00:1e.0", -1, 0x8086, 0x10d3, PCIE_ENDPOINT, NONE, 0, true),
		EP("00:1e.1", -1, 0x8086, 0x10d3, PCIE_ENDPOINT, NONE, 0, true),
	};
	struct run r;
	struct why_reason p;

	/* Sunrise Point: the word where control should be is 0, the dword after has it */
	t[2].ctrl8 = ALL;
	run(&r, t, 10, NULL, false);
	ok(!same(&r, "00:1c.0", "01:00.0"), "quirk: an Intel PCH root port without ACS isolates");
	is_str(text(&r, "01:00.0", WHY_QUIRK),
	       "isolated by a kernel quirk (Intel PCH root port, Linux 6.1) at 0000:00:1c.0",
	       "quirk: the group says which and from which kernel");
	ok(!same(&r, "00:1c.4", "02:00.0"),
	   "quirk: Sunrise Point's control read a dword further on, where it is on");
	ok(reason(&r, "02:00.0", WHY_QUIRK) != NULL, "quirk: ... and named");
	ok(same(&r, "00:1d.0", "03:00.0"), "quirk: the Sunrise Point quirk needs the ACS capability");
	ok(!same(&r, "00:19.0", "00:19.1"), "quirk: 82576 functions are apart without ACS");
	ok(reason(&r, "00:19.0", WHY_QUIRK) != NULL, "quirk: the multifunction quirk is named");
	ok(!same(&r, "00:1f.0", "00:1f.1"), "quirk: Intel root complex integrated endpoints are apart");
	ok(groupwhy_port(&r.w, (size_t)dev(&r, "00:1c.0"), &p) && p.rule == WHY_QUIRK,
	   "port: a quirked root port isolates a card, by its quirk");
	done(&r);

	u[0].vendor = u[1].vendor = 0x10ec;
	run(&r, u, 2, NULL, false);
	ok(same(&r, "00:1e.0", "00:1e.1"), "without a quirk, functions without ACS share");
	is_str(text(&r, "00:1e.1", WHY_MULTIFUNCTION), "multifunction device without ACS at 0000:00:1e.0",
	       "multifunction: at the slot's first function");
	done(&r);
	u[0].cap = u[1].cap = ALL;
	u[0].ctrl = u[1].ctrl = RR;
	run(&r, u, 2, NULL, false);
	is_str(text(&r, "00:1e.1", WHY_MULTIFUNCTION),
	       "multifunction device with ACS but SV CR UF not enabled at 0000:00:1e.0",
	       "multifunction: with ACS, what is off");
	done(&r);
	u[0].ctrl = u[1].ctrl = ALL;
	run(&r, u, 2, NULL, false);
	ok(!same(&r, "00:1e.0", "00:1e.1"), "multifunction: with ACS on, each function apart");
	done(&r);
}

static void amd_southbridge(void)
{
	const struct tdev t[] = {
		EP("00:14.0", -1, 0x1002, 0x4385, NONE, NONE, 0, true),
		EP("00:14.1", -1, 0x1002, 0x439c, NONE, NONE, 0, true),
	};
	struct run r;

	run(&r, t, 2, NULL, true);
	ok(!same(&r, "00:14.0", "00:14.1"), "quirk: AMD southbridge functions apart with an AMD IOMMU");
	done(&r);
	run(&r, t, 2, NULL, false);
	ok(same(&r, "00:14.0", "00:14.1"), "quirk: ... and together without an IVRS table");
	done(&r);
}

static void aliases(void)
{
	const struct tdev t[] = {
		PORT("00:1c.0", -1, 0x1b36, 0x000c, PCIE_ROOT_PORT, ALL, ALL),
		/* Marvell 88SE9123: function 0 DMAs as function 1 */
		EP("01:00.0", 0, 0x1b4b, 0x9123, PCIE_ENDPOINT, ALL, ALL, true),
		EP("01:00.1", 0, 0x1b4b, 0x91a4, PCIE_ENDPOINT, ALL, ALL, true),
		PORT("00:1c.1", -1, 0x1b36, 0x000c, PCIE_ROOT_PORT, ALL, ALL),
		PORT("02:00.0", 3, 0x104c, 0x8240, PCIE_PCI_BRIDGE, NONE, 0),
		EP("03:00.0", 4, 0x1000, 0x0030, NONE, NONE, 0, false),
		EP("03:01.0", 4, 0x1000, 0x0030, NONE, NONE, 0, false),
	};
	struct run r;
	const struct why_reason *x;

	run(&r, t, 7, NULL, false);
	ok(same(&r, "01:00.0", "01:00.1"), "dma-alias: a function and its alias share a group");
	x = reason(&r, "01:00.1", WHY_DMA_ALIAS);
	ok(x && x->at == dev(&r, "01:00.0") && x->other == dev(&r, "01:00.1"),
	   "dma-alias: at the function whose quirk it is, naming the alias");
	is_str(x ? x->text : NULL, "DMA alias 0000:01:00.1 at 0000:01:00.0", "dma-alias: its text");
	ok(same(&r, "02:00.0", "03:00.0") && same(&r, "03:00.0", "03:01.0"),
	   "pcie-to-pci: the bridge and everything below it are one group");
	is_str(text(&r, "03:01.0", WHY_PCIE_TO_PCI), "behind a PCIe-to-PCI bridge at 0000:02:00.0",
	       "pcie-to-pci: its text");
	ok(!same(&r, "00:1c.1", "02:00.0"), "pcie-to-pci: the root port with ACS stays apart");
	done(&r);
}

static void unreadable(void)
{
	struct tdev t[] = {
		PORT("00:1c.0", -1, 0x1b36, 0x000c, PCIE_ROOT_PORT, ALL, ALL),
		EP("01:00.0", 0, 0x10de, 0x1b80, PCIE_ENDPOINT, ALL, ALL, true),
		EP("01:00.1", 0, 0x10de, 0x10f0, PCIE_ENDPOINT, NONE, 0, true),
		PORT("00:1d.0", -1, 0x1b36, 0x000c, PCIE_ROOT_PORT, ALL, ALL),
		EP("02:00.0", 3, 0x10de, 0x1b80, PCIE_ENDPOINT, NONE, 0, false),
		PORT("00:1e.0", -1, 0x1b36, 0x000c, PCIE_ROOT_PORT, ALL, ALL),
		EP("03:00.0", 5, 0x10de, 0x1b80, PCIE_ENDPOINT, NONE, 0, false),
		PORT("00:1f.0", -1, 0x1b36, 0x000c, PCIE_ROOT_PORT, ALL, ALL),
		EP("04:00.0", 7, 0x10de, 0x1b80, PCIE_ENDPOINT, NONE, 0, false),
	};
	struct run r;

	t[1].power = "D3cold\n";
	t[1].fifo = true;
	t[3].size = 256;
	t[5].size = 64;
	t[8].power = "D3cold\n";
	t[8].fifo = true;
	run(&r, t, 9, NULL, false);
	is_str(text(&r, "01:00.0", WHY_UNREADABLE),
	       "config space not read at 0000:01:00.0: in D3cold: not read, a read would wake it",
	       "D3cold: power_state first, config space not opened");
	ok(groupwhy_unsure(&r.w, (size_t)dev(&r, "01:00.0")) && same(&r, "01:00.0", "01:00.1"),
	   "D3cold: the group is unsure, its functions taken as one");
	ok(reason(&r, "04:00.0", WHY_UNREADABLE) == NULL && reason(&r, "04:00.0", WHY_ISOLATED),
	   "D3cold: a function alone in its slot needs nothing read");
	is_str(text(&r, "02:00.0", WHY_UNREADABLE),
	       "config space not read at 0000:00:1d.0: only 256 bytes of config space: no extended capabilities",
	       "256 bytes: an Express port's ACS cannot be read");
	ok(same(&r, "00:1d.0", "02:00.0"), "256 bytes: taken as no isolation");
	is_str(text(&r, "03:00.0", WHY_UNREADABLE),
	       "config space not read at 0000:00:1e.0: config space past 64 bytes is readable by root only",
	       "64 bytes: what the kernel gives a reader without CAP_SYS_ADMIN");
	done(&r);
}

static void override(void)
{
	const struct tdev t[] = {
		PORT("00:01.0", -1, 0x1022, 0x1483, PCIE_ROOT_PORT, NONE, 0),
		EP("01:00.0", 0, 0x10de, 0x1b80, PCIE_ENDPOINT, NONE, 0, false),
		PORT("00:02.0", -1, 0x1022, 0x1483, PCIE_ROOT_PORT, ALL, SV),
		EP("02:00.0", 2, 0x10de, 0x1b80, PCIE_ENDPOINT, NONE, 0, false),
		EP("00:08.0", -1, 0x1022, 0x1234, PCIE_ENDPOINT, NONE, 0, true),
		EP("00:08.1", -1, 0x1022, 0x1235, PCIE_ENDPOINT, NONE, 0, true),
	};
	struct run r;

	run(&r, t, 6, "quiet pcie_acs_override=downstream,multifunction\n", false);
	ok(!same(&r, "00:01.0", "01:00.0") && !same(&r, "00:08.0", "00:08.1"),
	   "override: downstream and multifunction split what lacks ACS");
	is_str(text(&r, "01:00.0", WHY_ACS_OVERRIDE),
	       "exists only because of pcie_acs_override=downstream,multifunction: in hardware not "
	       "isolated from 0000:00:01.0", "override: named, with the hardware group's others");
	ok(reason(&r, "00:01.0", WHY_ACS_OVERRIDE) != NULL, "override: on both groups it splits");
	ok(same(&r, "00:02.0", "02:00.0"), "override: never for a port with an ACS capability");
	ok(r.w.hwset[dev(&r, "01:00.0")] == r.w.hwset[dev(&r, "00:01.0")],
	   "override: the hardware's prediction is kept beside");
	done(&r);
	run(&r, t, 6, "pcie_acs_override=id:1022:1483\n", false);
	ok(!same(&r, "00:01.0", "01:00.0") && same(&r, "00:08.0", "00:08.1"),
	   "override: id: the port with that ID only");
	done(&r);
	run(&r, t, 6, "pcie_acs_override=downstream \"pcie_acs_override=id:1022:1483\" "
	    "-- pcie_acs_override=multifunction\n", false);
	is_str(r.w.override, "id:1022:1483",
	       "override: the last one before \"--\", its quotes taken off, as the kernel reads it");
	done(&r);
}

int main(void)
{
	prog_init();
	acs_off();
	no_acs_switch();
	quirks();
	amd_southbridge();
	aliases();
	unreadable();
	override();
	return tap_done();
}
