/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boot/kcmdline.h"
#include "base/modname.h"
#include "pci/pcidev.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "kmod/vfioids.h"
#include "base/macros.h"
#include "base/xalloc.h"
#include "base/banned.h"

bool vfio_ids_match(const char *list, const struct pcidev *d)
{
	struct pci_id_match m;
	int r;

	while ((r = pci_ids_next(&list, &m)) != 0)
		if (r > 0 && pci_id_match(&m, d->vendor, d->device, d->subsys_vendor,
					  d->subsys_device, d->class))
			return true;
	return false;
}

char *vfio_ids_of_line(const struct modprobe_line *m)
{
	char *ids = NULL;
	const char *v;
	struct kcmdline c;

	if (strcmp(m->cmd, "options") || strcmp(m->module, "vfio_pci"))
		return NULL;
	kcmdline_parse(&c, m->rest, strlen(m->rest));
	if (kcmdline_get(&c, "ids", &v) && v)
		ids = xstrdup(v);
	kcmdline_free(&c);
	return ids;
}

char *vfio_ids_modprobe(const struct modprobe_conf *mc, const struct modprobe_line **line)
{
	char *ids = NULL, *v;
	size_t i;

	*line = NULL;
	for (i = 0; i < mc->n; i++) {
		if (!(v = vfio_ids_of_line(&mc->v[i])))
			continue;
		free(ids);
		ids = v;
		*line = &mc->v[i];
	}
	return ids;
}

bool vfio_pci_param(const char *name)
{
	static const char *const params[] = {
		"ids", "nointxmask", "disable_vga", "disable_idle_d3", "enable_sriov",
		"disable_denylist",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(params); i++)
		if (modname_eq(name, params[i]))
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

	if (!list || (!modname_eq(param, "vfio_pci.ids")))
		return;
	if (root_stat("/sys/bus/pci/devices", &st) < 0 || !S_ISDIR(st.st_mode))
		return;
	if (pcidevs_scan(&l, PCIDEV_BOOT_VGA) < 0)
		return;
	kept = xcalloc(l.n ? l.n : 1, sizeof(*kept));
	n = vfio_ids_kept(&l, list, kept);
	for (i = 0; i < n; i++) {
		struct pcidev *d = &l.dev[kept[i]];

		if (pcidev_read(d, PCIDEV_DRIVER) < 0)
			d->driver[0] = '\0';
		report_warn("%s=%s also takes %s (%04x:%04x, %s), which the host keeps (%s): bind the "
			    "devices for the VM by address with vfio-bind --persist instead, or list only "
			    "IDs that no device the host keeps has", param, list, d->name, d->vendor,
			    d->device, d->driver[0] ? d->driver : "no driver",
			    boot_vga_card(&l, kept[i]) ? "on the boot VGA card" :
			    "its card's first function is not in the list");
	}
	free(kept);
	pcidevs_free(&l);
}
