/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iommu-groups: a device's fields for -v and --json. */
#include <stdio.h>
#include <string.h>

#include "iommu-groups.h"
#include "base/banned.h"

void print_reset(struct out *o, const struct pcidev *d)
{
	char buf[sizeof(d->reset)], *tok, *save = NULL;
	bool first = true;

	out_array_begin(o, "reset_methods");
	snprintf(buf, sizeof(buf), "%s", d->reset);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (o->json)
			out_string(o, NULL, NULL, tok);
		else
			out_text(o, "%s%s", first ? " reset=" : ",", tok);
		first = false;
	}
	if (first)
		out_text(o, " reset=none");
	out_array_end(o);
}

/* What the host uses D for: " inuse=swap:/dev/nvme0n1,route:eth0"; JSON null when nothing. */
void print_inuse(struct out *o, const struct hostuse *inuse, const struct pcidev *d)
{
	const struct hostuse_item *u;
	size_t n, k;

	u = hostuse_find(inuse, d, &n);
	if (!u) {
		out_null(o, "inuse");
		return;
	}
	out_array_begin(o, "inuse");
	for (k = 0; k < n; k++) {
		out_text(o, "%s%s", k ? "," : " inuse=", hostuse_reason_name(u[k].reason));
		if (u[k].what[0])
			out_text(o, ":%s", u[k].what);
		out_object_begin(o, NULL);
		out_string(o, "reason", NULL, hostuse_reason_name(u[k].reason));
		out_string(o, "what", NULL, u[k].what[0] ? u[k].what : NULL);
		out_object_end(o);
	}
	out_array_end(o);
}

static void print_hex(struct out *o, const char *key, unsigned int v, int width)
{
	char buf[PCI_HEX_LEN];

	out_string(o, key, NULL, pci_hex(v, width, buf));
}

/* JSON: every field of the device. */
void print_json_fields(struct out *o, const struct pcidevs *l, const struct pcidev *d)
{
	char slot[PCI_ADDR_LEN], name[512];

	out_string(o, "address", NULL, d->name);
	out_string(o, "slot", NULL, pcidev_slot(l, d, slot));
	print_hex(o, "class", d->class >> 8, 4);
	out_string(o, "class_name", NULL, pcidev_class_name(l, d, name, sizeof(name)));
	print_hex(o, "prog_if", d->class & 0xff, 2);
	print_hex(o, "vendor", d->vendor, 4);
	out_string(o, "vendor_name", NULL, pcidev_vendor_name(l, d, name, sizeof(name)));
	print_hex(o, "device", d->device, 4);
	out_string(o, "device_name", NULL, pcidev_device_name(l, d, name, sizeof(name)));
	if (d->subsys_vendor >= 0 && d->subsys_device >= 0) {
		print_hex(o, "subsystem_vendor", (unsigned int)d->subsys_vendor, 4);
		print_hex(o, "subsystem_device", (unsigned int)d->subsys_device, 4);
		out_string(o, "subsystem_name", NULL, pcidev_subsys_name(l, d, name, sizeof(name)));
	} else {
		out_null(o, "subsystem_vendor");
		out_null(o, "subsystem_device");
		out_null(o, "subsystem_name");
	}
	if (d->revision >= 0)
		print_hex(o, "revision", (unsigned int)d->revision, 2);
	else
		out_null(o, "revision");
	out_string(o, "description", NULL, pcidev_describe(l, d, name, sizeof(name)));
	out_bool(o, "bridge", NULL, pcidev_is_bridge(d));
	out_bool(o, "display", NULL, pcidev_is_display(d));
	out_string(o, "driver", NULL, d->driver[0] ? d->driver : NULL);
	out_string(o, "driver_override", NULL, d->override[0] ? d->override : NULL);
	if (d->boot_vga >= 0)
		out_bool(o, "boot_vga", NULL, d->boot_vga);
	else
		out_null(o, "boot_vga");
}

