/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "pci/hostuse.h"
#include "base/dirlist.h"
#include "base/macros.h"
#include "base/root.h"
#include "base/strlist.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define RTF_UP		0x0001
#define RTF_REJECT	0x0200

/*
 * Devices stacked on a block device or an interface: a few (LVM on LUKS on
 * md, VLANs on a bond in a bridge).  A bound on how many are looked at
 * for each, since a tree under --root may link them in circles (each block
 * device and interface is also looked at once a walk, so a circle cannot
 * use the bound up before the devices beside it).
 */
#define MAX_STACKED	64

/*
 * Platform functions of the chipset, by class.  Each is something the
 * kernel drives for the whole machine, so taking it away breaks the host
 * whatever its group says:
 *  0600 host bridge: the CPU's or chipset's root complex, memory controller
 *	and its error reporting (only with a driver bound: an unclaimed one,
 *	such as AMD's "PCIe Dummy Host Bridge", is left out like a PCI bridge)
 *  0601 ISA bridge: the LPC bridge; behind it the RTC, the PIC, the TPM,
 *	the super I/O chip (fans, serial ports) and the firmware's ACPI I/O
 *  0602 EISA bridge, 0603 MicroChannel bridge: the same role on old machines
 *  0800 interrupt controller, 0801 DMA controller, 0802 timer (HPET),
 *  0803 RTC: the system peripherals the kernel's interrupts and time use
 *  0806 IOMMU: the unit that isolates the guest's device itself
 *  0c05 SMBus: memory SPD, sensors, fan and power controllers
 * Memory controllers (05xx) are left out: Intel's shared SRAM sits in the
 * USB controller's group and goes with it harmlessly.
 */
static const struct {
	unsigned int class;
	const char *name;
} platform_classes[] = {
	{ 0x0600, "host bridge" },
	{ 0x0601, "ISA bridge" },
	{ 0x0602, "EISA bridge" },
	{ 0x0603, "MicroChannel bridge" },
	{ 0x0800, "interrupt controller" },
	{ 0x0801, "DMA controller" },
	{ 0x0802, "timer" },
	{ 0x0803, "RTC" },
	{ 0x0806, "IOMMU" },
	{ 0x0c05, "SMBus" },
};

const char *hostuse_platform(const struct pcidev *d)
{
	unsigned int cls = d->class >> 8;
	size_t i;

	if (pcidev_left_out(d))
		return NULL;
	for (i = 0; i < ARRAY_SIZE(platform_classes); i++)
		if (platform_classes[i].class == cls)
			return platform_classes[i].name;
	return NULL;
}

const char *hostuse_reason_name(enum hostuse_reason r)
{
	static const char *const names[] = { "swap", "mount", "route", "conn", "platform" };

	return names[r];
}

/* Parsers. */

/* Undo the octal escapes (\040) the kernel puts in paths. */
static void unescape(char *dst, size_t size, const char *src, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n + 1 < size; i++) {
		if (src[i] == '\\' && i + 3 < len && src[i + 1] >= '0' && src[i + 1] <= '3' &&
		    src[i + 2] >= '0' && src[i + 2] <= '7' && src[i + 3] >= '0' && src[i + 3] <= '7') {
			dst[n++] = (char)((src[i + 1] - '0') << 6 | (src[i + 2] - '0') << 3 | (src[i + 3] - '0'));
			i += 3;
		} else {
			dst[n++] = src[i];
		}
	}
	dst[n] = '\0';
}

/* The next white-space separated field of *S, its length in *len; NULL at the end. */
static const char *field(const char **s, size_t *len)
{
	const char *p = *s, *start;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '\n')
		return NULL;
	start = p;
	while (*p && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	*len = (size_t)(p - start);
	*s = p;
	return start;
}

