/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iommu-groups --slots: the physical slots, one line each: "Slot NAME:
 * ADDRESS behind PORT: own group|shared group (why)|group unknown (why):
 * what is there now".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/prog.h"
#include "base/root.h"
#include "pci/acs.h"
#include "pci/groupwhy.h"
#include "pci/physslot.h"
#include "iommu-groups.h"
#include "base/banned.h"

/* A reason as -J gives it: rule, at, lacks ("ACS", or the controls not enabled), text. */
static void print_reason(struct out *o, const struct pcidevs *l, const struct why_reason *r)
{
	char bits[32];

	if (!o->json)
		return;
	out_object_begin(o, "reason");
	out_string(o, "rule", NULL, groupwhy_rule_name(r->rule));
	out_string(o, "at", NULL, r->at >= 0 ? l->dev[r->at].name : NULL);
	out_string(o, "lacks", NULL, r->no_acs ? "ACS" :
		   r->lacks ? acs_flags_name(r->lacks, bits, sizeof(bits)) : NULL);
	out_string(o, "text", NULL, r->text);
	out_object_end(o);
}

static void print_slot(struct out *o, const struct pcidevs *l, const struct physslot_check *c,
		       const struct physslot *p, bool kernel)
{
	const struct pcidev *port = p->where == PHYSSLOT_PORT ? &l->dev[p->port] : NULL;
	char buf[PCI_ADDR_LEN], line[1024];
	struct physslot_verdict v;
	bool first = true;
	size_t i;

	physslot_verdict(c, p, &v);
	out_object_begin(o, NULL);
	out_string(o, "slot", "Slot ", p->name);
	if (o->json) {
		out_string(o, "address", NULL, physslot_address(p, buf));
		out_string(o, "port", NULL, port ? port->name : NULL);
	} else {
		out_text(o, ": %s", p->numbered ? "" : "bus ");
		if (l->domains)
			out_text(o, "%04x:", p->addr.domain);
		out_text(o, "%02x", p->addr.bus);
		if (p->numbered)
			out_text(o, ":%02x", p->addr.slot);
		if (port)
			out_text(o, " behind %s", pcidev_slot(l, port, buf));
		else if (p->where == PHYSSLOT_ROOT_BUS)
			out_text(o, " on a root bus");
		else
			out_text(o, " behind an unknown port");
	}
	if (v.own < 0)
		out_null(o, "own_group");
	else
		out_bool(o, "own_group", NULL, v.own);
	out_text(o, ": %s", v.own > 0 ? "own group" : v.own == 0 ? "shared group" : "group unknown");
	if (v.own <= 0 || v.r.rule == WHY_ACS_OVERRIDE)
		out_text(o, " (%s)", v.r.text);
	print_reason(o, l, &v.r);
	out_array_begin(o, "devices");
	for (i = physslot_first(l, p); i < l->n && physslot_holds(p, &l->dev[i]); i++) {
		const struct pcidev *d = &l->dev[i];

		if (o->json) {
			out_string(o, NULL, NULL, d->name);
		} else {
			pcidev_describe(l, d, line, sizeof(line));
			out_text(o, "%s%s", first ? ": " : "; ", line);
			if (kernel)
				out_text(o, " driver=%s", d->driver[0] ? d->driver : "-");
		}
		first = false;
	}
	if (first)
		out_text(o, ": empty");
	out_array_end(o);
	out_text(o, "\n");
	out_object_end(o);
}

size_t list_slots(const struct pcidevs *l, bool kernel, bool json)
{
	struct out out, *o = &out;
	struct physslot_check c;
	struct physslots s;
	struct groupwhy w;
	size_t i, n;

	physslots_read(&s, l);
	if (!s.n)
		warnx("no physical slots in '%s'", root_show("/sys/bus/pci/slots"));
	else if (groupwhy_build(&w, l) < 0)
		exit(EXIT_FAIL);
	if (s.n)
		physslot_check_init(&c, &w);
	out_init(o, stdout, json);
	out_object_begin(o, NULL);
	out_array_begin(o, "slots");
	for (i = 0; i < s.n; i++)
		print_slot(o, l, &c, &s.v[i], kernel);
	out_array_end(o);
	out_object_end(o);
	out_finish(o);
	n = s.n;
	if (n) {
		physslot_check_free(&c);
		groupwhy_free(&w);
	}
	physslots_free(&s);
	return n;
}
