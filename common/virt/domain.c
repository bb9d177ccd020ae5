/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "virt/domain.h"
#include "base/prog.h"
#include "base/shquote.h"
#include "base/xalloc.h"
#include "base/banned.h"

/* Every resource libxml2 might fetch (a DTD, an external entity) is refused. */
static xmlParserInputPtr no_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	return NULL;
}

/* libxml2 goes on after the first error; that one names the cause. */
struct first_error {
	bool seen;
	int line;
	char message[256];
};

static void keep_first(void *data, xmlErrorPtr e)
{
	struct first_error *f = data;
	size_t n;

	if (f->seen || !e->message || e->level < XML_ERR_ERROR)
		return;
	f->seen = true;
	f->line = e->line;
	snprintf(f->message, sizeof(f->message), "%s", e->message);
	n = strlen(f->message);
	while (n > 0 && (f->message[n - 1] == '\n' || f->message[n - 1] == ' '))
		f->message[--n] = '\0';
	/* One error, one line: libxml2 puts the bytes of an encoding error on a second one. */
	while (n > 0)
		if (f->message[--n] == '\n')
			f->message[n] = ' ';
}

static size_t skip_blanks(const char *t, size_t len, size_t i)
{
	while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'))
		i++;
	return i;
}

/*
 * Whether the prolog (XML declaration, comments, processing instructions,
 * white space) is followed by <!DOCTYPE.  Anything unexpected ends the
 * scan: libxml2 then reports it.
 */
static bool has_doctype(const char *t, size_t len)
{
	size_t i = 0;
	const char *end;

	if (len >= 3 && !memcmp(t, "\xef\xbb\xbf", 3))
		i = 3;
	for (;;) {
		i = skip_blanks(t, len, i);
		if (len - i >= 4 && !memcmp(t + i, "<!--", 4))
			end = memmem(t + i + 4, len - i - 4, "-->", 3);
		else if (len - i >= 2 && !memcmp(t + i, "<?", 2))
			end = memmem(t + i + 2, len - i - 2, "?>", 2);
		else
			return len - i >= 9 && !memcmp(t + i, "<!DOCTYPE", 9);
		if (!end)
			return false;
		i = (size_t)(end - t) + (end[0] == '-' ? 3 : 2);
	}
}

static void doctype_refused(const char *name)
{
	warnx("could not parse '%s': it has a document type declaration (<!DOCTYPE>), "
	      "which libvirt domain XML never has; refused, since its entities could "
	      "pull in other files", name);
}

/* What libvirt writes: UTF-8, of which ASCII is a part. */
static bool utf8_encoding(const char *enc)
{
	return !strcasecmp(enc, "UTF-8") || !strcasecmp(enc, "UTF8") ||
	       !strcasecmp(enc, "US-ASCII") || !strcasecmp(enc, "ASCII");
}

int domain_parse(struct domain *d, const char *text, size_t len, const char *name)
{
	struct first_error first = { false, 0, "" };
	xmlParserCtxtPtr ctxt;

	d->doc = NULL;
	d->root = NULL;
	if (memchr(text, '\0', len)) {
		warnx("could not parse '%s': it holds NUL bytes (UTF-16 or not text), not UTF-8 XML", name);
		return -1;
	}
	if (has_doctype(text, len)) {
		doctype_refused(name);
		return -1;
	}
	if (len > (size_t)INT_MAX) {
		warnx("could not parse '%s': %s", name, strerror(EFBIG));
		return -1;
	}
	xmlSetExternalEntityLoader(no_external);
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		xalloc_die();
	/* No XML_PARSE_NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE: nothing is loaded or expanded. */
	xmlSetStructuredErrorFunc(&first, keep_first);
	d->doc = xmlCtxtReadMemory(ctxt, text, (int)len, NULL, NULL,
				   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlFreeParserCtxt(ctxt);
	if (!d->doc) {
		if (first.seen)
			warnx("could not parse '%s': not well-formed XML: line %d: %s", name, first.line,
			      first.message);
		else
			warnx("could not parse '%s': not well-formed XML", name);
		return -1;
	}
	/*
	 * The byte scan above sees a DOCTYPE only in ASCII; in another
	 * encoding (UTF-7, EBCDIC) only the parser does.  It loaded and
	 * expanded nothing; what it saw decides.
	 */
	if (d->doc->intSubset || d->doc->extSubset) {
		doctype_refused(name);
		domain_free(d);
		return -1;
	}
	if (d->doc->encoding && !utf8_encoding((const char *)d->doc->encoding)) {
		warnx("could not parse '%s': it is encoded in %s, and libvirt domain XML is UTF-8; "
		      "refused", name,
		      (const char *)d->doc->encoding);
		domain_free(d);
		return -1;
	}
	d->root = xmlDocGetRootElement(d->doc);
	if (!d->root || d->root->ns || strcmp((const char *)d->root->name, "domain")) {
		warnx("'%s' is not a libvirt domain: its root element is <%s%s%s>, not <domain>", name,
		      d->root && d->root->ns && d->root->ns->prefix ? (const char *)d->root->ns->prefix : "",
		      d->root && d->root->ns && d->root->ns->prefix ? ":" : "",
		      d->root ? (const char *)d->root->name : "");
		domain_free(d);
		return -1;
	}
	return 0;
}

noreturn void domain_open_failed(const char *arg, const char *shown, const char *verb,
				 const char *tail)
{
	char q[SHQUOTE_SIZE(256)];
	size_t n = strlen(arg);
	int e = errno;
	const char *word;

	warn("could not open '%s'", shown);
	/* libvirt's names take any character but '/'; a file's name more likely ends in .xml. */
	if (e == ENOENT && !strchr(arg, '/') && !(n >= 4 && !strcasecmp(arg + n - 4, ".xml")) &&
	    (word = shquote(arg, q, sizeof(q))))
		fprintf(stderr, "%s: to %s the libvirt domain %s: virsh dumpxml --inactive %s | %s\n", prog_name(),
			verb, word, word, tail);
	exit(EXIT_FAIL);
}

void domain_free(struct domain *d)
{
	xmlFreeDoc(d->doc);
	d->doc = NULL;
	d->root = NULL;
}

static bool is_named(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !n->ns && !strcmp((const char *)n->name, name);
}

xmlNodePtr domain_child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n;

	for (n = parent ? parent->children : NULL; n; n = n->next)
		if (is_named(n, name))
			return n;
	return NULL;
}

