/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What passcheck --xml reads of a libvirt domain's PCI hostdevs:
 * virtxml-hostdev's record of what it added (hostrec.h) and the guest
 * address of each hostdev (domain.h).
 *
 * Properties: the record names at most HOSTREC_MAX functions and root
 * ports, each an address the kernel can have, an identity that fits and
 * an index of a PCI controller, and reading it again gives the same; a
 * domain without a record reads as empty.  A guest address is one
 * libvirt takes (bus, slot and function in range, not all zero), and a
 * host address the domain does not pass has none.
 */
#include <stdlib.h>
#include <string.h>

#include "virt/domain.h"
#include "virt/hostrec.h"
#include "fuzz.h"

#define MAX_HOSTDEVS 64

static void check_record(const struct domain *d)
{
	struct hostrec *a = fuzz_nonnull(calloc(1, sizeof(*a)));
	struct hostrec *b = fuzz_nonnull(calloc(1, sizeof(*b)));
	bool has = hostrec_read(d, a, NULL);
	size_t i;

	CHECK(has || (a->nfn == 0 && a->nport == 0));
	CHECK(a->nfn <= HOSTREC_MAX && a->nport <= HOSTREC_MAX);
	for (i = 0; i < a->nfn; i++) {
		const struct pci_addr *p = &a->fn[i].addr;

		CHECK(p->bus <= 0xff && p->slot <= 0x1f && p->func <= 7);
		CHECK(memchr(a->fn[i].ident, '\0', sizeof(a->fn[i].ident)) != NULL);
	}
	for (i = 0; i < a->nport; i++)
		CHECK(a->port[i] <= 0xff);
	CHECK(hostrec_read(d, b, NULL) == has && !memcmp(a, b, sizeof(*a)));
	free(a);
	free(b);
}

static void check_guest(const struct domain *d)
{
	struct pci_addr host[MAX_HOSTDEVS], g, none = { 0xffffffff, 0xff, 0x1f, 7 };
	size_t i, n = domain_hostdev_pci(d, host, MAX_HOSTDEVS);
	bool passed = false;

	for (i = 0; i < n && i < MAX_HOSTDEVS; i++) {
		passed |= pci_addr_equal(&host[i], &none);
		if (!domain_hostdev_guest(d, &host[i], &g))
			continue;
		CHECK(g.bus <= 0xff && g.slot <= 0x1f && g.func <= 7);
		CHECK(g.domain || g.bus || g.slot);
	}
	CHECK(n > MAX_HOSTDEVS || passed || !domain_hostdev_guest(d, &none, &g));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct domain d;
	struct parts p;

	parts_split(&p, data, size, 1);
	if (domain_parse(&d, p.s[0], p.len[0], "fuzz") == 0) {
		check_record(&d);
		check_guest(&d);
		domain_free(&d);
	}
	parts_free(&p);
	return 0;
}
