/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mksysroot: build a fixture sysroot from a machine description, laid out
 * as the kernel lays out sysfs, so that lspci, the classic script and the
 * tools read it as they would read the real machine.
 *
 *	mksysroot [-i PCI.IDS] SPEC DIR
 *
 * DIR must not exist.  With -i, DIR/usr/share/misc/pci.ids is PCI.IDS cut
 * down to the vendors, devices, subsystems and classes the machine has.
 *
 * SPEC, one statement a line, '#' starts a comment:
 *
 *	kernel RELEASE			/proc/sys/kernel/osrelease
 *	cpu VENDOR CORES FLAG... -- MODEL	/proc/cpuinfo
 *	cmdline TEXT...			/proc/cmdline
 *	iommu intel|amd|intel-off|amd-off|none
 *		intel/amd: ACPI table, /sys/class/iommu entry, groups;
 *		*-off: the table but no IOMMU in the kernel; none: neither
 *	module NAME [builtin]		/sys/module/NAME, or modules.builtin
 *	driver NAME [module=MOD]	a registered driver without devices
 *	dev ADDR class=CCSSPP id=VVVV:DDDD [sub=VVVV:DDDD] [rev=RR]
 *	    [group=N] [driver=NAME [module=MOD]] [boot_vga=0|1]
 *	    [reset=M,M] [sec=BUS] [override=DRIVER]
 *	    [pcie=TYPE [acs=CAP:CTRL]]
 *	    [vfs=N vf_id=DDDD vf_group=N [vf_offset=O] [vf_stride=S]
 *	     [vf_driver=NAME [vf_module=MOD]]]
 *
 *	block NAME MAJ:MIN [dev=ADDR [via=PATH] | part=DISK] [dm=NAME]
 *	    [holders=NAME,NAME]
 *		/sys/class/block/NAME: a disk below function ADDR (at
 *		ADDR/PATH/NAME, PATH "block" unless given, e.g. nvme/nvme0),
 *		a partition of block DISK, or else a virtual device (dm, md);
 *		dm= its dm/name, holders= what is stacked on it
 *	net NAME [dev=ADDR [via=PATH]] [master=NAME]
 *		/sys/class/net/NAME: an interface below function ADDR (at
 *		ADDR/PATH/net/NAME), or else a virtual one (a bridge, lo);
 *		master= the bridge or bond it is enslaved to
 *	mountinfo LINE			a line of /proc/self/mountinfo
 *	swap LINE			a line of /proc/swaps below its header
 *	route FIELD...			a line of /proc/net/route: the fields
 *		joined by tabs and padded as the kernel pads them
 *	ipv6_route LINE			a line of /proc/net/ipv6_route
 *	tcp LINE, tcp6 LINE		a line of /proc/net/tcp or tcp6; its
 *		"sl:" right-aligned as the kernel does, below the header
 *	if_inet6 LINE			a line of /proc/net/if_inet6
 *	slot NAME DOMAIN:BUS[:SLOT]	/sys/bus/pci/slots/NAME: a physical
 *		slot, its address as the kernel prints it (without SLOT for a
 *		slot whose number the firmware does not give)
 *
 *	node ADDR CLASS PATH MAJ:MIN [name=DEVNAME]
 *		a device node below function ADDR: ADDR/CLASS/PATH with its
 *		dev and uevent (DEVNAME dri/NAME for drm, snd/NAME for sound,
 *		NAME for graphics, unless given), /sys/class/CLASS/NAME linked
 *		to it (NAME the last component of PATH)
 *	proc PID COMM [cgroup=PATH] [state=S]
 *		/proc/PID: comm, cmdline, stat (its start time PID * 100),
 *		cgroup (0::PATH, /user.slice unless given), maps, fd/
 *	fd PID N TARGET			/proc/PID/fd/N, a link to TARGET
 *	maps PID LINE			a line of /proc/PID/maps
 *
 * LINE is as the kernel prints it, copied from a real machine; the
 * headers are the kernel's.  A /proc file is written when a statement
 * gives it a line.
 *
 * pcie= makes a PCI Express function, with 4096 bytes of config space and
 * its Express capability of TYPE: endpoint, legacy, root, upstream,
 * downstream, pci-bridge (PCIe to PCI), pcie-bridge (PCI to PCIe), rciep
 * or rcec; acs= gives it an ACS extended capability, its capability and
 * control registers in hex (lspci -vvv's ACSCap and ACSCtl).  Without
 * pcie= a function is conventional PCI, with 256 bytes and no capability.
 *
 * A bridge (class 0604) names its secondary bus with sec=; a device on
 * that bus is its child.  A device on a bus no bridge leads to sits on a
 * root bus.  vfs= adds SR-IOV virtual functions after the physical one,
 * each in a group of its own from vf_group= on.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct dev {
	unsigned dom, bus, slot, func;
	unsigned cls;			/* class << 8 | prog-if */
	unsigned vendor, device, subven, subdev, rev;
	long group;			/* -1: none */
	char driver[64], module[64], override[64];
	int boot_vga;			/* -1: not a VGA device */
	char reset[64];
	int sec;			/* bridges: secondary bus, else -1 */
	int sub;			/* bridges: subordinate bus */
	int parent;			/* index of the upstream bridge, -1 root */
	int physfn;			/* VFs: index of the PF, else -1 */
	int pcie;			/* Express device/port type, -1: conventional */
	int acs_cap, acs_ctrl;		/* ACS registers, -1: no ACS capability */
	int nvfs;
	char path[1024];		/* under sys/devices */
};

static struct dev *devs;
static size_t ndevs, capdevs;
static const char *root;
static char kernel[128] = "6.1.0-26-amd64";
static char cmdline[4096];
static char cpu_vendor[64], cpu_model[256], cpu_flags[1024];
static int cpu_cores = 4;
static enum { IOMMU_NONE, IOMMU_INTEL, IOMMU_AMD, IOMMU_INTEL_OFF, IOMMU_AMD_OFF } iommu;
static char **modules, **builtins, **drivers;
static size_t nmodules, nbuiltins, ndrivers;

/* Block devices and interfaces, written once the devices' paths are known. */
struct blockdev {
	char name[64], dev[32], via[256], part[64], dm[128], holders[512];
	unsigned major, minor;
};
struct netdev {
	char name[32], dev[32], via[256], master[32];
};
static struct blockdev *blocks;
static size_t nblocks;
static struct netdev *nets;
static size_t nnets;
struct physslot {
	char name[64];
	unsigned dom, bus;
	int slot;			/* -1: no slot number */
};
static struct physslot *pslots;
static size_t npslots;

/* Device nodes below functions, and processes. */
struct chardev {
	char dev[32], cls[32], path[256], name[128];
	unsigned major, minor;
};
struct process {
	long pid;
	char comm[64], cgroup[256], state;
	char **maps;			/* its lines */
	size_t nmaps;
	char **fds;			/* "N TARGET" */
	size_t nfds;
};
static struct chardev *chardevs;
static size_t nchardevs;
static struct process *processes;
static size_t nprocesses;

/* The /proc files of the host's use, line by line. */
enum { P_MOUNTINFO, P_SWAPS, P_ROUTE, P_IPV6_ROUTE, P_TCP, P_TCP6, P_IF_INET6, NPROC };
static const struct {
	const char *kw, *file, *header;
} procs[NPROC] = {
	{ "mountinfo", "proc/self/mountinfo", NULL },
	{ "swap", "proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n" },
	{ "route", "proc/net/route", NULL },
	{ "ipv6_route", "proc/net/ipv6_route", NULL },
	{ "tcp", "proc/net/tcp", NULL },
	{ "tcp6", "proc/net/tcp6", "  sl  local_address                         "
	  "remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   "
	  "uid  timeout inode\n" },
	{ "if_inet6", "proc/net/if_inet6", NULL },
};
static char *proc_text[NPROC];
static size_t proc_len[NPROC];
static FILE *proc_out[NPROC];

static const char *spec_file;
static unsigned spec_line;

static void __attribute__((format(printf, 1, 2), noreturn)) bad(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mksysroot: %s:%u: ", spec_file, spec_line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		err(1, "strdup");
	return p;
}

static void push(char ***v, size_t *n, const char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return;
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	if (!*v)
		err(1, "realloc");
	(*v)[(*n)++] = xstrdup(s);
}

static struct dev *new_dev(void)
{
	struct dev *d;

	if (ndevs == capdevs) {
		capdevs = capdevs ? 2 * capdevs : 64;
		devs = realloc(devs, capdevs * sizeof(*devs));
		if (!devs)
			err(1, "realloc");
	}
	d = &devs[ndevs++];
	memset(d, 0, sizeof(*d));
	d->group = -1;
	d->boot_vga = -1;
	d->sec = -1;
	d->parent = -1;
	d->physfn = -1;
	d->pcie = -1;
	d->acs_cap = d->acs_ctrl = -1;
	return d;
}

/* Files and links, all relative to the root. */

static void mkdirs(const char *rel)
{
	char p[PATH_MAX];
	char *s;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			err(1, "mkdir %s", p);
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		err(1, "mkdir %s", p);
}

static void parent_dirs(const char *rel)
{
	char p[PATH_MAX];
	char *s;

	snprintf(p, sizeof(p), "%s", rel);
	s = strrchr(p, '/');
	if (s) {
		*s = '\0';
		mkdirs(p);
	}
}

/* Every file 0644: what a git checkout of the fixture gives back. */
static void write_bytes(const char *rel, const void *buf, size_t len)
{
	char p[PATH_MAX];
	int fd;

	parent_dirs(rel);
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd) < 0)
		err(1, "write %s", p);
}

