/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virt/hostdev.h"
#include "virt/domain.h"
#include "virt/hostrec.h"
#include "virt/record.h"
#include "virt/xmlsplice.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "base/banned.h"

/* virtxml-hostdev's child of the record (record.h). */
#define RECORD_TOOL HOSTREC_TOOL

/* The most functions one run adds, as many as the record holds. */
#define MAX_FN HOSTREC_MAX
/* Each pass makes one change: nine per function and four per root port at most. */
#define MAX_PASSES (16 * MAX_FN)

/* Where libvirt writes each element, as the names of the siblings it writes after it. */
static const char *const hostdev_before[] = {
	"redirdev", "redirfilter", "hub", "watchdog", "memballoon", "rng", "panic", "shmem",
	"memory", "iommu", "vsock", "crypto", "pstore", NULL,
};
static const char *const controller_before[] = {
	"lease", "filesystem", "interface", "smartcard", "serial", "parallel", "console", "channel",
	"input", "tpm", "graphics", "sound", "audio", "video", "hostdev", "redirdev",
	"redirfilter", "hub", "watchdog", "memballoon", "rng", "panic", "shmem", "memory",
	"iommu", "vsock", "crypto", "pstore", NULL,
};
static const char *const address_before[] = { "address", NULL };

/* One parse of the text being edited. */
struct doc {
	const char *name;
	struct domain dom;
	struct xmlsplice src;
	char *text;
	size_t len;
};

/* A function in the record: its host address and identity as recorded. */
struct recfn {
	struct pci_addr addr;
	char ident[HOSTREC_IDENT_LEN];	/* vendor:device/subvendor:subdevice/class */
	bool done;		/* --remove: dealt with */
};

struct target {
	bool set;
	unsigned int bus, slot;
};

/* What one run knows across passes. */
struct run {
	bool read, meta_added, failed;
	struct recfn rec[MAX_FN];
	size_t nrec;
	unsigned int port[MAX_FN];	/* the root ports' indexes the record names */
	bool port_done[MAX_FN];
	size_t nport;
	const struct pcidev *fn[MAX_FN];	/* the set, in address order */
	size_t nfn;
	bool fresh[MAX_FN];		/* this run inserted its <hostdev> */
	struct target tgt[MAX_FN];	/* by the first function of each host slot */
	long building;			/* the function whose <hostdev> has no source yet */
	long new_port;			/* the root port being written, -1 for none */
	unsigned int new_port_slot;	/* its slot on pcie.0 */
	size_t added, removed;
	size_t moved;			/* --fix: functions moved to their card's slot */
	bool placed[MAX_FN];		/* --fix: given their card's guest slot, having none */
};

/* One pass's reading of the domain. */
struct view {
	xmlNodePtr devices;
	bool q35;
	uint8_t used[256][32];	/* a bit per function of each bus and slot */
	long max_index;		/* the highest PCI controller index or bus in use */
};

static bool is_el(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !n->ns && !strcmp((const char *)n->name, name);
}

static bool num_attr(xmlNodePtr n, const char *name, unsigned long max, unsigned int *out)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	unsigned long x = 0;
	char *end = NULL;
	bool ok;

	if (!v)
		return false;
	errno = 0;
	x = strtoul((const char *)v, &end, 0);
	ok = *v && *v != '-' && !*end && errno == 0 && x <= max;
	xmlFree(v);
	*out = (unsigned int)x;
	return ok;
}

/*
 * The bus, slot and function libvirt places a device at by its <address>
 * A, an attribute left out being 0 (domain_guest_address); false when it
 * places it nowhere: no PCI address, one all zero or one it refuses.
 */
static bool guest_addr(xmlNodePtr a, unsigned int *bus, unsigned int *slot, unsigned int *func)
{
	struct pci_addr g;

	if (!domain_guest_address(a, &g))
		return false;
	*bus = g.bus;
	*slot = g.slot;
	*func = g.func;
	return true;
}

static void mark_used(struct view *v, xmlNodePtr n)
{
	unsigned int bus, slot, func;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_el(n, "address") && guest_addr(n, &bus, &slot, &func))
			v->used[bus][slot] |= (uint8_t)(1u << func);
		mark_used(v, n->children);
	}
}

static bool port_free(const struct view *v, unsigned int bus)
{
	size_t s;

	for (s = 0; s < 32; s++)
		if (v->used[bus][s])
			return false;
	return true;
}

