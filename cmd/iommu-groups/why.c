/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iommu-groups --why: for each IOMMU group, the rules that put its members
 * together, one line per reason:
 *
 *	group 6: 0000:02:00.0 0000:02:00.1: multifunction device without ACS at 0000:02:00.0
 *
 * and in -J the members the rules predict beside the kernel's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu-groups.h"
#include "pci/groupwhy.h"
#include "base/prog.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "base/banned.h"

/* Members of each predicted group, chained in address order. */
struct chains {
	long *head, *next;
};

static void chains_init(struct chains *c, const struct groupwhy *w, const long *set)
{
	size_t n = w->n ? w->n : 1, k;
	long *ord = xcalloc(n, sizeof(*ord));

	c->head = xcalloc(n, sizeof(*c->head));
	c->next = xcalloc(n, sizeof(*c->next));
	for (k = 0; k < w->n; k++) {
		ord[w->pos[k]] = (long)k;
		c->head[k] = -1;
	}
	for (k = w->n; k-- > 0; ) {
		long i = ord[k];

		c->next[i] = c->head[set[i]];
		c->head[set[i]] = i;
	}
	free(ord);
}

static void chains_free(struct chains *c)
{
	free(c->head);
	free(c->next);
}

/* Whether the kernel's group, devices [FIRST, END) of L, is SET's group of FIRST. */
static bool same_members(const struct pcidevs *l, const long *set, const struct chains *c,
			 size_t first, size_t end)
{
	size_t k, n = 0;
	long m;

	for (k = first; k < end; k++)
		if (set[k] != set[first])
			return false;
	for (m = c->head[set[first]]; m >= 0; m = c->next[m])
		n++;
	return n == end - first && l->dev[first].group >= 0;
}

static void print_members(struct out *o, const char *key, const struct pcidevs *l,
			  size_t first, size_t end)
{
	size_t k;

	out_array_begin(o, key);
	for (k = first; k < end; k++)
		out_string(o, NULL, NULL, l->dev[k].name);
	out_array_end(o);
}

static void print_reason(struct out *o, const struct pcidevs *l, long group,
			 const char *members, const struct why_reason *r)
{
	char bits[32];

	out_object_begin(o, NULL);
	out_text(o, "group %ld: %s: ", group, members);
	out_string(o, "rule", NULL, groupwhy_rule_name(r->rule));
	out_string(o, "at", NULL, l->dev[r->at].name);
	if (r->no_acs)
		out_string(o, "lacks", NULL, "ACS");
	else if (r->lacks)
		out_string(o, "lacks", NULL, acs_flags_name(r->lacks, bits, sizeof(bits)));
	else
		out_null(o, "lacks");
	out_string(o, "text", "", r->text);
	out_text(o, "\n");
	out_object_end(o);
}

size_t print_why(const struct pcidevs *l, const bool *want, bool json)
{
	struct groupwhy w;
	struct chains pred, hw;
	struct out out, *o = &out;
	struct strbuf sb = STRBUF_INIT;
	size_t i, j, k, n, shown = 0;
	bool kernel_hw = true, kernel_ov = true;

	if (groupwhy_build(&w, l) < 0)
		return 0;
	chains_init(&pred, &w, w.set);
	chains_init(&hw, &w, w.hwset);
	out_init(o, stdout, json);
	out_object_begin(o, NULL);
	out_array_begin(o, "groups");
	for (i = 0; i < l->n && l->dev[i].group >= 0; i = j) {
		const struct why_reason *r;
		bool any = false, isolated = true;
		long m;

		for (j = i; j < l->n && l->dev[j].group == l->dev[i].group; j++)
			any = any || want[j];
		if (!same_members(l, w.set, &pred, i, j)) {
			kernel_ov = false;
			strbuf_setlen(&sb, 0);
			for (m = pred.head[w.set[i]]; m >= 0; m = pred.next[m])
				strbuf_addf(&sb, "%s%s", sb.len ? " " : "", l->dev[m].name);
			warnx("group %ld: the kernel's group is not what the ACS rules predict "
			      "(%s)%s", l->dev[i].group, sb.buf,
			      groupwhy_unsure(&w, i) ? ", which rest on config space not read" : "");
		}
		if (!same_members(l, w.hwset, &hw, i, j))
			kernel_hw = false;
		if (!any)
			continue;
		strbuf_setlen(&sb, 0);
		for (k = i; k < j; k++)
			strbuf_addf(&sb, "%s%s", k > i ? " " : "", l->dev[k].name);
		r = groupwhy_reasons(&w, i, &n);
		for (k = 0; k < n; k++)
			isolated = isolated && (r[k].rule == WHY_ISOLATED || r[k].rule == WHY_QUIRK);
		out_object_begin(o, NULL);
		out_int(o, "group", NULL, l->dev[i].group);
		print_members(o, "devices", l, i, j);
		out_array_begin(o, "predicted");
		for (m = pred.head[w.set[i]]; m >= 0; m = pred.next[m])
			out_string(o, NULL, NULL, l->dev[m].name);
		out_array_end(o);
		out_bool(o, "isolated", NULL, isolated);
		out_array_begin(o, "reasons");
		for (k = 0; k < n; k++)
			print_reason(o, l, l->dev[i].group, sb.buf, &r[k]);
		out_array_end(o);
		out_object_end(o);
		shown += j - i;
	}
	out_array_end(o);
	out_bool(o, "acs_override", NULL, w.override[0] != '\0');
	out_object_end(o);
	out_finish(o);
	if (w.override_ignored)
		warnx("pcie_acs_override= is on the kernel command line, but the kernel "
		      "passed it to init: it has no ACS override patch, and the groups are the hardware's");
	else if (w.override[0] && kernel_hw && !kernel_ov)
		warnx("pcie_acs_override=%s is on the kernel command line, but the groups "
		      "are the hardware's: the kernel may lack the ACS override patch", w.override);
	strbuf_release(&sb);
	chains_free(&pred);
	chains_free(&hw);
	groupwhy_free(&w);
	return shown;
}
