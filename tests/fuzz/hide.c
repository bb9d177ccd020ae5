/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libvirt domain XML read safely (domain.h), tied to its text (xmlsplice.h),
 * and virtxml-hide's edit of it: hiding the hypervisor and taking out
 * again what hiding put in.  Parts after the first: the first byte of
 * the second says what to hide (bits: KVM, vendor id, CPU hypervisor
 * bit); without it, KVM and the vendor id, then all three.
 *
 * Properties: what hiding writes parses, hides what was asked (the
 * readers say so) and hiding again changes nothing; taking it out
 * leaves none of it, and taking out again changes nothing; on a domain
 * that had none of it, taking out what hiding put in gives back the
 * bytes, where hiding did not have to open up an element it found
 * written <a/> or fill a container that was there already (see
 * narrowed()).
 */
#include <stdlib.h>
#include <string.h>

#include "virt/hide.h"
#include "virt/domain.h"
#include "fuzz.h"
#include "virt/xmlsplice.h"

static bool parse(struct domain *d, const char *text, size_t len)
{
	return domain_parse(d, text, len, "fuzz") == 0;
}

static char *edit(const struct hide_opts *o, const char *text, size_t len, size_t *outlen)
{
	struct hide_after after;
	char *in = fuzz_nonnull(malloc(len + 1)), *out;

	memcpy(in, text, len);
	in[len] = '\0';
	out = hide_edit(o, in, len, "fuzz", outlen, &after);
	if (out == in)
		return in;
	free(in);
	return out;
}

static bool same(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && !memcmp(a, b, alen);
}

/*
 * Where taking out does not give back the bytes, and rightly: it cannot
 * tell a container hiding filled from one it made, so an element that
 * hiding fills (<kvm>, <hyperv>, <cpu>) and that holds nothing else is
 * taken out or closed up as if hiding had made it.
 */
static bool narrowed(const struct hide_opts *o, const struct domain *d)
{
	xmlNodePtr features = domain_child(d->root, "features");

	return (o->kvm && domain_child(features, "kvm")) ||
	       (o->vendor && domain_child(features, "hyperv")) ||
	       (o->cpu && domain_child(d->root, "cpu"));
}

static void hide_and_back(const struct hide_opts *o, const char *text, size_t len)
{
	struct hide_opts rm = *o;
	struct domain d;
	size_t l1, l2, l3, l0;
	char *once, *twice, *back, *none;
	bool had;

	rm.remove = true;
	once = edit(o, text, len, &l1);
	if (!once)
		return;
	CHECK(parse(&d, once, l1));
	CHECK(!o->kvm || domain_kvm_hidden(&d));
	CHECK(!o->cpu || domain_cpu_hypervisor_off(&d));
	if (o->vendor && domain_hyperv_mode(&d) != HYPERV_PASSTHROUGH) {
		char v[DOMXML_VENDOR_ID_MAX + 1];

		CHECK(domain_vendor_id(&d, v, sizeof(v)));
	}
	domain_free(&d);
	twice = edit(o, once, l1, &l2);
	CHECK(twice && same(twice, l2, once, l1));
	free(twice);

	back = edit(&rm, once, l1, &l2);
	CHECK(back != NULL);
	CHECK(parse(&d, back, l2));
	CHECK(!o->kvm || !domain_child(domain_child(domain_child(d.root, "features"), "kvm"), "hidden"));
	CHECK(!o->vendor ||
	      !domain_child(domain_child(domain_child(d.root, "features"), "hyperv"), "vendor_id"));
	domain_free(&d);
	twice = edit(&rm, back, l2, &l3);
	CHECK(twice && same(twice, l3, back, l2));
	free(twice);

	none = edit(&rm, text, len, &l0);
	had = !none || !same(none, l0, text, len);
	free(none);
	CHECK(parse(&d, text, len));
	if (!had && !narrowed(o, &d))
		CHECK(same(back, l2, text, len));
	domain_free(&d);
	free(back);
	free(once);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hide_opts o = { .check = true };
	struct domain d;
	struct xmlsplice s;
	struct parts p;

	parts_split(&p, data, size, 2);
	if (!parse(&d, p.s[0], p.len[0]))
		goto out;
	if (xmlsplice_scan(&s, p.s[0], p.len[0], d.doc) == 0)
		xmlsplice_free(&s);
	domain_free(&d);
	if (p.n > 1 && p.len[1] > 0) {
		o.kvm = p.s[1][0] & 1;
		o.vendor = p.s[1][0] & 2;
		o.cpu = p.s[1][0] & 4;
		if (o.kvm || o.vendor || o.cpu)
			hide_and_back(&o, p.s[0], p.len[0]);
	} else {
		o.kvm = o.vendor = true;
		hide_and_back(&o, p.s[0], p.len[0]);
		o.cpu = true;
		hide_and_back(&o, p.s[0], p.len[0]);
	}
out:
	parts_free(&p);
	return 0;
}