static void view_read(struct view *v, const struct domain *d)
{
	xmlNodePtr os = domain_child(d->root, "os"), type = domain_child(os, "type"), n;
	xmlChar *machine = type ? xmlGetNoNsProp(type, (const xmlChar *)"machine") : NULL;
	unsigned int index;

	memset(v, 0, sizeof(*v));
	v->devices = domain_child(d->root, "devices");
	v->q35 = machine && strstr((const char *)machine, "q35");
	xmlFree(machine);
	v->max_index = -1;
	if (v->devices)
		mark_used(v, v->devices->children);
	for (n = v->devices ? v->devices->children : NULL; n; n = n->next)
		if (is_el(n, "controller") && domain_attr_is(n, "type", "pci") &&
		    num_attr(n, "index", 0xff, &index) && (long)index > v->max_index)
			v->max_index = index;
	/*
	 * A new controller's index is past every bus a device names too, with
	 * or without its controller written out, and past pcie-root's 0.
	 */
	for (index = 0; index < 256; index++)
		if (!port_free(v, index) && (long)index > v->max_index)
			v->max_index = index;
	if (v->max_index < 0)
		v->max_index = 0;
	/* The host bridge, and the chipset's own functions: PIIX3 (i440fx), ICH9 (q35). */
	v->used[0][0] = 0xff;
	v->used[0][v->q35 ? 0x1f : 1] = 0xff;
}

/* The <hostdev mode='subsystem' type='pci'> whose source is A, or NULL. */
static xmlNodePtr find_hostdev(xmlNodePtr devices, const struct pci_addr *a)
{
	xmlNodePtr n, s;
	unsigned int dom, bus, slot, func;

	for (n = devices ? devices->children : NULL; n; n = n->next) {
		if (!is_el(n, "hostdev") || !domain_attr_is(n, "mode", "subsystem") ||
		    !domain_attr_is(n, "type", "pci"))
			continue;
		s = domain_child(domain_child(n, "source"), "address");
		if (s && num_attr(s, "domain", 0xffffffff, &dom) && num_attr(s, "bus", 0xff, &bus) &&
		    num_attr(s, "slot", 0x1f, &slot) && num_attr(s, "function", 7, &func) &&
		    dom == a->domain && bus == a->bus && slot == a->slot && func == a->func)
			return n;
	}
	return NULL;
}

/* A PCI <hostdev> without a host address: the one this run is writing, or one libvirt refuses. */
static xmlNodePtr unaddressed_hostdev(xmlNodePtr devices)
{
	xmlNodePtr n;

	for (n = devices ? devices->children : NULL; n; n = n->next)
		if (is_el(n, "hostdev") && domain_attr_is(n, "type", "pci") &&
		    !domain_child(domain_child(n, "source"), "address"))
			return n;
	return NULL;
}

static xmlNodePtr find_controller(xmlNodePtr devices, unsigned int index)
{
	xmlNodePtr n;
	unsigned int i;

	for (n = devices ? devices->children : NULL; n; n = n->next)
		if (is_el(n, "controller") && domain_attr_is(n, "type", "pci") &&
		    num_attr(n, "index", 0xff, &i) && i == index)
			return n;
	return NULL;
}

static void rec_add(struct run *r, const struct pcidev *d)
{
	size_t i;

	for (i = 0; i < r->nrec; i++)
		if (pci_addr_equal(&r->rec[i].addr, &d->addr))
			return;
	if (r->nrec == MAX_FN)
		return;
	r->rec[r->nrec].addr = d->addr;
	hostrec_ident(d, r->rec[r->nrec].ident, sizeof(r->rec[r->nrec].ident));
	r->nrec++;
}

/*
 * The record, and each recorded function checked against the host: one
 * that is now another device, or none, is what a VM must not take.
 */
static void rec_read(const struct hostdev_opts *o, struct doc *d, struct run *r,
		     struct hostdev_after *after)
{
	struct hostrec *rec = xcalloc(1, sizeof(*rec));
	char now[HOSTREC_IDENT_LEN], a[PCI_ADDR_LEN];

