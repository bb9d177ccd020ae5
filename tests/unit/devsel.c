/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device selection: what goes to a VM with a device, whether a group is
 * isolated, what "on vfio" is.
 */
#include <stdio.h>
#include <string.h>

#include "base/macros.h"
#include "pci/devsel.h"
#include "tap.h"

static struct pcidev dev(unsigned int bus, unsigned int slot, unsigned int func,
			 unsigned int class, long group, const char *driver)
{
	struct pcidev d;

	memset(&d, 0, sizeof(d));
	d.addr.bus = bus;
	d.addr.slot = slot;
	d.addr.func = func;
	snprintf(d.name, sizeof(d.name), "0000:%02x:%02x.%x", bus, slot, func);
	d.vendor = 0x1002;
	d.device = 0x1000 + bus * 8 + func;
	d.class = class;
	d.group = group;
	snprintf(d.driver, sizeof(d.driver), "%s", driver);
	d.boot_vga = -1;
	return d;
}

/* The names of what goes with device I, space separated. */
static const char *with(const struct devsel *s, size_t i)
{
	static char buf[512];
	const struct pcidev *m;
	struct devsel_iter it;
	size_t len = 0;

	buf[0] = '\0';
	for (devsel_iter_init(&it, s, &s->l->dev[i]); (m = devsel_iter_next(&it)); )
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? " " : "",
					m->name + 5);
	return buf;
}

int main(void)
{
	struct pcidev v[] = {
		dev(0x00, 0x00, 0, 0x060000, 0, ""),		/* 0 host bridge, no driver */
		dev(0x00, 0x01, 0, 0x060400, 1, "pcieport"),	/* 1 root port */
		dev(0x00, 0x1f, 0, 0x060100, 9, ""),		/* 2 ISA bridge (platform) */
		dev(0x00, 0x1f, 3, 0x040300, 9, "snd_hda_intel"), /* 3 chipset audio */
		dev(0x01, 0x00, 0, 0x030000, 1, "amdgpu"),	/* 4 GPU, with the root port */
		dev(0x01, 0x00, 1, 0x040300, 2, "vfio-pci"),	/* 5 its audio, a group of its own */
		dev(0x02, 0x00, 0, 0x0c0330, 2, "xhci_hcd"),	/* 6 USB in the audio's group */
		dev(0x03, 0x00, 0, 0x020000, -1, "igb"),	/* 7 in no group */
		dev(0x04, 0x00, 0, 0x030000, 4, "pci-stub"),	/* 8 second GPU */
	};
	struct pcidevs l = { .dev = v, .n = ARRAY_SIZE(v) };
	struct devsel s;
	bool want[ARRAY_SIZE(v)] = { 0 }, take[ARRAY_SIZE(v)] = { 0 };

	devsel_init(&s, &l);
	is_str(with(&s, 4), "01:00.0 01:00.1 02:00.0",
	       "the card's functions and every member of their groups, bridges aside");
	is_str(with(&s, 5), "01:00.0 01:00.1 02:00.0", "the same set from the card's other function");
	is_str(with(&s, 7), "03:00.0", "a device in no group: its card only");
	is_str(with(&s, 1), "01:00.0", "a bridge named brings its group, itself left out");
	is_str(with(&s, 3), "00:1f.0 00:1f.3", "a chipset function brings its card's ISA bridge");
	want[8] = want[4] = true;
	ok(devsel_take(&s, want, take) == 4 && take[4] && take[5] && take[6] && take[8] &&
	   !take[0] && !take[1] && !take[7], "what goes with two devices, each once");

	ok(devsel_group_isolated(&s, 4) && devsel_group_isolated(&s, 1),
	   "root port and GPU: one endpoint, isolated");
	ok(!devsel_group_isolated(&s, 5), "audio and USB of another card: not isolated");
	ok(!devsel_group_isolated(&s, 3), "a group with the ISA bridge: not isolated");
	ok(!devsel_group_isolated(&s, 7), "no group: not isolated");
	ok(devsel_group_isolated(&s, 8), "a group of its own");

	ok(devsel_on_vfio(&v[5]), "vfio-pci is on vfio");
	ok(!devsel_on_vfio(&v[8]) && !devsel_on_vfio(&v[7]) && !devsel_on_vfio(&v[0]),
	   "pci-stub, a host driver and no driver are not");
	devsel_free(&s);
	return tap_done();
}