static void __attribute__((format(printf, 2, 3))) put(const char *rel, const char *fmt, ...)
{
	char *s;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		err(1, "vasprintf");
	write_bytes(rel, s, (size_t)n);
	free(s);
}

/* LINE and a newline at the end of REL. */
static void append(const char *rel, const char *line)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "a");
	if (!f || fprintf(f, "%s\n", line) < 0 || fclose(f) == EOF)
		err(1, "write %s", p);
}

/* A symlink at FROM pointing to TO, relative as the kernel makes them. */
static void link_rel(const char *from, const char *to)
{
	char target[PATH_MAX] = "", p[PATH_MAX];
	const char *a = from, *b = to, *s;
	size_t common = 0, i;

	/* the longest common directory prefix */
	for (i = 0; a[i] && a[i] == b[i]; i++)
		if (a[i] == '/')
			common = i + 1;
	for (s = from + common; (s = strchr(s, '/')); s++)
		strcat(target, "../");
	strcat(target, to + common);
	parent_dirs(from);
	snprintf(p, sizeof(p), "%s/%s", root, from);
	if (symlink(target, p) < 0)
		err(1, "symlink %s", p);
}

static void bdf(const struct dev *d, char *buf, size_t size)
{
	snprintf(buf, size, "%04x:%02x:%02x.%u", d->dom, d->bus, d->slot, d->func);
}

/* Parsing. */

static unsigned hex(const char *key, const char *s, unsigned max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 16);
	if (errno || end == s || *end || v > max)
		bad("bad %s '%s'", key, s);
	return (unsigned)v;
}

static long dec(const char *key, const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		bad("bad %s '%s'", key, s);
	return v;
}

static void id_pair(const char *key, const char *s, unsigned *a, unsigned *b)
{
	char buf[32], *colon;

	snprintf(buf, sizeof(buf), "%s", s);
	colon = strchr(buf, ':');
	if (!colon)
		bad("bad %s '%s'", key, s);
	*colon = '\0';
	*a = hex(key, buf, 0xffff);
	*b = hex(key, colon + 1, 0xffff);
}

static void address(const char *s, struct dev *d)
{
	unsigned dom = 0, bus, slot, func;
	int n = 0;

	if (sscanf(s, "%x:%x:%x.%u%n", &dom, &bus, &slot, &func, &n) == 4 && !s[n])
		;
	else if (dom = 0, n = 0, sscanf(s, "%x:%x.%u%n", &bus, &slot, &func, &n) == 3 && !s[n])
		;
	else
		bad("bad address '%s'", s);
	if (bus > 0xff || slot > 0x1f || func > 7)
		bad("bad address '%s'", s);
	d->dom = dom;
	d->bus = bus;
	d->slot = slot;
	d->func = func;
}

static void copy(char *dst, size_t size, const char *key, const char *v)
{
	if (strlen(v) >= size)
		bad("%s too long", key);
	strcpy(dst, v);
}

struct vfspec {
	unsigned n, id, offset, stride;
	long group;
	char driver[64], module[64];
};

static void add_vfs(size_t pf, const struct vfspec *vf)
{
	unsigned i, devfn, bus;

	for (i = 0; i < vf->n; i++) {
		struct dev *d = new_dev();
		const struct dev *p = &devs[pf];

		devfn = (p->slot << 3 | p->func) + vf->offset + i * vf->stride;
		bus = p->bus + devfn / 256;
		devfn %= 256;
		if (bus > 0xff)
			bad("virtual functions past bus ff");
		d->dom = p->dom;
		d->bus = bus;
		d->slot = devfn >> 3;
		d->func = devfn & 7;
		d->cls = p->cls;
		d->vendor = p->vendor;
		d->device = vf->id;
		d->subven = p->subven;
		d->subdev = p->subdev;
		d->rev = p->rev;
		d->group = vf->group < 0 ? -1 : vf->group + i;
		d->pcie = p->pcie;
		strcpy(d->driver, vf->driver);
		strcpy(d->module, vf->module);
		d->physfn = (int)pf;
	}
	devs[pf].nvfs = (int)vf->n;
}

/* The Express capability's device/port types (PCIe base spec 7.5.3.2). */
static const char *const pcie_types[] = {
	[0x0] = "endpoint", [0x1] = "legacy", [0x4] = "root", [0x5] = "upstream",
	[0x6] = "downstream", [0x7] = "pci-bridge", [0x8] = "pcie-bridge",
	[0x9] = "rciep", [0xa] = "rcec",
};

static int pcie_type(const char *v)
{
	int t;

	for (t = 0; t < (int)(sizeof(pcie_types) / sizeof(pcie_types[0])); t++)
		if (pcie_types[t] && !strcmp(pcie_types[t], v))
			return t;
	bad("unknown pcie= type '%s'", v);
	return -1;
}

