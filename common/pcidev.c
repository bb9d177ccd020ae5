#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pci/pci.h>

#include "pcidev.h"
#include "prog.h"
#include "root.h"

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
 * The ID database of the system under the root.  For "/" libpci's own
 * choice stands (pci.ids, then udev's hwdb), exactly as for lspci; under
 * another root only that root's files are read.
 */
static void choose_names(struct pcidevs *l)
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

	if (!*root_prefix()) {
		/*
		 * Without a compiled hwdb libpci asks udev for one at every name
		 * it looks up and leaks what udev_new() returned each time
		 * (pciutils' names-hwdb.c); with none to read, lspci's names are
		 * the same without asking.
		 */
		for (i = 0; i < sizeof(hwdbs) / sizeof(hwdbs[0]); i++)
			if (access(hwdbs[i], F_OK) == 0)
				return;
		set_param(a, "hwdb.disable", "1");
		return;
	}
	set_param(a, "hwdb.disable", "1");
	a->id_lookup_mode = 0;
	snprintf(builtin, sizeof(builtin), "%s", a->id_file_name);
	for (i = 0; i <= sizeof(others) / sizeof(others[0]); i++) {
		char name[512];
		size_t n;

		snprintf(name, sizeof(name), "%s", i == 0 ? builtin : others[i - 1]);
		l->ids_fd = confined_path(name, O_RDONLY, path, sizeof(path));
		/* libpci falls back from pci.ids.gz to pci.ids by itself. */
		n = strlen(name);
		if (l->ids_fd < 0 && n > 3 && !strcmp(name + n - 3, ".gz")) {
			name[n - 3] = '\0';
			l->ids_fd = confined_path(name, O_RDONLY, path, sizeof(path));
		}
		if (l->ids_fd >= 0)
			break;
	}
	/* None there: names show as numbers, as lspci does without pci.ids. */
	pci_set_name_list_path(a, strdup(l->ids_fd >= 0 ? path : "/nonexistent/pci.ids"), 1);
}

static int read_hex(int dirfd, const char *name, unsigned int *v)
{
	char buf[64], *end;
	unsigned long x;

	if (attr_read(dirfd, name, buf, sizeof(buf)) < 0)
		return -1;
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
	fd = root_openat(dirfd, "config", O_RDONLY, 0);
	if (fd < 0)
		return -1;
	n = pread(fd, cfg, sizeof(cfg), 0);
	close(fd);
	return n == (ssize_t)sizeof(cfg) ? cfg[8] : -1;
}

