/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The record of what the tools added (virt/record.h): where it goes, that
 * a tool's part is written and taken out without touching another's, and
 * that taking the last part out gives the text back.
 */
#include <stdlib.h>
#include <string.h>

#include "virt/domain.h"
#include "virt/record.h"
#include "tap.h"
#include "virt/xmlsplice.h"

/* TEXT after record_step() until it has nothing left to do; NULL on an error. */
static char *settle(const char *text, const char *tool, const char *const *attrs, bool *meta)
{
	char *cur = strdup(text), *next;
	size_t len = strlen(text);
	int pass;

	for (pass = 0; cur && pass < 10; pass++) {
		struct domain d;
		struct xmlsplice s;

		if (domain_parse(&d, cur, len, "test") < 0 ||
		    xmlsplice_scan(&s, cur, len, d.doc) < 0) {
			free(cur);
			return NULL;
		}
		next = record_step(&s, &d, tool, attrs, meta, &len);
		xmlsplice_free(&s);
		domain_free(&d);
		if (!next) {
			len = strlen(cur);
			return cur;
		}
		free(cur);
		cur = next;
	}
	free(cur);
	return NULL;
}

/* ATTRS of TOOL recorded in TEXT, then taken out again: the bytes back. */
static void round_trip(const char *text, const char *tool, const char *const *attrs,
		       const char *want, const char *what)
{
	bool meta = false;
	char *with = settle(text, tool, attrs, &meta), *back;

	is_str(with, want, "%s: recorded", what);
	back = with ? settle(with, tool, NULL, &meta) : NULL;
	is_str(back, text, "%s: taken out again", what);
	free(with);
	free(back);
}

static const char *const hide[] = { "added", "kvm hidden", NULL };
static const char *const odd[] = { "vendor_id-value", "a\"b<&>'", NULL };

int main(void)
{
	bool meta = false;
	char *t;
	struct domain d;
	xmlNodePtr el;
	char buf[64];

	round_trip("<domain type='kvm'>\n  <name>a</name>\n  <memory>1</memory>\n</domain>\n",
		   "hide", hide,
		   "<domain type='kvm'>\n  <name>a</name>\n  <metadata>\n"
		   "    <vfio:vfio-utils xmlns:vfio=\"urn:vfio-utils:domain:1\" metadata=\"added\">\n"
		   "      <vfio:hide added=\"kvm hidden\"/>\n"
		   "    </vfio:vfio-utils>\n  </metadata>\n  <memory>1</memory>\n</domain>\n",
		   "no <metadata>: one made before <memory>, and said so");
	round_trip("<domain>\n  <name>a</name>\n  <metadata>\n    <x:o xmlns:x=\"urn:other\"/>\n"
		   "  </metadata>\n</domain>\n", "hide", hide,
		   "<domain>\n  <name>a</name>\n  <metadata>\n    <x:o xmlns:x=\"urn:other\"/>\n"
		   "    <vfio:vfio-utils xmlns:vfio=\"urn:vfio-utils:domain:1\">\n"
		   "      <vfio:hide added=\"kvm hidden\"/>\n"
		   "    </vfio:vfio-utils>\n  </metadata>\n</domain>\n",
		   "another namespace's element: the record after it, <metadata> kept");
	round_trip("<domain>\n  <metadata>\n    <v:vfio-utils xmlns:v=\"urn:vfio-utils:domain:1\">\n"
		   "      <v:hostdev added=\"0000:07:00.0\"/>\n    </v:vfio-utils>\n  </metadata>\n"
		   "</domain>\n", "hide", hide,
		   "<domain>\n  <metadata>\n    <v:vfio-utils xmlns:v=\"urn:vfio-utils:domain:1\">\n"
		   "      <v:hostdev added=\"0000:07:00.0\"/>\n      <v:hide added=\"kvm hidden\"/>\n"
		   "    </v:vfio-utils>\n  </metadata>\n</domain>\n",
		   "another tool's part: one element, its prefix, the other part left");
	round_trip("<domain>\n  <name>a</name>\n</domain>\n", "hide", odd,
		   "<domain>\n  <name>a</name>\n  <metadata>\n"
		   "    <vfio:vfio-utils xmlns:vfio=\"urn:vfio-utils:domain:1\" metadata=\"added\">\n"
		   "      <vfio:hide vendor_id-value=\"a&quot;b&lt;&amp;&gt;'\"/>\n"
		   "    </vfio:vfio-utils>\n  </metadata>\n</domain>\n",
		   "a value escaped in double quotes");

	t = settle("<domain><name>a</name></domain>", "hide", odd, &meta);
	ok(t && domain_parse(&d, t, strlen(t), "test") == 0, "the record parses");
	el = t ? record_find(&d, "hide", &meta) : NULL;
	ok(el && meta && record_get(el, "vendor_id-value", buf, sizeof(buf)) &&
	   !strcmp(buf, "a\"b<&>'"), "record_find and record_get read it back");
	ok(t && !record_find(&d, "hostdev", NULL), "another tool's part is not there");
	if (t)
		domain_free(&d);
	free(t);

	meta = false;
	t = settle("<domain>\n  <metadata>\n    <vfio:vfio-utils xmlns:vfio=\"urn:vfio-utils:domain:1\">\n"
		   "      <vfio:hide added=\"kvm\"/>\n    </vfio:vfio-utils>\n  </metadata>\n</domain>\n",
		   "hide", hide, &meta);
	is_str(t, "<domain>\n  <metadata>\n    <vfio:vfio-utils xmlns:vfio=\"urn:vfio-utils:domain:1\">\n"
	       "      <vfio:hide added=\"kvm hidden\"/>\n    </vfio:vfio-utils>\n  </metadata>\n</domain>\n",
	       "a part rewritten in place of the old one");
	free(t);
	return tap_done();
}
