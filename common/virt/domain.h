/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libvirt domain XML, read safely, and the facts the tools ask of a
 * domain: does it hide KVM, has it a Hyper-V vendor_id, which host PCI
 * devices does it take.
 *
 * libxml2 is never allowed to load a DTD, an external entity or anything
 * from the network, and a document with a document type declaration is
 * refused before libxml2 sees it: libvirt writes none, and without one no
 * entity can be defined, so none can pull in a file or multiply itself
 * (billion laughs).
 */
#ifndef VFIO_DOMAIN_H
#define VFIO_DOMAIN_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdnoreturn.h>

#include "pci/pciaddr.h"

/* libvirt's VIR_DOMAIN_HYPERV_VENDOR_ID_MAX: CPUID holds 12 bytes. */
#define DOMXML_VENDOR_ID_MAX 12

struct domain {
	xmlDocPtr doc;
	xmlNodePtr root;	/* <domain> */
};

/*
 * Parse LEN bytes of TEXT, NAME being how messages call it.  Returns 0, or
 * -1 after printing why: not UTF-8, a document type declaration, not
 * well-formed (with libxml2's line and message), or not a <domain>.
 */
int domain_parse(struct domain *d, const char *text, size_t len, const char *name);
/*
 * ARG, a domain's XML file shown as SHOWN, could not be opened (errno
 * says why): exits EXIT_FAIL after the message.  When no such file exists
 * and ARG reads as a domain's name (no slash, no .xml), a second line
 * gives the pipeline a virt-xml user wants, "to VERB the libvirt domain
 * ARG: virsh dumpxml --inactive ARG | TAIL".
 */
noreturn void domain_open_failed(const char *arg, const char *shown, const char *verb,
				 const char *tail);
void domain_free(struct domain *d);

/* The first child element of PARENT named NAME; NULL if none or PARENT is NULL. */
xmlNodePtr domain_child(xmlNodePtr parent, const char *name);
/* The first child element of PARENT named NAME whose attribute ATTR is VALUE. */
xmlNodePtr domain_child_with(xmlNodePtr parent, const char *name, const char *attr,
			     const char *value);
/* Whether element N has attribute NAME equal to VALUE. */
bool domain_attr_is(xmlNodePtr n, const char *name, const char *value);
/* The text of PARENT's child element NAME, cut to SIZE - 1 bytes; false if none. */
bool domain_child_text(xmlNodePtr parent, const char *name, char *buf, size_t size);

enum domain_hyperv {
	HYPERV_ABSENT,
	HYPERV_CUSTOM,		/* mode='custom' or no mode: enlightenments listed */
	HYPERV_PASSTHROUGH,	/* mode='passthrough': the host's set, no children */
};

enum domain_hyperv domain_hyperv_mode(const struct domain *d);
/* <features><kvm><hidden state='on'/>: KVM's CPUID signature hidden. */
bool domain_kvm_hidden(const struct domain *d);
/*
 * <features><hyperv><vendor_id state='on' value='...'/>: copies the value
 * (cut to SIZE - 1 bytes) and returns true; false when off or empty.
 */
bool domain_vendor_id(const struct domain *d, char *buf, size_t size);
/* <cpu><feature name='hypervisor' policy='disable' or 'forbid'/>. */
bool domain_cpu_hypervisor_off(const struct domain *d);
/*
 * The host PCI addresses of <hostdev mode='subsystem' type='pci'>, in
 * document order: fills up to MAX of OUT and returns how many there are.
 * An address libvirt would refuse (bus over 0xff, slot over 0x1f, function
 * over 7, not a number) is skipped.
 */
size_t domain_hostdev_pci(const struct domain *d, struct pci_addr *out, size_t max);
/*
 * A device's <address> element A as libvirt reads a guest PCI address
 * (virPCIDeviceAddressParseXML): an attribute left out is 0.  True with
 * the address in *GUEST for a <address type='pci'> libvirt places the
 * device at; false when A is NULL, of another type, one libvirt would
 * refuse, or one it takes for none (domain, bus and slot 0,
 * virPCIDeviceAddressIsEmpty), where libvirt picks the slot itself.
 */
bool domain_guest_address(xmlNodePtr a, struct pci_addr *guest);
/*
 * The guest address of the first <hostdev> whose host address is HOST,
 * read by domain_guest_address(), in *GUEST; false when it has none.
 */
bool domain_hostdev_guest(const struct domain *d, const struct pci_addr *host,
			  struct pci_addr *guest);

#endif
