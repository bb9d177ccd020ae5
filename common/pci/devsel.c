/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macros.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "pci/devsel.h"
#include "pci/hostuse.h"
#include "base/banned.h"

bool devsel_on_vfio(const struct pcidev *d)
{
	return !strcmp(d->driver, DEVSEL_VFIO_DRIVER);
}

static bool has_id(const struct pcidev *d, const struct pci_id *id)
{
	return d->vendor == id->vendor && d->device == id->device;
}

/*
 * "[domain:]bus:slot", a card as lspci -s reads it: the address with
 * ".0" put after it parses.  A vendor:device ID never does, its vendor
 * having four digits where a bus has two.
 */
static bool parse_slot(const char *arg, struct pci_addr *a)
{
	char buf[PCI_ADDR_LEN + 8];
	const char *why;

	if (strchr(arg, '.') || strlen(arg) + 3 > sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s.0", arg);
	return pci_addr_parse(buf, a, &why) == 0;
}

size_t devsel_pick(const struct pcidevs *l, const char *arg, enum devsel_how how, bool *want)
{
	struct pci_addr a;
	struct pci_id id;
	const char *why;
	char line[1024];
	size_t i, n = 0, found = 0;
	long f;

	if (parse_slot(arg, &a)) {
		for (i = 0; i < l->n; i++) {
			const struct pci_addr *b = &l->dev[i].addr;

			if (b->domain != a.domain || b->bus != a.bus || b->slot != a.slot)
				continue;
			n += !want[i];
			want[i] = true;
			found++;
		}
		if (!found)
			errx(EXIT_FAIL, "no PCI device at '%s' in '%s'", arg,
			     root_show("/sys/bus/pci/devices"));
		return n;
	}
	if (pci_addr_parse(arg, &a, &why) == 0) {
		f = pcidevs_find(l, &a);
		if (f < 0)
			errx(EXIT_FAIL, "no PCI device at '%s' in '%s'", arg,
			     root_show("/sys/bus/pci/devices"));
		n = !want[f];
		want[f] = true;
		return n;
	}
	if (strchr(arg, '.') || strchr(arg, '/') || pci_id_parse(arg, &id, &why) < 0)
		usage_error("invalid device '%s': expected [domain:]bus:slot[.func] or vendor:device", arg);
	for (i = 0; i < l->n; i++)
		found += has_id(&l->dev[i], &id);
	if (!found)
		errx(EXIT_FAIL, "no PCI device with ID '%s'", arg);
	if (found > 1 && how == DEVSEL_ONE) {
		warnx("%zu devices have ID '%s'; name one by address:", found, arg);
		for (i = 0; i < l->n; i++)
			if (has_id(&l->dev[i], &id))
				fprintf(stderr, "  %s\n", pcidev_describe(l, &l->dev[i], line, sizeof(line)));
		exit(EXIT_FAIL);
	}
	for (i = 0; i < l->n; i++)
		if (has_id(&l->dev[i], &id)) {
			n += !want[i];
			want[i] = true;
		}
	return n;
}

void devsel_init(struct devsel *s, const struct pcidevs *l)
{
	s->l = l;
	pcidev_chain_init(&s->by_group, l, PCIDEV_BY_GROUP);
}

void devsel_free(struct devsel *s)
{
	pcidev_chain_free(&s->by_group);
}

void devsel_iter_init(struct devsel_iter *it, const struct devsel *s, const struct pcidev *d)
{
	const struct pcidevs *l = s->l;
	long i = d - l->dev, j;

	it->s = s;
	it->slot = it->slot_end = i;
	while (it->slot > 0 && pcidev_same_slot(&l->dev[it->slot - 1], d))
		it->slot--;
	while ((size_t)it->slot_end < l->n && pcidev_same_slot(&l->dev[it->slot_end], d))
		it->slot_end++;
	it->ngrp = 0;
	/* A bridge named itself brings its group, to be shown and refused. */
	for (j = it->slot; j < it->slot_end && it->ngrp < ARRAY_SIZE(it->grp); j++)
		if ((j == i || !pcidev_left_out(&l->dev[j])) && s->by_group.first[j] >= 0)
			it->grp[it->ngrp++] = s->by_group.first[j];
}

/*
 * The card's functions merged with each group chain: every source is in
 * index order, so the smallest next index of all is the next function,
 * and every source at it moves on (a group two functions share is
 * followed once).
 */
const struct pcidev *devsel_iter_next(struct devsel_iter *it)
{
	const struct pcidevs *l = it->s->l;
	const long *next = it->s->by_group.next;
	long i;
	size_t k;

	do {
		i = it->slot < it->slot_end ? it->slot : -1;
		for (k = 0; k < it->ngrp; k++)
			if (it->grp[k] >= 0 && (i < 0 || it->grp[k] < i))
				i = it->grp[k];
		if (i < 0)
			return NULL;
		if (it->slot == i)
			it->slot++;
		for (k = 0; k < it->ngrp; k++)
			if (it->grp[k] == i)
				it->grp[k] = next[i];
	} while (pcidev_left_out(&l->dev[i]));
	return &l->dev[i];
}

size_t devsel_take(const struct devsel *s, const bool *want, bool *take)
{
	const struct pcidev *m;
	struct devsel_iter it;
	size_t i, n = 0;

	for (i = 0; i < s->l->n; i++) {
		if (!want[i])
			continue;
		for (devsel_iter_init(&it, s, &s->l->dev[i]); (m = devsel_iter_next(&it)); ) {
			n += !take[m - s->l->dev];
			take[m - s->l->dev] = true;
		}
	}
	return n;
}

bool devsel_group_isolated(const struct devsel *s, size_t i)
{
	const struct pcidev *first = NULL, *m;
	long j;

	if (s->by_group.first[i] < 0)
		return false;
	for (j = s->by_group.first[i]; j >= 0; j = s->by_group.next[j]) {
		m = &s->l->dev[j];
		if (pcidev_left_out(m))
			continue;
		if (hostuse_platform(m))
			return false;
		if (!first)
			first = m;
		else if (!pcidev_same_slot(first, m))
			return false;
	}
	return true;
}

void devsel_pick_cards(const struct pcidevs *l, char **args, size_t nargs, bool *want,
		       bool *card)
{
	size_t i, k;

	for (k = 0; k < nargs; k++)
		devsel_pick(l, args[k], DEVSEL_ONE, want);
	/* A card's functions are next to each other in address order. */
	for (i = 0; i < l->n; i = k) {
		bool named = false;

		for (k = i; k < l->n && pcidev_same_slot(&l->dev[i], &l->dev[k]); k++)
			named |= want[k];
		while (named && i < k)
			card[i++] = true;
	}
}

enum devsel_verdict devsel_collect(const struct devsel *s, const struct hostuse *u,
				   const bool *want, const bool *card, unsigned int how, bool *take)
{
	bool force = how & DEVSEL_FORCE;
	const struct pcidevs *l = s->l;
	char line[1024];
	bool ok = true;
	size_t i;
	long j;

	if (pcidevs_grouped(l) == 0) {
		report_warn("no IOMMU groups in '%s': the IOMMU is off; passcheck tells why and what to do",
			    root_show("/sys/kernel/iommu_groups"));
		if (!force)
			return DEVSEL_NO_GROUPS;
	}
	for (i = 0; i < l->n; i++) {
		const struct pcidev *d = &l->dev[i];

		if (!want[i])
			continue;
		if (pcidev_is_bridge(d)) {
			report_warn("%s is a PCI bridge: vfio-pci does not take bridges; name the device behind it",
				    d->name);
			ok = false;
			take[i] = true;
		} else if (pcidev_left_out(d)) {
			report_warn("%s is a host bridge no driver claims: vfio-pci does not take it; "
				    "name the device to pass through", d->name);
			ok = false;
			take[i] = true;
		}
	}
	devsel_take(s, want, take);
	/* What comes with the group of a named card's function. */
	for (i = 0; i < l->n; i++) {
		const struct pcidev *m = &l->dev[i];

		if (!take[i] || card[i] || m->group < 0)
			continue;
		for (j = s->by_group.first[i]; j >= 0 && !card[j]; j = s->by_group.next[j])
			;
		report_warn("IOMMU group %ld of %s also holds %s, %s", m->group,
			    j >= 0 ? l->dev[j].name : m->name, pcidev_describe(l, m, line, sizeof(line)),
			    m->driver[0] ? m->driver : "no driver");
		ok = false;
	}
	for (i = 0; i < l->n; i++) {
		if (take[i] && l->dev[i].boot_vga == 1 && !(how & DEVSEL_BOOT_VGA)) {
			report_warn("%s is the boot VGA device: the firmware and the console use it, "
				    "and the host may have no display left", l->dev[i].name);
			ok = false;
		}
	}
	/* The host's root, swap, network or chipset: taking it breaks the host. */
	for (i = 0; i < l->n; i++) {
		const struct hostuse_item *it;
		size_t n, k;

		if (!take[i] || !(it = hostuse_find(u, &l->dev[i], &n)))
			continue;
		for (k = 0; k < n; k++)
			report_warn("%s is in use by the host: %s", l->dev[i].name, it[k].text);
		ok = false;
	}
	return ok ? DEVSEL_OK : DEVSEL_REFUSED;
}