int hostuse_parse_mountinfo(const char *line, struct hostuse_mount *m)
{
	const char *f, *s = line;
	size_t len;
	int i;
	char num[32];
	unsigned int maj, min;
	int n = 0;

	/* mount ID, parent ID, major:minor, root, mount point */
	for (i = 0; i < 5; i++) {
		f = field(&s, &len);
		if (!f)
			return -1;
		if (i == 2) {
			if (len >= sizeof(num))
				return -1;
			memcpy(num, f, len);
			num[len] = '\0';
			if (sscanf(num, "%u:%u%n", &maj, &min, &n) != 2 || num[n])
				return -1;
		}
	}
	unescape(m->point, sizeof(m->point), f, len);
	m->major = maj;
	m->minor = min;
	/* options, optional fields up to "-", file system type, source */
	while ((f = field(&s, &len)) && !(len == 1 && *f == '-'))
		;
	if (!f || !field(&s, &len) || !(f = field(&s, &len)))
		return -1;
	unescape(m->source, sizeof(m->source), f, len);
	return 0;
}

int hostuse_parse_swaps(const char *line, char *path, size_t size)
{
	const char *f, *s = line;
	size_t len, tlen;

	f = field(&s, &len);
	/* The header, and a line the kernel did not write. */
	if (!f || *f != '/' || !field(&s, &tlen))
		return -1;
	unescape(path, size, f, len);
	return 0;
}

static int hexbytes(const char *f, size_t len, uint8_t *out, size_t n)
{
	size_t i;
	unsigned int b;

	if (len != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)f[2 * i]) || !isxdigit((unsigned char)f[2 * i + 1]) ||
		    sscanf(f + 2 * i, "%2x", &b) != 1)
			return -1;
		out[i] = (uint8_t)b;
	}
	return 0;
}

/*
 * A number the kernel printed with %08X or %04X: for addresses, the bytes
 * of a network-order word read as this machine's integer.
 */
static int hexnum(const char *f, size_t len, size_t digits, uint32_t *v)
{
	char buf[9];
	size_t i;

	if (len != digits || digits >= sizeof(buf))
		return -1;
	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)f[i]))
			return -1;
	memcpy(buf, f, len);
	buf[len] = '\0';
	*v = (uint32_t)strtoul(buf, NULL, 16);
	return 0;
}

/* A word of an address as the kernel printed it, back to its bytes. */
static int addrword(const char *f, size_t digits, uint8_t *out)
{
	uint32_t v;

	if (hexnum(f, digits, digits, &v) < 0)
		return -1;
	memcpy(out, &v, 4);
	return 0;
}

static unsigned int mask_len(const uint8_t *mask, size_t n)
{
	unsigned int bits = 0;
	size_t i;

	for (i = 0; i < n; i++)
		bits += (unsigned int)__builtin_popcount(mask[i]);
	return bits;
}

static int copy_dev(char *dst, size_t size, const char *f, size_t len)
{
	if (!len || len >= size)
		return -1;
	memcpy(dst, f, len);
	dst[len] = '\0';
	return 0;
}

int hostuse_parse_route(const char *line, struct hostuse_route *r)
{
	const char *f[8], *s = line;
	size_t len[8];
	uint8_t gw[4];
	uint32_t flags;
	int i;

	/* Iface Destination Gateway Flags RefCnt Use Metric Mask */
	for (i = 0; i < 8; i++)
		if (!(f[i] = field(&s, &len[i])))
			return -1;
	memset(r, 0, sizeof(*r));
	if (copy_dev(r->dev, sizeof(r->dev), f[0], len[0]) < 0 ||
	    len[1] != 8 || addrword(f[1], 8, r->dest) < 0 ||
	    len[2] != 8 || addrword(f[2], 8, gw) < 0 ||
	    hexnum(f[3], len[3], 4, &flags) < 0 ||
	    len[7] != 8 || addrword(f[7], 8, r->mask) < 0)
		return -1;
	r->flags = flags;
	r->gateway = gw[0] || gw[1] || gw[2] || gw[3];
	r->plen = mask_len(r->mask, 4);
	return 0;
}

