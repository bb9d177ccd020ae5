/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Strict PCI address and ID parsing: what reaches sysfs paths. */
#include "base/strbuf.h"
#include "pci/pciaddr.h"
#include "tap.h"

static const char *canon(const char *s)
{
	static char buf[PCI_ADDR_LEN];
	struct pci_addr a;
	const char *why;

	if (pci_addr_parse(s, &a, &why) < 0)
		return NULL;
	return pci_addr_format(&a, buf);
}

int main(void)
{
	static const char *const bad[] = {
		"", "07", "07:00", "07:00.", "07:00.8", "07:20.0", "100:00.0",
		"0000:07:00.0 ", " 07:00.0", "07:00.0/../../x", "../07:00.0",
		"07:00.0\n", "0x07:00.0", "-1:00.0", "123456789:07:00.0",
		"80000000:00:00.0", "07:00.00", "g7:00.0", "07::00.0", ":07:00.0",
		"0000:07:00.0:1", "07:000.0",
	};
	struct pci_id id;
	const char *why;
	size_t i;

	is_str(canon("07:00.0"), "0000:07:00.0", "bus:slot.func gets domain 0");
	is_str(canon("0000:07:00.1"), "0000:07:00.1", "full address");
	is_str(canon("10000:02:05.0"), "10000:02:05.0", "VMD domain past ffff");
	is_str(canon("7:0.0"), "0000:07:00.0", "short fields are padded");
	is_str(canon("0000:0A:1F.7"), "0000:0a:1f.7", "upper case hex is folded");
	is_str(canon("ff:1f.7"), "0000:ff:1f.7", "largest bus, slot and function");
	is_str(canon("7fffffff:00:00.0"), "7fffffff:00:00.0", "largest domain, every digit");
	{
		char hex[PCI_HEX_LEN];

		is_str(pci_hex(0x3, 2, hex), "03", "hex padded to its width");
		is_str(pci_hex(0x10de, 4, hex), "10de", "hex in lower case");
		is_str(pci_hex(0xffffffff, 2, hex), "ffffffff", "hex wider than its width kept whole");
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(canon(bad[i]) == NULL, "rejects '%s'", bad[i]);

	ok(pci_id_parse("1002:73ff", &id, &why) == 0 && id.vendor == 0x1002 &&
	   id.device == 0x73ff, "vendor:device");
	ok(pci_id_parse("10DE:2484", &id, &why) == 0 && id.vendor == 0x10de, "upper case ID");
	ok(pci_id_parse("1002:73f", &id, &why) < 0, "three-digit device rejected");
	ok(pci_id_parse("1002:73ff0", &id, &why) < 0, "five-digit device rejected");
	ok(pci_id_parse("1002-73ff", &id, &why) < 0 && why, "wrong separator rejected with a reason");
	ok(pci_id_parse("1002:73ff:0300", &id, &why) < 0, "trailing class rejected");

	/* vfio-pci's ids=, as vfio_pci_fill_ids() splits and reads it. */
	{
		const char *list = ",1002:73FF,,1002,10de:2484:1462:5022:030000:ff0000,";
		struct pci_id_match m;
		struct strbuf sb = STRBUF_INIT;

		ok(pci_ids_next(&list, &m) == 1 && m.vendor == 0x1002 && m.device == 0x73ff &&
		   m.subvendor == PCI_ID_ANY && m.subdevice == PCI_ID_ANY && !m.class &&
		   !m.class_mask, "ids=: empty entries skipped, either case, the rest any");
		ok(pci_ids_next(&list, &m) == -1, "ids=: one number is an invalid id string");
		ok(pci_ids_next(&list, &m) == 1 && m.device == 0x2484 && m.subvendor == 0x1462 &&
		   m.subdevice == 0x5022 && m.class == 0x030000 && m.class_mask == 0xff0000,
		   "ids=: all six fields");
		ok(pci_ids_next(&list, &m) == 0 && !*list, "ids=: the end, a trailing comma too");
		ok(pci_id_match(&m, 0x10de, 0x2484, 0x1462, 0x5022, 0x030000) &&
		   pci_id_match(&m, 0x10de, 0x2484, -1, -1, 0x030200) &&
		   !pci_id_match(&m, 0x10de, 0x2484, 0x1043, 0x5022, 0x030000) &&
		   !pci_id_match(&m, 0x10de, 0x2484, 0x1462, 0x5022, 0x040300),
		   "ids=: subsystem IDs unknown may match, the class under its mask");
		pci_ids_add(&sb, false, 0x1002, 0x73ff);
		pci_ids_add(&sb, true, 0x10de, 0xab);
		is_str(sb.buf, "1002:73ff,10de:00ab", "ids=: written four digits each, ',' between");
		strbuf_release(&sb);
	}
	return tap_done();
}
