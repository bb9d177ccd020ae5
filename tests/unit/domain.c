/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Domain XML: what the readers report, what parsing refuses, and where the
 * splices of xmlsplice put their bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "virt/domain.h"
#include "tap.h"
#include "virt/xmlsplice.h"

static struct domain dom;
static struct xmlsplice src;

static bool load(const char *xml)
{
	if (dom.doc) {
		xmlsplice_free(&src);
		domain_free(&dom);
	}
	return domain_parse(&dom, xml, strlen(xml), "test") == 0 &&
	       xmlsplice_scan(&src, xml, strlen(xml), dom.doc) == 0;
}

static xmlNodePtr at(const char *path)
{
	xmlNodePtr n = dom.root;
	char buf[256], *p, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = strtok_r(buf, "/", &save); p && n; p = strtok_r(NULL, "/", &save))
		n = domain_child(n, p);
	return n;
}

/* Each edit's text, kept for the comparison that follows it. */
static char *got;

static const char *kept(char *text)
{
	free(got);
	got = text;
	return text;
}

static const char *insert(const char *xml, const char *parent, const char *markup,
			  const char *const *before)
{
	size_t len;

	if (!load(xml))
		return NULL;
	return kept(xmlsplice_insert(&src, at(parent), markup, before, &len));
}

static const char *removed(const char *xml, const char *path)
{
	size_t len;

	if (!load(xml))
		return NULL;
	return kept(xmlsplice_remove(&src, at(path), &len));
}

static void readers(void)
{
	struct pci_addr a[4];
	char buf[64];

	ok(load("<domain><features><kvm><hidden state='on'/></kvm></features></domain>") &&
	   domain_kvm_hidden(&dom), "kvm hidden on");
	ok(load("<domain><features><kvm><hidden state='off'/></kvm></features></domain>") &&
	   !domain_kvm_hidden(&dom), "kvm hidden off is not hidden");
	ok(load("<domain><kvm><hidden state='on'/></kvm></domain>") && !domain_kvm_hidden(&dom),
	   "<kvm> outside <features> does not count");
	ok(load("<domain/>") && domain_hyperv_mode(&dom) == HYPERV_ABSENT, "no hyperv");
	ok(load("<domain><features><hyperv/></features></domain>") &&
	   domain_hyperv_mode(&dom) == HYPERV_CUSTOM, "hyperv without mode is custom");
	ok(load("<domain><features><hyperv mode='passthrough'/></features></domain>") &&
	   domain_hyperv_mode(&dom) == HYPERV_PASSTHROUGH, "hyperv passthrough");
	ok(load("<domain><features><hyperv><vendor_id state='on' value='a&amp;b&#x43;'/>"
		"</hyperv></features></domain>") && domain_vendor_id(&dom, buf, sizeof(buf)) &&
	   !strcmp(buf, "a&bC"), "vendor_id value, references decoded");
	ok(load("<domain><features><hyperv><vendor_id state='off' value='x'/>"
		"</hyperv></features></domain>") && !domain_vendor_id(&dom, buf, sizeof(buf)),
	   "vendor_id off is none");
	ok(load("<domain><features><hyperv><vendor_id state='on' value=''/>"
		"</hyperv></features></domain>") && !domain_vendor_id(&dom, buf, sizeof(buf)),
	   "empty vendor_id is none");
	ok(load("<domain><cpu mode='host-passthrough'><feature policy='disable' name='hypervisor'/>"
		"</cpu></domain>") && domain_cpu_hypervisor_off(&dom), "cpu hypervisor disabled");
	ok(load("<domain><cpu mode='host-passthrough'><feature policy='require' name='hypervisor'/>"
		"</cpu></domain>") && !domain_cpu_hypervisor_off(&dom), "cpu hypervisor required");
	ok(load("<domain><name> win10 </name></domain>") &&
	   domain_child_text(dom.root, "name", buf, sizeof(buf)) && !strcmp(buf, " win10 ") &&
	   !domain_child_text(dom.root, "uuid", buf, sizeof(buf)), "child text");

	ok(load("<domain><devices>"
		"<hostdev mode='subsystem' type='pci' managed='yes'><source>"
		"<address domain='0x0000' bus='0x07' slot='0x00' function='0x1'/></source></hostdev>"
		"<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/></source></hostdev>"
		"<hostdev mode='subsystem' type='pci'><source>"
		"<address bus='10' slot='3' function='0'/></source></hostdev>"
		"<hostdev mode='subsystem' type='pci'><source>"
		"<address domain='0x0000' bus='0x100' slot='0x00' function='0x0'/></source></hostdev>"
		"<hostdev mode='subsystem' type='pci'><source>"
		"<address domain='0x0001' bus='0x0a' slot='0x1f' function='0x8'/></source></hostdev>"
		"<interface type='hostdev'><source>"
		"<address type='pci' domain='0' bus='5' slot='0' function='0'/></source></interface>"
		"</devices></domain>") &&
	   domain_hostdev_pci(&dom, a, 4) == 2, "two valid PCI hostdevs, others skipped");
	ok(a[0].domain == 0 && a[0].bus == 7 && a[0].slot == 0 && a[0].func == 1, "hex address");
	ok(a[1].domain == 0 && a[1].bus == 10 && a[1].slot == 3 && a[1].func == 0,
	   "decimal address, domain absent is 0");
	ok(domain_hostdev_pci(&dom, NULL, 0) == 2, "counting without storing");
}