static void parse_dev(char *args)
{
	struct dev *d = new_dev();
	size_t self = ndevs - 1;
	struct vfspec vf = { .offset = 0, .stride = 1, .group = -1 };
	bool have_class = false, have_id = false, have_offset = false;
	char *tok, *eq;

	tok = strtok(args, " \t");
	if (!tok)
		bad("dev without an address");
	address(tok, d);
	while ((tok = strtok(NULL, " \t"))) {
		eq = strchr(tok, '=');
		if (!eq)
			bad("expected key=value, got '%s'", tok);
		*eq++ = '\0';
		if (!strcmp(tok, "class")) {
			if (strlen(eq) != 6)
				bad("class is six hex digits: class, subclass, prog-if");
			d->cls = hex(tok, eq, 0xffffff);
			have_class = true;
		} else if (!strcmp(tok, "id")) {
			id_pair(tok, eq, &d->vendor, &d->device);
			have_id = true;
		} else if (!strcmp(tok, "sub")) {
			id_pair(tok, eq, &d->subven, &d->subdev);
		} else if (!strcmp(tok, "rev")) {
			d->rev = hex(tok, eq, 0xff);
		} else if (!strcmp(tok, "group")) {
			d->group = dec(tok, eq);
		} else if (!strcmp(tok, "driver")) {
			copy(d->driver, sizeof(d->driver), tok, eq);
		} else if (!strcmp(tok, "module")) {
			copy(d->module, sizeof(d->module), tok, eq);
		} else if (!strcmp(tok, "override")) {
			copy(d->override, sizeof(d->override), tok, eq);
		} else if (!strcmp(tok, "boot_vga")) {
			d->boot_vga = (int)dec(tok, eq);
		} else if (!strcmp(tok, "reset")) {
			copy(d->reset, sizeof(d->reset), tok, eq);
		} else if (!strcmp(tok, "sec")) {
			d->sec = (int)hex(tok, eq, 0xff);
		} else if (!strcmp(tok, "pcie")) {
			d->pcie = pcie_type(eq);
		} else if (!strcmp(tok, "acs")) {
			char *colon = strchr(eq, ':');

			if (!colon)
				bad("acs= is CAP:CTRL, in hex");
			*colon++ = '\0';
			d->acs_cap = (int)hex(tok, eq, 0xffff);
			d->acs_ctrl = (int)hex(tok, colon, 0xffff);
		} else if (!strcmp(tok, "vfs")) {
			vf.n = (unsigned)dec(tok, eq);
		} else if (!strcmp(tok, "vf_id")) {
			vf.id = hex(tok, eq, 0xffff);
		} else if (!strcmp(tok, "vf_group")) {
			vf.group = dec(tok, eq);
		} else if (!strcmp(tok, "vf_offset")) {
			vf.offset = (unsigned)dec(tok, eq);
			have_offset = true;
		} else if (!strcmp(tok, "vf_stride")) {
			vf.stride = (unsigned)dec(tok, eq);
		} else if (!strcmp(tok, "vf_driver")) {
			copy(vf.driver, sizeof(vf.driver), tok, eq);
		} else if (!strcmp(tok, "vf_module")) {
			copy(vf.module, sizeof(vf.module), tok, eq);
		} else {
			bad("unknown key '%s'", tok);
		}
	}
	if (!have_class || !have_id)
		bad("dev needs class= and id=");
	if (d->acs_cap >= 0 && d->pcie < 0)
		bad("acs= needs pcie=");
	if ((d->cls >> 8) == 0x0604 && d->sec < 0)
		bad("a PCI bridge needs sec=");
	if ((d->cls >> 8) == 0x0300 && d->boot_vga < 0)
		d->boot_vga = 0;
	if (*d->module && !*d->driver)
		bad("module= without driver=");
	if (vf.n) {
		if (!vf.id)
			bad("vfs= needs vf_id=");
		if (!have_offset)
			vf.offset = 1;
		add_vfs(self, &vf);
	}
}

static void parse_slot(char *args)
{
	struct physslot *p;
	char *name = strtok(args, " \t"), *addr = strtok(NULL, " \t");
	int n = 0;

	if (!name || !addr || strtok(NULL, " \t") || strchr(name, '/'))
		bad("slot NAME DOMAIN:BUS[:SLOT]");
	pslots = realloc(pslots, (npslots + 1) * sizeof(*pslots));
	if (!pslots)
		err(1, "realloc");
	p = &pslots[npslots++];
	copy(p->name, sizeof(p->name), "slot", name);
	p->slot = -1;
	if (sscanf(addr, "%x:%x%n", &p->dom, &p->bus, &n) != 2 || p->bus > 0xff)
		bad("slot %s: DOMAIN:BUS[:SLOT] in hex", name);
	addr += n;
	if (*addr) {
		unsigned s;

		n = 0;
		if (sscanf(addr, ":%x%n", &s, &n) != 1 || addr[n] || s > 0x1f)
			bad("slot %s: DOMAIN:BUS[:SLOT] in hex", name);
		p->slot = (int)s;
	}
}

/* As drivers/pci/slot.c shows a slot: its address; the bus speeds the kernel knows none of. */
static void write_slots(void)
{
	char f[PATH_MAX];
	size_t i;

	for (i = 0; i < npslots; i++) {
		const struct physslot *p = &pslots[i];

		snprintf(f, sizeof(f), "sys/bus/pci/slots/%s/address", p->name);
		if (p->slot < 0)
			put(f, "%04x:%02x\n", p->dom, p->bus);
		else
			put(f, "%04x:%02x:%02x\n", p->dom, p->bus, (unsigned)p->slot);
		snprintf(f, sizeof(f), "sys/bus/pci/slots/%s/max_bus_speed", p->name);
		put(f, "Unknown\n");
		snprintf(f, sizeof(f), "sys/bus/pci/slots/%s/cur_bus_speed", p->name);
		put(f, "Unknown\n");
	}
}

static void parse_block(char *args)
{
	struct blockdev *b;
	char *tok, *eq;
	int n = 0;

	blocks = realloc(blocks, (nblocks + 1) * sizeof(*blocks));
	if (!blocks)
		err(1, "realloc");
	b = &blocks[nblocks++];
	memset(b, 0, sizeof(*b));
	tok = strtok(args, " \t");
	if (!tok)
		bad("block NAME MAJ:MIN [dev=ADDR [via=PATH] | part=DISK] [dm=NAME] [holders=NAME,...]");
	copy(b->name, sizeof(b->name), "block", tok);
	tok = strtok(NULL, " \t");
	if (!tok || sscanf(tok, "%u:%u%n", &b->major, &b->minor, &n) != 2 || tok[n])
		bad("block %s needs MAJ:MIN", b->name);
	while ((tok = strtok(NULL, " \t"))) {
		eq = strchr(tok, '=');
		if (!eq)
			bad("expected key=value, got '%s'", tok);
		*eq++ = '\0';
		if (!strcmp(tok, "dev"))
			copy(b->dev, sizeof(b->dev), tok, eq);
		else if (!strcmp(tok, "via"))
			copy(b->via, sizeof(b->via), tok, eq);
		else if (!strcmp(tok, "part"))
			copy(b->part, sizeof(b->part), tok, eq);
		else if (!strcmp(tok, "dm"))
			copy(b->dm, sizeof(b->dm), tok, eq);
		else if (!strcmp(tok, "holders"))
			copy(b->holders, sizeof(b->holders), tok, eq);
		else
			bad("unknown key '%s'", tok);
	}
	if (*b->dev && *b->part)
		bad("block %s: dev= or part=, not both", b->name);
	if (*b->via && !*b->dev)
		bad("block %s: via= goes with dev=", b->name);
}