	r->read = true;
	hostrec_read(&d->dom, rec, &r->meta_added);
	for (r->nrec = 0; r->nrec < rec->nfn; r->nrec++) {
		r->rec[r->nrec].addr = rec->fn[r->nrec].addr;
		memcpy(r->rec[r->nrec].ident, rec->fn[r->nrec].ident, sizeof(r->rec[r->nrec].ident));
	}
	r->nport = rec->nport;
	memcpy(r->port, rec->port, sizeof(r->port));
	free(rec);
	for (size_t i = 0; i < r->nrec; i++) {
		long k = pcidevs_find(o->host, &r->rec[i].addr);

		if (k >= 0)
			hostrec_ident(&o->host->dev[k], now, sizeof(now));
		if (k >= 0 && !strcmp(now, r->rec[i].ident))
			continue;
		after->renumbered++;
		/* --remove takes them out all the same: nothing to say. */
		if (o->remove)
			continue;
		pci_addr_format(&r->rec[i].addr, a);
		if (k < 0)
			report_warn("'%s' takes %s, recorded as %s, and the host has no such device now: "
				    "the host's PCI numbering changed; --remove takes out what was added", d->name, a,
				    r->rec[i].ident);
		else
			report_warn("'%s' takes %s, recorded as %s, and it is now %s: the host's PCI "
				    "numbering changed, and the VM would take another device; --remove takes out "
				    "what was added", d->name, a,
				    r->rec[i].ident, now);
	}
}

/* The next change that makes the record hold what R's says; NULL when it does. */
static char *rec_write(struct doc *d, struct run *r, size_t *len)
{
	struct strbuf added = STRBUF_INIT, ports = STRBUF_INIT;
	const char *attrs[5];
	char a[PCI_ADDR_LEN], *out;
	size_t i, n = 0;

	for (i = 0; i < r->nrec; i++) {
		if (r->rec[i].done)
			continue;
		strbuf_addf(&added, "%s%s/%s", added.len ? " " : "", pci_addr_format(&r->rec[i].addr, a),
			    r->rec[i].ident);
	}
	for (i = 0; i < r->nport; i++)
		if (!r->port_done[i])
			strbuf_addf(&ports, "%s%u", ports.len ? " " : "", r->port[i]);
	if (added.len) {
		attrs[n++] = "added";
		attrs[n++] = added.buf;
	}
	if (ports.len) {
		attrs[n++] = "ports";
		attrs[n++] = ports.buf;
	}
	attrs[n] = NULL;
	out = record_step(&d->src, &d->dom, RECORD_TOOL, attrs, &r->meta_added, len);
	strbuf_release(&added);
	strbuf_release(&ports);
	return out;
}

static char *insert(struct doc *d, xmlNodePtr parent, const char *name, const char *const *attrs,
		    const char *const *before, size_t *len)
{
	char *markup = xmlsplice_markup(&d->src, name, attrs), *out;

	out = xmlsplice_insert(&d->src, parent, markup, before, len);
	free(markup);
	return out;
}

/* The first function of FN's host slot: the key of its guest slot. */
static size_t slot_head(const struct run *r, size_t i)
{
	while (i > 0 && pcidev_same_slot(r->fn[i - 1], r->fn[i]))
		i--;
	return i;
}

/* The functions of host slot HEAD that the domain has no <hostdev> for, as bits. */
static uint8_t missing(const struct run *r, const struct view *v, size_t head)
{
	uint8_t m = 0;
	size_t i;

	for (i = head; i < r->nfn && pcidev_same_slot(r->fn[head], r->fn[i]); i++)
		if (!find_hostdev(v->devices, &r->fn[i]->addr))
			m |= (uint8_t)(1u << r->fn[i]->addr.func);
	return m;
}

/*
 * Whether hostdev H has no guest address, where libvirt picks a slot
 * itself: none written, or a PCI one whose domain, bus and slot are 0
 * (written or left out); one libvirt refuses counts as none too.  A PCI
 * address lacking only some of them is where libvirt reads it, the rest 0.
 */
static bool unplaced(xmlNodePtr h)
{
	xmlNodePtr a = domain_child(h, "address");
	unsigned int bus, slot, func;

	return !a || (domain_attr_is(a, "type", "pci") && !guest_addr(a, &bus, &slot, &func));
}

/* The functions of host slot HEAD the domain has without a guest address, as bits. */
static uint8_t bare(const struct run *r, const struct view *v, size_t head)
{
	uint8_t m = 0;
	size_t i;

	for (i = head; i < r->nfn && pcidev_same_slot(r->fn[head], r->fn[i]); i++) {
		xmlNodePtr h = find_hostdev(v->devices, &r->fn[i]->addr);

		if (h && unplaced(h))
			m |= (uint8_t)(1u << r->fn[i]->addr.func);
	}
	return m;
}

