/* SPDX-License-Identifier: GPL-2.0-or-later */
/* passcheck: the libvirt domain of --xml: hypervisor hidden, hostdevs there. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "passcheck.h"
#include "base/banned.h"

/* The libvirt domain of --xml. */

static struct domain dom;
bool have_dom;
static char dom_name[256] = "DOMAIN";
static struct pci_addr *hostdevs;
static size_t nhostdevs;

/* The domain's name as a word of a printed command. */
static const char *dom_word(void)
{
	static char q[SHQUOTE_SIZE(sizeof(dom_name))];

	return shquote(dom_name, q, sizeof(q));
}

void load_domain(const char *file, const char *tail)
{
	char *path = NULL, *text;
	const char *shown = "standard input";
	size_t len;
	int fd = STDIN_FILENO;

	if (strcmp(file, "-")) {
		path = root_file_arg(file);
		shown = *root_prefix() ? root_show(path) : file;
		fd = root_open(path, O_RDONLY, 0);
		if (fd < 0)
			domain_open_failed(file, shown, "check", tail);
	}
	text = fd_read_all(fd, ROOT_FILE_MAX, &len);
	if (!text)
		err(EXIT_FAIL, "could not read '%s'", shown);
	if (fd != STDIN_FILENO)
		close(fd);
	if (domain_parse(&dom, text, len, shown) < 0)
		exit(EXIT_FAIL);
	have_dom = true;
	domain_child_text(dom.root, "name", dom_name, sizeof(dom_name));
	nhostdevs = domain_hostdev_pci(&dom, NULL, 0);
	hostdevs = xcalloc(nhostdevs, sizeof(*hostdevs));
	domain_hostdev_pci(&dom, hostdevs, nhostdevs);
	free(text);
	free(path);
}

void check_domain(void)
{
	char vendor[DOMXML_VENDOR_ID_MAX + 1];

	if (domain_kvm_hidden(&dom))
		report(PASS, "xml-kvm-hidden", NULL, "domain %s hides KVM", dom_name);
	else
		report(WARN, "xml-kvm-hidden", NULL, "domain %s does not hide KVM: GPU drivers that "
		       "refuse to run in a VM (NVIDIA before R465: code 43) will not start; "
		       "virtxml-hide hides it", dom_name);
	if (domain_vendor_id(&dom, vendor, sizeof(vendor)))
		report(PASS, "xml-vendor-id", NULL, "domain %s sets the Hyper-V vendor_id '%s'",
		       dom_name, vendor);
	else if (domain_hyperv_mode(&dom) == HYPERV_PASSTHROUGH)
		report(SKIP, "xml-vendor-id", NULL, "domain %s has <hyperv mode='passthrough'>, which "
		       "takes no vendor_id", dom_name);
	else
		report(WARN, "xml-vendor-id", NULL, "domain %s sets no Hyper-V vendor_id: the guest "
		       "sees KVM's; virtxml-hide sets one", dom_name);
}

void check_hostdev(const struct pcidev *d)
{
	char list[2048] = "", cmds[2048] = "", slot[PCI_ADDR_LEN];
	const struct pcidev *m;
	struct devsel_iter it;
	size_t k, n = 0;

	for (devsel_iter_init(&it, &sel, d); (m = devsel_iter_next(&it)); ) {
		size_t len;

		n++;
		for (k = 0; k < nhostdevs; k++)
			if (pci_addr_equal(&hostdevs[k], &m->addr))
				break;
		if (k < nhostdevs)
			continue;
		pcidev_slot(&devs, m, slot);
		len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "", m->name);
		len = strlen(cmds);
		snprintf(cmds + len, sizeof(cmds) - len, "%svirt-xml %s --add-device --hostdev %s",
			 len ? "; " : "", dom_word(), slot);
	}
	if (*list)
		report(FAIL, "xml-hostdev", d->name, "domain %s lacks %s (a VM takes every function "
		       "of the device and its IOMMU group): %s", dom_name, list, cmds);
	else
		report(PASS, "xml-hostdev", d->name, "domain %s has %s%zu function%s", dom_name,
		       n > 1 ? "all " : "", n, n > 1 ? "s" : "");
}

/* Hostdevs of the domain at addresses where this host has no device. */
void check_hostdev_missing(void)
{
	char addr[PCI_ADDR_LEN];
	size_t k, n = 0;

	for (k = 0; k < nhostdevs; k++) {
		if (pcidevs_find(&devs, &hostdevs[k]) >= 0)
			continue;
		n++;
		pci_addr_format(&hostdevs[k], addr);
		report(FAIL, "xml-hostdev-missing", addr, "domain %s passes %s, where this host has "
		       "no PCI device: the VM does not start; take it out (virt-xml %s "
		       "--remove-device --hostdev %s) or give the address of the device now", dom_name,
		       addr, dom_word(), addr);
	}
	if (nhostdevs && !n)
		report(PASS, "xml-hostdev-missing", NULL, "every <hostdev> of domain %s is a device "
		       "of this host", dom_name);
}

void unload_domain(void)
{
	free(hostdevs);
	if (have_dom)
		domain_free(&dom);
}