static int read_device(struct pcidev *d, unsigned int fields)
{
	char path[sizeof(DEVICES) + PCI_ADDR_LEN + 1], buf[256];
	unsigned int v;
	int fd;

	snprintf(path, sizeof(path), DEVICES "/%s", d->name);
	fd = root_open(path, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return errno == ENOENT ? 1 : -1;	/* gone since the scan: skip it */
	if (read_hex(fd, "vendor", &d->vendor) < 0 ||
	    read_hex(fd, "device", &d->device) < 0 ||
	    read_hex(fd, "class", &d->class) < 0) {
		int e = errno;

		close(fd);
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
	d->subsys_vendor = d->subsys_device = -1;
	if ((fields & PCIDEV_SUBSYS) && read_hex(fd, "subsystem_vendor", &v) == 0) {
		d->subsys_vendor = (int)(v & 0xffff);
		if (read_hex(fd, "subsystem_device", &v) == 0)
			d->subsys_device = (int)(v & 0xffff);
	}
	d->driver[0] = '\0';
	if (fields & PCIDEV_DRIVER)
		link_base(fd, "driver", d->driver, sizeof(d->driver));
	d->override[0] = '\0';
	if ((fields & PCIDEV_OVERRIDE) &&
	    attr_read(fd, "driver_override", d->override, sizeof(d->override)) >= 0 &&
	    !strcmp(d->override, "(null)"))
		d->override[0] = '\0';
	d->boot_vga = -1;
	if ((fields & PCIDEV_BOOT_VGA) && attr_read(fd, "boot_vga", buf, sizeof(buf)) >= 0)
		d->boot_vga = strcmp(buf, "0") != 0;
	d->has_reset = false;
	d->reset[0] = '\0';
	if ((fields & PCIDEV_RESET) && attr_read(fd, "reset_method", d->reset, sizeof(d->reset)) >= 0)
		d->has_reset = true;
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
	choose_names(l);
	pci_init(a);
	pci_scan_bus(a);
	for (p = a->devices; p; p = p->next)
		n++;
	l->dev = calloc(n ? n : 1, sizeof(*l->dev));
	if (!l->dev) {
		warn("could not list PCI devices");
		goto fail;
	}
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
	if (l->pacc)
		pci_cleanup(l->pacc);
	if (l->ids_fd >= 0)
		close(l->ids_fd);
	if (l->sysfs_fd >= 0)
		close(l->sysfs_fd);
	memset(l, 0, sizeof(*l));
	l->ids_fd = l->sysfs_fd = -1;
}

static int cmp_addr(const struct pci_addr *a, const struct pci_addr *b)
{
	if (a->domain != b->domain)
		return a->domain < b->domain ? -1 : 1;
	if (a->bus != b->bus)
		return a->bus < b->bus ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	if (a->func != b->func)
		return a->func < b->func ? -1 : 1;
	return 0;
}

static int cmp_addr_dev(const void *pa, const void *pb)
{
	return cmp_addr(&((const struct pcidev *)pa)->addr, &((const struct pcidev *)pb)->addr);
}

static int cmp_group(const void *pa, const void *pb)
{
	const struct pcidev *a = pa, *b = pb;

	if (a->group != b->group) {
		if (a->group < 0 || b->group < 0)
			return a->group < 0 ? 1 : -1;
		return a->group < b->group ? -1 : 1;
	}
	return cmp_addr(&a->addr, &b->addr);
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

bool pcidev_is_bridge(const struct pcidev *d)
{
	unsigned int cls = d->class >> 8;

	return cls == 0x0604 || cls == 0x0607 || cls == 0x0609;
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

const char *pcidev_slot(const struct pcidevs *l, const struct pcidev *d, char *buf)
{
	if (l->domains)
		snprintf(buf, PCI_ADDR_LEN, "%04x:%02x:%02x.%x", d->addr.domain,
			 d->addr.bus, d->addr.slot, d->addr.func);
	else
		snprintf(buf, PCI_ADDR_LEN, "%02x:%02x.%x", d->addr.bus,
			 d->addr.slot, d->addr.func);
	return buf;
}

const char *pcidev_describe(const struct pcidevs *l, const struct pcidev *d,
			    char *buf, size_t size)
{
	char slot[PCI_ADDR_LEN], cls[256], name[512];
	int n;

	pci_lookup_name(l->pacc, cls, sizeof(cls), PCI_LOOKUP_CLASS | PCI_LOOKUP_MIXED,
			(int)(d->class >> 8));
	pci_lookup_name(l->pacc, name, sizeof(name),
			PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE | PCI_LOOKUP_MIXED,
			(int)d->vendor, (int)d->device);
	n = snprintf(buf, size, "%s %s: %s", pcidev_slot(l, d, slot), cls, name);
	if (d->revision > 0 && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " (rev %02x)", d->revision);
	return buf;
}

const char *pcidev_class_name(const struct pcidevs *l, const struct pcidev *d, char *buf, size_t size)
{
	return pci_lookup_name(l->pacc, buf, (int)size, PCI_LOOKUP_CLASS | PCI_LOOKUP_NO_NUMBERS,
			       (int)(d->class >> 8));
}

const char *pcidev_vendor_name(const struct pcidevs *l, const struct pcidev *d, char *buf, size_t size)
{
	return pci_lookup_name(l->pacc, buf, (int)size, PCI_LOOKUP_VENDOR | PCI_LOOKUP_NO_NUMBERS,
			       (int)d->vendor);
}

const char *pcidev_device_name(const struct pcidevs *l, const struct pcidev *d, char *buf, size_t size)
{
	return pci_lookup_name(l->pacc, buf, (int)size, PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS,
			       (int)d->vendor, (int)d->device);
}

const char *pcidev_subsys_name(const struct pcidevs *l, const struct pcidev *d, char *buf, size_t size)
{
	if (d->subsys_vendor < 0 || d->subsys_device < 0)
		return NULL;
	return pci_lookup_name(l->pacc, buf, (int)size,
			       PCI_LOOKUP_SUBSYSTEM | PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS,
			       (int)d->vendor, (int)d->device, d->subsys_vendor, d->subsys_device);
}
