/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pci/pci.h>

#include "pci/pcidev.h"
#include "base/prog.h"
#include "base/root.h"
#include "base/macros.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define DEVICES "/sys/bus/pci/devices"

static noreturn void pci_error(char *msg, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog_name());
	va_start(ap, msg);
	vfprintf(stderr, msg, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_FAIL);
}

static void pci_warning(char *msg, ...)
{
	va_list ap;

	fprintf(stderr, "%s: warning: ", prog_name());
	va_start(ap, msg);
	vfprintf(stderr, msg, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void pci_debug(char *msg, ...)
{
}

/* libpci's parameter API takes char *; it copies what it keeps. */
static void set_param(struct pci_access *a, const char *name, const char *value)
{
	char n[64], v[4096 + 32];

	snprintf(n, sizeof(n), "%s", name);
	snprintf(v, sizeof(v), "%s", value);
	pci_set_param(a, n, v);
}

/*
 * libpci opens what it is given by name.  Under --root it gets a name that
 * cannot lead outside the root: /proc/self/fd/N of a descriptor opened
 * confined to it.  Returns the descriptor, to be closed after libpci is
 * done, or -1 (nothing to open).
 */
static int confined_path(const char *path, int flags, char *buf, size_t size)
{
	int fd = root_open(path, flags, 0);

	if (fd >= 0)
		snprintf(buf, size, "/proc/self/fd/%d", fd);
	return fd;
}

/*
 * The same for a file libpci reads: a regular one only, since a FIFO would
 * block libpci's read for ever and a directory ends the program with
 * libpci's "I/O error"; what is not one is treated as not there.
 */
static int confined_regular(const char *path, char *buf, size_t size)
{
	int fd = root_open_regular(path);
	struct stat st;

	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		return -1;
	}
	if (fd >= 0)
		snprintf(buf, size, "/proc/self/fd/%d", fd);
	return fd;
}

/* What pcidevs_use_ids() asked for. */
static const char *ids_file;
static bool ids_host;

void pcidevs_use_ids(const char *file)
{
	ids_file = file;
	ids_host = true;
}

/*
 * A pipe's contents in a file of memory, read to its end now: libpci
 * opens the database by name, and a pipe whose writer has written all
 * and gone (a pci.ids smaller than the pipe's buffer) blocks whoever
 * opens it again.  Returns the new descriptor, or -1 with errno set.
 */
static int spool(int fd)
{
	size_t len;
	char *data = fd_read_all(fd, ROOT_FILE_MAX, &len);
	int mfd = data ? memfd_create("pci.ids", MFD_CLOEXEC) : -1, e;

	if (mfd >= 0 && fd_write_all(mfd, data, len) < 0) {
		e = errno;
		close(mfd);
		errno = e;
		mfd = -1;
	}
	free(data);
	return mfd;
}

/*
 * FILE of the running system for libpci, as lspci -i: a regular file by
 * its name, so that libpci's messages name it; anything else (a pipe, as
 * from <(zcat pci.ids.gz)) read once into memory (spool()), kept open in
 * l->ids_fd.  A directory is refused here, as libpci would end the
 * program on it.  Returns 0, or -1 with errno set.
 */
static int host_ids(struct pcidevs *l, const char *file)
{
	char path[64];
	struct stat st;
	int fd = open(file, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		e = errno;
		if (S_ISDIR(st.st_mode))
			e = EISDIR;
		close(fd);
		errno = e;
		return -1;
	}
	if (S_ISREG(st.st_mode)) {
		close(fd);
		pci_set_name_list_path(l->pacc, xstrdup(file), 1);
		return 0;
	}
	l->ids_fd = spool(fd);
	e = errno;
	close(fd);
	if (l->ids_fd < 0) {
		errno = e;
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", l->ids_fd);
	pci_set_name_list_path(l->pacc, xstrdup(path), 1);
	return 0;
}

/*
 * The ID database of the system under the root.  For "/" libpci's own
 * choice stands (pci.ids, then udev's hwdb), exactly as for lspci; under
 * another root only that root's files are read, or, after
 * pcidevs_use_ids(), the running system's when the root has none.  A file
 * pcidevs_use_ids() named is used whatever the root.  Returns 0, or -1
 * after printing why.
 */
static int choose_names(struct pcidevs *l)
{
	static const char *const others[] = {
		"/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids",
		"/usr/share/pci.ids",
	};
	/* where libudev looks for its compiled hwdb */
	static const char *const hwdbs[] = {
		"/etc/systemd/hwdb/hwdb.bin", "/etc/udev/hwdb.bin",
		"/usr/lib/systemd/hwdb/hwdb.bin", "/lib/systemd/hwdb/hwdb.bin",
		"/usr/lib/udev/hwdb.bin", "/lib/udev/hwdb.bin",
	};
	struct pci_access *a = l->pacc;
	char builtin[512], path[64];
	size_t i;

	if (ids_file && host_ids(l, ids_file) < 0) {
		warn("could not read '%s'", ids_file);
		return -1;
	}
	if (!*root_prefix()) {
		/*
		 * Without a compiled hwdb libpci asks udev for one at every name
		 * it looks up and leaks what udev_new() returned each time
		 * (pciutils' names-hwdb.c); with none to read, lspci's names are
		 * the same without asking.
		 */
		for (i = 0; i < ARRAY_SIZE(hwdbs); i++)
			if (access(hwdbs[i], F_OK) == 0)
				return 0;
		set_param(a, "hwdb.disable", "1");
		return 0;
	}
	set_param(a, "hwdb.disable", "1");
	a->id_lookup_mode = 0;
	if (ids_file)
		return 0;
	snprintf(builtin, sizeof(builtin), "%s", a->id_file_name);
	for (i = 0; i <= ARRAY_SIZE(others); i++) {
		char name[512];
		size_t n;

		snprintf(name, sizeof(name), "%s", i == 0 ? builtin : others[i - 1]);
		l->ids_fd = confined_regular(name, path, sizeof(path));
		/* libpci falls back from pci.ids.gz to pci.ids by itself. */
		n = strlen(name);
		if (l->ids_fd < 0 && n > 3 && !strcmp(name + n - 3, ".gz")) {
			name[n - 3] = '\0';
			l->ids_fd = confined_regular(name, path, sizeof(path));
		}
		if (l->ids_fd >= 0)
			break;
	}
	if (l->ids_fd >= 0) {
		pci_set_name_list_path(a, xstrdup(path), 1);
		return 0;
	}
	/* None there: the running system's, when asked for, as lspci reads it. */
	for (i = 0; ids_host && i <= ARRAY_SIZE(others); i++) {
		const char *host = i == 0 ? builtin : others[i - 1];
		struct stat st;

		if (stat(host, &st) == 0 && S_ISREG(st.st_mode) && access(host, R_OK) == 0) {
			pci_set_name_list_path(a, xstrdup(host), 1);
			return 0;
		}
	}
	/* None at all: names show as numbers, as lspci does without pci.ids. */
	pci_set_name_list_path(a, xstrdup("/nonexistent/pci.ids"), 1);
	return 0;
}

/*
 * pci_lookup_name() formats every name afresh, and a host repeats a few
 * IDs over thousands of functions (SR-IOV virtual functions above all):
 * each distinct lookup is made once and kept, in an open-addressed table.
 */
struct name_memo {
	unsigned int flags;		/* 0: a free slot */
	int id[4];
	char *name;			/* NULL: the database has none */
};

struct pcidev_names {
	struct name_memo *v;
	size_t cap, n;			/* cap a power of two, at most half used */
};

static size_t memo_hash(unsigned int flags, const int id[4])
{
	size_t h = flags, i;

	for (i = 0; i < 4; i++)
		h = (h ^ (unsigned int)id[i]) * 0x100000001b3ULL;
	return h ^ h >> 29;
}

static struct name_memo *memo_slot(struct name_memo *v, size_t cap, unsigned int flags,
				   const int id[4])
{
	size_t i = memo_hash(flags, id) & (cap - 1);

	while (v[i].flags && (v[i].flags != flags || memcmp(v[i].id, id, sizeof(v[i].id))))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static void memo_grow(struct pcidev_names *m)
{
	size_t cap = m->cap ? 2 * m->cap : 64, i;
	struct name_memo *v = xcalloc(cap, sizeof(*v));

	for (i = 0; i < m->cap; i++)
		if (m->v[i].flags)
			*memo_slot(v, cap, m->v[i].flags, m->v[i].id) = m->v[i];
	free(m->v);
	m->v = v;
	m->cap = cap;
}

static void names_free(struct pcidev_names *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->v[i].name);
	free(m->v);
	free(m);
}

/*
 * pci_lookup_name(FLAGS, A, B, C, D) into BUF, or NULL when the database
 * has no name; a lookup takes only the IDs its flags ask for.
 */
static const char *lookup(const struct pcidevs *l, char *buf, size_t size, unsigned int flags,
			  int a, int b, int c, int d)
{
	struct pcidev_names *m = l->names;
	const int id[4] = { a, b, c, d };
	struct name_memo *e = NULL;
	char name[1024];
	const char *s;
	size_t n;

	if (m) {
		if (2 * (m->n + 1) > m->cap)
			memo_grow(m);
		e = memo_slot(m->v, m->cap, flags, id);
		if (e->flags) {
			s = e->name;
			goto copy;
		}
	}
	s = pci_lookup_name(l->pacc, name, sizeof(name), (int)flags, a, b, c, d);
	if (e) {
		e->name = s ? xstrdup(s) : NULL;
		e->flags = flags;
		memcpy(e->id, id, sizeof(e->id));
		m->n++;
	}
copy:
	if (!s)
		return NULL;
	n = strlen(s);
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static int read_hex(int dirfd, const char *name, unsigned int *v)
{
	char buf[64], *end;
	unsigned long x;

	if (attr_read(dirfd, name, buf, sizeof(buf)) < 0) {
		/* A FIFO, a socket or a link is no attribute the kernel made: none. */
		if (errno == EINVAL || errno == ELOOP)
			errno = ENOENT;
		return -1;
	}
	errno = 0;
	x = strtoul(buf, &end, 16);
	if (errno || end == buf || *end || x > 0xffffffffUL) {
		errno = EINVAL;
		return -1;
	}
	*v = (unsigned int)x;
	return 0;
}

/* The revision attribute appeared in Linux 4.19; older kernels: config space. */
static int read_revision(int dirfd)
{
	unsigned int v;
	unsigned char cfg[9];
	ssize_t n;
	int fd;

	if (read_hex(dirfd, "revision", &v) == 0)
		return (int)(v & 0xff);
	fd = root_openat_regular(dirfd, "config");
	if (fd < 0)
		return -1;
	n = pread(fd, cfg, sizeof(cfg), 0);
	close(fd);
	return n == (ssize_t)sizeof(cfg) ? cfg[8] : -1;
}

/*
 * The kernel shows boot_vga on VGA devices only (pci_is_vga(): class 0300,
 * or 0001 from before class codes); a proposed change shows it on every
 * display controller.  Elsewhere there is nothing to open.
 */
static bool may_have_boot_vga(const struct pcidev *d)
{
	return d->class >> 16 == 0x03 || d->class >> 8 == 0x0001;
}

/* FIELDS unknown: no driver, no override, no reset method. */
static void clear_fields(struct pcidev *d, unsigned int fields)
{
	if (fields & PCIDEV_SUBSYS)
		d->subsys_vendor = d->subsys_device = -1;
	if (fields & PCIDEV_DRIVER)
		d->driver[0] = '\0';
	if (fields & PCIDEV_OVERRIDE)
		d->override[0] = '\0';
	if (fields & PCIDEV_BOOT_VGA)
		d->boot_vga = -1;
	if (fields & PCIDEV_RESET) {
		d->has_reset = false;
		d->reset[0] = '\0';
	}
}

/* FIELDS of the device whose sysfs directory is DIRFD. */
static void read_fields(int dirfd, struct pcidev *d, unsigned int fields)
{
	char buf[64];
	unsigned int v;

	clear_fields(d, fields);
	if ((fields & PCIDEV_SUBSYS) && read_hex(dirfd, "subsystem_vendor", &v) == 0) {
		d->subsys_vendor = (int)(v & 0xffff);
		if (read_hex(dirfd, "subsystem_device", &v) == 0)
			d->subsys_device = (int)(v & 0xffff);
	}
	if (fields & PCIDEV_DRIVER)
		link_base(dirfd, "driver", d->driver, sizeof(d->driver));
	/* A failed read may leave a partial value behind. */
	if ((fields & PCIDEV_OVERRIDE) &&
	    (attr_read(dirfd, "driver_override", d->override, sizeof(d->override)) < 0 ||
	     !strcmp(d->override, "(null)")))
		d->override[0] = '\0';
	if ((fields & PCIDEV_BOOT_VGA) && may_have_boot_vga(d) &&
	    attr_read(dirfd, "boot_vga", buf, sizeof(buf)) >= 0)
		d->boot_vga = strcmp(buf, "0") != 0;
	if (fields & PCIDEV_RESET) {
		d->has_reset = attr_read(dirfd, "reset_method", d->reset, sizeof(d->reset)) >= 0;
		if (!d->has_reset)
			d->reset[0] = '\0';
	}
}

static int open_device(const struct pcidev *d)
{
	char path[sizeof(DEVICES) + PCI_ADDR_LEN + 1];

	snprintf(path, sizeof(path), DEVICES "/%s", d->name);
	return root_open(path, O_PATH | O_DIRECTORY, 0);
}

/* What a read in the directory of a device removed meanwhile fails with. */
static bool gone(int e)
{
	return e == ENOENT || e == ENODEV;
}

static int read_device(struct pcidev *d, unsigned int fields)
{
	char buf[256];
	int fd;

	fd = open_device(d);
	if (fd < 0)
		return gone(errno) ? 1 : -1;	/* unplugged since the scan: skip it */
	if (read_hex(fd, "vendor", &d->vendor) < 0 ||
	    read_hex(fd, "device", &d->device) < 0 ||
	    read_hex(fd, "class", &d->class) < 0) {
		int e = errno;

		close(fd);
		/* Unplugged between the open and the read: its attributes went with it. */
		if (gone(e))
			return 1;
		errno = e;
		return -1;
	}
	d->revision = read_revision(fd);
	d->group = -1;
	if (link_base(fd, "iommu_group", buf, sizeof(buf)) >= 0) {
		char *end;
		long g = strtol(buf, &end, 10);

		if (!*end && end != buf && g >= 0)
			d->group = g;
	}
	clear_fields(d, PCIDEV_ALL & ~fields);
	read_fields(fd, d, fields);
	close(fd);
	return 0;
}

int pcidev_read(struct pcidev *d, unsigned int fields)
{
	int fd = open_device(d);

	if (fd < 0)
		return -1;
	read_fields(fd, d, fields);
	close(fd);
	return 0;
}

static int cmp_addr_dev(const void *pa, const void *pb);

int pcidevs_scan(struct pcidevs *l, unsigned int fields)
{
	char sysfs[64];
	struct pci_access *a;
	struct pci_dev *p;
	size_t n = 0;

	memset(l, 0, sizeof(*l));
	l->ids_fd = l->sysfs_fd = -1;
	a = pci_alloc();
	a->error = pci_error;
	a->warning = pci_warning;
	a->debug = pci_debug;
	a->method = PCI_ACCESS_SYS_BUS_PCI;
	l->pacc = a;
	/* libpci dies on a missing directory; say which and why first. */
	l->sysfs_fd = confined_path("/sys/bus/pci", O_PATH | O_DIRECTORY, sysfs, sizeof(sysfs));
	if (l->sysfs_fd < 0 || faccessat(l->sysfs_fd, "devices", R_OK, 0) < 0) {
		warn("could not read '%s'", root_show(DEVICES));
		goto fail;
	}
	set_param(a, "sysfs.path", sysfs);
	if (choose_names(l) < 0)
		goto fail;
	pci_init(a);
	pci_scan_bus(a);
	for (p = a->devices; p; p = p->next)
		n++;
	l->dev = xcalloc(n ? n : 1, sizeof(*l->dev));
	l->names = xcalloc(1, sizeof(*l->names));
	for (p = a->devices; p; p = p->next) {
		struct pcidev *d = &l->dev[l->n];
		int r;

		d->addr.domain = (unsigned int)p->domain;
		d->addr.bus = p->bus;
		d->addr.slot = p->dev;
		d->addr.func = p->func;
		pci_addr_format(&d->addr, d->name);
		r = read_device(d, fields);
		if (r < 0) {
			warn("could not read '%s/%s'", root_show(DEVICES), d->name);
			goto fail;
		}
		if (r > 0)
			continue;
		if (d->addr.domain)
			l->domains = true;
		l->n++;
	}
	/* libpci lists in directory order; address order is what people expect. */
	qsort(l->dev, l->n, sizeof(*l->dev), cmp_addr_dev);
	return 0;
fail:
	pcidevs_free(l);
	return -1;
}

void pcidevs_free(struct pcidevs *l)
{
	free(l->dev);
	names_free(l->names);
	if (l->pacc)
		pci_cleanup(l->pacc);
	if (l->ids_fd >= 0)
		close(l->ids_fd);
	if (l->sysfs_fd >= 0)
		close(l->sysfs_fd);
	memset(l, 0, sizeof(*l));
	l->ids_fd = l->sysfs_fd = -1;
}

static int cmp_addr_dev(const void *pa, const void *pb)
{
	return pci_addr_cmp(&((const struct pcidev *)pa)->addr, &((const struct pcidev *)pb)->addr);
}

static int cmp_group(const void *pa, const void *pb)
{
	const struct pcidev *a = pa, *b = pb;

	if (a->group != b->group) {
		if (a->group < 0 || b->group < 0)
			return a->group < 0 ? 1 : -1;
		return a->group < b->group ? -1 : 1;
	}
	return pci_addr_cmp(&a->addr, &b->addr);
}

void pcidevs_sort_by_group(struct pcidevs *l)
{
	qsort(l->dev, l->n, sizeof(*l->dev), cmp_group);
}

long pcidevs_find(const struct pcidevs *l, const struct pci_addr *addr)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (pci_addr_equal(&l->dev[i].addr, addr))
			return (long)i;
	return -1;
}

size_t pcidevs_grouped(const struct pcidevs *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->dev[i].group >= 0;
	return n;
}

/* The value chained by KEY; -1 for none. */
static long long chain_key(const struct pcidev *d, enum pcidev_key key)
{
	if (key == PCIDEV_BY_GROUP)
		return d->group;
	return (long long)d->vendor << 16 | d->device;
}

struct chain_sort {
	const struct pcidevs *l;
	enum pcidev_key key;
};

static int cmp_chain(const void *pa, const void *pb, void *arg)
{
	const struct chain_sort *cs = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	long long ka = chain_key(&cs->l->dev[a], cs->key), kb = chain_key(&cs->l->dev[b], cs->key);

	if (ka != kb)
		return ka < kb ? -1 : 1;
	return a < b ? -1 : a > b;
}

void pcidev_chain_init(struct pcidev_chain *c, const struct pcidevs *l, enum pcidev_key key)
{
	struct chain_sort cs = { l, key };
	size_t n = l->n ? l->n : 1, *order = xreallocarray(NULL, n, sizeof(*order)), i, j, m;

	c->first = xreallocarray(NULL, n, sizeof(*c->first));
	c->next = xreallocarray(NULL, n, sizeof(*c->next));
	for (i = 0; i < l->n; i++)
		order[i] = i;
	/* Already in key order (a scan sorted by group), the keyless last: nothing to sort. */
	for (i = 1; i < l->n; i++) {
		long long a = chain_key(&l->dev[i - 1], key), b = chain_key(&l->dev[i], key);

		if (b >= 0 && (a < 0 || a > b))
			break;
	}
	if (i < l->n)
		qsort_r(order, l->n, sizeof(*order), cmp_chain, &cs);
	for (i = 0; i < l->n; i = j) {
		long long k = chain_key(&l->dev[order[i]], key);

		for (j = i + 1; j < l->n && chain_key(&l->dev[order[j]], key) == k; j++)
			;
		for (m = i; m < j; m++) {
			c->first[order[m]] = k < 0 ? -1 : (long)order[i];
			c->next[order[m]] = k < 0 || m + 1 == j ? -1 : (long)order[m + 1];
		}
	}
	free(order);
}

void pcidev_chain_free(struct pcidev_chain *c)
{
	free(c->first);
	free(c->next);
	c->first = c->next = NULL;
}

bool pcidev_is_bridge(const struct pcidev *d)
{
	unsigned int cls = d->class >> 8;

	return cls == 0x0604 || cls == 0x0607 || cls == 0x0609;
}

bool pcidev_left_out(const struct pcidev *d)
{
	return pcidev_is_bridge(d) || (d->class >> 8 == 0x0600 && !d->driver[0]);
}

bool pcidev_is_display(const struct pcidev *d)
{
	unsigned int cls = d->class >> 8;

	return cls == 0x0300 || cls == 0x0302 || cls == 0x0380;
}

bool pcidev_same_slot(const struct pcidev *a, const struct pcidev *b)
{
	return a->addr.domain == b->addr.domain && a->addr.bus == b->addr.bus &&
	       a->addr.slot == b->addr.slot;
}

/* The slot is the kernel's name without its domain. */
const char *pcidev_slot(const struct pcidevs *l, const struct pcidev *d, char *buf)
{
	const char *s = l->domains ? d->name : strchr(d->name, ':') + 1;

	memcpy(buf, s, strlen(s) + 1);
	return buf;
}

const char *pcidev_describe(const struct pcidevs *l, const struct pcidev *d,
			    char *buf, size_t size)
{
	char slot[PCI_ADDR_LEN], cls[256], name[512];
	int n;

	lookup(l, cls, sizeof(cls), PCI_LOOKUP_CLASS | PCI_LOOKUP_MIXED, (int)(d->class >> 8), 0, 0, 0);
	lookup(l, name, sizeof(name), PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE | PCI_LOOKUP_MIXED,
	       (int)d->vendor, (int)d->device, 0, 0);
	n = snprintf(buf, size, "%s %s: %s", pcidev_slot(l, d, slot), cls, name);
	if (d->revision > 0 && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " (rev %02x)", d->revision);
	return buf;
}

const char *pcidev_class_name(const struct pcidevs *l, const struct pcidev *d, char *buf, size_t size)
{
	return lookup(l, buf, size, PCI_LOOKUP_CLASS | PCI_LOOKUP_NO_NUMBERS,
		      (int)(d->class >> 8), 0, 0, 0);
}

const char *pcidev_vendor_name(const struct pcidevs *l, const struct pcidev *d, char *buf, size_t size)
{
	return lookup(l, buf, size, PCI_LOOKUP_VENDOR | PCI_LOOKUP_NO_NUMBERS,
		      (int)d->vendor, 0, 0, 0);
}

const char *pcidev_device_name(const struct pcidevs *l, const struct pcidev *d, char *buf, size_t size)
{
	return lookup(l, buf, size, PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS,
		      (int)d->vendor, (int)d->device, 0, 0);
}

const char *pcidev_subsys_name(const struct pcidevs *l, const struct pcidev *d, char *buf, size_t size)
{
	if (d->subsys_vendor < 0 || d->subsys_device < 0)
		return NULL;
	return lookup(l, buf, size, PCI_LOOKUP_SUBSYSTEM | PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS,
		      (int)d->vendor, (int)d->device, d->subsys_vendor, d->subsys_device);
}