int hostuse_parse_ipv6_route(const char *line, struct hostuse_route *r)
{
	const char *f[10], *s = line;
	size_t len[10];
	uint8_t gw[16];
	uint32_t plen, flags;
	unsigned int i;

	/* dest plen src plen nexthop metric refcnt use flags device */
	for (i = 0; i < 10; i++)
		if (!(f[i] = field(&s, &len[i])))
			return -1;
	memset(r, 0, sizeof(*r));
	if (hexbytes(f[0], len[0], r->dest, 16) < 0 || hexnum(f[1], len[1], 2, &plen) < 0 ||
	    plen > 128 || hexbytes(f[4], len[4], gw, 16) < 0 ||
	    hexnum(f[8], len[8], 8, &flags) < 0 ||
	    copy_dev(r->dev, sizeof(r->dev), f[9], len[9]) < 0)
		return -1;
	r->plen = plen;
	r->flags = flags;
	for (i = 0; i < 16; i++) {
		if (gw[i])
			r->gateway = true;
		if (i < plen / 8)
			r->mask[i] = 0xff;
		else if (i == plen / 8 && plen % 8)
			r->mask[i] = (uint8_t)(0xff << (8 - plen % 8));
	}
	return 0;
}

static int addr_port(const char *f, size_t len, int family, uint8_t *addr, unsigned int *port)
{
	size_t words = family == AF_INET ? 1 : 4, i;
	uint32_t p;

	if (len != words * 8 + 5 || f[words * 8] != ':')
		return -1;
	for (i = 0; i < words; i++)
		if (addrword(f + 8 * i, 8, addr + 4 * i) < 0)
			return -1;
	if (hexnum(f + words * 8 + 1, 4, 4, &p) < 0)
		return -1;
	*port = p;
	return 0;
}

int hostuse_parse_tcp(const char *line, int family, struct hostuse_tcp *t)
{
	const char *f[4], *s = line;
	size_t len[4];
	uint32_t st;
	int i;

	/* sl local_address rem_address st */
	for (i = 0; i < 4; i++)
		if (!(f[i] = field(&s, &len[i])))
			return -1;
	memset(t, 0, sizeof(*t));
	t->family = family;
	if (len[0] < 2 || f[0][len[0] - 1] != ':' ||
	    addr_port(f[1], len[1], family, t->local, &t->lport) < 0 ||
	    addr_port(f[2], len[2], family, t->remote, &t->rport) < 0 ||
	    hexnum(f[3], len[3], 2, &st) < 0)
		return -1;
	t->state = st;
	return 0;
}

int hostuse_parse_if_inet6(const char *line, struct hostuse_addr6 *a)
{
	const char *f[6], *s = line;
	size_t len[6];
	uint32_t plen;
	int i;

	/* address ifindex prefix-length scope flags device */
	for (i = 0; i < 6; i++)
		if (!(f[i] = field(&s, &len[i])))
			return -1;
	memset(a, 0, sizeof(*a));
	if (hexbytes(f[0], len[0], a->addr, 16) < 0 || hexnum(f[2], len[2], 2, &plen) < 0 ||
	    plen > 128 || copy_dev(a->dev, sizeof(a->dev), f[5], len[5]) < 0)
		return -1;
	a->plen = plen;
	return 0;
}

/* The scan. */

struct blk {
	char name[64];
	char dmname[128];		/* dm/name: what /dev/mapper calls it */
	unsigned int major, minor;
	bool has_dev;
	char fn[4][PCI_ADDR_LEN];	/* the functions it is below */
	size_t nfn;
	struct strlist holders;		/* the names in its holders directory */
	long mount;			/* index of its first mount, -1 */
	bool swap;
	unsigned long walk;		/* the last walk of blk_uses() that reached it */
};

struct netif {
	char name[32];
	char upper[4][32];		/* its master, then the other upper_* links */
	size_t nupper;
	char fn[PCI_ADDR_LEN];
	bool route;
	char conn[160];			/* the first established connection, "" */
	unsigned long walk;		/* the last walk of net_carries() that reached it */
};

struct scan {
	struct blk *blk;
	size_t nblk;
	struct hostuse_mount *mnt;
	size_t nmnt;
	struct netif *net;
	size_t nnet;
	struct hostuse_route *rt;	/* IPv4 routes that are no default */
	size_t nrt;
	struct hostuse_addr6 *a6;
	size_t na6;
	unsigned long walk;		/* blk_uses() and net_carries() walks so far */
};

