/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virt/hide.h"
#include "virt/domain.h"
#include "virt/xmlsplice.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/banned.h"

/* Each pass makes one change; the most a run can need is ten. */
#define MAX_PASSES 32

/* Where libvirt writes each element, as the names of the siblings it writes after it. */
static const char *const features_before[] = {
	"cpu", "clock", "on_poweroff", "on_reboot", "on_crash", "on_lockfailure", "pm", "perf",
	"devices", "seclabel", "keywrap", "launchSecurity", NULL,
};
static const char *const hyperv_before[] = {
	"kvm", "pvspinlock", "capabilities", "pmu", "vmport", "gic", "smm", "ioapic", "hpt",
	"vmcoreinfo", "htm", "nested-hv", "msrs", "ccf-assist", "xen", "cfpc", "sbbc", "ibs", "tcg",
	"async-teardown", "ras", "ps2", "aia", NULL,
};
static const char *const *const kvm_before = hyperv_before + 1;
static const char *const hidden_before[] = {
	"hint-dedicated", "poll-control", "pv-ipi", "dirty-ring", NULL,
};
static const char *const vendor_before[] = {
	"frequencies", "reenlightenment", "tlbflush", "ipi", "evmcs", "avic", "emsr_bitmap",
	"xmm_input", NULL,
};
static const char *const feature_before[] = { "numa", NULL };

/* One parse of the text being edited. */
struct doc {
	const char *name;	/* for messages */
	struct domain dom;
	struct xmlsplice src;
	char *text;
	size_t len;
};

/* What one run has noticed so far, across passes. */
struct run {
	bool told_passthrough;
	bool took_from_kvm, took_from_hyperv, took_from_features, took_from_cpu;
	bool failed;		/* a step found the domain cannot be edited */
};

/*
 * 12 characters from the domain's UUID (or name), hashed with FNV-1a and
 * mixed with MurmurHash3's finalizer, which spreads short keys over the
 * high bits too.  The same domain always gets the same id, so -n shows
 * what a write will do, and the id is no well-known string a detector
 * could look for.
 */
static void default_vendor_id(xmlNodePtr root, char *buf)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char key[256] = "";
	uint64_t h = 0xcbf29ce484222325u;
	const char *p;
	int i;

	if (!domain_child_text(root, "uuid", key, sizeof(key)))
		domain_child_text(root, "name", key, sizeof(key));
	for (p = key; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 0x100000001b3u;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	h ^= h >> 33;
	for (i = 0; i < DOMXML_VENDOR_ID_MAX; i++) {
		buf[i] = digits[h % 36];
		h /= 36;
	}
	buf[DOMXML_VENDOR_ID_MAX] = '\0';
}

static char *insert(struct doc *d, xmlNodePtr parent, const char *name, const char *const *attrs,
		    const char *const *before, size_t *len)
{
	char *markup = xmlsplice_markup(&d->src, name, attrs), *out;

	out = xmlsplice_insert(&d->src, parent, markup, before, len);
	free(markup);
	return out;
}

/* libvirt refuses CPU features in a <cpu> that names no model and no host mode. */
static bool cpu_takes_features(xmlNodePtr cpu)
{
	return cpu && (domain_child(cpu, "model") || domain_attr_is(cpu, "mode", "host-model") ||
		       domain_attr_is(cpu, "mode", "host-passthrough") ||
		       domain_attr_is(cpu, "mode", "maximum"));
}

