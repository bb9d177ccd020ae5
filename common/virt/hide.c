/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virt/hide.h"
#include "virt/domain.h"
#include "virt/record.h"
#include "virt/xmlsplice.h"
#include "base/macros.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/banned.h"

/* Each pass makes one change; the most a run can need is sixteen. */
#define MAX_PASSES 32

/* virtxml-hide's child of the record (record.h). */
#define RECORD_TOOL "hide"

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

/* The elements hiding may add, as the record names them. */
enum {
	ADD_FEATURES = 1 << 0, ADD_KVM = 1 << 1, ADD_HIDDEN = 1 << 2, ADD_HYPERV = 1 << 3,
	ADD_VENDOR_ID = 1 << 4, ADD_CPU_FEATURE = 1 << 5,
};
static const char *const add_names[] = {
	"features", "kvm", "hidden", "hyperv", "vendor_id", "cpu-feature",
};

/* The attributes hiding may change, and the record's name for the value before. */
enum { WAS_HIDDEN_STATE, WAS_VENDOR_STATE, WAS_VENDOR_VALUE, WAS_CPU_POLICY, NWAS };
static const char *const was_names[NWAS] = {
	"hidden-state", "vendor_id-state", "vendor_id-value", "cpu-feature-policy",
};

/* What hiding added to a domain and what it changed, with the values before. */
struct rec {
	unsigned int added;
	bool has[NWAS];
	char was[NWAS][256];
};

/* What one run has noticed so far, across passes. */
struct run {
	bool told_passthrough;
	bool took_from_kvm, took_from_hyperv, took_from_features, took_from_cpu;
	bool failed;		/* a step found the domain cannot be edited */
	bool read;		/* the record below was read, on the first pass */
	bool recorded;		/* the domain had a record of virtxml-hide's */
	bool meta_added;	/* a tool created <metadata> (record.h) */
	struct rec rec;		/* add: the record to write; remove: what is left of it */
};

static void rec_read(const struct domain *d, struct run *r)
{
	xmlNodePtr el = record_find(d, RECORD_TOOL, &r->meta_added);
	char added[256], *w, *save = NULL;
	size_t i;

	r->read = true;
	if (!el)
		return;
	r->recorded = true;
	if (record_get(el, "added", added, sizeof(added)))
		for (w = strtok_r(added, " ", &save); w; w = strtok_r(NULL, " ", &save))
			for (i = 0; i < ARRAY_SIZE(add_names); i++)
				if (!strcmp(w, add_names[i]))
					r->rec.added |= 1u << i;
	for (i = 0; i < NWAS; i++)
		r->rec.has[i] = record_get(el, was_names[i], r->rec.was[i], sizeof(r->rec.was[i]));
}

/* Before hiding changes attribute ATTR of EL: its value, unless the record has one or EL is new. */
static void rec_was(struct run *r, int which, xmlNodePtr el, const char *attr, unsigned int added)
{
	if (r->rec.has[which] || (r->rec.added & added))
		return;
	r->rec.has[which] = record_get(el, attr, r->rec.was[which], sizeof(r->rec.was[which]));
}

/* The next change that makes the domain's record what R's says; NULL when it is. */
static char *rec_write(struct doc *d, struct run *r, size_t *len)
{
	const char *attrs[2 * (1 + NWAS) + 1];
	char added[256] = "";
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(add_names); i++)
		if (r->rec.added & (1u << i))
			snprintf(added + strlen(added), sizeof(added) - strlen(added), "%s%s",
				 *added ? " " : "", add_names[i]);
	if (*added) {
		attrs[n++] = "added";
		attrs[n++] = added;
	}
	for (i = 0; i < NWAS; i++) {
		if (!r->rec.has[i])
			continue;
		attrs[n++] = was_names[i];
		attrs[n++] = r->rec.was[i];
	}
	attrs[n] = NULL;
	return record_step(&d->src, &d->dom, RECORD_TOOL, attrs, &r->meta_added, len);
}

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
		if (!features) {
			r->rec.added |= ADD_FEATURES;
			return insert(d, root, "features", NULL, features_before, len);
		}
		kvm = domain_child(features, "kvm");
		if (!kvm) {
			r->rec.added |= ADD_KVM;
			return insert(d, features, "kvm", NULL, kvm_before, len);
		}
		el = domain_child(kvm, "hidden");
		if (!el) {
			r->rec.added |= ADD_HIDDEN;
			return insert(d, kvm, "hidden", state_on, hidden_before, len);
		}
		if (!domain_attr_is(el, "state", "on")) {
			rec_was(r, WAS_HIDDEN_STATE, el, "state", ADD_HIDDEN);
			return xmlsplice_set_attr(&d->src, el, "state", "on", len);
		}
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
			if (!features) {
				r->rec.added |= ADD_FEATURES;
				return insert(d, root, "features", NULL, features_before, len);
			}
			if (!hyperv) {
				r->rec.added |= ADD_HYPERV;
				return insert(d, features, "hyperv", NULL, hyperv_before, len);
			}
			el = domain_child(hyperv, "vendor_id");
			if (o->vendor_id)
				snprintf(value, sizeof(value), "%s", o->vendor_id);
			else if (!domain_vendor_id(&d->dom, value, sizeof(value)))
				default_vendor_id(root, value);
			if (!el) {
				const char *attrs[] = { "state", "on", "value", value, NULL };

				r->rec.added |= ADD_VENDOR_ID;
				return insert(d, hyperv, "vendor_id", attrs, vendor_before, len);
			}
			if (!domain_attr_is(el, "state", "on")) {
				rec_was(r, WAS_VENDOR_STATE, el, "state", ADD_VENDOR_ID);
				return xmlsplice_set_attr(&d->src, el, "state", "on", len);
			}
			if (!domain_attr_is(el, "value", value)) {
				rec_was(r, WAS_VENDOR_VALUE, el, "value", ADD_VENDOR_ID);
				return xmlsplice_set_attr(&d->src, el, "value", value, len);
			}
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

			r->rec.added |= ADD_CPU_FEATURE;
			return insert(d, cpu, "feature", attrs, feature_before, len);
		}
		if (!domain_cpu_hypervisor_off(&d->dom)) {
			rec_was(r, WAS_CPU_POLICY, el, "policy", ADD_CPU_FEATURE);
			return xmlsplice_set_attr(&d->src, el, "policy", "disable", len);
		}
	}
	return rec_write(d, r, len);
}