/* The function a sysfs device path goes through last: ".../0000:04:00.0/nvme/nvme0/nvme0n1". */
static void path_function(const char *path, char *fn)
{
	const char *p = path, *c;
	struct pci_addr a;
	const char *why;
	char comp[PCI_ADDR_LEN], canon[PCI_ADDR_LEN];
	size_t len;

	fn[0] = '\0';
	while (*p) {
		c = p;
		p += strcspn(p, "/");
		len = (size_t)(p - c);
		if (*p)
			p++;
		if (len < 12 || len >= sizeof(comp))
			continue;
		memcpy(comp, c, len);
		comp[len] = '\0';
		/* a function's name exactly as the kernel spells it: 0000:04:00.0, 10000:e1:00.0 (VMD) */
		if (strchr(comp, ':') != strrchr(comp, ':') && pci_addr_parse(comp, &a, &why) == 0 &&
		    !strcmp(pci_addr_format(&a, canon), comp))
			memcpy(fn, comp, len + 1);
	}
}

static void read_holders(struct blk *b)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/block/%s/holders", b->name);
	dir_list(path, NULL, 0, &b->holders);
}

/*
 * The functions block device B is below.  A namespace of a multipath NVMe
 * subsystem sits under devices/virtual/nvme-subsystem/nvme-subsysN: its
 * controllers (links nvme0, nvme1 in that directory) lead to the functions.
 */
static void blk_functions(struct blk *b, const char *path)
{
	char dir[128], target[4096];
	const char *sub = strstr(path, "/nvme-subsystem/");
	struct strlist names = STRLIST_INIT;
	size_t len, i;
	int fd;

	path_function(path, b->fn[0]);
	if (b->fn[0][0]) {
		b->nfn = 1;
		return;
	}
	if (!sub)
		return;
	sub += strlen("/nvme-subsystem/");
	len = strcspn(sub, "/");
	if (!len || len >= 64)
		return;
	snprintf(dir, sizeof(dir), "/sys/class/nvme-subsystem/%.*s", (int)len, sub);
	fd = root_open(dir, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return;
	dir_list(dir, NULL, 0, &names);
	for (i = 0; i < names.n && b->nfn < ARRAY_SIZE(b->fn); i++) {
		const char *name = names.v[i];

		if (strncmp(name, "nvme", 4) || !isdigit((unsigned char)name[4]) ||
		    strspn(name + 4, "0123456789") != strlen(name + 4) ||
		    link_read(fd, name, target, sizeof(target)) < 0)
			continue;
		path_function(target, b->fn[b->nfn]);
		if (b->fn[b->nfn][0])
			b->nfn++;
	}
	strlist_free(&names);
	close(fd);
}

static void read_blocks(struct scan *s)
{
	struct strlist names = STRLIST_INIT;
	char path[4096], buf[64];
	size_t cap = 0, i;
	int fd, dfd;

	dfd = root_open("/sys/class/block", O_PATH | O_DIRECTORY, 0);
	if (dfd < 0)
		return;
	dir_list("/sys/class/block", NULL, 0, &names);
	for (i = 0; i < names.n; i++) {
		const char *name = names.v[i];
		struct blk *b;
		int n = 0;

		if (strlen(name) >= sizeof(b->name))
			continue;
		XGROW(s->blk, s->nblk + 1, cap);
		b = &s->blk[s->nblk];
		memset(b, 0, sizeof(*b));
		b->mount = -1;
		snprintf(b->name, sizeof(b->name), "%s", name);
		if (link_read(dfd, name, path, sizeof(path)) >= 0)
			blk_functions(b, path);
		snprintf(path, sizeof(path), "/sys/class/block/%s", name);
		fd = root_open(path, O_PATH | O_DIRECTORY, 0);
		if (fd < 0)
			continue;
		if (attr_read(fd, "dev", buf, sizeof(buf)) > 0 &&
		    sscanf(buf, "%u:%u%n", &b->major, &b->minor, &n) == 2 && !buf[n])
			b->has_dev = true;
		if (attr_read(fd, "dm/name", b->dmname, sizeof(b->dmname)) < 0)
			b->dmname[0] = '\0';
		close(fd);
		s->nblk++;
		read_holders(b);
	}
	strlist_free(&names);
	close(dfd);
}

static struct blk *blk_by_name(struct scan *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nblk; i++)
		if (!strcmp(s->blk[i].name, name))
			return &s->blk[i];
	return NULL;
}