static void parse_net(char *args)
{
	struct netdev *n;
	char *tok, *eq;

	nets = realloc(nets, (nnets + 1) * sizeof(*nets));
	if (!nets)
		err(1, "realloc");
	n = &nets[nnets++];
	memset(n, 0, sizeof(*n));
	tok = strtok(args, " \t");
	if (!tok)
		bad("net NAME [dev=ADDR [via=PATH]] [master=NAME]");
	copy(n->name, sizeof(n->name), "net", tok);
	while ((tok = strtok(NULL, " \t"))) {
		eq = strchr(tok, '=');
		if (!eq)
			bad("expected key=value, got '%s'", tok);
		*eq++ = '\0';
		if (!strcmp(tok, "dev"))
			copy(n->dev, sizeof(n->dev), tok, eq);
		else if (!strcmp(tok, "via"))
			copy(n->via, sizeof(n->via), tok, eq);
		else if (!strcmp(tok, "master"))
			copy(n->master, sizeof(n->master), tok, eq);
		else
			bad("unknown key '%s'", tok);
	}
	if (*n->via && !*n->dev)
		bad("net %s: via= goes with dev=", n->name);
}

static void parse_node(char *args)
{
	struct chardev *c;
	char *tok, *base;
	int n = 0;

	chardevs = realloc(chardevs, (nchardevs + 1) * sizeof(*chardevs));
	if (!chardevs)
		err(1, "realloc");
	c = &chardevs[nchardevs++];
	memset(c, 0, sizeof(*c));
	tok = strtok(args, " \t");
	if (!tok)
		bad("node ADDR CLASS PATH MAJ:MIN [name=DEVNAME]");
	copy(c->dev, sizeof(c->dev), "node", tok);
	if (!(tok = strtok(NULL, " \t")))
		bad("node %s needs CLASS", c->dev);
	copy(c->cls, sizeof(c->cls), "node", tok);
	if (!(tok = strtok(NULL, " \t")))
		bad("node %s needs PATH", c->dev);
	copy(c->path, sizeof(c->path), "node", tok);
	tok = strtok(NULL, " \t");
	if (!tok || sscanf(tok, "%u:%u%n", &c->major, &c->minor, &n) != 2 || tok[n])
		bad("node %s needs MAJ:MIN", c->path);
	base = strrchr(c->path, '/') ? strrchr(c->path, '/') + 1 : c->path;
	if (!strcmp(c->cls, "drm"))
		snprintf(c->name, sizeof(c->name), "dri/%s", base);
	else if (!strcmp(c->cls, "sound"))
		snprintf(c->name, sizeof(c->name), "snd/%s", base);
	else
		snprintf(c->name, sizeof(c->name), "%s", base);
	while ((tok = strtok(NULL, " \t"))) {
		if (strncmp(tok, "name=", 5))
			bad("unknown key in '%s'", tok);
		copy(c->name, sizeof(c->name), "name", tok + 5);
	}
}

static struct process *process(long pid)
{
	size_t i;

	for (i = 0; i < nprocesses; i++)
		if (processes[i].pid == pid)
			return &processes[i];
	bad("no proc %ld before it", pid);
}

static long pid_arg(char **rest)
{
	char *end;
	long pid = strtol(*rest, &end, 10);

	if (end == *rest || pid <= 0 || (*end != ' ' && *end != '\t'))
		bad("expected a PID, got '%s'", *rest);
	*rest = end + strspn(end, " \t");
	return pid;
}

static void parse_proc(char *args)
{
	struct process *p;
	char *tok;

	processes = realloc(processes, (nprocesses + 1) * sizeof(*processes));
	if (!processes)
		err(1, "realloc");
	p = &processes[nprocesses++];
	memset(p, 0, sizeof(*p));
	p->state = 'S';
	snprintf(p->cgroup, sizeof(p->cgroup), "/user.slice");
	tok = strtok(args, " \t");
	if (!tok || !(p->pid = strtol(tok, NULL, 10)) || !(tok = strtok(NULL, " \t")))
		bad("proc PID COMM [cgroup=PATH] [state=S]");
	copy(p->comm, sizeof(p->comm), "proc", tok);
	while ((tok = strtok(NULL, " \t"))) {
		if (!strncmp(tok, "cgroup=", 7))
			copy(p->cgroup, sizeof(p->cgroup), "cgroup", tok + 7);
		else if (!strncmp(tok, "state=", 6) && tok[6] && !tok[7])
			p->state = tok[6];
		else
			bad("unknown key in '%s'", tok);
	}
}

static void parse_fd(char *rest)
{
	struct process *p = process(pid_arg(&rest));

	if (!*rest || !strchr(rest, ' '))
		bad("fd PID N TARGET");
	push(&p->fds, &p->nfds, rest);
}

static void parse_maps(char *rest)
{
	struct process *p = process(pid_arg(&rest));

	if (!*rest)
		bad("maps PID LINE");
	push(&p->maps, &p->nmaps, rest);
}

/* A line of one of the /proc files; false when KW is no such statement. */
static bool proc_statement(const char *kw, char *rest)
{
	FILE *f;
	int p;

	for (p = 0; p < NPROC; p++)
		if (!strcmp(kw, procs[p].kw))
			break;
	if (p == NPROC)
		return false;
	if (!*rest)
		bad("%s without a line", kw);
	if (!proc_out[p]) {
		proc_out[p] = open_memstream(&proc_text[p], &proc_len[p]);
		if (!proc_out[p])
			err(1, "open_memstream");
		if (procs[p].header)
			fputs(procs[p].header, proc_out[p]);
		if (p == P_ROUTE)
			fprintf(proc_out[p], "%-127s\n", "Iface\tDestination\tGateway \tFlags\t"
				"RefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT");
		if (p == P_TCP)
			fprintf(proc_out[p], "%-149s\n", "  sl  local_address rem_address   st "
				"tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode");
	}
	f = proc_out[p];
	if (p == P_ROUTE) {
		char line[1024] = "", *tok;

		for (tok = strtok(rest, " \t"); tok; tok = strtok(NULL, " \t")) {
			if (*line)
				strcat(line, "\t");
			if (strlen(line) + strlen(tok) + 2 > sizeof(line))
				bad("route line too long");
			strcat(line, tok);
		}
		fprintf(f, "%-127s\n", line);
	} else if (p == P_TCP || p == P_TCP6) {
		size_t sl = strcspn(rest, " \t");
		char *more = rest + sl + strspn(rest + sl, " \t");

		if (!sl || rest[sl - 1] != ':')
			bad("%s LINE starts with its \"sl:\"", kw);
		rest[sl] = '\0';
		if (p == P_TCP)
			fprintf(f, "%5s %-143s\n", rest, more);
		else
			fprintf(f, "%5s %s\n", rest, more);
	} else {
		fprintf(f, "%s\n", rest);
	}
	return true;
}

