/*
 * libvirt domain XML read safely (domxml.h), tied to its text (xmlsrc.h),
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

#include "domhide.h"
#include "domxml.h"
#include "fuzz.h"
#include "xmlsrc.h"

static bool parse(struct domxml *d, const char *text, size_t len)
{
	return domxml_parse(d, text, len, "fuzz") == 0;
}

static char *edit(const struct domhide_opts *o, const char *text, size_t len, size_t *outlen)
{
	struct domhide_after after;
	char *in = fuzz_nonnull(malloc(len + 1)), *out;

	memcpy(in, text, len);
	in[len] = '\0';
	out = domhide_edit(o, in, len, "fuzz", outlen, &after);
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
static bool narrowed(const struct domhide_opts *o, const struct domxml *d)
{
	xmlNodePtr features = domxml_child(d->root, "features");

	return (o->kvm && domxml_child(features, "kvm")) ||
	       (o->vendor && domxml_child(features, "hyperv")) ||
	       (o->cpu && domxml_child(d->root, "cpu"));
}

static void hide_and_back(const struct domhide_opts *o, const char *text, size_t len)
{
	struct domhide_opts rm = *o;
	struct domxml d;
	size_t l1, l2, l3, l0;
	char *once, *twice, *back, *none;
	bool had;

	rm.remove = true;
	once = edit(o, text, len, &l1);
	if (!once)
		return;
	CHECK(parse(&d, once, l1));
	CHECK(!o->kvm || domxml_kvm_hidden(&d));
	CHECK(!o->cpu || domxml_cpu_hypervisor_off(&d));
	if (o->vendor && domxml_hyperv_mode(&d) != HYPERV_PASSTHROUGH) {
		char v[DOMXML_VENDOR_ID_MAX + 1];

		CHECK(domxml_vendor_id(&d, v, sizeof(v)));
	}
	domxml_free(&d);
	twice = edit(o, once, l1, &l2);
	CHECK(twice && same(twice, l2, once, l1));
	free(twice);

	back = edit(&rm, once, l1, &l2);
	CHECK(back != NULL);
	CHECK(parse(&d, back, l2));
	CHECK(!o->kvm || !domxml_child(domxml_child(domxml_child(d.root, "features"), "kvm"), "hidden"));
	CHECK(!o->vendor ||
	      !domxml_child(domxml_child(domxml_child(d.root, "features"), "hyperv"), "vendor_id"));
	domxml_free(&d);
	twice = edit(&rm, back, l2, &l3);
	CHECK(twice && same(twice, l3, back, l2));
	free(twice);

	none = edit(&rm, text, len, &l0);
	had = !none || !same(none, l0, text, len);
	free(none);
	CHECK(parse(&d, text, len));
	if (!had && !narrowed(o, &d))
		CHECK(same(back, l2, text, len));
	domxml_free(&d);
	free(back);
	free(once);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct domhide_opts o = { .check = true };
	struct domxml d;
	struct xmlsrc s;
	struct parts p;

	parts_split(&p, data, size, 2);
	if (!parse(&d, p.s[0], p.len[0]))
		goto out;
	if (xmlsrc_scan(&s, p.s[0], p.len[0], d.doc) == 0)
		xmlsrc_free(&s);
	domxml_free(&d);
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