static struct blk *blk_by_num(struct scan *s, unsigned int major, unsigned int minor)
{
	size_t i;

	for (i = 0; i < s->nblk; i++)
		if (s->blk[i].has_dev && s->blk[i].major == major && s->blk[i].minor == minor)
			return &s->blk[i];
	return NULL;
}

/*
 * The block device a path names, as mount sources and /proc/swaps give
 * them: the device node's number where /dev is there to look, else
 * /dev/NAME or /dev/mapper/NAME by name.
 */
static struct blk *blk_by_path(struct scan *s, const char *path)
{
	struct stat st;
	size_t i;

	if (strncmp(path, "/dev/", 5))
		return NULL;
	if (root_stat(path, &st) == 0 && S_ISBLK(st.st_mode))
		return blk_by_num(s, major(st.st_rdev), minor(st.st_rdev));
	if (!strncmp(path, "/dev/mapper/", 12)) {
		for (i = 0; i < s->nblk; i++)
			if (s->blk[i].dmname[0] && !strcmp(s->blk[i].dmname, path + 12))
				return &s->blk[i];
		return NULL;
	}
	return blk_by_name(s, path + 5);
}

/*
 * The block devices are few and looked up by number once per mount; a
 * table of them sorted by number keeps a host with thousands of mounts
 * (containers) linear in the mounts.
 */
static int cmp_blk_num(const void *a, const void *b)
{
	const struct blk *x = *(struct blk *const *)a, *y = *(struct blk *const *)b;

	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	return x->minor < y->minor ? -1 : x->minor > y->minor;
}

static void read_mounts(struct scan *s)
{
	struct blk **by_num, key, *kp = &key, **hit, *b;
	char *text, *line, *next;
	size_t cap = 0, i, n = 0;

	text = root_read_file("/proc/self/mountinfo", NULL);
	if (!text)
		return;
	by_num = xreallocarray(NULL, s->nblk, sizeof(*by_num));
	for (i = 0; i < s->nblk; i++)
		if (s->blk[i].has_dev)
			by_num[n++] = &s->blk[i];
	qsort(by_num, n, sizeof(*by_num), cmp_blk_num);
	for (line = text; line && *line; line = next) {
		struct hostuse_mount m;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (hostuse_parse_mountinfo(line, &m) < 0)
			continue;
		key.major = m.major;
		key.minor = m.minor;
		hit = bsearch(&kp, by_num, n, sizeof(*by_num), cmp_blk_num);
		/* btrfs reports an anonymous number: its source names the device. */
		b = hit ? *hit : blk_by_path(s, m.source);
		if (!b || b->mount >= 0)
			continue;
		XGROW(s->mnt, s->nmnt + 1, cap);
		s->mnt[s->nmnt] = m;
		b->mount = (long)s->nmnt++;
	}
	free(by_num);
	free(text);
}

static void read_swaps(struct scan *s)
{
	char *text, *line, *next, path[256];
	struct blk *b;

	text = root_read_file("/proc/swaps", NULL);
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (hostuse_parse_swaps(line, path, sizeof(path)) == 0 && (b = blk_by_path(s, path)))
			b->swap = true;
	}
	free(text);
}

/*
 * What N is stacked under: the bridge or bond it is enslaved to (master),
 * and a VLAN or macvlan on it (upper_NAME links).
 */