static void parse(FILE *f)
{
	char line[8192], *s, *kw, *rest;

	while (fgets(line, sizeof(line), f)) {
		spec_line++;
		if ((s = strchr(line, '#')))
			*s = '\0';
		s = line + strlen(line);
		while (s > line && isspace((unsigned char)s[-1]))
			*--s = '\0';
		for (kw = line; isspace((unsigned char)*kw); kw++)
			;
		if (!*kw)
			continue;
		rest = kw + strcspn(kw, " \t");
		if (*rest)
			*rest++ = '\0';
		rest += strspn(rest, " \t");
		if (!strcmp(kw, "kernel")) {
			copy(kernel, sizeof(kernel), kw, rest);
		} else if (!strcmp(kw, "cmdline")) {
			copy(cmdline, sizeof(cmdline), kw, rest);
		} else if (!strcmp(kw, "cpu")) {
			char *model = strstr(rest, " -- ");
			char *v, *n;

			if (!model)
				bad("cpu VENDOR CORES FLAG... -- MODEL");
			*model = '\0';
			copy(cpu_model, sizeof(cpu_model), kw, model + 4);
			v = strtok(rest, " \t");
			n = strtok(NULL, " \t");
			if (!v || !n)
				bad("cpu VENDOR CORES FLAG... -- MODEL");
			copy(cpu_vendor, sizeof(cpu_vendor), kw, v);
			cpu_cores = (int)dec("cores", n);
			copy(cpu_flags, sizeof(cpu_flags), kw, n + strlen(n) + 1 < model ? n + strlen(n) + 1 : "");
		} else if (!strcmp(kw, "iommu")) {
			if (!strcmp(rest, "intel"))
				iommu = IOMMU_INTEL;
			else if (!strcmp(rest, "amd"))
				iommu = IOMMU_AMD;
			else if (!strcmp(rest, "intel-off"))
				iommu = IOMMU_INTEL_OFF;
			else if (!strcmp(rest, "amd-off"))
				iommu = IOMMU_AMD_OFF;
			else if (!strcmp(rest, "none"))
				iommu = IOMMU_NONE;
			else
				bad("iommu intel|amd|intel-off|amd-off|none");
		} else if (!strcmp(kw, "module")) {
			char *name = strtok(rest, " \t"), *flag = strtok(NULL, " \t");

			if (!name)
				bad("module NAME [builtin]");
			if (flag && !strcmp(flag, "builtin"))
				push(&builtins, &nbuiltins, name);
			else if (flag)
				bad("module NAME [builtin]");
			else
				push(&modules, &nmodules, name);
		} else if (!strcmp(kw, "driver")) {
			char *name = strtok(rest, " \t"), *mod = strtok(NULL, " \t");
			char buf[256];

			if (!name)
				bad("driver NAME [module=MOD]");
			if (mod && strncmp(mod, "module=", 7))
				bad("driver NAME [module=MOD]");
			snprintf(buf, sizeof(buf), "%s %s", name, mod ? mod + 7 : "");
			push(&drivers, &ndrivers, buf);
		} else if (!strcmp(kw, "dev")) {
			parse_dev(rest);
		} else if (!strcmp(kw, "block")) {
			parse_block(rest);
		} else if (!strcmp(kw, "net")) {
			parse_net(rest);
		} else if (!strcmp(kw, "slot")) {
			parse_slot(rest);
		} else if (!strcmp(kw, "node")) {
			parse_node(rest);
		} else if (!strcmp(kw, "proc")) {
			parse_proc(rest);
		} else if (!strcmp(kw, "fd")) {
			parse_fd(rest);
		} else if (!strcmp(kw, "maps")) {
			parse_maps(rest);
		} else if (proc_statement(kw, rest)) {
			;
		} else {
			bad("unknown statement '%s'", kw);
		}
	}
}

/* Topology. */

static int cmp_addr(const struct dev *a, const struct dev *b)
{
	if (a->dom != b->dom)
		return a->dom < b->dom ? -1 : 1;
	if (a->bus != b->bus)
		return a->bus < b->bus ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	if (a->func != b->func)
		return a->func < b->func ? -1 : 1;
	return 0;
}

static void topology(void)
{
	size_t i, j;
	int b;

	for (i = 0; i < ndevs; i++)
		for (j = 0; j < i; j++)
			if (!cmp_addr(&devs[i], &devs[j]))
				errx(1, "%s: two devices at %04x:%02x:%02x.%u", spec_file,
				     devs[i].dom, devs[i].bus, devs[i].slot, devs[i].func);

	/* the bridge whose secondary bus each device sits on */
	for (i = 0; i < ndevs; i++) {
		const struct dev *pf = devs[i].physfn >= 0 ? &devs[devs[i].physfn] : &devs[i];

		for (j = 0; j < ndevs; j++)
			if (devs[j].sec >= 0 && devs[j].dom == pf->dom &&
			    (unsigned)devs[j].sec == pf->bus && j != i)
				devs[i].parent = (int)j;
	}
	/* subordinate: the highest bus below each bridge */
	for (i = 0; i < ndevs; i++)
		if (devs[i].sec >= 0)
			devs[i].sub = devs[i].sec;
	for (i = 0; i < ndevs; i++)
		for (b = devs[i].parent; b >= 0; b = devs[b].parent)
			if ((int)devs[i].bus > devs[b].sub)
				devs[b].sub = (int)devs[i].bus;

	/* the path under sys/devices: pciDDDD:BB of the root bus, then each bridge */
	for (i = 0; i < ndevs; i++) {
		char chain[PATH_MAX] = "", name[32];
		int stack[64], depth = 0, top;
		const struct dev *r;

		for (b = (int)i; b >= 0 && depth < 64; b = devs[b].parent)
			stack[depth++] = b;
		top = stack[depth - 1];
		r = devs[top].physfn >= 0 ? &devs[devs[top].physfn] : &devs[top];
		snprintf(chain, sizeof(chain), "sys/devices/pci%04x:%02x", r->dom, r->bus);
		while (depth--) {
			bdf(&devs[stack[depth]], name, sizeof(name));
			strcat(chain, "/");
			strcat(chain, name);
		}
		if (strlen(chain) >= sizeof(devs[i].path))
			errx(1, "%s: bridges nested too deep", spec_file);
		strcpy(devs[i].path, chain);
	}
}

/*
 * Configuration space, as far as lspci reads it: 256 bytes, or 4096 for
 * an Express function.  Returns its size.
 */
static size_t config_space(const struct dev *d, uint8_t cfg[4096])
{
	size_t j;
	bool multi = false;

	memset(cfg, 0, 4096);
	cfg[0] = d->vendor & 0xff;
	cfg[1] = d->vendor >> 8;
	cfg[2] = d->device & 0xff;
	cfg[3] = d->device >> 8;
	cfg[4] = 0x06;			/* memory space, bus master */
	cfg[8] = d->rev & 0xff;
	cfg[9] = d->cls & 0xff;
	cfg[10] = (d->cls >> 8) & 0xff;
	cfg[11] = (d->cls >> 16) & 0xff;
	if (d->func == 0 && d->physfn < 0)
		for (j = 0; j < ndevs; j++)
			if (&devs[j] != d && devs[j].physfn < 0 && devs[j].dom == d->dom &&
			    devs[j].bus == d->bus && devs[j].slot == d->slot)
				multi = true;
	if (d->sec >= 0) {
		cfg[14] = 0x01;
		cfg[0x18] = d->bus & 0xff;
		cfg[0x19] = d->sec & 0xff;
		cfg[0x1a] = d->sub & 0xff;
	} else {
		cfg[0x2c] = d->subven & 0xff;
		cfg[0x2d] = d->subven >> 8;
		cfg[0x2e] = d->subdev & 0xff;
		cfg[0x2f] = d->subdev >> 8;
	}
	if (multi)
		cfg[14] |= 0x80;
	cfg[0x3d] = d->physfn < 0 ? 1 : 0;	/* INTA#; VFs have no INTx */
	if (d->pcie < 0)
		return 256;
	cfg[6] = 0x10;			/* status: a capability list */
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x10;		/* PCI Express, the last capability */
	cfg[0x42] = (uint8_t)(d->pcie << 4 | 2);
	if (d->acs_cap >= 0) {
		cfg[0x100] = 0x0d;	/* ACS, version 1, the last extended capability */
		cfg[0x102] = 0x01;
		cfg[0x104] = d->acs_cap & 0xff;
		cfg[0x105] = (uint8_t)(d->acs_cap >> 8);
		cfg[0x106] = d->acs_ctrl & 0xff;
		cfg[0x107] = (uint8_t)(d->acs_ctrl >> 8);
	}
	return 4096;
}

