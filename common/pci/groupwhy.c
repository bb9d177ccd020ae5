/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pci/groupwhy.h"
#include "base/prog.h"
#include "base/root.h"
#include "base/xalloc.h"
#include "base/banned.h"

/* The out-of-tree ACS override patch's parameter, as the patch parses it. */
struct override {
	bool on, downstream, multifunction;
	unsigned int ids[16][2];
	size_t nids;
};

/* One prediction's work: a union-find over the devices and its reasons. */
struct pass {
	const struct groupwhy *w;
	const struct override *ov;	/* NULL: the hardware alone */
	long *uf;
	struct why_reason *r;
	size_t nr, cap;
};

/* What acs_enabled() found, for a reason. */
struct acs_answer {
	enum why_rule rule;	/* WHY_ISOLATED when enabled by the capability or by type */
	unsigned int lacks;
	bool no_acs;
	const char *quirk;	/* the quirk that answered, or NULL */
};

/* Address order, for the devices of a bus or a slot side by side. */
static int cmp_pos(const void *pa, const void *pb, void *arg)
{
	const struct pcidevs *l = *(const struct pcidevs **)arg;
	const struct pci_addr *a = &l->dev[*(const long *)pa].addr;
	const struct pci_addr *b = &l->dev[*(const long *)pb].addr;

	return pci_addr_cmp(a, b);
}

struct order {
	long *ord;		/* device indices in address order */
	long *pos;		/* each device's place in ord */
};