static void read_uppers(struct netif *n)
{
	struct strlist names = STRLIST_INIT;
	char path[128];
	const char *u;
	size_t i, k;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/net/%s", n->name);
	fd = root_open(path, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return;
	if (link_base(fd, "master", n->upper[0], sizeof(n->upper[0])) > 0)
		n->nupper = 1;
	close(fd);
	dir_list(path, NULL, 0, &names);
	for (k = 0; k < names.n && n->nupper < ARRAY_SIZE(n->upper); k++) {
		if (strncmp(names.v[k], "upper_", 6) || !names.v[k][6] ||
		    strlen(names.v[k] + 6) >= sizeof(n->upper[0]))
			continue;
		u = names.v[k] + 6;
		for (i = 0; i < n->nupper && strcmp(n->upper[i], u); i++)
			;
		if (i == n->nupper)
			snprintf(n->upper[n->nupper++], sizeof(n->upper[0]), "%s", u);
	}
	strlist_free(&names);
}

static void read_netifs(struct scan *s)
{
	struct strlist names = STRLIST_INIT;
	char path[4096];
	size_t cap = 0, i;
	int dfd;

	dfd = root_open("/sys/class/net", O_PATH | O_DIRECTORY, 0);
	if (dfd < 0)
		return;
	dir_list("/sys/class/net", NULL, 0, &names);
	for (i = 0; i < names.n; i++) {
		struct netif *n;

		if (strlen(names.v[i]) >= sizeof(n->name))
			continue;
		XGROW(s->net, s->nnet + 1, cap);
		n = &s->net[s->nnet++];
		memset(n, 0, sizeof(*n));
		snprintf(n->name, sizeof(n->name), "%s", names.v[i]);
		if (link_read(dfd, names.v[i], path, sizeof(path)) >= 0)
			path_function(path, n->fn);
		read_uppers(n);
	}
	strlist_free(&names);
	close(dfd);
}

static struct netif *net_by_name(struct scan *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nnet; i++)
		if (!strcmp(s->net[i].name, name))
			return &s->net[i];
	return NULL;
}

static bool default_route(const struct hostuse_route *r)
{
	return (r->flags & RTF_UP) && !(r->flags & RTF_REJECT) && r->plen == 0 && strcmp(r->dev, "lo");
}

static void read_routes(struct scan *s)
{
	struct hostuse_route r;
	char *text, *line, *next;
	struct netif *n;
	size_t cap = 0;
	int v6;

	for (v6 = 0; v6 < 2; v6++) {
		text = root_read_file(v6 ? "/proc/net/ipv6_route" : "/proc/net/route", NULL);
		for (line = text; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if ((v6 ? hostuse_parse_ipv6_route(line, &r) : hostuse_parse_route(line, &r)) < 0)
				continue;
			if (default_route(&r)) {
				if ((n = net_by_name(s, r.dev)))
					n->route = true;
			} else if (!v6 && !r.gateway && (r.flags & RTF_UP)) {
				/* a subnet on a link: where its local addresses live */
				XGROW(s->rt, s->nrt + 1, cap);
				s->rt[s->nrt++] = r;
			}
		}
		free(text);
	}
}

static void read_if_inet6(struct scan *s)
{
	char *text, *line, *next;
	size_t cap = 0;

	text = root_read_file("/proc/net/if_inet6", NULL);
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		XGROW(s->a6, s->na6 + 1, cap);
		if (hostuse_parse_if_inet6(line, &s->a6[s->na6]) == 0)
			s->na6++;
	}
	free(text);
}

static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* The interface an IPv4 address is on: the longest subnet route holding it. */
static const char *v4_dev(const struct scan *s, const uint8_t *a)
{
	const struct hostuse_route *best = NULL;
	size_t i;
	int k;

	for (i = 0; i < s->nrt; i++) {
		const struct hostuse_route *r = &s->rt[i];

		for (k = 0; k < 4; k++)
			if ((a[k] & r->mask[k]) != r->dest[k])
				break;
		if (k == 4 && (!best || r->plen > best->plen))
			best = r;
	}
	return best ? best->dev : NULL;
}

static void endpoint(const struct hostuse_tcp *t, const uint8_t *a, unsigned int port, char *buf, size_t size)
{
	char ip[INET6_ADDRSTRLEN];

	if (t->family == AF_INET || !memcmp(a, v4mapped, 12)) {
		inet_ntop(AF_INET, t->family == AF_INET ? a : a + 12, ip, sizeof(ip));
		snprintf(buf, size, "%s:%u", ip, port);
	} else {
		inet_ntop(AF_INET6, a, ip, sizeof(ip));
		snprintf(buf, size, "[%s]:%u", ip, port);
	}
}