static void refusals(void)
{
	static const char *const bad[] = {
		"<!DOCTYPE domain><domain/>",
		"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c -->\n<?pi x?>\n<!DOCTYPE domain [\n"
		"<!ENTITY a 'b'>]><domain/>",
		"<domain><name>&a;</name></domain>",
		"<domain><name>x</domain>",
		"<domain/><domain/>",
		"<network/>",
		"<x:domain xmlns:x='http://libvirt.org/schemas/domain/1'/>",
		"",
	};
	size_t i;

	xmlsplice_free(&src);
	domain_free(&dom);
	/* The messages are the tool tests' business. */
	if (!freopen("/dev/null", "w", stderr))
		return;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(domain_parse(&dom, bad[i], strlen(bad[i]), "test") < 0 && !dom.doc,
		   "refused: bad document %zu", i);
	ok(domain_parse(&dom, "<domain>\0</domain>", 18, "test") < 0, "refused: a NUL byte");
}

static void splices(void)
{
	static const char *const kvm_before[] = { "vmport", NULL };
	size_t len;

	is_str(insert("<domain>\n  <features>\n    <acpi/>\n  </features>\n</domain>\n",
		      "features", "<kvm/>", kvm_before),
	       "<domain>\n  <features>\n    <acpi/>\n    <kvm/>\n  </features>\n</domain>\n",
	       "after the last child, its indentation");
	is_str(insert("<domain>\n  <features>\n    <acpi/>\n    <vmport state='off'/>\n"
		      "  </features>\n</domain>\n", "features", "<kvm/>", kvm_before),
	       "<domain>\n  <features>\n    <acpi/>\n    <kvm/>\n    <vmport state='off'/>\n"
	       "  </features>\n</domain>\n", "before a follower, on a line of its own");
	is_str(insert("<domain>\n\t<features>\n\t\t<acpi/>\n\t\t<!-- note -->\n\t</features>\n</domain>",
		      "features", "<kvm/>", NULL),
	       "<domain>\n\t<features>\n\t\t<acpi/>\n\t\t<!-- note -->\n\t\t<kvm/>\n\t</features>\n</domain>",
	       "tabs, after a comment");
	is_str(insert("<domain>\r\n  <features>\r\n    <acpi/>\r\n  </features>\r\n</domain>\r\n",
		      "features", "<kvm/>", NULL),
	       "<domain>\r\n  <features>\r\n    <acpi/>\r\n    <kvm/>\r\n  </features>\r\n</domain>\r\n",
	       "CRLF line endings kept");
	is_str(insert("<domain>\n  <features>\n    <kvm/>\n  </features>\n</domain>\n",
		      "features/kvm", "<hidden state='on'/>", NULL),
	       "<domain>\n  <features>\n    <kvm>\n      <hidden state='on'/>\n    </kvm>\n"
	       "  </features>\n</domain>\n", "<kvm/> opened up, one level deeper");
	is_str(insert("<domain>\n    <cpu mode='host-passthrough'></cpu>\n</domain>\n", "cpu", "<f/>", NULL),
	       "<domain>\n    <cpu mode='host-passthrough'>\n        <f/>\n    </cpu>\n</domain>\n",
	       "an empty element with an end tag, four spaces a level");
	is_str(insert("<domain><features><acpi/></features></domain>", "features", "<kvm/>", NULL),
	       "<domain><features><acpi/><kvm/></features></domain>", "one line stays one line");
	is_str(insert("<domain><features/></domain>", "features", "<kvm/>", NULL),
	       "<domain><features><kvm/></features></domain>", "<a/> on one line");

	is_str(removed("<domain>\n  <features>\n    <acpi/>\n    <kvm/>\n  </features>\n</domain>\n",
		       "features/kvm"),
	       "<domain>\n  <features>\n    <acpi/>\n  </features>\n</domain>\n", "removed with its line");
	is_str(removed("<domain>\r\n  <a/>\r\n  <b/>  \r\n</domain>\r\n", "b"),
	       "<domain>\r\n  <a/>\r\n</domain>\r\n", "CRLF line and trailing blanks removed");
	is_str(removed("<domain>\n  <a/> <!-- keep -->\n</domain>\n", "a"),
	       "<domain>\n   <!-- keep -->\n</domain>\n", "a shared line keeps the rest");
	is_str(removed("<domain><a><b/></a></domain>", "a/b"), "<domain><a></a></domain>", "inline");

	ok(load("<domain>\n  <cpu mode='host-model'>\n  </cpu>\n</domain>") &&
	   xmlsplice_is_empty(&src, at("cpu")), "white space only is empty");
	is_str(kept(xmlsplice_collapse(&src, at("cpu"), &len)),
	       "<domain>\n  <cpu mode='host-model'/>\n</domain>", "collapsed");
	ok(load("<domain><cpu><!-- x --></cpu></domain>") && !xmlsplice_is_empty(&src, at("cpu")),
	   "a comment is not empty");

	ok(load("<domain a=\"1\"><vendor_id state='off'/></domain>"), "load");
	is_str(kept(xmlsplice_set_attr(&src, at("vendor_id"), "state", "on", &len)),
	       "<domain a=\"1\"><vendor_id state='on'/></domain>", "value replaced in its quotes");
	is_str(kept(xmlsplice_set_attr(&src, at("vendor_id"), "value", "a<'\"&>", &len)),
	       "<domain a=\"1\"><vendor_id state='off' value='a&lt;&apos;&quot;&amp;&gt;'/></domain>",
	       "added after the others, escaped, in the element's quotes");
	ok(load("<domain a=\"1\"><x/></domain>"), "load");
	is_str(kept(xmlsplice_set_attr(&src, at("x"), "b", "2", &len)),
	       "<domain a=\"1\"><x b=\"2\"/></domain>", "no attributes: the document's quote");
	is_str(kept(xmlsplice_markup(&src, "f", (const char *const[]){ "p", "d", "n", "h", NULL })),
	       "<f p=\"d\" n=\"h\"/>", "markup in the document's quotes");
}