/* How many functions of the set host slot HEAD has. */
static size_t slot_size(const struct run *r, size_t head)
{
	size_t i;

	for (i = head; i < r->nfn && pcidev_same_slot(r->fn[head], r->fn[i]); i++)
		;
	return i - head;
}

/* A slot of pcie.0 (q35) or pci.0 (i440fx) with every function free; 0 for none. */
static unsigned int free_root_slot(const struct view *v)
{
	unsigned int s;

	for (s = 1; s < 32; s++)
		if (!v->used[0][s])
			return s;
	return 0;
}

/*
 * Where host slot HEAD goes: the guest slot its functions in the domain
 * share when the rest are free there, else a free one.  False with
 * *ADD_PORT when a q35 domain needs a root port first; false alone after
 * printing why there is none.
 */
static bool choose(struct doc *d, struct run *r, const struct view *v, size_t head,
		   bool *add_port)
{
	uint8_t need = missing(r, v, head);
	struct target *t = &r->tgt[head];
	unsigned int bus, slot, func, idx;
	bool seen = false, one = true;
	xmlNodePtr n;
	size_t i;

	*add_port = false;
	for (i = head; i < r->nfn && pcidev_same_slot(r->fn[head], r->fn[i]); i++) {
		xmlNodePtr h = find_hostdev(v->devices, &r->fn[i]->addr);

		if (!h || !guest_addr(domain_child(h, "address"), &bus, &slot, &func))
			continue;
		if (seen && (bus != t->bus || slot != t->slot))
			one = false;
		if (!seen) {
			t->bus = bus;
			t->slot = slot;
		}
		seen = true;
	}
	if (seen && one && !(v->used[t->bus][t->slot] & need)) {
		t->set = true;
		return true;
	}
	if (v->q35) {
		for (n = v->devices ? v->devices->children : NULL; n; n = n->next) {
			if (!is_el(n, "controller") || !domain_attr_is(n, "type", "pci") ||
			    !domain_attr_is(n, "model", "pcie-root-port") ||
			    !num_attr(n, "index", 0xff, &idx) || idx == 0)
				continue;
			if (port_free(v, idx)) {
				t->bus = idx;
				t->slot = 0;
				t->set = true;
				return true;
			}
		}
		*add_port = true;
		return false;
	}
	if ((slot = free_root_slot(v))) {
		t->bus = 0;
		t->slot = slot;
		t->set = true;
		return true;
	}
	warnx("could not add to '%s': pci.0 has no free slot", d->name);
	r->failed = true;
	return false;
}

/* The next step of writing the root port R->new_port; NULL when it is whole. */
static char *port_step(struct doc *d, struct run *r, const struct view *v, size_t *len)
{
	xmlNodePtr c = find_controller(v->devices, (unsigned int)r->new_port);
	char idx[24], port[24], slot[24];

	if (!c)
		return NULL;
	if (!domain_child(c, "model")) {
		static const char *const a[] = { "name", "pcie-root-port", NULL };

		return insert(d, c, "model", a, NULL, len);
	}
	if (!domain_child(c, "target")) {
		const char *a[] = { "chassis", idx, "port", port, NULL };

		snprintf(idx, sizeof(idx), "%ld", r->new_port);
		snprintf(port, sizeof(port), "0x%x", r->new_port_slot << 3);
		return insert(d, c, "target", a, NULL, len);
	}
	if (!domain_child(c, "address")) {
		const char *a[] = { "type", "pci", "domain", "0x0000", "bus", "0x00", "slot", slot,
				    "function", "0x0", NULL };

		snprintf(slot, sizeof(slot), "0x%02x", r->new_port_slot);
		return insert(d, c, "address", a, NULL, len);
	}
	return NULL;
}

