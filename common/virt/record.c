/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virt/record.h"
#include "virt/xmlsplice.h"
#include "base/strbuf.h"
#include "base/banned.h"

/* Where libvirt writes <metadata>: before the first of these. */
static const char *const metadata_before[] = {
	"maxMemory", "memory", "currentMemory", "blkiotune", "memtune", "memoryBacking", "vcpu",
	"vcpus", "iothreads", "iothreadids", "defaultiothread", "cputune", "numatune", "resource",
	"sysinfo", "bootloader", "bootloader_args", "os", "idmap", "throttlegroups", "features",
	"cpu", "clock", "on_poweroff", "on_reboot", "on_crash", "on_lockfailure", "pm", "perf",
	"devices", "seclabel", "keywrap", "launchSecurity", NULL,
};

static bool in_ns(xmlNodePtr n)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       !strcmp((const char *)n->ns->href, RECORD_NS);
}

/* The record's top-level element: libvirt keeps one element per namespace. */
static xmlNodePtr top_of(const struct domain *d)
{
	xmlNodePtr n, meta = domain_child(d->root, "metadata");

	for (n = meta ? meta->children : NULL; n; n = n->next)
		if (in_ns(n))
			return n;
	return NULL;
}

static xmlNodePtr child_of(xmlNodePtr top, const char *tool)
{
	xmlNodePtr n;

	for (n = top ? top->children : NULL; n; n = n->next)
		if (in_ns(n) && !strcmp((const char *)n->name, tool))
			return n;
	return NULL;
}

static bool has_elements(xmlNodePtr el)
{
	xmlNodePtr n;

	for (n = el->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return true;
	return false;
}

xmlNodePtr record_find(const struct domain *d, const char *tool, bool *meta_added)
{
	xmlNodePtr top = top_of(d);

	if (top && meta_added)
		*meta_added = domain_attr_is(top, "metadata", "added");
	return child_of(top, tool);
}

bool record_get(xmlNodePtr el, const char *name, char *buf, size_t size)
{
	xmlChar *v = el ? xmlGetNoNsProp(el, (const xmlChar *)name) : NULL;

	if (!v)
		return false;
	snprintf(buf, size, "%s", (const char *)v);
	xmlFree(v);
	return true;
}

/* <PREFIX:NAME a="v" .../> in double quotes, as libvirt formats metadata. */
static char *markup(const char *prefix, const char *name, const char *const *attrs)
{
	struct strbuf f = STRBUF_INIT;

	strbuf_addf(&f, "<%s%s%s", prefix ? prefix : "", prefix ? ":" : "", name);
	for (; attrs && attrs[0]; attrs += 2) {
		strbuf_addf(&f, " %s=\"", attrs[0]);
		xmlsplice_escape(&f, attrs[1], false);
		strbuf_addch(&f, '"');
	}
	strbuf_addstr(&f, "/>");
	return strbuf_detach(&f, NULL);
}

/* Whether EL's attributes are exactly ATTRS. */
static bool same_attrs(xmlNodePtr el, const char *const *attrs)
{
	size_t n = 0, want = 0;
	xmlAttrPtr a;
	char v[1024];

	for (a = el->properties; a; a = a->next)
		n++;
	for (; attrs[0]; attrs += 2, want++)
		if (!record_get(el, attrs[0], v, sizeof(v)) || strcmp(v, attrs[1]))
			return false;
	return n == want;
}

char *record_step(const struct xmlsplice *s, const struct domain *d, const char *tool,
		  const char *const *attrs, bool *meta_added, size_t *len)
{
	xmlNodePtr meta = domain_child(d->root, "metadata"), top = top_of(d);
	xmlNodePtr child = child_of(top, tool);
	const char *prefix = top && top->ns ? (const char *)top->ns->prefix : "vfio";
	char *m, *out;

	if (top)
		*meta_added = domain_attr_is(top, "metadata", "added");
	if (!attrs || !attrs[0]) {
		if (child)
			return xmlsplice_remove(s, child, len);
		if (top && !has_elements(top))
			return xmlsplice_remove(s, top, len);
		if (!top && meta && *meta_added && xmlsplice_is_empty(s, meta)) {
			*meta_added = false;
			return xmlsplice_remove(s, meta, len);
		}
		return NULL;
	}
	if (!meta) {
		*meta_added = true;
		return xmlsplice_insert(s, d->root, "<metadata/>", metadata_before, len);
	}
	if (!top) {
		static const char *const top_attrs[] = { "xmlns:vfio", RECORD_NS, NULL };
		static const char *const top_attrs_added[] = {
			"xmlns:vfio", RECORD_NS, "metadata", "added", NULL,
		};

		m = markup("vfio", RECORD_TOP, *meta_added && xmlsplice_is_empty(s, meta) ?
			   top_attrs_added : top_attrs);
	} else if (child && same_attrs(child, attrs)) {
		return NULL;
	} else if (child) {
		return xmlsplice_remove(s, child, len);
	} else {
		m = markup(prefix, tool, attrs);
	}
	out = xmlsplice_insert(s, top ? top : meta, m, NULL, len);
	free(m);
	return out;
}
