/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfio-pci's ids= as the kernel matches it (vfio_pci_fill_ids, then the
 * PCI core's dynamic IDs), its parameters, and which devices a list takes
 * that the host keeps.
 */
#include <string.h>

#include "pci/pcidev.h"
#include "tap.h"
#include "kmod/vfioids.h"

static struct pcidev dev(unsigned int bus, unsigned int slot, unsigned int func,
			 unsigned int vendor, unsigned int device, unsigned int class, int boot_vga)
{
	struct pcidev d;

	memset(&d, 0, sizeof(d));
	d.addr.bus = bus;
	d.addr.slot = slot;
	d.addr.func = func;
	snprintf(d.name, sizeof(d.name), "0000:%02x:%02x.%x", bus, slot, func);
	d.vendor = vendor;
	d.device = device;
	d.class = class;
	d.subsys_vendor = 0x1462;
	d.subsys_device = 0x5022;
	d.boot_vga = boot_vga;
	return d;
}

int main(void)
{
	/* The guide's host: the boot GPU 03:00 and the guest card 07:00. */
	struct pcidev v[] = {
		dev(0x00, 0x01, 0, 0x8086, 0x1901, 0x060400, -1),
		dev(0x03, 0x00, 0, 0x1002, 0x73df, 0x030000, 1),
		dev(0x03, 0x00, 1, 0x1002, 0xab28, 0x040300, -1),
		dev(0x07, 0x00, 0, 0x1002, 0x73ff, 0x030000, 0),
		dev(0x07, 0x00, 1, 0x1002, 0xab28, 0x040300, -1),
	};
	struct pcidevs l = { .dev = v, .n = sizeof(v) / sizeof(*v) };
	struct pcidev *gpu = &v[3], *audio = &v[4];
	size_t kept[8], n;

	ok(vfio_ids_match("1002:73ff,1002:ab28", gpu), "first entry");
	ok(vfio_ids_match("1002:73ff,1002:ab28", audio), "second entry");
	ok(vfio_ids_match("1002:73FF", gpu), "hex digits of either case, as sscanf %%x reads them");
	ok(vfio_ids_match(",,1002:ab28,", audio), "empty entries skipped");
	ok(!vfio_ids_match("1002", gpu), "one field: invalid, the kernel skips it");
	ok(!vfio_ids_match("1002:73f", gpu), "another device");
	ok(vfio_ids_match("1002:73ff:1462:5022", gpu), "subsystem IDs that match");
	ok(!vfio_ids_match("1002:73ff:1462:1234", gpu), "a subsystem device that does not");
	ok(vfio_ids_match("1002:73ff:ffffffff:ffffffff", gpu), "PCI_ANY_ID subsystem");
	ok(vfio_ids_match("ffffffff:ab28", audio), "PCI_ANY_ID vendor");
	ok(vfio_ids_match("1002:ab28:ffffffff:ffffffff:040300:ffffff", audio), "class that matches");
	ok(!vfio_ids_match("1002:ab28:ffffffff:ffffffff:030000:ffff00", audio), "class that does not");
	ok(!vfio_ids_match("", gpu), "nothing");

	ok(vfio_pci_param("ids") && vfio_pci_param("disable_vga") && vfio_pci_param("disable-vga") &&
	   vfio_pci_param("disable_idle_d3") && vfio_pci_param("nointxmask") &&
	   vfio_pci_param("enable_sriov") && vfio_pci_param("disable_denylist"),
	   "vfio_pci's parameters, - and _ alike");
	ok(!vfio_pci_param("kvm.ignore_msrs") && !vfio_pci_param("ignore_msrs") &&
	   !vfio_pci_param("id"), "not vfio_pci's");

	ok(boot_vga_card(&l, 2) && boot_vga_card(&l, 1) && !boot_vga_card(&l, 4),
	   "the boot VGA card's functions");

	n = vfio_ids_kept(&l, "1002:73ff,1002:ab28", kept);
	ok(n == 1 && kept[0] == 2, "the guide's list takes the host card's audio");
	n = vfio_ids_kept(&l, "1002:73ff", kept);
	ok(n == 0, "the guest card's GPU alone takes nothing the host keeps");
	n = vfio_ids_kept(&l, "1002:73df,1002:ab28,1002:73ff", kept);
	ok(n == 2 && kept[0] == 1 && kept[1] == 2, "the boot VGA card is kept even when listed whole");
	v[1].boot_vga = 0;
	n = vfio_ids_kept(&l, "1002:73ff,1002:ab28", kept);
	ok(n == 1 && kept[0] == 2, "a card whose first function is not listed is kept");
	n = vfio_ids_kept(&l, "1002:73df,1002:ab28,1002:73ff", kept);
	ok(n == 0, "a card listed whole, not the boot VGA, goes");
	n = vfio_ids_kept(&l, "8086:1901", kept);
	ok(n == 0, "bridges are never taken");
	return tap_done();
}