/* The next step of writing function I's <hostdev>; NULL when it is whole. */
static char *hostdev_step(const struct hostdev_opts *o, struct doc *d, struct run *r,
			  const struct view *v, size_t i, size_t *len)
{
	const struct pcidev *f = r->fn[i];
	const struct target *t = &r->tgt[slot_head(r, i)];
	xmlNodePtr h = find_hostdev(v->devices, &f->addr);
	char dom[16], bus[16], slot[16], func[16];
	size_t k, nfunc = 0;

	if (!h || !r->fresh[i])
		return NULL;
	if (o->rom && pcidev_is_display(f) && !domain_child(h, "rom")) {
		const char *a[] = { "file", o->rom, NULL };

		return insert(d, h, "rom", a, address_before, len);
	}
	if (domain_child(h, "address"))
		return NULL;
	for (k = slot_head(r, i); k < r->nfn && pcidev_same_slot(r->fn[k], f); k++)
		nfunc++;
	snprintf(bus, sizeof(bus), "0x%02x", t->bus);
	snprintf(slot, sizeof(slot), "0x%02x", t->slot);
	snprintf(func, sizeof(func), "0x%x", f->addr.func);
	snprintf(dom, sizeof(dom), "0x0000");
	{
		const char *a[] = { "type", "pci", "domain", dom, "bus", bus, "slot", slot,
				    "function", func, f->addr.func == 0 && nfunc > 1 &&
				    !o->no_multifunction ? "multifunction" : NULL, "on", NULL };

		return insert(d, h, "address", a, NULL, len);
	}
}

/* What this run has put in place counts as used while it is written. */
static void mark_targets(const struct run *r, struct view *v)
{
	size_t i;

	for (i = 0; i < r->nfn; i++) {
		const struct target *t = &r->tgt[slot_head(r, i)];

		if (t->set)
			v->used[t->bus][t->slot] |= (uint8_t)(1u << r->fn[i]->addr.func);
	}
	if (r->new_port >= 0)
		v->used[0][r->new_port_slot] = 0xff;
}

/* A root port for host slot HEAD: the controller, its parts follow (port_step). */
static char *add_port(struct doc *d, struct run *r, const struct view *v, size_t head, size_t *len)
{
	char idx[24];
	const char *a[] = { "type", "pci", "index", idx, "model", "pcie-root-port", NULL };
	unsigned int slot = free_root_slot(v);
	xmlNodePtr n, last = NULL;

	if (v->max_index >= 0xff || !slot || r->nport == MAX_FN) {
		warnx("could not add to '%s': pcie.0 has no free slot for another pcie-root-port", d->name);
		r->failed = true;
		return NULL;
	}
	r->new_port = v->max_index + 1;
	r->new_port_slot = slot;
	r->port[r->nport++] = (unsigned int)r->new_port;
	r->tgt[head].bus = (unsigned int)r->new_port;
	r->tgt[head].slot = 0;
	r->tgt[head].set = true;
	snprintf(idx, sizeof(idx), "%ld", r->new_port);
	/* libvirt keeps the controllers of a type together, by index: after the last PCI one. */
	for (n = v->devices->children; n; n = n->next)
		if (is_el(n, "controller") && domain_attr_is(n, "type", "pci"))
			last = n;
	if (last) {
		char *markup = xmlsplice_markup(&d->src, "controller", a), *out;

		out = xmlsplice_insert_after(&d->src, last, markup, len);
		free(markup);
		return out;
	}
	return insert(d, v->devices, "controller", a, controller_before, len);
}

/*
 * --fix: the next change that moves a function of host slot HEAD the
 * domain has on another guest slot than the first of them to that one,
 * with multifunction='on' on function 0 there; NULL when none is left.
 */