static void write_dev(size_t i)
{
	const struct dev *d = &devs[i];
	char f[PATH_MAX], t[PATH_MAX], name[32];
	uint8_t cfg[4096];
	size_t cfg_size;
	int r, nres;
	size_t j;
	int vf = 0;

	bdf(d, name, sizeof(name));
#define ATTR(file, ...) do { snprintf(f, sizeof(f), "%s/%s", d->path, file); \
	put(f, __VA_ARGS__); } while (0)
	ATTR("vendor", "0x%04x\n", d->vendor);
	ATTR("device", "0x%04x\n", d->device);
	ATTR("subsystem_vendor", "0x%04x\n", d->sec >= 0 ? 0 : d->subven);
	ATTR("subsystem_device", "0x%04x\n", d->sec >= 0 ? 0 : d->subdev);
	ATTR("class", "0x%06x\n", d->cls);
	ATTR("revision", "0x%02x\n", d->rev);
	ATTR("irq", "%d\n", d->physfn < 0 ? 16 : 0);
	ATTR("numa_node", "-1\n");
	ATTR("enable", "%d\n", *d->driver ? 1 : 0);
	ATTR("local_cpulist", "0-%d\n", cpu_cores - 1);
	ATTR("modalias", "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n",
	     d->vendor, d->device, d->sec >= 0 ? 0 : d->subven, d->sec >= 0 ? 0 : d->subdev,
	     d->cls >> 16, (d->cls >> 8) & 0xff, d->cls & 0xff);
	snprintf(f, sizeof(f), "%s/driver_override", d->path);
	put(f, "%s\n", *d->override ? d->override : "(null)");
	if (d->boot_vga >= 0)
		ATTR("boot_vga", "%d\n", d->boot_vga);
	if (*d->reset) {
		char m[64], *c;

		strcpy(m, d->reset);
		for (c = m; *c; c++)
			if (*c == ',')
				*c = ' ';
		snprintf(f, sizeof(f), "%s/reset_method", d->path);
		put(f, "%s\n", m);
		snprintf(f, sizeof(f), "%s/reset", d->path);
		put(f, "%s", "");
	}
	/* resource: every BAR, the ROM, bridge windows and SR-IOV BARs */
	{
		char res[17 * 60] = "";

		nres = d->sec >= 0 ? 17 : 13;
		for (r = 0; r < nres; r++)
			strcat(res, "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
		snprintf(f, sizeof(f), "%s/resource", d->path);
		put(f, "%s", res);
	}
	cfg_size = config_space(d, cfg);
	snprintf(f, sizeof(f), "%s/config", d->path);
	write_bytes(f, cfg, cfg_size);
	snprintf(f, sizeof(f), "%s/remove", d->path);
	put(f, "%s", "");
	snprintf(f, sizeof(f), "%s/rescan", d->path);
	put(f, "%s", "");

	snprintf(f, sizeof(f), "%s/subsystem", d->path);
	link_rel(f, "sys/bus/pci");
	snprintf(f, sizeof(f), "sys/bus/pci/devices/%s", name);
	link_rel(f, d->path);
	if (d->group >= 0) {
		snprintf(f, sizeof(f), "%s/iommu_group", d->path);
		snprintf(t, sizeof(t), "sys/kernel/iommu_groups/%ld", d->group);
		link_rel(f, t);
		snprintf(f, sizeof(f), "sys/kernel/iommu_groups/%ld/devices/%s", d->group, name);
		link_rel(f, d->path);
		snprintf(f, sizeof(f), "sys/kernel/iommu_groups/%ld/type", d->group);
		put(f, "%s\n", "identity");
		snprintf(f, sizeof(f), "%s/iommu", d->path);
		link_rel(f, iommu == IOMMU_AMD ? "sys/devices/virtual/iommu/ivhd0"
					       : "sys/devices/virtual/iommu/dmar0");
		snprintf(f, sizeof(f), "sys/devices/virtual/iommu/%s/devices/%s",
			 iommu == IOMMU_AMD ? "ivhd0" : "dmar0", name);
		link_rel(f, d->path);
	}
	if (*d->driver) {
		snprintf(f, sizeof(f), "%s/driver", d->path);
		snprintf(t, sizeof(t), "sys/bus/pci/drivers/%s", d->driver);
		link_rel(f, t);
		snprintf(f, sizeof(f), "sys/bus/pci/drivers/%s/%s", d->driver, name);
		link_rel(f, d->path);
	}
	if (d->physfn >= 0) {
		snprintf(f, sizeof(f), "%s/physfn", d->path);
		link_rel(f, devs[d->physfn].path);
	}
	if (d->nvfs) {
		ATTR("sriov_totalvfs", "%d\n", d->nvfs);
		snprintf(f, sizeof(f), "%s/sriov_numvfs", d->path);
		put(f, "%d\n", d->nvfs);
		for (j = 0; j < ndevs; j++)
			if (devs[j].physfn == (int)i) {
				snprintf(f, sizeof(f), "%s/virtfn%d", d->path, vf++);
				link_rel(f, devs[j].path);
			}
	}
#undef ATTR
}

static void write_driver(const char *drv, const char *mod)
{
	char f[PATH_MAX], t[PATH_MAX];
	static const char *const ops[] = { "bind", "unbind", "new_id", "remove_id", "uevent" };
	size_t i;
	struct stat st;

	snprintf(f, sizeof(f), "%s/sys/bus/pci/drivers/%s/bind", root, drv);
	if (lstat(f, &st) == 0)
		return;
	for (i = 0; i < sizeof(ops) / sizeof(*ops); i++) {
		snprintf(f, sizeof(f), "sys/bus/pci/drivers/%s/%s", drv, ops[i]);
		put(f, "%s", "");
	}
	if (*mod) {
		snprintf(f, sizeof(f), "sys/bus/pci/drivers/%s/module", drv);
		snprintf(t, sizeof(t), "sys/module/%s", mod);
		link_rel(f, t);
		snprintf(f, sizeof(f), "sys/module/%s/drivers/pci:%s", mod, drv);
		snprintf(t, sizeof(t), "sys/bus/pci/drivers/%s", drv);
		link_rel(f, t);
		push(&modules, &nmodules, mod);
	}
}

static const struct dev *dev_at(const char *addr)
{
	struct dev d;
	size_t i;

	address(addr, &d);
	for (i = 0; i < ndevs; i++)
		if (!cmp_addr(&devs[i], &d))
			return &devs[i];
	bad("no dev %s", addr);
}

static const struct blockdev *block_named(const char *name)
{
	size_t i;

	for (i = 0; i < nblocks; i++)
		if (!strcmp(blocks[i].name, name))
			return &blocks[i];
	errx(1, "%s: no block %s", spec_file, name);
}

/* Where block B lives under sys/devices. */
static void block_path(const struct blockdev *b, char *buf, size_t size)
{
	char disk[1024];
	int r;

	if (*b->part) {
		block_path(block_named(b->part), disk, sizeof(disk));
		r = snprintf(buf, size, "%s/%s", disk, b->name);
	} else if (*b->dev) {
		r = snprintf(buf, size, "%s/%s/%s", dev_at(b->dev)->path, *b->via ? b->via : "block",
			     b->name);
	} else {
		r = snprintf(buf, size, "sys/devices/virtual/block/%s", b->name);
	}
	if (r < 0 || (size_t)r >= size)
		errx(1, "%s: block %s: path too long", spec_file, b->name);
}

