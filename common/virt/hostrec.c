/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virt/hostrec.h"
#include "virt/record.h"
#include "base/banned.h"

bool hostrec_read(const struct domain *d, struct hostrec *r, bool *meta_added)
{
	xmlNodePtr el = record_find(d, HOSTREC_TOOL, meta_added);
	char buf[HOSTREC_MAX * 80], *w, *save = NULL, *slash, *end;
	const char *why;
	unsigned long x;

	r->nfn = r->nport = 0;
	if (!el)
		return false;
	if (record_get(el, "added", buf, sizeof(buf))) {
		for (w = strtok_r(buf, " ", &save); w && r->nfn < HOSTREC_MAX;
		     w = strtok_r(NULL, " ", &save)) {
			struct hostrec_fn *f = &r->fn[r->nfn];

			if (!(slash = strchr(w, '/')))
				continue;
			*slash = '\0';
			if (pci_addr_parse(w, &f->addr, &why) < 0)
				continue;
			snprintf(f->ident, sizeof(f->ident), "%s", slash + 1);
			r->nfn++;
		}
	}
	save = NULL;
	if (record_get(el, "ports", buf, sizeof(buf))) {
		for (w = strtok_r(buf, " ", &save); w && r->nport < HOSTREC_MAX;
		     w = strtok_r(NULL, " ", &save)) {
			x = strtoul(w, &end, 10);
			if (*end || x > 0xff)
				continue;
			r->port[r->nport++] = (unsigned int)x;
		}
	}
	return true;
}

char *hostrec_ident(const struct pcidev *dev, char *buf, size_t size)
{
	char sub[24] = "-";

	if (dev->subsys_vendor >= 0 && dev->subsys_device >= 0)
		snprintf(sub, sizeof(sub), "%04x:%04x", (unsigned int)dev->subsys_vendor,
			 (unsigned int)dev->subsys_device);
	snprintf(buf, size, "%04x:%04x/%s/%06x", dev->vendor, dev->device, sub, dev->class);
	return buf;
}
