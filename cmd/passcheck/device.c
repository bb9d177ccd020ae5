/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * passcheck: one device and what goes with it: its group, what the host
 * uses, driver, reset, boot VGA, IDs shared with the host, option ROM.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "passcheck.h"
#include "base/banned.h"

const char *what(const struct pcidev *m, char *buf, size_t size)
{
	char cls[128];

	snprintf(buf, size, "%s (%s, %s)", m->name,
		 pcidev_class_name(&devs, m, cls, sizeof(cls)) ? cls : "unknown class",
		 m->driver[0] ? m->driver : "no driver");
	return buf;
}

/* What explains groups and places slots, built for the first group that is shared. */
static struct groupwhy gw;
static struct physslots slots;
static struct physslot_check slotcheck;
static int have_why;	/* 0 not yet, 1 built, -1 failed */

static bool load_why(void)
{
	if (!have_why) {
		have_why = groupwhy_build(&gw, &devs) < 0 ? -1 : 1;
		if (have_why > 0) {
			physslots_read(&slots, &devs);
			physslot_check_init(&slotcheck, &gw);
		}
	}
	return have_why > 0;
}

void group_why_free(void)
{
	if (have_why > 0) {
		physslot_check_free(&slotcheck);
		physslots_free(&slots);
		groupwhy_free(&gw);
	}
	have_why = 0;
}

/* "; why: root port without ACS at 0000:00:1c.5 (no-acs)": the reasons of D's predicted group. */
static void add_reasons(struct strbuf *sb, const struct pcidev *d)
{
	const struct why_reason *r;
	size_t n, k;
	bool first = true;

	r = groupwhy_reasons(&gw, (size_t)(d - devs.dev), &n);
	for (k = 0; k < n; k++) {
		if (r[k].rule == WHY_ISOLATED)
			continue;
		strbuf_addf(sb, "%s%s (%s)", first ? "; why: " : ", ", r[k].text,
			    groupwhy_rule_name(r[k].rule));
		first = false;
	}
}

/*
 * Whether slot P is free for a card: empty, or nothing is bound to what
 * it holds (so nothing the host runs moves).  The first function it holds
 * in *FIRST, NULL when empty.
 */
static bool slot_free(const struct physslot *p, const struct pcidev **first)
{
	size_t i;

	*first = NULL;
	for (i = physslot_first(&devs, p); i < devs.n && physslot_holds(p, &devs.dev[i]); i++) {
		struct pcidev *m = &devs.dev[i];

		if (!*first)
			*first = m;
		if (pcidev_read(m, PCIDEV_DRIVER) < 0 || m->driver[0])
			return false;
	}
	return true;
}

/* At most this many slots named; iommu-groups --slots lists them all. */
#define SLOTS_NAMED 2

/*
 * The slots where D's card would get a group of its own: "slot 3 (behind
 * 0000:00:1c.4) would give it a group of its own", free ones, or else
 * taken ones with what they hold; where none would, that no slot does.
 */
static void add_slots(struct strbuf *sb, const struct pcidev *d)
{
	struct strbuf names[2] = { STRBUF_INIT, STRBUF_INIT };
	size_t count[2] = { 0, 0 }, k, t;
	const struct pcidev *held;
	struct physslot_verdict v;

	for (k = 0; k < slots.n; k++) {
		const struct physslot *p = &slots.v[k];
		char where[64];

		if (physslot_holds(p, d))
			continue;
		physslot_verdict(&slotcheck, p, &v);
		/* Not isolated in hardware: a kernel without the patch would share it. */
		if (v.own != 1 || v.r.rule == WHY_ACS_OVERRIDE)
			continue;
		t = !slot_free(p, &held);
		if (count[t]++ >= SLOTS_NAMED)
			continue;
		if (p->where == PHYSSLOT_PORT)
			snprintf(where, sizeof(where), "behind %s", devs.dev[p->port].name);
		else
			snprintf(where, sizeof(where), "on a root bus");
		strbuf_addf(&names[t], "%sslot %s (%s%s%s)", names[t].len ? " or " : "", p->name,
			    where, t ? ", now holding " : "", t ? held->name : "");
	}
	t = count[0] ? 0 : 1;
	if (count[t]) {
		strbuf_addf(sb, "; %s would give it a group of its own", names[t].buf);
		if (count[t] > SLOTS_NAMED)
			strbuf_addf(sb, " (%zu more: %s --slots)", count[t] - SLOTS_NAMED,
				    cmd_tool("iommu-groups"));
	} else if (slots.n) {
		strbuf_addf(sb, "; no slot would give it a group of its own (%s --slots): "
			    "try another board", cmd_tool("iommu-groups"));
	} else {
		strbuf_addstr(sb, "; try another slot (one wired to the CPU) or another board");
	}
	strbuf_release(&names[0]);
	strbuf_release(&names[1]);
}