static void write_blocks(void)
{
	char path[1024], f[PATH_MAX], t[1024], list[512], *h;
	size_t i;

	for (i = 0; i < nblocks; i++) {
		const struct blockdev *b = &blocks[i];

		block_path(b, path, sizeof(path));
		snprintf(f, sizeof(f), "%s/dev", path);
		put(f, "%u:%u\n", b->major, b->minor);
		snprintf(f, sizeof(f), "%s/uevent", path);
		put(f, "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\nDEVTYPE=%s\n", b->major, b->minor, b->name,
		    *b->part ? "partition" : "disk");
		if (*b->part) {
			const char *num = b->name + strlen(b->name);

			/* the number at the end of the name: nvme0n1p2, sda2 */
			while (num > b->name && isdigit((unsigned char)num[-1]))
				num--;
			snprintf(f, sizeof(f), "%s/partition", path);
			put(f, "%s\n", *num ? num : "1");
		}
		if (*b->dm) {
			snprintf(f, sizeof(f), "%s/dm/name", path);
			put(f, "%s\n", b->dm);
		}
		snprintf(f, sizeof(f), "%s/holders", path);
		mkdirs(f);
		snprintf(f, sizeof(f), "%s/slaves", path);
		mkdirs(f);
		snprintf(f, sizeof(f), "sys/class/block/%s", b->name);
		link_rel(f, path);
		snprintf(f, sizeof(f), "sys/dev/block/%u:%u", b->major, b->minor);
		link_rel(f, path);
		snprintf(list, sizeof(list), "%s", b->holders);
		for (h = strtok(list, ","); h; h = strtok(NULL, ",")) {
			block_path(block_named(h), t, sizeof(t));
			snprintf(f, sizeof(f), "%s/holders/%s", path, h);
			link_rel(f, t);
			snprintf(f, sizeof(f), "%s/slaves/%s", t, b->name);
			link_rel(f, path);
		}
	}
}

static void net_path(const struct netdev *n, char *buf, size_t size)
{
	int r;

	if (*n->dev)
		r = snprintf(buf, size, "%s/%s%snet/%s", dev_at(n->dev)->path, n->via,
			     *n->via ? "/" : "", n->name);
	else
		r = snprintf(buf, size, "sys/devices/virtual/net/%s", n->name);
	if (r < 0 || (size_t)r >= size)
		errx(1, "%s: net %s: path too long", spec_file, n->name);
}

static void write_nets(void)
{
	char path[1024], f[PATH_MAX], t[1024];
	size_t i, j;

	for (i = 0; i < nnets; i++) {
		const struct netdev *n = &nets[i];

		net_path(n, path, sizeof(path));
		snprintf(f, sizeof(f), "%s/ifindex", path);
		put(f, "%zu\n", i + 1);
		snprintf(f, sizeof(f), "%s/operstate", path);
		put(f, "up\n");
		if (*n->dev) {
			snprintf(f, sizeof(f), "%s/device", path);
			net_path(n, t, sizeof(t));
			*strrchr(t, '/') = '\0';
			*strrchr(t, '/') = '\0';
			link_rel(f, t);
		}
		snprintf(f, sizeof(f), "sys/class/net/%s", n->name);
		link_rel(f, path);
		if (!*n->master)
			continue;
		for (j = 0; j < nnets && strcmp(nets[j].name, n->master); j++)
			;
		if (j == nnets)
			errx(1, "%s: net %s: no net %s", spec_file, n->name, n->master);
		net_path(&nets[j], t, sizeof(t));
		snprintf(f, sizeof(f), "%s/master", path);
		link_rel(f, t);
		snprintf(f, sizeof(f), "%s/upper_%s", path, n->master);
		link_rel(f, t);
		snprintf(f, sizeof(f), "%s/lower_%s", t, n->name);
		link_rel(f, path);
		snprintf(f, sizeof(f), "%s/brif/%s", t, n->name);
		link_rel(f, path);
	}
}

static void write_procs(void)
{
	int p;

	for (p = 0; p < NPROC; p++) {
		if (!proc_out[p])
			continue;
		if (fclose(proc_out[p]) == EOF)
			err(1, "open_memstream");
		write_bytes(procs[p].file, proc_text[p], proc_len[p]);
		free(proc_text[p]);
	}
}

static void write_chardevs(void)
{
	char path[1024], f[PATH_MAX];
	const struct dev *d;
	size_t i;

	for (i = 0; i < nchardevs; i++) {
		const struct chardev *c = &chardevs[i];
		const char *base = strrchr(c->path, '/') ? strrchr(c->path, '/') + 1 : c->path;

		d = dev_at(c->dev);
		if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", d->path, c->cls, c->path) >= sizeof(path))
			errx(1, "%s: node %s: path too long", spec_file, c->path);
		snprintf(f, sizeof(f), "%s/dev", path);
		put(f, "%u:%u\n", c->major, c->minor);
		snprintf(f, sizeof(f), "%s/uevent", path);
		put(f, "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\n", c->major, c->minor, c->name);
		snprintf(f, sizeof(f), "sys/class/%s/%s", c->cls, base);
		link_rel(f, path);
	}
}

static void write_processes(void)
{
	char f[256], t[PATH_MAX];
	size_t i, k;
	long n;

	for (i = 0; i < nprocesses; i++) {
		struct process *p = &processes[i];

		snprintf(f, sizeof(f), "proc/%ld/comm", p->pid);
		put(f, "%.15s\n", p->comm);
		snprintf(f, sizeof(f), "proc/%ld/cmdline", p->pid);
		write_bytes(f, p->comm, strlen(p->comm) + 1);
		/* as the kernel prints it: pid (comm) state ppid ... starttime (22) ... */
		snprintf(f, sizeof(f), "proc/%ld/stat", p->pid);
		put(f, "%ld (%.15s) %c 1 %ld %ld 0 -1 4194560 1000 0 0 0 50 30 0 0 20 0 1 0 %ld "
		    "100000000 2000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0 "
		    "0 0 0 0 0 0 0 0\n", p->pid, p->comm, p->state, p->pid, p->pid, p->pid * 100);
		snprintf(f, sizeof(f), "proc/%ld/cgroup", p->pid);
		put(f, "0::%s\n", p->cgroup);
		snprintf(f, sizeof(f), "proc/%ld/maps", p->pid);
		put(f, "%s", "");
		for (k = 0; k < p->nmaps; k++)
			append(f, p->maps[k]);
		for (k = 0; k < p->nfds; k++) {
			char *target = strchr(p->fds[k], ' ') + 1;

			n = strtol(p->fds[k], NULL, 10);
			snprintf(f, sizeof(f), "proc/%ld/fd/%ld", p->pid, n);
			parent_dirs(f);
			snprintf(t, sizeof(t), "%s/%s", root, f);
			if (symlink(target, t) < 0)
				err(1, "symlink %s", t);
		}
	}
}