static char *fix_step(const struct hostdev_opts *o, struct doc *d, struct run *r,
		      const struct view *v, size_t head, size_t *len)
{
	unsigned int bus, slot, func, want, b0 = 0, s0 = 0;
	xmlNodePtr a, first = NULL;
	bool placed = false;
	char buf[16];
	size_t i;

	for (i = head; i < r->nfn && pcidev_same_slot(r->fn[head], r->fn[i]); i++) {
		xmlNodePtr h = find_hostdev(v->devices, &r->fn[i]->addr);

		/*
		 * One place_step is giving its card's slot, an attribute a
		 * pass: placed as libvirt reads it before it is whole, it is
		 * left to finish.
		 */
		if (r->placed[i])
			continue;
		a = h ? domain_child(h, "address") : NULL;
		if (!guest_addr(a, &bus, &slot, &func))
			continue;
		if (!first) {
			first = a;
			b0 = bus;
			s0 = slot;
			continue;
		}
		want = r->fn[i]->addr.func;
		if (bus == b0 && slot == s0 && func == want)
			continue;
		if (!(bus == b0 && slot == s0) && (v->used[b0][s0] & (1u << want))) {
			char h1[PCI_ADDR_LEN];

			warnx("could not move %s in '%s' to guest slot %02x:%02x: its function %u is taken",
			      pci_addr_format(&r->fn[i]->addr, h1), d->name, b0, s0, want);
			r->failed = true;
			return NULL;
		}
		/* Three attributes, one a pass: counted once, on the first. */
		if (bus != b0) {
			r->moved++;
			snprintf(buf, sizeof(buf), "0x%02x", b0);
			return xmlsplice_set_attr(&d->src, a, "bus", buf, len);
		}
		if (slot != s0) {
			r->moved++;
			snprintf(buf, sizeof(buf), "0x%02x", s0);
			return xmlsplice_set_attr(&d->src, a, "slot", buf, len);
		}
		snprintf(buf, sizeof(buf), "0x%x", want);
		return xmlsplice_set_attr(&d->src, a, "function", buf, len);
	}
	for (i = head; i < r->nfn && pcidev_same_slot(r->fn[head], r->fn[i]); i++)
		placed |= r->placed[i];
	if ((r->moved || placed) && !o->no_multifunction) {
		for (i = head; i < r->nfn && pcidev_same_slot(r->fn[head], r->fn[i]); i++) {
			xmlNodePtr h = find_hostdev(v->devices, &r->fn[i]->addr);

			a = h ? domain_child(h, "address") : NULL;
			if (!r->placed[i] && guest_addr(a, &bus, &slot, &func) && func == 0 &&
			    !domain_attr_is(a, "multifunction", "on"))
				return xmlsplice_set_attr(&d->src, a, "multifunction", "on", len);
		}
	}
	return NULL;
}

/*
 * --fix: where host slot HEAD goes when the domain has some of its
 * functions without a guest address: the guest slot of those that have
 * one (on one slot by now, fix_step), when the function numbers the rest
 * need are free there, else a free slot as for an add (choose).  False
 * with *ADD_PORT when a q35 domain needs a root port first; false alone
 * after printing why there is none.
 */
static bool place_target(struct doc *d, struct run *r, const struct view *v, size_t head,
			 bool *add_port)
{
	uint8_t need = missing(r, v, head) | bare(r, v, head);
	unsigned int bus, slot, func;
	char a[PCI_ADDR_LEN];
	size_t i, k;

	*add_port = false;
	for (i = head; i < r->nfn && pcidev_same_slot(r->fn[head], r->fn[i]); i++) {
		xmlNodePtr h = find_hostdev(v->devices, &r->fn[i]->addr);

		if (!h || !guest_addr(domain_child(h, "address"), &bus, &slot, &func))
			continue;
		for (k = head; k < r->nfn && pcidev_same_slot(r->fn[head], r->fn[k]); k++) {
			func = r->fn[k]->addr.func;
			if (!(need & v->used[bus][slot] & (1u << func)))
				continue;
			warnx("could not put %s in '%s' on guest slot %02x:%02x: its function %u is taken",
			      pci_addr_format(&r->fn[k]->addr, a), d->name, bus, slot, func);
			r->failed = true;
			return false;
		}
		r->tgt[head].bus = bus;
		r->tgt[head].slot = slot;
		r->tgt[head].set = true;
		return true;
	}
	return choose(d, r, v, head, add_port);
}

/*
 * --fix: the next change giving function I, which the domain has without
 * a guest address, its card's guest slot at its host function number,
 * with multifunction='on' on function 0; NULL when it has them.
 */
static char *place_step(const struct hostdev_opts *o, struct doc *d, struct run *r,
			const struct view *v, size_t i, size_t *len)
{
	const struct pcidev *f = r->fn[i];
	const struct target *t = &r->tgt[slot_head(r, i)];
	xmlNodePtr h = find_hostdev(v->devices, &f->addr), a = domain_child(h, "address");
	bool mf = f->addr.func == 0 && slot_size(r, slot_head(r, i)) > 1 && !o->no_multifunction;
	char bus[16], slot[16], func[16];
	const char *want[] = { "type", "pci", "domain", "0x0000", "bus", bus, "slot", slot,
			       "function", func, mf ? "multifunction" : NULL, "on", NULL };
	unsigned int x;
	size_t k;

	r->placed[i] = true;
	snprintf(bus, sizeof(bus), "0x%02x", t->bus);
	snprintf(slot, sizeof(slot), "0x%02x", t->slot);
	snprintf(func, sizeof(func), "0x%x", f->addr.func);
	if (!a)
		return insert(d, h, "address", want, NULL, len);
	/* A PCI address that leaves the rest to libvirt: what it lacks, one attribute a pass. */
	for (k = 2; want[k]; k += 2) {
		xmlChar *cur = xmlGetNoNsProp(a, (const xmlChar *)want[k]);
		bool same = cur && (k < 10 ? num_attr(a, want[k], 0xffffffff, &x) &&
				    x == strtoul(want[k + 1], NULL, 16) :
				    !strcmp((const char *)cur, want[k + 1]));

		xmlFree(cur);
		if (!same)
			return xmlsplice_set_attr(&d->src, a, want[k], want[k + 1], len);
	}
	return NULL;
}