static void after_sibling(void)
{
	size_t len;

	ok(load("<domain>\r\n\t<devices>\r\n\t\t<controller type='pci' index='1'/>\r\n"
		"\t\t<controller type='sata'/>\r\n\t</devices>\r\n</domain>"), "load");
	is_str(kept(xmlsplice_insert_after(&src, at("devices/controller"), "<controller index='2'/>",
					   &len)),
	       "<domain>\r\n\t<devices>\r\n\t\t<controller type='pci' index='1'/>\r\n"
	       "\t\t<controller index='2'/>\r\n\t\t<controller type='sata'/>\r\n\t</devices>\r\n</domain>",
	       "after a sibling: its own line, its indentation and line ending");
	ok(load("<domain><devices><a/><b/></devices></domain>"), "load");
	is_str(kept(xmlsplice_insert_after(&src, at("devices/a"), "<c/>", &len)),
	       "<domain><devices><a/><c/><b/></devices></domain>", "after a sibling on one line");
}

static void scanning(void)
{
	static const char text[] =
		"<?xml version='1.0'?>\n<!-- <x> -->\n<domain a='>' b=\"'\">"
		"<![CDATA[<y>]]><?p <z>?><p:q xmlns:p='u'/>t &gt; u</domain>";

	ok(load(text) && src.n > 0, "comments, CDATA, PIs and '>' in values scanned");
	ok(src.quote == '\'', "the first attribute's quote");
	ok(at("q") == NULL && dom.root->children, "prefixed element not taken for unprefixed");
}

int main(void)
{
	readers();
	refusals();
	splices();
	after_sibling();
	scanning();
	free(got);
	xmlsplice_free(&src);
	domain_free(&dom);
	return tap_done();
}
