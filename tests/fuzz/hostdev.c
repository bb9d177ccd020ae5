/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtxml-hostdev's edit of a libvirt domain (hostdev.h): a two-function
 * card, 07:00.0 (VGA) and 07:00.1 (HDMI audio), added, then taken out
 * again.  Parts after the first: the first byte of the second sets the
 * options (bits: --no-multifunction, --rom, --fix).
 *
 * Properties: what adding writes parses and has a <hostdev> for both
 * functions, with --fix on one guest slot; adding again changes nothing; taking out what was added
 * leaves no record, and taking out again changes nothing; for a domain
 * that had no record and no hostdev of the card, taking out gives back
 * the bytes, where adding did not open up an element written <a/>
 * (<devices/>: see opened()).
 */
#include <stdlib.h>
#include <string.h>

#include "virt/hostdev.h"
#include "virt/domain.h"
#include "virt/record.h"
#include "fuzz.h"

static struct pcidev card[2] = {
	{ .addr = { 0, 7, 0, 0 }, .name = "0000:07:00.0", .vendor = 0x1002, .device = 0x73ff,
	  .class = 0x030000, .subsys_vendor = 0x1462, .subsys_device = 0x5022, .group = 18 },
	{ .addr = { 0, 7, 0, 1 }, .name = "0000:07:00.1", .vendor = 0x1002, .device = 0xab28,
	  .class = 0x040300, .subsys_vendor = 0x1002, .subsys_device = 0xab28, .group = 19 },
};
static const struct pcidevs host = { .dev = card, .n = 2 };
static const bool take[2] = { true, true };

static char *edit(const struct hostdev_opts *o, const char *text, size_t len, size_t *outlen)
{
	struct hostdev_after after = { 0 };
	char *in = fuzz_nonnull(malloc(len + 1)), *out;

	memcpy(in, text, len);
	in[len] = '\0';
	out = hostdev_edit(o, in, len, "fuzz", outlen, &after);
	if (out == in)
		return in;
	free(in);
	return out;
}

static bool same(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && !memcmp(a, b, alen);
}

/* Whether the domain's record of this tool and its hostdevs of the card: none of them. */
static bool untouched(const char *text, size_t len)
{
	struct pci_addr a[64];
	struct domain d;
	size_t n, i;
	bool none;

	if (domain_parse(&d, text, len, "fuzz") < 0)
		return false;
	none = !record_find(&d, "hostdev", NULL);
	n = domain_hostdev_pci(&d, a, 64);
	for (i = 0; i < n && i < 64; i++)
		none &= a[i].bus != 7;
	/* <devices/> is opened up by the first child: taking it out leaves <devices></devices>. */
	none &= !domain_child(d.root, "devices") || domain_child(d.root, "devices")->children;
	domain_free(&d);
	return none;
}

static bool has_card(const char *text, size_t len)
{
	struct pci_addr a[64];
	struct domain d;
	size_t n, i;
	int seen = 0;

	CHECK(domain_parse(&d, text, len, "fuzz") == 0);
	n = domain_hostdev_pci(&d, a, 64);
	for (i = 0; i < n && i < 64; i++)
		if (a[i].bus == 7 && a[i].slot == 0 && a[i].func < 2)
			seen |= 1 << a[i].func;
	domain_free(&d);
	return seen == 3;
}

/* An attribute of EL as a number, -1 when it is none or no number. */
static long num(xmlNodePtr el, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(el, (const xmlChar *)name);
	char *end = NULL;
	long x = -1;

	if (v && *v && *v != '-') {
		x = strtol((const char *)v, &end, 0);
		if (*end)
			x = -1;
	}
	xmlFree(v);
	return x;
}

/* An attribute of a guest address EL as libvirt reads it: 0 when left out, -1 when no number. */
static long gnum(xmlNodePtr el, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(el, (const xmlChar *)name);
	bool none = !v;

	xmlFree(v);
	return none ? 0 : num(el, name);
}

/*
 * --fix: the first hostdev of each function of the card has a PCI guest
 * address libvirt places it at (an attribute left out is 0, and domain,
 * bus and slot are not all 0), or one of another type, which is not the
 * tool's; those with one share a bus and slot.
 */
static bool one_slot(const char *text, size_t len)
{
	struct domain d;
	xmlNodePtr dev, n, s, a;
	long bus = -1, slot = -1, b, sl;
	bool ok = true;
	int seen = 0;

	CHECK(domain_parse(&d, text, len, "fuzz") == 0);
	dev = domain_child(d.root, "devices");
	for (n = dev ? dev->children : NULL; n; n = n->next) {
		long f;

		if (n->type != XML_ELEMENT_NODE || n->ns || strcmp((const char *)n->name, "hostdev") ||
		    !domain_attr_is(n, "mode", "subsystem") || !domain_attr_is(n, "type", "pci"))
			continue;
		s = domain_child(domain_child(n, "source"), "address");
		if (!s || num(s, "domain") != 0 || num(s, "bus") != 7 || num(s, "slot") != 0)
			continue;
		f = num(s, "function");
		if (f < 0 || f > 1 || seen & (1 << f))
			continue;
		seen |= 1 << f;
		a = domain_child(n, "address");
		if (a && !domain_attr_is(a, "type", "pci"))
			continue;
		b = a ? gnum(a, "bus") : -1;
		sl = a ? gnum(a, "slot") : -1;
		ok &= b >= 0 && b <= 0xff && sl >= 0 && sl <= 0x1f && gnum(a, "function") >= 0 &&
		      gnum(a, "function") <= 7 && gnum(a, "domain") >= 0 &&
		      (b || sl || gnum(a, "domain"));
		ok &= bus < 0 || (b == bus && sl == slot);
		bus = b;
		slot = sl;
	}
	domain_free(&d);
	return ok;
}

static void add_and_back(struct hostdev_opts *o, const char *text, size_t len)
{
	size_t alen, blen, rlen, r2len;
	char *a, *b, *r, *r2;
	bool orig = untouched(text, len);

	o->remove = false;
	o->take = take;
	a = edit(o, text, len, &alen);
	if (!a)
		return;
	CHECK(has_card(a, alen));
	if (o->fix)
		CHECK(one_slot(a, alen));
	b = edit(o, a, alen, &blen);
	CHECK(b && same(a, alen, b, blen));
	o->remove = true;
	o->take = NULL;
	r = edit(o, a, alen, &rlen);
	CHECK(r);
	if (orig && !o->fix)
		CHECK(same(r, rlen, text, len));
	r2 = edit(o, r, rlen, &r2len);
	CHECK(r2 && same(r, rlen, r2, r2len));
	free(a);
	free(b);
	free(r);
	free(r2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hostdev_opts o = { .check = true, .host = &host };
	struct parts p;

	parts_split(&p, data, size, 2);
	if (p.n > 1 && p.len[1] > 0) {
		o.no_multifunction = p.s[1][0] & 1;
		o.rom = p.s[1][0] & 2 ? "/var/lib/libvirt/vbios/card.rom" : NULL;
		o.fix = p.s[1][0] & 4;
	}
	add_and_back(&o, p.s[0], p.len[0]);
	parts_free(&p);
	return 0;
}