static void write_iommu(void)
{
	const char *unit = NULL;

	switch (iommu) {
	case IOMMU_INTEL:
		unit = "dmar0";
		/* ecap bit 3: interrupt remapping; cap as a Comet Lake reports it */
		put("sys/devices/virtual/iommu/dmar0/intel-iommu/cap", "d2008c40660462\n");
		put("sys/devices/virtual/iommu/dmar0/intel-iommu/ecap", "f050da\n");
		put("sys/devices/virtual/iommu/dmar0/intel-iommu/version", "1:0\n");
		put("sys/devices/virtual/iommu/dmar0/intel-iommu/address", "fed90000\n");
		/* fall through */
	case IOMMU_INTEL_OFF:
		put("sys/firmware/acpi/tables/DMAR", "DMAR");
		break;
	case IOMMU_AMD:
		unit = "ivhd0";
		put("sys/devices/virtual/iommu/ivhd0/amd-iommu/cap", "0x00190003\n");
		put("sys/devices/virtual/iommu/ivhd0/amd-iommu/features", "25bf732fa2295afe\n");
		/* fall through */
	case IOMMU_AMD_OFF:
		put("sys/firmware/acpi/tables/IVRS", "IVRS");
		break;
	case IOMMU_NONE:
		break;
	}
	if (unit) {
		char f[64], t[64];

		snprintf(f, sizeof(f), "sys/class/iommu/%s", unit);
		snprintf(t, sizeof(t), "sys/devices/virtual/iommu/%s", unit);
		link_rel(f, t);
	}
}

static void write_proc(void)
{
	int c;
	FILE *f;
	char p[PATH_MAX];

	put("proc/sys/kernel/osrelease", "%s\n", kernel);
	if (*cmdline)
		put("proc/cmdline", "%s\n", cmdline);
	if (!*cpu_vendor)
		return;
	mkdirs("proc");
	snprintf(p, sizeof(p), "%s/proc/cpuinfo", root);
	f = fopen(p, "w");
	if (!f)
		err(1, "%s", p);
	for (c = 0; c < cpu_cores; c++)
		fprintf(f, "processor\t: %d\nvendor_id\t: %s\nmodel name\t: %s\n"
			"physical id\t: 0\ncore id\t\t: %d\ncpu cores\t: %d\n"
			"flags\t\t: %s\n\n", c, cpu_vendor, cpu_model, c, cpu_cores, cpu_flags);
	if (fclose(f) == EOF)
		err(1, "%s", p);
}

static void write_modules(void)
{
	size_t i;
	char f[PATH_MAX];
	char *text = NULL;
	size_t len = 0;
	FILE *m;

	for (i = 0; i < nmodules; i++) {
		snprintf(f, sizeof(f), "sys/module/%s/initstate", modules[i]);
		put(f, "live\n");
		snprintf(f, sizeof(f), "sys/module/%s/refcnt", modules[i]);
		put(f, "0\n");
	}
	m = open_memstream(&text, &len);
	if (!m)
		err(1, "open_memstream");
	for (i = 0; i < nbuiltins; i++)
		fprintf(m, "kernel/%s.ko\n", builtins[i]);
	if (fclose(m) == EOF)
		err(1, "open_memstream");
	snprintf(f, sizeof(f), "lib/modules/%s/modules.builtin", kernel);
	if (nbuiltins)
		write_bytes(f, text, len);
	free(text);
}

/* pci.ids cut down to what this machine has. */

static bool has_vendor(unsigned v)
{
	size_t i;

	for (i = 0; i < ndevs; i++)
		if (devs[i].vendor == v || devs[i].subven == v)
			return true;
	return false;
}

static bool has_device(unsigned v, unsigned d)
{
	size_t i;

	for (i = 0; i < ndevs; i++)
		if (devs[i].vendor == v && devs[i].device == d)
			return true;
	return false;
}

static bool has_subsystem(unsigned v, unsigned d, unsigned sv, unsigned sd)
{
	size_t i;

	for (i = 0; i < ndevs; i++)
		if (devs[i].vendor == v && devs[i].device == d &&
		    devs[i].subven == sv && devs[i].subdev == sd)
			return true;
	return false;
}

static void trim_pci_ids(const char *src)
{
	FILE *in = fopen(src, "r"), *out;
	char line[1024], p[PATH_MAX];
	unsigned vendor = 0, device = 0, a, b;
	bool keep_vendor = false, keep_device = false, classes = false, header = true;

	if (!in)
		err(1, "%s", src);
	mkdirs("usr/share/misc");
	snprintf(p, sizeof(p), "%s/usr/share/misc/pci.ids", root);
	out = fopen(p, "w");
	if (!out)
		err(1, "%s", p);
	while (fgets(line, sizeof(line), in)) {
		if (line[0] == '#') {
			/* the header's version and licence, not the long comments further on */
			if (header)
				fputs(line, out);
			continue;
		}
		if (header && line[0] != '\n')
			header = false;
		if (line[0] == '\n')
			continue;
		if (line[0] == 'C' && line[1] == ' ')
			classes = true;
		if (classes) {
			fputs(line, out);
			continue;
		}
		if (line[0] != '\t') {
			keep_vendor = sscanf(line, "%x", &vendor) == 1 && has_vendor(vendor);
			keep_device = false;
			if (keep_vendor)
				fputs(line, out);
		} else if (line[1] != '\t') {
			keep_device = keep_vendor && sscanf(line + 1, "%x", &device) == 1 &&
				      has_device(vendor, device);
			if (keep_device)
				fputs(line, out);
		} else if (keep_device && sscanf(line + 2, "%x %x", &a, &b) == 2 &&
			   has_subsystem(vendor, device, a, b)) {
			fputs(line, out);
		}
	}
	if (ferror(in) || fclose(out) == EOF)
		err(1, "%s", p);
	fclose(in);
}

int main(int argc, char **argv)
{
	const char *ids = NULL;
	FILE *f;
	size_t i;
	int c;

	while ((c = getopt(argc, argv, "i:")) != -1) {
		if (c != 'i') {
			fprintf(stderr, "usage: mksysroot [-i PCI.IDS] SPEC DIR\n");
			return 2;
		}
		ids = optarg;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: mksysroot [-i PCI.IDS] SPEC DIR\n");
		return 2;
	}
	spec_file = argv[optind];
	root = argv[optind + 1];
	f = fopen(spec_file, "r");
	if (!f)
		err(1, "%s", spec_file);
	parse(f);
	fclose(f);
	if (mkdir(root, 0755) < 0)
		err(1, "%s", root);
	topology();

	mkdirs("sys/bus/pci/devices");
	put("sys/bus/pci/drivers_probe", "%s", "");
	put("sys/bus/pci/drivers_autoprobe", "1\n");
	put("sys/bus/pci/rescan", "%s", "");
	for (i = 0; i < ndevs; i++) {
		if (devs[i].group >= 0 && iommu != IOMMU_INTEL && iommu != IOMMU_AMD)
			errx(1, "%s: group= needs iommu intel or amd", spec_file);
		if (devs[i].group < 0 && (iommu == IOMMU_INTEL || iommu == IOMMU_AMD))
			errx(1, "%s: every device needs group= (vf_group= for virtual functions) with an IOMMU", spec_file);
		write_dev(i);
		if (*devs[i].driver)
			write_driver(devs[i].driver, devs[i].module);
	}
	for (i = 0; i < ndrivers; i++) {
		char name[64] = "", mod[64] = "";

		sscanf(drivers[i], "%63s %63s", name, mod);
		write_driver(name, mod);
	}
	write_iommu();
	write_modules();
	write_proc();
	write_blocks();
	write_nets();
	write_slots();
	write_procs();
	write_chardevs();
	write_processes();
	if (ids)
		trim_pci_ids(ids);
	return 0;
}