static void read_tcp(struct scan *s)
{
	struct hostuse_tcp t;
	char *text, *line, *next, from[64], to[64];
	const uint8_t *v4;
	const char *dev;
	struct netif *n;
	size_t i;
	int v6;

	for (v6 = 0; v6 < 2; v6++) {
		text = root_read_file(v6 ? "/proc/net/tcp6" : "/proc/net/tcp", NULL);
		for (line = text; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (hostuse_parse_tcp(line, v6 ? AF_INET6 : AF_INET, &t) < 0 || t.state != 1)
				continue;
			v4 = !v6 ? t.local : !memcmp(t.local, v4mapped, 12) ? t.local + 12 : NULL;
			dev = NULL;
			if (v4) {
				if (v4[0] == 127)
					continue;
				dev = v4_dev(s, v4);
			} else {
				static const uint8_t loop6[16] = { [15] = 1 };

				if (!memcmp(t.local, loop6, 16))
					continue;
				for (i = 0; i < s->na6 && !dev; i++)
					if (!memcmp(s->a6[i].addr, t.local, 16))
						dev = s->a6[i].dev;
			}
			if (!dev || !strcmp(dev, "lo") || !(n = net_by_name(s, dev)) || n->conn[0])
				continue;
			endpoint(&t, t.local, t.lport, from, sizeof(from));
			endpoint(&t, t.remote, t.rport, to, sizeof(to));
			snprintf(n->conn, sizeof(n->conn), "%s to %s", from, to);
		}
		free(text);
	}
}

/* Results. */