void check_group(const struct pcidev *d)
{
	struct strbuf list = STRBUF_INIT;
	const struct pcidev *m;
	struct devsel_iter it;
	char one[256];

	if (d->group < 0) {
		report(FAIL, "group-isolated", d->name, "in no IOMMU group: the IOMMU is off "
		       "(iommu-enabled)");
		return;
	}
	for (devsel_iter_init(&it, &sel, d); (m = devsel_iter_next(&it)); ) {
		if (m->group != d->group || pcidev_same_slot(d, m))
			continue;
		strbuf_addf(&list, "%s%s", list.len ? ", " : "", what(m, one, sizeof(one)));
	}
	if (!list.len) {
		report(PASS, "group-isolated", d->name, "group %ld holds only this device's functions "
		       "and bridges", d->group);
	} else {
		struct strbuf advice = STRBUF_INIT;

		if (load_why()) {
			add_reasons(&advice, d);
			add_slots(&advice, d);
		} else {
			strbuf_addstr(&advice, "; try another slot (one wired to the CPU) or another board");
		}
		report(FAIL, "group-isolated", d->name, "group %ld also holds %s: all of them would "
		       "go to the VM%s", d->group, list.buf, advice.buf);
		strbuf_release(&advice);
	}
	strbuf_release(&list);
}

/*
 * The functions going with D that the host uses, as "0000:04:00.0" each
 * (", " between) in NAMES; how many.
 */
size_t host_uses(const struct pcidev *d, char *names, size_t size)
{
	const struct pcidev *m;
	struct devsel_iter it;
	size_t n = 0, k, len;

	*names = '\0';
	for (devsel_iter_init(&it, &sel, d); (m = devsel_iter_next(&it)); ) {
		if (!hostuse_find(&inuse, m, &k))
			continue;
		len = strlen(names);
		if (len + strlen(m->name) + 3 < size)
			snprintf(names + len, size - len, "%s%s", n ? ", " : "", m->name);
		n++;
	}
	return n;
}

/* A FAIL for each function going with D that the host uses, with every reason. */
void check_in_use(const struct pcidev *d)
{
	const struct hostuse_item *u;
	const struct pcidev *m;
	char why[2048];
	struct devsel_iter it;
	size_t n, k, len, total = 0, failed = 0;

	for (devsel_iter_init(&it, &sel, d); (m = devsel_iter_next(&it)); ) {
		total++;
		if (!(u = hostuse_find(&inuse, m, &n)))
			continue;
		*why = '\0';
		for (k = 0; k < n; k++) {
			len = strlen(why);
			if (len + strlen(u[k].text) + 3 < sizeof(why))
				snprintf(why + len, sizeof(why) - len, "%s%s", k ? "; " : "", u[k].text);
		}
		report(FAIL, "host-in-use", d->name, "%s is in use by the host: %s; a VM cannot "
		       "have it without taking it from the host", m->name, why);
		failed++;
	}
	if (!failed)
		report(PASS, "host-in-use", d->name, "the host uses none of the %zu function%s",
		       total, total == 1 ? "" : "s");
}

void check_driver(const struct pcidev *d, char *slot)
{
	struct strbuf list = STRBUF_INIT;
	const struct pcidev *m, *vga;
	struct devsel_iter it;
	char used[1024], vslot[PCI_ADDR_LEN];
	size_t total = 0;

	for (devsel_iter_init(&it, &sel, d); (m = devsel_iter_next(&it)); ) {
		total++;
		if (devsel_on_vfio(m))
			continue;
		strbuf_addf(&list, "%s%s on %s", list.len ? ", " : "", m->name,
			    m->driver[0] ? m->driver : "no driver");
	}
	if (!list.len)
		report(PASS, "vfio-driver", d->name, "%zu function%s on vfio-pci", total,
		       total == 1 ? "" : "s");
	else if (host_uses(d, used, sizeof(used)))
		report(FAIL, "vfio-driver", d->name, "%s: the host uses %s (host-in-use): "
		       "binding would take from the host what it needs", list.buf, used);
	else if ((vga = boot_vga_going(d)) && boot_vga_recorded(d))
		/* a hand-over of this boot half done: vfio-bind --handover refuses until given back */
		report(FAIL, "vfio-driver", d->name, "%s: a hand-over of this boot is recorded: run "
		       "%s --giveback %s, then %s --handover %s (boot-vga)", list.buf,
		       cmd_tool("vfio-bind"), pcidev_slot(&devs, vga, vslot), cmd_tool("vfio-bind"),
		       vslot);
	else if (vga)
		/* plain binding refuses the boot VGA device: the hand-over is the consent */
		report(FAIL, "vfio-driver", d->name, "%s: %s%s: run %s --handover %s (boot-vga)",
		       list.buf, vga == d ? "" : vga->name, vga == d ? "the boot VGA device" :
		       ", the boot VGA device, goes with it", cmd_tool("vfio-bind"),
		       pcidev_slot(&devs, vga, vslot));
	else
		report(FAIL, "vfio-driver", d->name, "%s: run %s %s", list.buf, cmd_tool("vfio-bind"),
		       slot);
	strbuf_release(&list);
}

