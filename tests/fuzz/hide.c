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
 * leaves none of what hiding added, and of what the domain had only what
 * the record (record.h) shows was there before, and taking out again
 * changes nothing; taking out what hiding put in and recorded gives back
 * the bytes, where hiding did not have to open up an element it found
 * written <a/> or fill a container that was there already (see
 * narrowed()).  A domain hiding left as it was has no record: taking out
 * leaves none of it, as before the record.
 */
#include <stdlib.h>
#include <string.h>

#include "virt/hide.h"
#include "virt/domain.h"
#include "virt/record.h"
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

	xmlNodePtr meta = domain_child(d->root, "metadata"), n;
	bool meta_shut = meta != NULL;

	/* The record goes into <metadata>, opening up one written <metadata/>. */
	for (n = meta ? meta->children : NULL; n; n = n->next)
		meta_shut &= n->type != XML_ELEMENT_NODE;
	return (o->kvm && domain_child(features, "kvm")) ||
	       (o->vendor && domain_child(features, "hyperv")) ||
	       (o->cpu && domain_child(d->root, "cpu")) || meta_shut;
}

static bool kvm_hidden_el(const struct domain *d)
{
	return domain_child(domain_child(domain_child(d->root, "features"), "kvm"), "hidden");
}

static bool vendor_id_el(const struct domain *d)
{
	return domain_child(domain_child(domain_child(d->root, "features"), "hyperv"), "vendor_id");
}

static void hide_and_back(const struct hide_opts *o, const char *text, size_t len)
{
	struct hide_opts rm = *o;
	struct domain d, in;
	size_t l1, l2, l3, l0;
	char *once, *twice, *back, *none;
	bool had, changed, left, fresh = !memmem(text, len, RECORD_NS, strlen(RECORD_NS));

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

	changed = !same(once, l1, text, len);
	back = edit(&rm, once, l1, &l2);
	CHECK(back != NULL);
	CHECK(parse(&d, back, l2));
	CHECK(parse(&in, text, len));
	if (fresh) {
		CHECK(!o->kvm || !kvm_hidden_el(&d) || (changed && kvm_hidden_el(&in)));
		CHECK(!o->vendor || !vendor_id_el(&d) || (changed && vendor_id_el(&in)));
	}
	/*
	 * What the domain had before stays, and with the record gone a second
	 * taking out is one without a record: it takes that out too.
	 */
	left = (o->kvm && kvm_hidden_el(&d)) || (o->vendor && vendor_id_el(&d)) ||
	       (o->cpu && domain_child_with(domain_child(d.root, "cpu"), "feature", "name",
					    "hypervisor"));
	domain_free(&d);
	twice = edit(&rm, back, l2, &l3);
	CHECK(twice && (left || same(twice, l3, back, l2)));
	free(twice);

	none = edit(&rm, text, len, &l0);
	had = !none || !same(none, l0, text, len);
	free(none);
	if (fresh && (changed || !had) && !narrowed(o, &in))
		CHECK(same(back, l2, text, len));
	domain_free(&in);
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