/* Put attribute ATTR of EL back to the recorded value; NULL when there is nothing to do. */
static char *put_back(struct doc *d, struct run *r, int which, xmlNodePtr el, const char *attr,
		      size_t *len)
{
	if (!r->rec.has[which])
		return NULL;
	r->rec.has[which] = false;
	if (!el || domain_attr_is(el, attr, r->rec.was[which]))
		return NULL;
	return xmlsplice_set_attr(&d->src, el, attr, r->rec.was[which], len);
}

/* Take element EL out if the record says hiding added it (BIT); NULL when not. */
static char *take_added(struct doc *d, struct run *r, unsigned int bit, xmlNodePtr el,
			bool only_empty, size_t *len)
{
	if (!(r->rec.added & bit))
		return NULL;
	r->rec.added &= ~bit;
	if (!el || (only_empty && !xmlsplice_is_empty(&d->src, el)))
		return NULL;
	return xmlsplice_remove(&d->src, el, len);
}

/*
 * Taking out what the record says hiding added, and putting back what it
 * changed: nothing the domain had before the first run goes.  The next
 * change, NULL when none is left.
 */
static char *remove_recorded(const struct hide_opts *o, struct doc *d, struct run *r, size_t *len)
{
	xmlNodePtr root = d->dom.root, features = domain_child(root, "features");
	xmlNodePtr kvm = domain_child(features, "kvm"), hyperv = domain_child(features, "hyperv");
	xmlNodePtr cpu = domain_child(root, "cpu");
	xmlNodePtr feature = domain_child_with(cpu, "feature", "name", "hypervisor");
	char *out;

	if (o->kvm) {
		if ((out = take_added(d, r, ADD_HIDDEN, domain_child(kvm, "hidden"), false, len)) ||
		    (out = put_back(d, r, WAS_HIDDEN_STATE, domain_child(kvm, "hidden"), "state", len)) ||
		    (out = take_added(d, r, ADD_KVM, kvm, true, len)))
			return out;
	}
	if (o->vendor) {
		xmlNodePtr v = domain_child(hyperv, "vendor_id");

		if ((out = take_added(d, r, ADD_VENDOR_ID, v, false, len)) ||
		    (out = put_back(d, r, WAS_VENDOR_VALUE, v, "value", len)) ||
		    (out = put_back(d, r, WAS_VENDOR_STATE, v, "state", len)) ||
		    (out = take_added(d, r, ADD_HYPERV, hyperv, true, len)))
			return out;
	}
	if (o->cpu) {
		if ((out = take_added(d, r, ADD_CPU_FEATURE, feature, false, len))) {
			r->took_from_cpu = true;
			return out;
		}
		if ((out = put_back(d, r, WAS_CPU_POLICY, feature, "policy", len)))
			return out;
	}
	if (r->took_from_cpu && cpu && xmlsplice_is_empty(&d->src, cpu)) {
		r->took_from_cpu = false;
		return xmlsplice_collapse(&d->src, cpu, len);
	}
	/* <features> goes when what hiding put in it has gone: kept while either part stays. */
	if ((r->rec.added & ADD_FEATURES) && !(r->rec.added & (ADD_KVM | ADD_HIDDEN | ADD_HYPERV |
							       ADD_VENDOR_ID)) &&
	    (out = take_added(d, r, ADD_FEATURES, features, true, len)))
		return out;
	return rec_write(d, r, len);
}

/*
 * The next change that taking out what hiding puts in needs; NULL when
 * none is left.  A container is taken out (or, for <cpu>, closed up) only
 * when this run emptied it.  A domain with a record is undone as it says
 * (remove_recorded); one hidden by a version without it, as here.
 */
static char *remove_step(const struct hide_opts *o, struct doc *d, struct run *r, size_t *len)
{
	xmlNodePtr root = d->dom.root, features = domain_child(root, "features");
	xmlNodePtr kvm = domain_child(features, "kvm"), hyperv = domain_child(features, "hyperv");
	xmlNodePtr cpu = domain_child(root, "cpu"), el;

	if (r->recorded)
		return remove_recorded(o, d, r, len);
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

		if (xmlsplice_parse(&d.dom, &d.src, d.text, d.len, name) < 0)
			goto fail;
		if (!r.read)
			rec_read(&d.dom, &r);
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