/* The next change adding the set needs, as the new text; NULL when none is left. */
static char *add_step(const struct hostdev_opts *o, struct doc *d, struct run *r, struct view *v,
		      size_t *len)
{
	static const char *const hostdev_attrs[] = {
		"mode", "subsystem", "type", "pci", "managed", "yes", NULL,
	};
	xmlNodePtr h;
	char *out;
	size_t i;

	if (!v->devices) {
		warnx("could not add to '%s': it has no <devices>", d->name);
		r->failed = true;
		return NULL;
	}
	mark_targets(r, v);
	if (r->new_port >= 0) {
		if ((out = port_step(d, r, v, len)))
			return out;
		r->new_port = -1;
	}
	if ((h = unaddressed_hostdev(v->devices)) && r->building >= 0) {
		const struct pci_addr *a = &r->fn[r->building]->addr;
		char dom[16], bus[16], slot[16], func[16];
		const char *attrs[] = { "domain", dom, "bus", bus, "slot", slot, "function", func, NULL };

		if (!domain_child(h, "source"))
			return insert(d, h, "source", NULL, NULL, len);
		snprintf(dom, sizeof(dom), "0x%04x", a->domain);
		snprintf(bus, sizeof(bus), "0x%02x", a->bus);
		snprintf(slot, sizeof(slot), "0x%02x", a->slot);
		snprintf(func, sizeof(func), "0x%x", a->func);
		return insert(d, domain_child(h, "source"), "address", attrs, NULL, len);
	}
	r->building = -1;
	for (i = 0; o->fix && i < r->nfn; i++)
		if (slot_head(r, i) == i && (out = fix_step(o, d, r, v, i, len)))
			return out;
	if (r->failed)
		return NULL;
	/* A lone function without a guest address is left to libvirt, which gives it a slot. */
	for (i = 0; o->fix && i < r->nfn; i++) {
		size_t head = slot_head(r, i);
		xmlNodePtr has = find_hostdev(v->devices, &r->fn[i]->addr);
		bool need_port;

		if (!has || slot_size(r, head) < 2 || (!r->placed[i] && !unplaced(has)))
			continue;
		if (!r->tgt[head].set && !place_target(d, r, v, head, &need_port))
			return need_port ? add_port(d, r, v, head, len) : NULL;
		if ((out = place_step(o, d, r, v, i, len)))
			return out;
	}
	for (i = 0; i < r->nfn; i++) {
		size_t head = slot_head(r, i);
		bool need_port;

		if ((out = hostdev_step(o, d, r, v, i, len)))
			return out;
		if (find_hostdev(v->devices, &r->fn[i]->addr))
			continue;
		if (!r->tgt[head].set && !choose(d, r, v, head, &need_port))
			return need_port ? add_port(d, r, v, head, len) : NULL;
		r->building = (long)i;
		r->fresh[i] = true;
		r->added++;
		rec_add(r, r->fn[i]);
		return insert(d, v->devices, "hostdev", hostdev_attrs, hostdev_before, len);
	}
	return rec_write(d, r, len);
}

/* The next change taking out what the record names; NULL when none is left. */
static char *remove_step(struct doc *d, struct run *r, const struct view *v, size_t *len)
{
	xmlNodePtr n;
	size_t i;

	for (i = 0; i < r->nrec; i++) {
		if (r->rec[i].done)
			continue;
		r->rec[i].done = true;
		if ((n = find_hostdev(v->devices, &r->rec[i].addr))) {
			r->removed++;
			return xmlsplice_remove(&d->src, n, len);
		}
	}
	for (i = 0; i < r->nport; i++) {
		if (r->port_done[i])
			continue;
		r->port_done[i] = true;
		n = find_controller(v->devices, r->port[i]);
		/* A root port something else now sits on stays, and leaves the record. */
		if (n && port_free(v, r->port[i]) && domain_attr_is(n, "model", "pcie-root-port"))
			return xmlsplice_remove(&d->src, n, len);
	}
	return rec_write(d, r, len);
}