static long find_addr(const struct groupwhy *w, const struct order *o, const struct pci_addr *a)
{
	size_t lo = 0, hi = w->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct pci_addr *m = &w->l->dev[o->ord[mid]].addr;
		int c;

		if (m->domain != a->domain)
			c = m->domain < a->domain ? -1 : 1;
		else if (m->bus != a->bus)
			c = m->bus < a->bus ? -1 : 1;
		else if (m->slot != a->slot)
			c = m->slot < a->slot ? -1 : 1;
		else
			c = m->func < a->func ? -1 : m->func > a->func;
		if (!c)
			return o->ord[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * The bridge above each device: the directory its sysfs directory is in,
 * when that is a PCI function (a root bus hangs off pci0000:00).
 */
static void read_parents(struct groupwhy *w, const struct order *o)
{
	int dirfd = root_open("/sys/bus/pci/devices", O_PATH | O_DIRECTORY, 0);
	size_t i;

	for (i = 0; i < w->n; i++) {
		char link[4096], *last, *prev;
		struct pci_addr a;
		const char *why;

		w->parent[i] = -1;
		if (dirfd < 0 || link_read(dirfd, w->l->dev[i].name, link, sizeof(link)) < 0)
			continue;
		last = strrchr(link, '/');
		if (!last)
			continue;
		*last = '\0';
		prev = strrchr(link, '/');
		prev = prev ? prev + 1 : link;
		if (strlen(prev) != 12 || pci_addr_parse(prev, &a, &why) < 0)
			continue;
		w->parent[i] = find_addr(w, o, &a);
		if (w->parent[i] == (long)i)
			w->parent[i] = -1;
	}
	if (dirfd >= 0)
		close(dirfd);
}

static long uf_find(long *uf, long i)
{
	while (uf[i] != i) {
		uf[i] = uf[uf[i]];
		i = uf[i];
	}
	return i;
}

static void uf_union(long *uf, long a, long b)
{
	a = uf_find(uf, a);
	b = uf_find(uf, b);
	if (a != b)
		uf[b] = a;
}

static const char *name(const struct groupwhy *w, long i)
{
	return w->l->dev[i].name;
}

static struct why_reason *add_reason(struct pass *p, enum why_rule rule, long dev, long at)
{
	struct why_reason *r;

	if (p->nr == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->r = xreallocarray(p->r, p->cap, sizeof(*p->r));
	}
	r = &p->r[p->nr++];
	memset(r, 0, sizeof(*r));
	r->rule = rule;
	r->dev = dev;
	r->at = at;
	r->other = -1;
	return r;
}

/* The override patch's answer (pcie_acs_overrides()), -1 when it has none. */
static int override_answer(const struct override *ov, const struct pcidev *d,
			   const struct acs_info *a)
{
	size_t k;

	/* Never for conventional PCI, nor for a device with an ACS capability. */
	if (!ov || !ov->on || a->pcie_type == PCIE_NONE || a->acs_pos)
		return -1;
	for (k = 0; k < ov->nids; k++)
		if (ov->ids[k][0] == d->vendor && ov->ids[k][1] == d->device)
			return 1;
	switch (a->pcie_type) {
	case PCIE_DOWNSTREAM:
	case PCIE_ROOT_PORT:
		if (ov->downstream)
			return 1;
		break;
	case PCIE_ENDPOINT:
	case PCIE_UPSTREAM:
	case PCIE_LEG_END:
	case PCIE_RC_END:
		if (ov->multifunction && a->multifunction)
			return 1;
		break;
	}
	return -1;
}

/* pci_acs_flags_enabled(): controls missing from the capability are hard-wired on. */
static bool flags_enabled(const struct acs_info *a, unsigned int flags, struct acs_answer *ans)
{
	if (!a->acs_pos) {
		ans->rule = WHY_NO_ACS;
		ans->no_acs = true;
		return false;
	}
	flags &= a->acs_cap | ACS_EC;
	ans->lacks = flags & ~(unsigned int)a->acs_ctrl;
	if (ans->lacks) {
		ans->rule = WHY_ACS_OFF;
		return false;
	}
	return true;
}

/* pci_acs_enabled(dev, REQ_ACS_FLAGS), saying why in ANS. */
static bool acs_enabled(const struct pass *p, long i, struct acs_answer *ans)
{
	const struct acs_info *a = &p->w->acs[i];
	const struct pcidev *d = &p->w->l->dev[i];
	int q;

	memset(ans, 0, sizeof(*ans));
	ans->rule = WHY_ISOLATED;
	if (a->state != ACS_READ) {
		ans->rule = WHY_UNREADABLE;
		return false;
	}
	q = acs_quirk(d, a, ACS_REQ, &ans->quirk);
	if (q < 0) {
		ans->quirk = NULL;
		q = override_answer(p->ov, d, a);
		if (q > 0) {
			ans->rule = WHY_ACS_OVERRIDE;
			return true;
		}
	}
	if (q >= 0) {
		ans->rule = WHY_QUIRK;
		return q > 0;
	}
	switch (a->pcie_type) {
	case PCIE_NONE:
		/* A shared bus: any device on it can see another's DMA. */
		ans->rule = a->bridge ? WHY_PCIE_TO_PCI : WHY_NO_ACS;
		ans->no_acs = true;
		return false;
	case PCIE_PCIE_BRIDGE:
	case PCIE_PCI_BRIDGE:
		ans->rule = WHY_PCIE_TO_PCI;
		return false;
	case PCIE_RC_EC:
		ans->rule = WHY_NO_ACS;
		ans->no_acs = true;
		return false;
	case PCIE_DOWNSTREAM:
	case PCIE_ROOT_PORT:
		return flags_enabled(a, ACS_REQ, ans);
	case PCIE_ENDPOINT:
	case PCIE_UPSTREAM:
	case PCIE_LEG_END:
	case PCIE_RC_END:
		if (!a->multifunction)
			break;
		return flags_enabled(a, ACS_REQ, ans);
	}
	/* Single functions need no ACS, but for downstream ports. */
	return true;
}

/* The text of a reason that isolation stops at AT, as ANS found. */
static void stop_text(const struct groupwhy *w, struct why_reason *r, const struct acs_answer *ans)
{
	const struct acs_info *a = &w->acs[r->at];
	char bits[32];

	r->lacks = ans->lacks;
	r->no_acs = ans->no_acs;
	switch (r->rule) {
	case WHY_NO_ACS:
		snprintf(r->text, sizeof(r->text), "%s without ACS at %s", acs_type_name(a),
			 name(w, r->at));
		break;
	case WHY_ACS_OFF:
		snprintf(r->text, sizeof(r->text), "%s with ACS but %s not enabled at %s",
			 acs_type_name(a), acs_flags_name(r->lacks, bits, sizeof(bits)), name(w, r->at));
		break;
	case WHY_PCIE_TO_PCI:
		snprintf(r->text, sizeof(r->text), "behind a %s at %s", acs_type_name(a),
			 name(w, r->at));
		break;
	case WHY_QUIRK:
		snprintf(r->text, sizeof(r->text),
			 "not isolated by a kernel quirk (%s, Linux %s) at %s",
			 ans->quirk ? ans->quirk : "", acs_quirk_kernel, name(w, r->at));
		break;
	case WHY_UNREADABLE:
		snprintf(r->text, sizeof(r->text), "config space not read at %s: %s",
			 name(w, r->at), a->why);
		break;
	default:
		snprintf(r->text, sizeof(r->text), "isolated");
		break;
	}
}

static void quirk_reason(struct pass *p, long dev, long at, const char *quirk)
{
	struct why_reason *r = add_reason(p, WHY_QUIRK, dev, at);

	snprintf(r->text, sizeof(r->text), "isolated by a kernel quirk (%s, Linux %s) at %s",
		 quirk, acs_quirk_kernel, name(p->w, at));
}

/*
 * pci_acs_path_enabled(START, NULL, REQ_ACS_FLAGS): every port from START
 * up to its root port provides the controls.  Quirks that made a port
 * pass are reasons of DEV's group.  Returns -1 when so, else the first
 * port that lacks them, with ANS saying what.
 */
static long path_stop(struct pass *p, long dev, long start, struct acs_answer *ans)
{
	long b;

	for (b = start; b >= 0; b = p->w->parent[b]) {
		if (!acs_enabled(p, b, ans))
			return b;
		if (ans->rule == WHY_QUIRK)
			quirk_reason(p, dev, b, ans->quirk);
	}
	return -1;
}

/* The lowest bridge above I that gives its own requester ID to what is below it. */
static long alias_bridge(struct pass *p, long i)
{
	const struct groupwhy *w = p->w;
	long b;

	for (b = w->parent[i]; b >= 0; b = w->parent[b]) {
		const struct acs_info *a = &w->acs[b];

		if (a->state != ACS_READ) {
			struct why_reason *r = add_reason(p, WHY_UNREADABLE, i, b);
			struct acs_answer ans = { .rule = WHY_UNREADABLE };

			stop_text(w, r, &ans);
			continue;
		}
		switch (a->pcie_type) {
		case PCIE_NONE:
		case PCIE_PCI_BRIDGE:
		case PCIE_PCIE_BRIDGE:
			return b;
		}
	}
	return -1;
}

/* Device I is where its group starts: its DMA aliases and its slot's functions. */
static void start_group(struct pass *p, const struct order *o, long i)
{
	const struct groupwhy *w = p->w;
	const struct pcidev *d = &w->l->dev[i];
	struct acs_answer ans, other;
	uint64_t mask[4], jmask[4];
	bool has_alias;
	long k, first;

	/* The devices of I's bus are next to it in address order. */
	first = o->pos[i];
	while (first > 0 && w->l->dev[o->ord[first - 1]].addr.domain == d->addr.domain &&
	       w->l->dev[o->ord[first - 1]].addr.bus == d->addr.bus)
		first--;
	has_alias = acs_dma_aliases(d, mask);
	if (has_alias) {
		for (k = first; k < (long)w->n; k++) {
			long j = o->ord[k];
			const struct pcidev *e = &w->l->dev[j];
			unsigned int jd = e->addr.slot << 3 | e->addr.func;
			unsigned int id = d->addr.slot << 3 | d->addr.func;

			if (e->addr.domain != d->addr.domain || e->addr.bus != d->addr.bus)
				break;
			if (j == i)
				continue;
			if (!(mask[jd / 64] >> (jd % 64) & 1) &&
			    !(acs_dma_aliases(e, jmask) && jmask[id / 64] >> (id % 64) & 1))
				continue;
			uf_union(p->uf, i, j);
			{
				struct why_reason *r = add_reason(p, WHY_DMA_ALIAS, i, i);

				r->other = j;
				snprintf(r->text, sizeof(r->text), "DMA alias %s at %s", name(w, j),
					 name(w, i));
			}
		}
	}
	/* The slot's functions, from its lowest: alone in it, nothing more to ask. */
	for (k = o->pos[i]; k > 0 && pcidev_same_slot(&w->l->dev[o->ord[k - 1]], d); k--)
		;
	first = o->ord[k];
	if (first == i && (k + 1 == (long)w->n || !pcidev_same_slot(&w->l->dev[o->ord[k + 1]], d)))
		return;
	if (w->acs[i].state == ACS_D3COLD) {
		/* Whether it is multifunction was not read either. */
		struct why_reason *r = add_reason(p, WHY_UNREADABLE, i, i);

		ans = (struct acs_answer){ .rule = WHY_UNREADABLE };
		stop_text(w, r, &ans);
		return;
	}
	if (!w->acs[i].multifunction)
		return;
	if (acs_enabled(p, i, &ans)) {
		if (ans.rule == WHY_QUIRK)
			quirk_reason(p, i, i, ans.quirk);
		return;
	}
	for (; k < (long)w->n && pcidev_same_slot(&w->l->dev[o->ord[k]], d); k++) {
		long j = o->ord[k];
		struct why_reason *r;

		if (j == i || acs_enabled(p, j, &other))
			continue;
		uf_union(p->uf, i, j);
		if (ans.rule == WHY_UNREADABLE || other.rule == WHY_UNREADABLE) {
			r = add_reason(p, WHY_UNREADABLE, i, ans.rule == WHY_UNREADABLE ? i : j);
			stop_text(w, r, &ans);
			continue;
		}
		if (ans.rule == WHY_QUIRK) {
			r = add_reason(p, WHY_QUIRK, i, i);
			stop_text(w, r, &ans);
			continue;
		}
		r = add_reason(p, WHY_MULTIFUNCTION, i, first);
		r->lacks = ans.lacks;
		r->no_acs = !ans.lacks;
		if (ans.lacks) {
			char bits[32];

			snprintf(r->text, sizeof(r->text),
				 "multifunction device with ACS but %s not enabled at %s",
				 acs_flags_name(ans.lacks, bits, sizeof(bits)), name(w, first));
		} else {
			snprintf(r->text, sizeof(r->text), "multifunction device without ACS at %s",
				 name(w, first));
		}
	}
}

/* pci_device_group() for every device, as unions. */
static void predict(struct pass *p, const struct order *o)
{
	const struct groupwhy *w = p->w;
	struct acs_answer ans;
	size_t i;

	for (i = 0; i < w->n; i++)
		p->uf[i] = (long)i;
	for (i = 0; i < w->n; i++) {
		long b = alias_bridge(p, (long)i), stop;

		if (b >= 0) {
			struct why_reason *r = add_reason(p, WHY_PCIE_TO_PCI, (long)i, b);

			uf_union(p->uf, b, (long)i);
			ans = (struct acs_answer){ .rule = WHY_PCIE_TO_PCI };
			stop_text(w, r, &ans);
			continue;
		}
		b = w->parent[i];
		stop = b >= 0 ? path_stop(p, (long)i, b, &ans) : -1;
		if (stop >= 0) {
			struct why_reason *r = add_reason(p, ans.rule, (long)i, stop);

			uf_union(p->uf, b, (long)i);
			stop_text(w, r, &ans);
			continue;
		}
		start_group(p, o, (long)i);
	}
}

/*
 * pcie_acs_override=downstream,multifunction,id:8086:1234 as the patch
 * reads it; what it does not know it skips.
 */
static void parse_override(const char *s, struct override *ov)
{
	memset(ov, 0, sizeof(*ov));
	ov->on = true;
	while (*s) {
		size_t len = strcspn(s, ",");
		unsigned int v, d;
		int n = 0;

		if (len == 10 && !strncmp(s, "downstream", len))
			ov->downstream = true;
		else if (len == 13 && !strncmp(s, "multifunction", len))
			ov->multifunction = true;
		else if (!strncmp(s, "id:", 3) && sscanf(s + 3, "%4x:%4x%n", &v, &d, &n) == 2 &&
			 (size_t)n + 3 == len && ov->nids < 16) {
			ov->ids[ov->nids][0] = v;
			ov->ids[ov->nids][1] = d;
			ov->nids++;
		}
		s += len;
		if (*s == ',')
			s++;
	}
}

static long addr_key(const struct groupwhy *w, long dev)
{
	return w->pos[dev];
}

/* "isolated" last, where the dedup drops it after any other reason. */
static int rule_rank(enum why_rule rule)
{
	return rule == WHY_ISOLATED ? WHY_UNREADABLE + 1 : (int)rule;
}

/* By group (its first device's place), rule, then where. */
static int cmp_reason(const void *pa, const void *pb, void *arg)
{
	const struct groupwhy *w = arg;
	const struct why_reason *a = pa, *b = pb;
	long ka = addr_key(w, w->set[a->dev]), kb = addr_key(w, w->set[b->dev]);

	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (a->rule != b->rule)
		return rule_rank(a->rule) < rule_rank(b->rule) ? -1 : 1;
	if (a->at != b->at)
		return addr_key(w, a->at) < addr_key(w, b->at) ? -1 : 1;
	if (a->other != b->other)
		return a->other < 0 ? -1 : b->other < 0 ? 1 :
		       addr_key(w, a->other) < addr_key(w, b->other) ? -1 : 1;
	return 0;
}

/* SET[i]: the lowest-addressed member of i's group in the union-find UF. */
static void settle(const struct groupwhy *w, const struct order *o, long *uf, long *set)
{
	size_t k;
	long *low = xreallocarray(NULL, w->n ? w->n : 1, sizeof(*low));

	for (k = 0; k < w->n; k++)
		low[k] = -1;
	for (k = 0; k < w->n; k++) {
		long i = o->ord[k], r = uf_find(uf, i);

		if (low[r] < 0)
			low[r] = i;
	}
	for (k = 0; k < w->n; k++)
		set[k] = low[uf_find(uf, (long)k)];
	free(low);
}

/* Groups the override alone makes: name them, with their hardware group mates. */
static void override_reasons(struct pass *p, const struct order *o)
{
	const struct groupwhy *w = p->w;
	size_t n = w->n ? w->n : 1, k;
	long *sets = xcalloc(n, sizeof(*sets)), *next = xcalloc(n, sizeof(*next));
	long *head = xcalloc(n, sizeof(*head)), i, m;

	/* The members of each hardware group, chained in address order. */
	for (k = 0; k < w->n; k++)
		head[k] = -1;
	for (k = w->n; k-- > 0; ) {
		i = o->ord[k];
		next[i] = head[w->hwset[i]];
		head[w->hwset[i]] = i;
		sets[w->hwset[i]] += w->set[i] == i;
	}
	for (k = 0; k < w->n; k++) {
		struct why_reason *r;
		size_t len;

		i = o->ord[k];
		if (w->set[i] != i || sets[w->hwset[i]] < 2)
			continue;
		r = add_reason(p, WHY_ACS_OVERRIDE, i, i);
		snprintf(r->text, sizeof(r->text),
			 "exists only because of pcie_acs_override=%s: in hardware not isolated from",
			 w->override);
		for (m = head[w->hwset[i]]; m >= 0; m = next[m]) {
			len = strlen(r->text);
			if (w->set[m] != i && len + PCI_ADDR_LEN + 1 < sizeof(r->text))
				snprintf(r->text + len, sizeof(r->text) - len, " %s", name(w, m));
		}
	}
	free(sets);
	free(next);
	free(head);
}

/*
 * The value of the last pcie_acs_override= on /proc/cmdline, as the kernel
 * splits it (parse_args(): words apart by spaces, double quotes keeping
 * spaces in, nothing after "--" for the kernel), into BUF; "" when none.
 */
static void read_override(char *buf, size_t size)
{
	static const char key[] = "pcie_acs_override=";
	size_t len;
	char *text = root_read_file("/proc/cmdline", &len), *p, *word;

	buf[0] = '\0';
	for (p = text; p && *p; ) {
		bool quoted = false;
		char *out;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		for (word = out = p; *p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n')); p++) {
			if (*p == '"')
				quoted = !quoted;
			else
				*out++ = *p;
		}
		if (*p)
			p++;
		*out = '\0';
		if (!strcmp(word, "--"))
			break;
		if (!strncmp(word, key, sizeof(key) - 1))
			snprintf(buf, size, "%s", word + sizeof(key) - 1);
	}
	free(text);
}

/*
 * A kernel without the override patch does not know the parameter and,
 * as it has no dot, hands it to init in its environment (init/main.c).
 * /proc/1/environ is readable by root only: unread, the patch is assumed.
 */
static bool override_ignored(void)
{
	size_t len, k;
	char *env = root_read_file("/proc/1/environ", &len);
	bool found = false;

	for (k = 0; env && k < len; k += strlen(env + k) + 1)
		if (!strncmp(env + k, "pcie_acs_override=", 18))
			found = true;
	free(env);
	return found;
}

int groupwhy_build(struct groupwhy *w, const struct pcidevs *l)
{
	struct order o;
	struct pass p = { 0 };
	struct override ov;
	struct stat st;
	bool ivrs = root_stat("/sys/firmware/acpi/tables/IVRS", &st) == 0;
	size_t i, n = l->n ? l->n : 1, k, out;

	memset(w, 0, sizeof(*w));
	w->l = l;
	w->n = l->n;
	w->acs = xcalloc(n, sizeof(*w->acs));
	w->parent = xcalloc(n, sizeof(*w->parent));
	w->set = xcalloc(n, sizeof(*w->set));
	w->hwset = xcalloc(n, sizeof(*w->hwset));
	o.ord = xcalloc(n, sizeof(*o.ord));
	o.pos = xcalloc(n, sizeof(*o.pos));
	for (i = 0; i < w->n; i++)
		o.ord[i] = (long)i;
	qsort_r(o.ord, w->n, sizeof(*o.ord), cmp_pos, &l);
	for (i = 0; i < w->n; i++)
		o.pos[o.ord[i]] = (long)i;
	read_parents(w, &o);
	for (i = 0; i < w->n; i++) {
		acs_read(l, &l->dev[i], &w->acs[i]);
		/*
		 * pci_scan_slot(): functions after the first are multifunction,
		 * whatever their header says; virtual functions are not scanned so.
		 */
		if (l->dev[i].addr.func > 0 && !w->acs[i].virtfn && w->acs[i].state != ACS_D3COLD)
			w->acs[i].multifunction = true;
		w->acs[i].root_bus = w->parent[i] < 0;
		w->acs[i].ivrs = ivrs;
	}
	read_override(w->override, sizeof(w->override));
	if (w->override[0] && override_ignored()) {
		w->override_ignored = true;
		w->override[0] = '\0';
	}

	p.w = w;
	p.uf = xcalloc(n, sizeof(*p.uf));
	predict(&p, &o);
	settle(w, &o, p.uf, w->hwset);
	if (w->override[0]) {
		p.nr = 0;
		parse_override(w->override, &ov);
		p.ov = &ov;
		predict(&p, &o);
		settle(w, &o, p.uf, w->set);
		override_reasons(&p, &o);
	} else {
		memcpy(w->set, w->hwset, w->n * sizeof(*w->set));
	}
	/* A group with no reason is isolated. */
	for (k = 0; k < w->n; k++) {
		long g = o.ord[k];

		if (w->set[g] == g) {
			struct why_reason *r = add_reason(&p, WHY_ISOLATED, g, g);

			snprintf(r->text, sizeof(r->text), "isolated");
		}
	}
	w->pos = o.pos;
	qsort_r(p.r, p.nr, sizeof(*p.r), cmp_reason, w);
	/* One of each; "isolated" only where nothing else is said. */
	for (i = out = 0; i < p.nr; i++) {
		struct why_reason *r = &p.r[i];
		long g = w->set[r->dev];

		if (out && w->set[p.r[out - 1].dev] == g && !cmp_reason(&p.r[out - 1], r, w))
			continue;
		if (r->rule == WHY_ISOLATED && out && w->set[p.r[out - 1].dev] == g)
			continue;
		p.r[out++] = *r;
	}
	/* Each reason speaks for its group by the group's first device. */
	for (i = 0; i < out; i++)
		p.r[i].dev = w->set[p.r[i].dev];
	w->r = p.r;
	w->nr = out;
	free(p.uf);
	free(o.ord);
	return 0;
}

void groupwhy_free(struct groupwhy *w)
{
	free(w->acs);
	free(w->parent);
	free(w->set);
	free(w->hwset);
	free(w->r);
	free(w->pos);
	memset(w, 0, sizeof(*w));
}

bool groupwhy_same(const struct groupwhy *w, size_t i, size_t j)
{
	return w->set[i] == w->set[j];
}

const struct why_reason *groupwhy_reasons(const struct groupwhy *w, size_t i, size_t *count)
{
	long g = w->set[i], key = w->pos[g];
	size_t lo = 0, hi = w->nr, k;

	/* Sorted by the place of their group's first device. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (w->pos[w->r[mid].dev] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = lo; k < w->nr && w->r[k].dev == g; k++)
		;
	*count = k - lo;
	return w->r + lo;
}

bool groupwhy_unsure(const struct groupwhy *w, size_t i)
{
	const struct why_reason *r;
	size_t n, k;

	r = groupwhy_reasons(w, i, &n);
	for (k = 0; k < n; k++)
		if (r[k].rule == WHY_UNREADABLE)
			return true;
	return false;
}

bool groupwhy_port(const struct groupwhy *w, size_t port, struct why_reason *out)
{
	struct override ov;
	struct pass p = { .w = w };
	struct acs_answer ans;
	long b, stop = -1;
	bool own;

	if (w->override[0]) {
		parse_override(w->override, &ov);
		p.ov = &ov;
	}
	/* The card would be below PORT: PORT's own kind counts as a bridge above it. */
	b = w->acs[port].state == ACS_READ &&
	    (w->acs[port].pcie_type == PCIE_NONE || w->acs[port].pcie_type == PCIE_PCI_BRIDGE ||
	     w->acs[port].pcie_type == PCIE_PCIE_BRIDGE) ? (long)port : alias_bridge(&p, (long)port);
	if (b >= 0) {
		ans = (struct acs_answer){ .rule = WHY_PCIE_TO_PCI };
		stop = b;
	} else {
		stop = path_stop(&p, (long)port, (long)port, &ans);
	}
	memset(out, 0, sizeof(*out));
	out->dev = (long)port;
	out->other = -1;
	own = stop < 0;
	if (own) {
		/* A quirk (or the override) on the path is what isolates it. */
		size_t k;

		out->rule = WHY_ISOLATED;
		out->at = (long)port;
		snprintf(out->text, sizeof(out->text), "isolated");
		for (k = 0; k < p.nr; k++)
			if (p.r[k].rule == WHY_QUIRK) {
				*out = p.r[k];
				out->dev = (long)port;
				break;
			}
	} else {
		/* Unreadable bridges on the way say so first. */
		if (p.nr && p.r[0].rule == WHY_UNREADABLE) {
			*out = p.r[0];
			out->dev = (long)port;
		} else {
			out->rule = ans.rule;
			out->at = stop;
			stop_text(w, out, &ans);
		}
	}
	free(p.r);
	return own;
}

const char *groupwhy_rule_name(enum why_rule rule)
{
	static const char *const names[] = {
		[WHY_ISOLATED] = "isolated",
		[WHY_NO_ACS] = "no-acs",
		[WHY_ACS_OFF] = "acs-off",
		[WHY_PCIE_TO_PCI] = "pcie-to-pci",
		[WHY_MULTIFUNCTION] = "multifunction",
		[WHY_DMA_ALIAS] = "dma-alias",
		[WHY_QUIRK] = "quirk",
		[WHY_ACS_OVERRIDE] = "acs-override",
		[WHY_UNREADABLE] = "unreadable",
	};

	return names[rule];
}