/* The next change that hiding needs, as the new text; NULL when none is left. */
static char *hide_step(const struct hide_opts *o, struct doc *d, struct run *r, size_t *len)
{
	static const char *const state_on[] = { "state", "on", NULL };
	xmlNodePtr root = d->dom.root, features = domain_child(root, "features");
	xmlNodePtr kvm, hyperv, cpu, el;
	char value[DOMXML_VENDOR_ID_MAX + 1];

	if (o->kvm) {
		if (!features)
			return insert(d, root, "features", NULL, features_before, len);
		kvm = domain_child(features, "kvm");
		if (!kvm)
			return insert(d, features, "kvm", NULL, kvm_before, len);
		el = domain_child(kvm, "hidden");
		if (!el)
			return insert(d, kvm, "hidden", state_on, hidden_before, len);
		if (!domain_attr_is(el, "state", "on"))
			return xmlsplice_set_attr(&d->src, el, "state", "on", len);
	}
	if (o->vendor) {
		hyperv = domain_child(features, "hyperv");
		if (domain_hyperv_mode(&d->dom) == HYPERV_PASSTHROUGH) {
			if (!r->told_passthrough && !o->check)
				report_warn("'%s' has <hyperv mode='passthrough'>, which takes no <vendor_id> "
					    "(the guest sees KVM's Hyper-V vendor 'Linux KVM Hv'); left as it is",
					    d->name);
			r->told_passthrough = true;
		} else {
			if (!features)
				return insert(d, root, "features", NULL, features_before, len);
			if (!hyperv)
				return insert(d, features, "hyperv", NULL, hyperv_before, len);
			el = domain_child(hyperv, "vendor_id");
			if (o->vendor_id)
				snprintf(value, sizeof(value), "%s", o->vendor_id);
			else if (!domain_vendor_id(&d->dom, value, sizeof(value)))
				default_vendor_id(root, value);
			if (!el) {
				const char *attrs[] = { "state", "on", "value", value, NULL };

				return insert(d, hyperv, "vendor_id", attrs, vendor_before, len);
			}
			if (!domain_attr_is(el, "state", "on"))
				return xmlsplice_set_attr(&d->src, el, "state", "on", len);
			if (!domain_attr_is(el, "value", value))
				return xmlsplice_set_attr(&d->src, el, "value", value, len);
		}
	}
	if (o->cpu) {
		cpu = domain_child(root, "cpu");
		if (!cpu_takes_features(cpu)) {
			char name[256] = "DOMAIN";

			domain_child_text(root, "name", name, sizeof(name));
			warnx("'%s' has no CPU model or host CPU mode, and libvirt takes CPU "
			      "features only with one; first: virt-xml %s --edit --cpu host-passthrough",
			      d->name, name);
			r->failed = true;
			return NULL;
		}
		el = domain_child_with(cpu, "feature", "name", "hypervisor");
		if (!el) {
			static const char *const attrs[] = { "policy", "disable", "name", "hypervisor", NULL };

			return insert(d, cpu, "feature", attrs, feature_before, len);
		}
		if (!domain_cpu_hypervisor_off(&d->dom))
			return xmlsplice_set_attr(&d->src, el, "policy", "disable", len);
	}
	return NULL;
}

/*
 * The next change that taking out what hiding puts in needs; NULL when
 * none is left.  A container is taken out (or, for <cpu>, closed up) only
 * when this run emptied it.
 */
static char *remove_step(const struct hide_opts *o, struct doc *d, struct run *r, size_t *len)
{
	xmlNodePtr root = d->dom.root, features = domain_child(root, "features");
	xmlNodePtr kvm = domain_child(features, "kvm"), hyperv = domain_child(features, "hyperv");
	xmlNodePtr cpu = domain_child(root, "cpu"), el;

	if (o->kvm && (el = domain_child(kvm, "hidden"))) {
		r->took_from_kvm = true;
		return xmlsplice_remove(&d->src, el, len);
	}
	if (o->vendor && (el = domain_child(hyperv, "vendor_id"))) {
		r->took_from_hyperv = true;
		return xmlsplice_remove(&d->src, el, len);
	}
	if (o->cpu && (el = domain_child_with(cpu, "feature", "name", "hypervisor")) &&
	    domain_attr_is(el, "policy", "disable")) {
		r->took_from_cpu = true;
		return xmlsplice_remove(&d->src, el, len);
	}
	if (r->took_from_kvm && kvm && xmlsplice_is_empty(&d->src, kvm)) {
		r->took_from_features = true;
		return xmlsplice_remove(&d->src, kvm, len);
	}
	if (r->took_from_hyperv && hyperv && xmlsplice_is_empty(&d->src, hyperv)) {
		r->took_from_features = true;
		return xmlsplice_remove(&d->src, hyperv, len);
	}
	if (r->took_from_features && features && xmlsplice_is_empty(&d->src, features)) {
		r->took_from_features = false;
		return xmlsplice_remove(&d->src, features, len);
	}
	if (r->took_from_cpu && cpu && xmlsplice_is_empty(&d->src, cpu)) {
		r->took_from_cpu = false;
		return xmlsplice_collapse(&d->src, cpu, len);
	}
	return NULL;
}

char *hide_edit(const struct hide_opts *o, char *text, size_t len, const char *name,
		   size_t *outlen, struct hide_after *after)
{
	struct run r = { 0 };
	struct doc d = { .name = name, .text = text, .len = len };
	int pass;

	for (pass = 0; ; pass++) {
		char *next;
		size_t nlen = 0;

		if (domain_parse(&d.dom, d.text, d.len, name) < 0)
			goto fail;
		if (xmlsplice_scan(&d.src, d.text, d.len, d.dom.doc) < 0) {
			warnx("could not parse '%s': its text and libxml2's reading of it disagree", name);
			domain_free(&d.dom);
			goto fail;
		}
		next = o->remove ? remove_step(o, &d, &r, &nlen) : hide_step(o, &d, &r, &nlen);
		if (!next) {
			domain_child_text(d.dom.root, "name", after->name, sizeof(after->name));
			after->hostdevs = domain_hostdev_pci(&d.dom, NULL, 0);
		}
		xmlsplice_free(&d.src);
		domain_free(&d.dom);
		if (r.failed)
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
	*outlen = d.len;
	return d.text;
fail:
	if (d.text != text)
		free(d.text);
	return NULL;
}
