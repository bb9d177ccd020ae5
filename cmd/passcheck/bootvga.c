/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * passcheck: the boot VGA device, and whether vfio-bind --handover can
 * take it from the host: the processes that hold the card, the consoles
 * and the firmware framebuffer on it, as vfio-bind reads them, or the
 * hand-over of this boot it recorded.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "passcheck.h"
#include "pci/display.h"
#include "pci/holders.h"
#include "base/strlist.h"
#include "base/banned.h"

/*
 * The functions going with D in *TAKE (one flag per device, caller frees)
 * when TAKE is not NULL; the boot VGA device among them, or NULL.
 */
static const struct pcidev *boot_vga_of(const struct pcidev *d, bool **take)
{
	const struct pcidev *m, *vga = NULL;
	struct devsel_iter it;

	if (take)
		*take = xcalloc(devs.n ? devs.n : 1, sizeof(**take));
	for (devsel_iter_init(&it, &sel, d); (m = devsel_iter_next(&it)); ) {
		if (take)
			(*take)[m - devs.dev] = true;
		if (m->boot_vga == 1 && !vga)
			vga = m;
	}
	return vga;
}

const struct pcidev *boot_vga_going(const struct pcidev *d)
{
	return boot_vga_of(d, NULL);
}

bool boot_vga_recorded(const struct pcidev *d)
{
	const char *failed;
	char path[256];
	bool *take;
	int r;

	if (!boot_vga_of(d, &take)) {
		free(take);
		return false;
	}
	display_handover_path(&devs, take, path, sizeof(path));
	free(take);
	r = display_handover_recorded(path, &failed);
	return r > 0;
}

/* "0000:03:00.0 on amdgpu, 0000:03:00.1 on snd_hda_intel": the functions in TAKE not on vfio-pci. */
static void not_on_vfio(const bool *take, struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < devs.n; i++) {
		const struct pcidev *m = &devs.dev[i];

		if (!take[i] || devsel_on_vfio(m))
			continue;
		strbuf_addf(sb, "%s%s on %s", sb->len ? ", " : "", m->name,
			    m->driver[0] ? m->driver : "no driver");
	}
}

/* How many processes H names (its items are by function, then PID). */
static size_t processes(const struct holders *h)
{
	size_t i, j, n = 0;

	for (i = 0; i < h->n; i++) {
		for (j = 0; j < i && h->v[j].pid != h->v[i].pid; j++)
			;
		n += j == i;
	}
	return n;
}

/* With a display controller besides the card of TAKE, the way to keep the host's display. */
static void others(const bool *take, struct strbuf *msg)
{
	size_t i, n = 0;

	for (i = 0; i < devs.n; i++) {
		if (take[i] || !pcidev_is_display(&devs.dev[i]))
			continue;
		strbuf_addf(msg, "%s%s", n++ ? ", " : "; or pass another card (", devs.dev[i].name);
	}
	if (n)
		strbuf_addf(msg, ") or make %s primary in the firmware setup, and the host keeps its "
			    "display", n == 1 ? "it" : "one of them");
}

/*
 * The holders of the card whose boot VGA device is VGA, the functions
 * going with it in TAKE: /proc read once per card, however many of its
 * functions are checked.
 */
static struct holders held;
static const struct pcidev *held_for;

static const struct holders *card_holders(const struct pcidev *vga, const bool *take)
{
	if (held_for != vga) {
		if (held_for)
			holders_free(&held);
		holders_scan(&held, &devs, take);
		held_for = vga;
	}
	return &held;
}

void boot_vga_free(void)
{
	if (held_for)
		holders_free(&held);
	held_for = NULL;
}

