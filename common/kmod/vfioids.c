/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boot/kcmdline.h"
#include "pci/pcidev.h"
#include "base/prog.h"
#include "base/root.h"
#include "kmod/vfioids.h"

#define ANY_ID 0xffffffffu

/* One entry, as vfio_pci_fill_ids() reads it with sscanf("%x:%x:%x:%x:%x:%x"). */
static bool entry_match(const char *entry, const struct pcidev *d)
{
	unsigned int vendor, device, subvendor = ANY_ID, subdevice = ANY_ID, class = 0, mask = 0;

	if (sscanf(entry, "%x:%x:%x:%x:%x:%x", &vendor, &device, &subvendor, &subdevice,
		   &class, &mask) < 2)
		return false;		/* the kernel warns "invalid id string" and goes on */
	if ((vendor != ANY_ID && vendor != d->vendor) || (device != ANY_ID && device != d->device))
		return false;
	/* Subsystem IDs not read: the entry may take the device. */
	if (subvendor != ANY_ID && d->subsys_vendor >= 0 && subvendor != (unsigned int)d->subsys_vendor)
		return false;
	if (subdevice != ANY_ID && d->subsys_device >= 0 && subdevice != (unsigned int)d->subsys_device)
		return false;
	return ((class ^ d->class) & mask) == 0;
}

bool vfio_ids_match(const char *list, const struct pcidev *d)
{
	char entry[128];
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n && n < sizeof(entry)) {
			memcpy(entry, p, n);
			entry[n] = '\0';
			if (entry_match(entry, d))
				return true;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return false;
}

bool vfio_pci_param(const char *name)
{
	static const char *const params[] = {
		"ids", "nointxmask", "disable_vga", "disable_idle_d3", "enable_sriov",
		"disable_denylist",
	};
	size_t i;

	for (i = 0; i < sizeof(params) / sizeof(*params); i++)
		if (kparam_key_equal(name, params[i]))
			return true;
	return false;
}

bool boot_vga_card(const struct pcidevs *l, size_t i)
{
	size_t j = i;

	while (j > 0 && pcidev_same_slot(&l->dev[j - 1], &l->dev[i]))
		j--;
	for (; j < l->n && pcidev_same_slot(&l->dev[j], &l->dev[i]); j++)
		if (l->dev[j].boot_vga == 1)
			return true;
	return false;
}

size_t vfio_ids_kept(const struct pcidevs *l, const char *list, size_t *kept)
{
	size_t i, j, start, n = 0;

	for (i = 0; i < l->n; i = j) {
		bool keep = false, first = true;

		/* One card: its functions are next to each other in address order. */
		for (j = i; j < l->n && pcidev_same_slot(&l->dev[i], &l->dev[j]); j++) {
			const struct pcidev *d = &l->dev[j];

			if (d->boot_vga == 1)
				keep = true;
			if (pcidev_is_bridge(d))
				continue;
			if (first && !vfio_ids_match(list, d))
				keep = true;
			first = false;
		}
		start = i;
		if (!keep)
			continue;
		for (; start < j; start++)
			if (!pcidev_is_bridge(&l->dev[start]) && vfio_ids_match(list, &l->dev[start]))
				kept[n++] = start;
	}
	return n;
}

void vfio_ids_warn_kept(const char *param, const char *list)
{
	struct pcidevs l;
	struct stat st;
	size_t *kept, i, n;

	if (!list || (!kparam_key_equal(param, "vfio_pci.ids")))
		return;
	if (root_stat("/sys/bus/pci/devices", &st) < 0 || !S_ISDIR(st.st_mode))
		return;
	if (pcidevs_scan(&l, PCIDEV_BOOT_VGA) < 0)
		return;
	kept = calloc(l.n ? l.n : 1, sizeof(*kept));
	if (!kept)
		err(EXIT_FAIL, "could not allocate memory");
	n = vfio_ids_kept(&l, list, kept);
	for (i = 0; i < n; i++) {
		struct pcidev *d = &l.dev[kept[i]];

		if (pcidev_read(d, PCIDEV_DRIVER) < 0)
			d->driver[0] = '\0';
		warnx("%s=%s also takes %s (%04x:%04x, %s), which the host keeps (%s): bind the "
		      "devices for the VM by address with vfio-bind --persist instead, or list only "
		      "IDs that no device the host keeps has", param, list, d->name, d->vendor,
		      d->device, d->driver[0] ? d->driver : "no driver",
		      boot_vga_card(&l, kept[i]) ? "on the boot VGA card" :
		      "its card's first function is not in the list");
	}
	free(kept);
	pcidevs_free(&l);
}
