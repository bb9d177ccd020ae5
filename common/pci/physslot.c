/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pci/physslot.h"
#include "base/prog.h"
#include "base/root.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define SLOTS "/sys/bus/pci/slots"
#define DEVICES "/sys/bus/pci/devices"

/* N hex digits at S, as a number in *V; whether there are exactly N. */
static bool hex_digits(const char *s, size_t n, unsigned int *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c >= '0' && c <= '9')
			*v = *v << 4 | (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v = *v << 4 | (unsigned int)(c - 'a' + 10);
		else
			return false;
	}
	return true;
}

/* "dddd:bb" or "dddd:bb:ss" as address_read_file() prints it; 0 or -1. */
static int parse_address(const char *s, struct physslot *p)
{
	size_t dlen = strcspn(s, ":"), len = strlen(s);
	unsigned int dom, bus, slot = 0;

	if (dlen < 4 || dlen > 8 || !hex_digits(s, dlen, &dom) || s[dlen] != ':' ||
	    (len != dlen + 3 && len != dlen + 6) || !hex_digits(s + dlen + 1, 2, &bus))
		return -1;
	p->numbered = len == dlen + 6;
	if (p->numbered && (s[dlen + 3] != ':' || !hex_digits(s + dlen + 4, 2, &slot) ||
			    slot > 0x1f))
		return -1;
	p->addr.domain = dom;
	p->addr.bus = bus;
	p->addr.slot = slot;
	p->addr.func = 0;
	return 0;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct physslot *x = a, *y = b;

	if (x->addr.domain != y->addr.domain)
		return x->addr.domain < y->addr.domain ? -1 : 1;
	if (x->addr.bus != y->addr.bus)
		return x->addr.bus < y->addr.bus ? -1 : 1;
	if (x->numbered != y->numbered)
		return x->numbered ? 1 : -1;
	if (x->addr.slot != y->addr.slot)
		return x->addr.slot < y->addr.slot ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void read_slots(struct physslots *s)
{
	size_t cap = 0;
	struct dirent *e;
	DIR *dir;

	dir = root_opendir(SLOTS);
	if (!dir) {
		if (errno != ENOENT)
			warn("could not read '%s'", root_show(SLOTS));
		return;
	}
	while ((e = readdir(dir))) {
		char path[sizeof(SLOTS) + sizeof(e->d_name) + 1], buf[64];
		struct physslot p = { .where = PHYSSLOT_PORT_UNKNOWN, .port = -1 };
		int fd;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), SLOTS "/%s", e->d_name);
		fd = root_open(path, O_PATH | O_DIRECTORY, 0);
		if (fd < 0 || attr_read(fd, "address", buf, sizeof(buf)) < 0) {
			warn("could not read '%s/address'", root_show(path));
			if (fd >= 0)
				close(fd);
			continue;
		}
		close(fd);
		if (parse_address(buf, &p) < 0) {
			warnx("'%s/address': '%s' is no PCI slot address", root_show(path), buf);
			continue;
		}
		snprintf(p.name, sizeof(p.name), "%s", e->d_name);
		if (s->n == cap) {
			cap = cap ? 2 * cap : 16;
			s->v = xreallocarray(s->v, cap, sizeof(*s->v));
		}
		s->v[s->n++] = p;
	}
	closedir(dir);
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_slot);
}

/* A bridge and the bus below it. */
struct secbus {
	unsigned int domain, bus;
	long dev;
};

static int cmp_secbus(const void *a, const void *b)
{
	const struct secbus *x = a, *y = b;

	if (x->domain != y->domain)
		return x->domain < y->domain ? -1 : 1;
	if (x->bus != y->bus)
		return x->bus < y->bus ? -1 : 1;
	return 0;
}

/*
 * The secondary bus of bridge D: the kernel's secondary_bus_number, or on
 * a kernel without it byte 0x19 of the configuration space, which the
 * first 64 bytes any user may read hold.  Nothing is read of a bridge in
 * D3cold: a read would wake it.  -1 when unknown.
 */