bool domain_attr_is(xmlNodePtr n, const char *name, const char *value)
{
	xmlChar *v = n ? xmlGetNoNsProp(n, (const xmlChar *)name) : NULL;
	bool same = v && !strcmp((const char *)v, value);

	xmlFree(v);
	return same;
}

xmlNodePtr domain_child_with(xmlNodePtr parent, const char *name, const char *attr,
			     const char *value)
{
	xmlNodePtr n;

	for (n = parent ? parent->children : NULL; n; n = n->next)
		if (is_named(n, name) && domain_attr_is(n, attr, value))
			return n;
	return NULL;
}

bool domain_child_text(xmlNodePtr parent, const char *name, char *buf, size_t size)
{
	xmlNodePtr n = domain_child(parent, name);
	xmlChar *c = n ? xmlNodeGetContent(n) : NULL;

	if (!c)
		return false;
	snprintf(buf, size, "%s", (const char *)c);
	xmlFree(c);
	return true;
}

static xmlNodePtr features(const struct domain *d, const char *name)
{
	return domain_child(domain_child(d->root, "features"), name);
}

enum domain_hyperv domain_hyperv_mode(const struct domain *d)
{
	xmlNodePtr h = features(d, "hyperv");

	if (!h)
		return HYPERV_ABSENT;
	return domain_attr_is(h, "mode", "passthrough") ? HYPERV_PASSTHROUGH : HYPERV_CUSTOM;
}

bool domain_kvm_hidden(const struct domain *d)
{
	return domain_attr_is(domain_child(features(d, "kvm"), "hidden"), "state", "on");
}

bool domain_vendor_id(const struct domain *d, char *buf, size_t size)
{
	xmlNodePtr v = domain_child(features(d, "hyperv"), "vendor_id");
	xmlChar *value;
	bool found;

	if (!domain_attr_is(v, "state", "on"))
		return false;
	value = xmlGetNoNsProp(v, (const xmlChar *)"value");
	found = value && *value;
	if (found)
		snprintf(buf, size, "%s", (const char *)value);
	xmlFree(value);
	return found;
}

bool domain_cpu_hypervisor_off(const struct domain *d)
{
	xmlNodePtr f = domain_child_with(domain_child(d->root, "cpu"), "feature", "name", "hypervisor");

	return domain_attr_is(f, "policy", "disable") || domain_attr_is(f, "policy", "forbid");
}

/* An address attribute as libvirt reads it: base 0 (0x.. hex), absent is 0. */
static bool address_field(xmlNodePtr a, const char *name, unsigned long max, unsigned int *out)
{
	xmlChar *v = xmlGetNoNsProp(a, (const xmlChar *)name);
	unsigned long x = 0;
	char *end = NULL;
	bool ok = true;

	if (v) {
		errno = 0;
		x = strtoul((const char *)v, &end, 0);
		ok = *v && *v != '-' && !*end && errno == 0 && x <= max;
	}
	xmlFree(v);
	*out = (unsigned int)x;
	return ok;
}

static bool pci_address(xmlNodePtr a, struct pci_addr *p)
{
	return a && address_field(a, "domain", 0xffffffff, &p->domain) &&
	       address_field(a, "bus", 0xff, &p->bus) && address_field(a, "slot", 0x1f, &p->slot) &&
	       address_field(a, "function", 7, &p->func);
}

/* N is a <hostdev mode='subsystem' type='pci'> with a host address libvirt takes, in *P. */
static bool hostdev_source(xmlNodePtr n, struct pci_addr *p)
{
	return is_named(n, "hostdev") && domain_attr_is(n, "mode", "subsystem") &&
	       domain_attr_is(n, "type", "pci") &&
	       pci_address(domain_child(domain_child(n, "source"), "address"), p);
}

size_t domain_hostdev_pci(const struct domain *d, struct pci_addr *out, size_t max)
{
	xmlNodePtr devices = domain_child(d->root, "devices"), n;
	size_t count = 0;

	for (n = devices ? devices->children : NULL; n; n = n->next) {
		struct pci_addr p;

		if (!hostdev_source(n, &p))
			continue;
		if (count < max)
			out[count] = p;
		count++;
	}
	return count;
}

bool domain_guest_address(xmlNodePtr a, struct pci_addr *guest)
{
	return domain_attr_is(a, "type", "pci") && pci_address(a, guest) &&
	       (guest->domain || guest->bus || guest->slot);
}

bool domain_hostdev_guest(const struct domain *d, const struct pci_addr *host,
			  struct pci_addr *guest)
{
	xmlNodePtr devices = domain_child(d->root, "devices"), n;
	struct pci_addr p;

	for (n = devices ? devices->children : NULL; n; n = n->next) {
		if (!hostdev_source(n, &p) || !pci_addr_equal(&p, host))
			continue;
		return domain_guest_address(domain_child(n, "address"), guest);
	}
	return false;
}