/* Host slots whose functions the domain has on more than one guest slot. */
static void find_split(struct doc *d, const struct run *r, const struct view *v,
		       struct hostdev_after *after, bool quiet, bool fix)
{
	unsigned int bus, slot, func, b0 = 0, s0 = 0;
	char a[PCI_ADDR_LEN];
	size_t i, head;

	for (head = 0; head < r->nfn; head = i) {
		bool seen = false, split = false;
		size_t nbare = 0;

		for (i = head; i < r->nfn && pcidev_same_slot(r->fn[head], r->fn[i]); i++) {
			xmlNodePtr h = find_hostdev(v->devices, &r->fn[i]->addr);

			if (!h)
				continue;
			if (unplaced(h)) {
				nbare++;
				continue;
			}
			if (!guest_addr(domain_child(h, "address"), &bus, &slot, &func))
				continue;
			split |= seen && (bus != b0 || slot != s0);
			if (!seen) {
				b0 = bus;
				s0 = slot;
			}
			seen = true;
		}
		pci_addr_format(&r->fn[head]->addr, a);
		/* libvirt gives each function without an address a slot of its own. */
		if (i - head > 1 && nbare) {
			after->unaddressed++;
			if (!fix)
				report_warn("'%s' has functions of the card at %.*s without a guest "
					    "address: libvirt puts each on a slot of its own; --fix puts "
					    "them on one", d->name, (int)strlen(a) - 2, a);
		}
		if (!split)
			continue;
		after->split++;
		if (!quiet)
			report_warn("'%s' has the functions of the card at %.*s on more than one guest "
				    "slot: the GPU drivers expect them on one, as on the host", d->name,
				    (int)strlen(a) - 2, a);
	}
}

char *hostdev_edit(const struct hostdev_opts *o, char *text, size_t len, const char *name,
		   size_t *outlen, struct hostdev_after *after)
{
	struct doc d = { .name = name, .text = text, .len = len };
	struct run *r = xcalloc(1, sizeof(*r));
	struct view *v = xcalloc(1, sizeof(*v));
	size_t i;
	int pass;

	r->building = -1;
	r->new_port = -1;
	for (i = 0; o->take && i < o->host->n; i++) {
		if (!o->take[i])
			continue;
		if (r->nfn == MAX_FN) {
			warnx("could not add to '%s': more than %d functions", name, MAX_FN);
			goto fail;
		}
		r->fn[r->nfn++] = &o->host->dev[i];
	}
	for (pass = 0; ; pass++) {
		char *next;
		size_t nlen = 0;

		if (xmlsplice_parse(&d.dom, &d.src, d.text, d.len, name) < 0)
			goto fail;
		view_read(v, &d.dom);
		if (!r->read) {
			rec_read(o, &d, r, after);
			if (!o->remove && after->renumbered)
				r->failed = true;
			if (!o->remove && unaddressed_hostdev(v->devices)) {
				warnx("could not edit '%s': a PCI <hostdev> has no host address, which "
				      "libvirt refuses", name);
				r->failed = true;
			}
			if (!o->remove)
				find_split(&d, r, v, after, o->check || o->fix, o->fix);
		}
		next = r->failed ? NULL : o->remove ? remove_step(&d, r, v, &nlen) :
		       add_step(o, &d, r, v, &nlen);
		if (!next)
			domain_child_text(d.dom.root, "name", after->name, sizeof(after->name));
		xmlsplice_free(&d.src);
		domain_free(&d.dom);
		if (r->failed)
			goto fail;
		if (!next)
			break;
		if (d.text != text)
			free(d.text);
		d.text = next;
		d.len = nlen;
		if (pass == MAX_PASSES) {
			warnx("could not edit '%s': it keeps changing", name);
			goto fail;
		}
	}
	after->added = r->added;
	after->removed = r->removed;
	after->moved = r->moved;
	free(r);
	free(v);
	*outlen = d.len;
	return d.text;
fail:
	free(r);
	free(v);
	if (d.text != text)
		free(d.text);
	return NULL;
}
