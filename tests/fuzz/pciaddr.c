/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI addresses and vendor:device IDs as the tools take them on the
 * command line.  The input is the argument; a NUL byte ends it, as it
 * would end an argv string.
 *
 * Properties: an address accepted is in range and written in the
 * kernel's spelling, which reads back as the same address and is
 * written the same again; it has only hex digits and the separators,
 * so it cannot name a path outside /sys/bus/pci/devices.  An ID
 * accepted is written back as the argument, letters aside.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "pci/pciaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_nonnull(strndup((const char *)data, size));
	char buf[PCI_ADDR_LEN], again[PCI_ADDR_LEN], idbuf[16];
	struct pci_addr a, b;
	struct pci_id id;
	const char *why, *p;

	if (pci_addr_parse(s, &a, &why) == 0) {
		CHECK(why == NULL);
		CHECK(a.domain <= 0x7fffffff && a.bus <= 0xff && a.slot <= 0x1f && a.func <= 7);
		for (p = s; *p; p++)
			CHECK(isxdigit((unsigned char)*p) || *p == ':' || *p == '.');
		pci_addr_format(&a, buf);
		CHECK(strlen(buf) < PCI_ADDR_LEN);
		CHECK(pci_addr_parse(buf, &b, &why) == 0 && pci_addr_equal(&a, &b));
		CHECK(!strcmp(pci_addr_format(&b, again), buf));
	} else {
		CHECK(why != NULL && why[0]);
	}
	if (pci_id_parse(s, &id, &why) == 0) {
		CHECK(why == NULL && id.vendor <= 0xffff && id.device <= 0xffff);
		snprintf(idbuf, sizeof(idbuf), "%04x:%04x", id.vendor, id.device);
		CHECK(!strcasecmp(idbuf, s));
	} else {
		CHECK(why != NULL && why[0]);
	}
	/* ids=: every call moves on, and the list ends. */
	{
		const char *list = s, *before;
		struct pci_id_match m;
		int r;

		do {
			before = list;
			r = pci_ids_next(&list, &m);
			CHECK(list >= before && list <= s + strlen(s));
			CHECK(r == 0 ? !*list : list > before);
		} while (r);
	}
	free(s);
	return 0;
}