/* What vfio-bind --handover SLOT would do to the card of TAKE, said in MSG after WHAT. */
static void handover_plan(const struct pcidev *vga, const bool *take, const char *what,
			  const char *slot, struct strbuf *msg)
{
	const char *vb = cmd_tool("vfio-bind");
	struct strlist acts = STRLIST_INIT;
	const struct holders *h = card_holders(vga, take);
	struct display dp;
	char text[256];
	size_t k, procs;

	display_scan(&dp, &devs, take);
	procs = processes(h);
	/* in the order vfio-bind does it */
	if (procs == 1)
		strlist_add(&acts, "stops the process that holds the card");
	else if (procs)
		strlist_add_owned(&acts, xasprintf("stops the %zu processes that hold the card", procs));
	for (k = 0; k < dp.ncons; k++)
		strlist_add_owned(&acts, xasprintf("unbinds %s (%s)", dp.cons[k].name, dp.cons[k].what));
	for (k = 0; k < dp.nfw; k++)
		strlist_add_owned(&acts, xasprintf("releases %s from %s", dp.fw[k].name, dp.fw[k].driver));
	strbuf_addf(msg, "%s: %s --handover%s %s can take it", what, vb,
		    procs ? " --stop-holders" : "", slot);
	if (!acts.n) {
		strbuf_addf(msg, " directly: %sno console or firmware framebuffer is on it",
			    h->unreadable ? "" : "no process holds the card, ");
	} else {
		strbuf_addstr(msg, ": it ");
		for (k = 0; k < acts.n; k++)
			strbuf_addf(msg, "%s%s", !k ? "" : k + 1 < acts.n ? ", " : " and ", acts.v[k]);
		if (!procs && !h->unreadable)
			strbuf_addstr(msg, "; no process holds the card");
	}
	strbuf_addf(msg, "; the host has no display on it until %s --giveback %s", vb, slot);
	for (k = 0; k < h->n; k++) {
		holder_describe(&h->v[k], text, sizeof(text));
		strbuf_addf(msg, "; %s", text);
	}
	if (h->unreadable)
		strbuf_addf(msg, "; %zu process%s could not be read: which hold the card is unknown "
			    "(as root passcheck names them)", h->unreadable, h->unreadable == 1 ? "" : "es");
	others(take, msg);
	strlist_free(&acts);
	display_free(&dp);
}

void check_boot_vga(const struct pcidev *d)
{
	struct strbuf msg = STRBUF_INIT, off = STRBUF_INIT;
	const struct pcidev *vga;
	const char *failed;
	char path[256], slot[PCI_ADDR_LEN], what[64];
	bool *take;
	int r;

	vga = boot_vga_of(d, &take);
	if (!vga) {
		report(PASS, "boot-vga", d->name, "not the boot VGA device");
		free(take);
		return;
	}
	pcidev_slot(&devs, vga, slot);
	if (vga == d)
		snprintf(what, sizeof(what), "the boot VGA device");
	else
		snprintf(what, sizeof(what), "goes with the boot VGA device %s", vga->name);
	display_handover_path(&devs, take, path, sizeof(path));
	not_on_vfio(take, &off);
	r = display_handover_recorded(path, &failed);
	if (r < 0)
		report(WARN, "boot-vga", d->name, "%s: could not read '%s': %s", what,
		       root_show(failed), strerror(errno));
	else if (r > 0 && !off.len)
		report(PASS, "boot-vga", d->name, "%s, handed over this boot ('%s'): on vfio-pci; "
		       "%s --giveback %s gives the host its display back", what, root_show(path),
		       cmd_tool("vfio-bind"), slot);
	else if (r > 0)
		report(WARN, "boot-vga", d->name, "%s: a hand-over of this boot is recorded in '%s', "
		       "but %s: %s --giveback %s undoes what it records", what, root_show(path),
		       off.buf, cmd_tool("vfio-bind"), slot);
	else if (!off.len)
		report(WARN, "boot-vga", d->name, "%s, on vfio-pci with no hand-over recorded ('%s'): "
		       "the host has no display on it", what, root_show(path));
	else {
		handover_plan(vga, take, what, slot, &msg);
		report(WARN, "boot-vga", d->name, "%s", msg.buf);
	}
	strbuf_release(&msg);
	strbuf_release(&off);
	free(take);
}