/* AMD GPUs with the reset bug that gnif/vendor-reset works around. */
static bool amd_reset_bug(const struct pcidev *d)
{
	static const unsigned int ranges[][2] = {
		{ 0x67c0, 0x67ff }, { 0x6fdf, 0x6fdf }, { 0x6860, 0x687f }, { 0x66a0, 0x66af },
		{ 0x7310, 0x731f }, { 0x7340, 0x734f }, { 0x7360, 0x7360 }, { 0x7362, 0x7362 },
		{ 0x738c, 0x738c }, { 0x73ff, 0x73ff },
	};
	size_t i;

	if (d->vendor != 0x1002 || !pcidev_is_display(d))
		return false;
	for (i = 0; i < ARRAY_SIZE(ranges); i++)
		if (d->device >= ranges[i][0] && d->device <= ranges[i][1])
			return true;
	return false;
}

void check_reset(const struct pcidev *d)
{
	if (amd_reset_bug(d)) {
		if (host_module_present("vendor_reset") && !strncmp(d->reset, "device_specific", 15))
			report(PASS, "reset", d->name, "vendor-reset resets it (%s)", d->reset);
		else
			report(WARN, "reset", d->name, "an AMD GPU with the reset bug: it may not come "
			       "back after the VM stops; load vendor-reset early and set "
			       "'device_specific' in its reset_method");
	} else if (!d->has_reset || !d->reset[0]) {
		report(WARN, "reset", d->name, "no reset method: the device cannot be reset between "
		       "VM starts and may work only the first time");
	} else {
		report(PASS, "reset", d->name, "reset methods: %s", d->reset);
	}
}

void check_shared_ids(const struct pcidev *d)
{
	/* shared: ids= would take the host's device too; handled: bound by address */
	struct strbuf shared = STRBUF_INIT, handled = STRBUF_INIT;
	const struct pcidev *m;
	struct devsel_iter it;
	char used[1024];
	long j;

	for (devsel_iter_init(&it, &sel, d); (m = devsel_iter_next(&it)); ) {
		long e = vfioconf_find(&persisted, m->name);
		struct strbuf *list = e >= 0 && persisted.v[e].by_address ? &handled : &shared;

		for (j = by_id.first[m - devs.dev]; j >= 0; j = by_id.next[j]) {
			const struct pcidev *h = &devs.dev[j];

			if (chosen[j])
				continue;
			strbuf_addf(list, "%s%04x:%04x of %s is also %s", list->len ? "; " : "",
				    m->vendor, m->device, m->name, h->name);
		}
	}
	if (shared.len && host_uses(d, used, sizeof(used)))
		report(WARN, "shared-ids", d->name, "%s, which the host keeps: 'options vfio-pci ids=' "
		       "would take both", shared.buf);
	else if (shared.len)
		report(WARN, "shared-ids", d->name, "%s, which the host keeps: 'options vfio-pci ids=' "
		       "would take both; %s --persist binds by address instead", shared.buf,
		       cmd_tool("vfio-bind"));
	else if (handled.len)
		report(PASS, "shared-ids", d->name, "%s, which the host keeps: bound by address at "
		       "boot, not by ID", handled.buf);
	else
		report(PASS, "shared-ids", d->name, "no device the host keeps has the same IDs");
	strbuf_release(&shared);
	strbuf_release(&handled);
}

void check_rom(const struct pcidev *d)
{
	char path[64];
	int fd, r;
	struct option_rom rom;

	if (!pcidev_is_display(d))
		return;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/rom", d->name);
	fd = root_open_regular(path);
	if (fd < 0) {
		report(SKIP, "option-rom", d->name, "no option ROM to read");
		return;
	}
	r = option_rom_read(fd, &rom);
	close(fd);
	if (r < 0)
	{
		char q[SHQUOTE_SIZE(sizeof(path) + 4096)];
		const char *w = shquote(root_show(path), q, sizeof(q));

		report(SKIP, "option-rom", d->name, "the ROM reads only once enabled (as root: "
		       "echo 1 > %s, and echo 0 after); passcheck changes nothing", w ? w : "ROM");
	}
	else if (rom.images == 0)
		report(WARN, "option-rom", d->name, "the ROM holds no valid image: the guest "
		       "firmware cannot initialise the card; give the VM a ROM file");
	else if (rom.efi)
		report(PASS, "option-rom", d->name, "the ROM has a UEFI image");
	else
		report(WARN, "option-rom", d->name, "the ROM has no UEFI image (only legacy x86 "
		       "code): OVMF cannot initialise the card; update its firmware or give the "
		       "VM a UEFI ROM file");
}