static int secondary_bus(const struct pcidev *d)
{
	char path[sizeof(DEVICES) + PCI_ADDR_LEN + 1], buf[32], *end;
	unsigned char b;
	unsigned long v;
	int fd, cfg, ret = -1;

	snprintf(path, sizeof(path), DEVICES "/%s", d->name);
	fd = root_open(path, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return -1;
	if (attr_read(fd, "secondary_bus_number", buf, sizeof(buf)) >= 0) {
		errno = 0;
		v = strtoul(buf, &end, 10);
		if (!errno && end != buf && !*end && v <= 0xff)
			ret = (int)v;
	} else if (attr_read(fd, "power_state", buf, sizeof(buf)) < 0 || strcmp(buf, "D3cold")) {
		cfg = root_openat_regular(fd, "config");
		if (cfg >= 0) {
			if (pread(cfg, &b, 1, 0x19) == 1)
				ret = b;
			close(cfg);
		}
	}
	close(fd);
	return ret;
}

/* Each slot's port: the bridge whose secondary bus is the slot's bus. */
static void find_ports(struct physslots *s, const struct pcidevs *l)
{
	struct secbus *b = xreallocarray(NULL, l->n ? l->n : 1, sizeof(*b));
	size_t nb = 0, i, j;
	bool unknown = false;
	int sec;

	for (i = 0; i < l->n; i++) {
		if (!pcidev_is_bridge(&l->dev[i]))
			continue;
		if ((sec = secondary_bus(&l->dev[i])) < 0) {
			unknown = true;
			continue;
		}
		b[nb].domain = l->dev[i].addr.domain;
		b[nb].bus = (unsigned int)sec;
		b[nb++].dev = (long)i;
	}
	qsort(b, nb, sizeof(*b), cmp_secbus);
	/* both in bus order */
	for (i = j = 0; i < s->n; i++) {
		struct physslot *p = &s->v[i];
		struct secbus key = { p->addr.domain, p->addr.bus, -1 };

		while (j < nb && cmp_secbus(&b[j], &key) < 0)
			j++;
		if (j < nb && !cmp_secbus(&b[j], &key)) {
			p->where = PHYSSLOT_PORT;
			p->port = b[j].dev;
		} else {
			p->where = unknown ? PHYSSLOT_PORT_UNKNOWN : PHYSSLOT_ROOT_BUS;
		}
	}
	free(b);
}

void physslots_read(struct physslots *s, const struct pcidevs *l)
{
	s->v = NULL;
	s->n = 0;
	read_slots(s);
	if (s->n)
		find_ports(s, l);
}

void physslots_free(struct physslots *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

char *physslot_address(const struct physslot *p, char *buf)
{
	if (p->numbered)
		snprintf(buf, PCI_ADDR_LEN, "%04x:%02x:%02x", p->addr.domain, p->addr.bus,
			 p->addr.slot);
	else
		snprintf(buf, PCI_ADDR_LEN, "%04x:%02x", p->addr.domain, p->addr.bus);
	return buf;
}

/* Where D stands against slot P: before it, in it (0) or after it, in address order. */
static int slot_cmp(const struct physslot *p, const struct pcidev *d)
{
	if (d->addr.domain != p->addr.domain)
		return d->addr.domain < p->addr.domain ? -1 : 1;
	if (d->addr.bus != p->addr.bus)
		return d->addr.bus < p->addr.bus ? -1 : 1;
	if (p->numbered && d->addr.slot != p->addr.slot)
		return d->addr.slot < p->addr.slot ? -1 : 1;
	return 0;
}

bool physslot_holds(const struct physslot *p, const struct pcidev *d)
{
	return slot_cmp(p, d) == 0;
}

size_t physslot_first(const struct pcidevs *l, const struct physslot *p)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (slot_cmp(p, &l->dev[mid]) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void physslot_check_init(struct physslot_check *c, const struct groupwhy *w)
{
	size_t i, n = w->n ? w->n : 1;

	c->w = w;
	c->members = xcalloc(n, sizeof(*c->members));
	c->hwmembers = xcalloc(n, sizeof(*c->hwmembers));
	for (i = 0; i < w->n; i++)
		if (!pcidev_left_out(&w->l->dev[i])) {
			c->members[w->set[i]]++;
			c->hwmembers[w->hwset[i]]++;
		}
}

void physslot_check_free(struct physslot_check *c)
{
	free(c->members);
	free(c->hwmembers);
	c->members = c->hwmembers = NULL;
}

/* How many functions of slot P the predicted group G (in SET) holds, when P holds one card. */
static size_t held(const struct groupwhy *w, const long *set, const struct physslot *p, long g)
{
	const struct pcidevs *l = w->l;
	size_t i, first = physslot_first(l, p), n = 0;

	for (i = first; i < l->n && physslot_holds(p, &l->dev[i]); i++) {
		if (l->dev[i].addr.slot != l->dev[first].addr.slot)
			return 0;
		if (!pcidev_left_out(&l->dev[i]) && set[i] == g)
			n++;
	}
	return n;
}

/* The verdict for slot P below a port, by W's groups SET with MEMBERS counted. */
static int port_verdict(const struct groupwhy *w, const long *set, const size_t *members,
			const struct physslot *p, struct physslot_verdict *v)
{
	long g;

	v->bridges_only = false;
	if (groupwhy_port(w, (size_t)p->port, &v->r))
		return 1;
	g = set[p->port];
	if (members[g] == held(w, set, p, g)) {
		/* Read or not, the port's group holds no more than this. */
		v->bridges_only = true;
		return 1;
	}
	return v->r.rule == WHY_UNREADABLE ? -1 : 0;
}

void physslot_verdict(const struct physslot_check *c, const struct physslot *p,
		      struct physslot_verdict *v)
{
	struct physslot_verdict hv;
	struct groupwhy hw;
	size_t n, len;

	memset(v, 0, sizeof(*v));
	v->r.dev = v->r.at = v->r.other = -1;
	switch (p->where) {
	case PHYSSLOT_ROOT_BUS:
		v->own = 1;
		v->r.rule = WHY_ISOLATED;
		snprintf(v->r.text, sizeof(v->r.text), "on a root bus: no bridge above it");
		return;
	case PHYSSLOT_PORT_UNKNOWN:
		v->own = -1;
		v->r.rule = WHY_UNREADABLE;
		snprintf(v->r.text, sizeof(v->r.text), "its port is not known: a bridge's "
			 "secondary bus could not be read");
		return;
	case PHYSSLOT_PORT:
		break;
	}
	v->own = port_verdict(c->w, c->w->set, c->members, p, v);
	if (v->own != 1 || !c->w->override[0])
		return;
	/* The same without the override: what the hardware isolates. */
	hw = *c->w;
	hw.override[0] = '\0';
	hw.set = c->w->hwset;
	hv.own = port_verdict(&hw, hw.set, c->hwmembers, p, &hv);
	if (hv.own == 1)
		return;
	v->r = hv.r;
	v->r.rule = WHY_ACS_OVERRIDE;
	snprintf(v->r.text, sizeof(v->r.text), "only because of pcie_acs_override=%s: in "
		 "hardware ", c->w->override);
	n = strlen(v->r.text);
	len = strlen(hv.r.text);
	if (len > sizeof(v->r.text) - 1 - n)
		len = sizeof(v->r.text) - 1 - n;
	memcpy(v->r.text + n, hv.r.text, len);
	v->r.text[n + len] = '\0';
}