static void add(struct hostuse *h, size_t *cap, const char *fn, enum hostuse_reason r,
		const char *what, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void add(struct hostuse *h, size_t *cap, const char *fn, enum hostuse_reason r,
		const char *what, const char *fmt, ...)
{
	struct hostuse_item *it;
	va_list ap;

	XGROW(h->v, h->n + 1, *cap);
	it = &h->v[h->n++];
	memset(it, 0, sizeof(*it));
	snprintf(it->dev, sizeof(it->dev), "%s", fn);
	it->reason = r;
	snprintf(it->what, sizeof(it->what), "%s", what);
	va_start(ap, fmt);
	vsnprintf(it->text, sizeof(it->text), fmt, ap);
	va_end(ap);
}

/*
 * What TOP is used for: itself mounted or swap, or each device stacked on
 * it (dm, md), as deep as they go, no more than *BUDGET of them.
 */
static void blk_uses(struct hostuse *h, size_t *cap, struct scan *s, const char *fn,
		     const struct blk *top, const struct blk *b, int *budget)
{
	char what[80];
	struct blk *u;
	size_t i;

	snprintf(what, sizeof(what), "/dev/%s", top->name);
	if (b == top && b->swap)
		add(h, cap, fn, HOSTUSE_SWAP, what, "swap on %s", what);
	else if (b == top && b->mount >= 0)
		add(h, cap, fn, HOSTUSE_MOUNT, what, "%s is mounted on %s", what,
		    s->mnt[b->mount].point);
	else if (b != top && b->swap)
		add(h, cap, fn, HOSTUSE_SWAP, what, "%s holds /dev/%s, swap", what, b->name);
	else if (b != top && b->mount >= 0)
		add(h, cap, fn, HOSTUSE_MOUNT, what, "%s holds /dev/%s, mounted on %s",
		    what, b->name, s->mnt[b->mount].point);
	else
		for (i = 0; i < b->holders.n && *budget > 0; i++) {
			if (!(u = blk_by_name(s, b->holders.v[i])) || u->walk == s->walk)
				continue;
			u->walk = s->walk;
			--*budget;
			blk_uses(h, cap, s, fn, top, u, budget);
		}
}

static void block_items(struct hostuse *h, size_t *cap, struct scan *s)
{
	size_t i, f;
	int budget;

	for (i = 0; i < s->nblk; i++)
		for (f = 0; f < s->blk[i].nfn; f++) {
			budget = MAX_STACKED;
			s->blk[i].walk = ++s->walk;
			blk_uses(h, cap, s, s->blk[i].fn[f], &s->blk[i], &s->blk[i], &budget);
		}
}

/*
 * The first interface carrying the default route and a connection: N, or
 * what it is stacked under, each looked at once a walk (so that uppers
 * linked in a circle hide none beside them), no more than *BUDGET of them.
 */
static void net_carries(struct scan *s, struct netif *n, struct netif **route, struct netif **conn,
			int *budget)
{
	struct netif *u;
	size_t i;

	if (n->route && !*route)
		*route = n;
	if (n->conn[0] && !*conn)
		*conn = n;
	for (i = 0; i < n->nupper && !(*route && *conn) && *budget > 0; i++)
		if ((u = net_by_name(s, n->upper[i])) && u->walk != s->walk) {
			u->walk = s->walk;
			--*budget;
			net_carries(s, u, route, conn, budget);
		}
}

static void net_items(struct hostuse *h, size_t *cap, struct scan *s)
{
	struct netif *n, *route, *conn;
	char through[64];
	size_t i;
	int budget;

	for (i = 0; i < s->nnet; i++) {
		n = &s->net[i];
		if (!n->fn[0])
			continue;
		route = conn = NULL;
		budget = MAX_STACKED;
		n->walk = ++s->walk;
		net_carries(s, n, &route, &conn, &budget);
		if (route) {
			snprintf(through, sizeof(through), " through %s", route->name);
			add(h, cap, n->fn, HOSTUSE_ROUTE, n->name, "%s carries the default route%s",
			    n->name, route == n ? "" : through);
		}
		if (conn) {
			snprintf(through, sizeof(through), " through %s", conn->name);
			add(h, cap, n->fn, HOSTUSE_CONN, n->name, "%s carries an established "
			    "connection%s (%s)", n->name, conn == n ? "" : through, conn->conn);
		}
	}
}

static int cmp_item(const void *a, const void *b)
{
	const struct hostuse_item *x = a, *y = b;
	int c = strcmp(x->dev, y->dev);

	if (c)
		return c;
	/* platform first, then as the reasons are numbered; what breaks ties */
	if (x->reason != y->reason)
		return x->reason == HOSTUSE_PLATFORM ? -1 : y->reason == HOSTUSE_PLATFORM ? 1 :
		       (int)x->reason - (int)y->reason;
	c = strcmp(x->what, y->what);
	return c ? c : strcmp(x->text, y->text);
}

static void scan_free(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->nblk; i++)
		strlist_free(&s->blk[i].holders);
	free(s->blk);
	free(s->mnt);
	free(s->net);
	free(s->rt);
	free(s->a6);
}

void hostuse_scan(struct hostuse *h, const struct pcidevs *l)
{
	struct scan s = { 0 };
	const char *p;
	size_t cap = 0, i;

	h->v = NULL;
	h->n = 0;
	for (i = 0; i < l->n; i++)
		if ((p = hostuse_platform(&l->dev[i])))
			add(h, &cap, l->dev[i].name, HOSTUSE_PLATFORM, "",
			    "a platform function of the chipset (%s): the kernel needs it", p);
	read_blocks(&s);
	read_mounts(&s);
	read_swaps(&s);
	block_items(h, &cap, &s);
	read_netifs(&s);
	read_routes(&s);
	read_if_inet6(&s);
	read_tcp(&s);
	net_items(h, &cap, &s);
	scan_free(&s);
	if (h->n)
		qsort(h->v, h->n, sizeof(*h->v), cmp_item);
}

void hostuse_free(struct hostuse *h)
{
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

const struct hostuse_item *hostuse_find(const struct hostuse *h, const struct pcidev *d, size_t *n)
{
	size_t lo = 0, hi = h->n, mid, end;

	/* the first item of D's, by binary search: items are sorted by function */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(h->v[mid].dev, d->name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < h->n && !strcmp(h->v[end].dev, d->name); end++)
		;
	*n = end - lo;
	return *n ? &h->v[lo] : NULL;
}
