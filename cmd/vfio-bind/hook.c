/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfio-bind --libvirt-hook: called as libvirt's qemu hook, with its
 * arguments (the domain, the operation, the sub-operation, one more) and
 * the domain's XML on standard input.  prepare/begin hands over the
 * cards of the domain's PCI hostdevs, release/end gives them back;
 * every other call does nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/prog.h"
#include "base/root.h"
#include "base/xalloc.h"
#include "pci/pciaddr.h"
#include "virt/domain.h"
#include "vfio-bind.h"
#include "base/banned.h"

/* ADDRS[I]'s card slot in BUF ("0000:07:00"), unless a function before it is on that card. */
static bool card_slot(const struct pci_addr *addrs, size_t i, char *buf, size_t size)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (addrs[j].domain == addrs[i].domain && addrs[j].bus == addrs[i].bus &&
		    addrs[j].slot == addrs[i].slot)
			return false;
	snprintf(buf, size, "%04x:%02x:%02x", addrs[i].domain, addrs[i].bus, addrs[i].slot);
	return true;
}

int libvirt_hook(const struct opts *o, char **args, size_t nargs,
		 int (*card)(const struct opts *o, const char *dev, bool give))
{
	struct pci_addr *addrs;
	struct domain dom;
	char name[256] = "", dev[32];
	size_t len, n, i;
	char *text;
	bool give;
	int ret = EXIT_OK;

	if (nargs < 3 || nargs > 4)
		usage_error("--libvirt-hook takes libvirt's arguments: DOMAIN OPERATION SUB-OPERATION [EXTRA]");
	give = !strcmp(args[1], "release") && !strcmp(args[2], "end");
	/* libvirt writes the XML whatever the operation: read it all. */
	text = fd_read_all(STDIN_FILENO, ROOT_FILE_MAX, &len);
	if (!text)
		err(EXIT_FAIL, "could not read the domain XML from standard input");
	if (!give && !(!strcmp(args[1], "prepare") && !strcmp(args[2], "begin"))) {
		free(text);
		return EXIT_OK;
	}
	if (domain_parse(&dom, text, len, "standard input") < 0) {
		free(text);
		return EXIT_FAIL;
	}
	free(text);
	domain_child_text(dom.root, "name", name, sizeof(name));
	if (strcmp(name, args[0])) {
		warnx("the domain XML on standard input is '%s', not '%s': nothing done", name,
		      args[0]);
		domain_free(&dom);
		return EXIT_FAIL;
	}
	n = domain_hostdev_pci(&dom, NULL, 0);
	addrs = xcalloc(n ? n : 1, sizeof(*addrs));
	domain_hostdev_pci(&dom, addrs, n);
	domain_free(&dom);
	/* One card once, however many of its functions are hostdevs. */
	for (i = 0; i < n; i++) {
		if (!card_slot(addrs, i, dev, sizeof(dev)))
			continue;
		if (card(o, dev, give) == EXIT_OK)
			continue;
		ret = EXIT_FAIL;
		if (give)
			continue;
		/* libvirt will not start the domain: the cards handed over go back. */
		while (i-- > 0)
			if (card_slot(addrs, i, dev, sizeof(dev)))
				card(o, dev, true);
		break;
	}
	free(addrs);
	return ret;
}
