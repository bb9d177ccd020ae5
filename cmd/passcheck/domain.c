/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * passcheck: the libvirt domain of --xml: hypervisor hidden, the card's
 * functions there on one guest slot, and what virtxml-hostdev recorded
 * still the devices at those addresses.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "passcheck.h"
#include "base/banned.h"

/* The libvirt domain of --xml. */

static struct domain dom;
bool have_dom;
static char dom_name[256] = "DOMAIN";
static char *dom_file, *dom_path;	/* --xml FILE as given and in the system; NULL: a stream */
static struct pci_addr *hostdevs;
static size_t nhostdevs;
static struct hostrec rec;		/* what virtxml-hostdev added */

/* The domain's name as a word of a printed command. */
static const char *dom_word(void)
{
	static char q[SHQUOTE_SIZE(sizeof(dom_name))];

	return shquote(dom_name, q, sizeof(q));
}

void load_domain(const char *file, const char *tail)
{
	char *path = NULL, *text;
	const char *shown = "standard input";
	struct stat st;
	size_t len;
	int fd = STDIN_FILENO;

	if (strcmp(file, "-")) {
		path = root_file_arg(file);
		shown = *root_prefix() ? root_show(path) : file;
		fd = root_open(path, O_RDONLY, 0);
		if (fd < 0)
			domain_open_failed(file, shown, "check", tail);
	}
	/*
	 * A fix edits a regular file in place; /dev/stdin, a pipe or <(...)
	 * came from virsh, as standard input does, and the fix is virsh's
	 * pipeline too.
	 */
	if (path && !(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && strncmp(path, "/dev/", 5) &&
		      strncmp(path, "/proc/", 6))) {
		free(path);
		path = NULL;
	}
	text = fd_read_all(fd, ROOT_FILE_MAX, &len);
	if (!text)
		err(EXIT_FAIL, "could not read '%s'", shown);
	if (fd != STDIN_FILENO)
		close(fd);
	if (domain_parse(&dom, text, len, shown) < 0)
		exit(EXIT_FAIL);
	have_dom = true;
	domain_child_text(dom.root, "name", dom_name, sizeof(dom_name));
	nhostdevs = domain_hostdev_pci(&dom, NULL, 0);
	hostdevs = xcalloc(nhostdevs, sizeof(*hostdevs));
	domain_hostdev_pci(&dom, hostdevs, nhostdevs);
	hostrec_read(&dom, &rec, NULL);
	free(text);
	if (path) {
		dom_file = xstrdup(file);
		dom_path = path;
	}
}

static bool passes(const struct pci_addr *a)
{
	size_t k;

	for (k = 0; k < nhostdevs; k++)
		if (pci_addr_equal(&hostdevs[k], a))
			return true;
	return false;
}

/*
 * The commands that run virtxml-hostdev with each of the NSTEPS STEPS
 * (its options and device, words that need no quoting) on the domain as
 * --xml gave it: FILE in place, then virsh define; the domain from
 * standard input through virsh dumpxml and virsh define.
 */
static char *hostdev_cmd(const char *const *steps, size_t nsteps)
{
	char q[SHQUOTE_SIZE(4096)], f[SHQUOTE_SIZE(4096)];
	struct strbuf sb = STRBUF_INIT;
	const char *file, *def;
	size_t i;

	if (dom_file) {
		/* A name too long to quote was not opened either. */
		file = shquote(dom_file, f, sizeof(f));
		def = shquote(*root_prefix() ? dom_path : dom_file, q, sizeof(q));
		for (i = 0; i < nsteps; i++)
			strbuf_addf(&sb, "%s%s -i %s %s", i ? " && " : "", cmd_tool("virtxml-hostdev"),
				    steps[i], file ? file : "FILE");
		strbuf_addf(&sb, ", then %svirsh define %s", cmd_chroot(), def ? def : "FILE");
		return strbuf_detach(&sb, NULL);
	}
	strbuf_addf(&sb, "%svirsh dumpxml --inactive %s", cmd_chroot(), dom_word());
	for (i = 0; i < nsteps; i++)
		strbuf_addf(&sb, " | %s %s", cmd_tool("virtxml-hostdev"), steps[i]);
	strbuf_addf(&sb, " | %svirsh define /dev/stdin", cmd_chroot());
	return strbuf_detach(&sb, NULL);
}

void check_domain(void)
{
	char vendor[DOMXML_VENDOR_ID_MAX + 1];

	if (domain_kvm_hidden(&dom))
		report(PASS, "xml-kvm-hidden", NULL, "domain %s hides KVM", dom_name);
	else
		report(WARN, "xml-kvm-hidden", NULL, "domain %s does not hide KVM: GPU drivers that "
		       "refuse to run in a VM (NVIDIA before R465: code 43) will not start; "
		       "virtxml-hide hides it", dom_name);
	if (domain_vendor_id(&dom, vendor, sizeof(vendor)))
		report(PASS, "xml-vendor-id", NULL, "domain %s sets the Hyper-V vendor_id '%s'",
		       dom_name, vendor);
	else if (domain_hyperv_mode(&dom) == HYPERV_PASSTHROUGH)
		report(SKIP, "xml-vendor-id", NULL, "domain %s has <hyperv mode='passthrough'>, which "
		       "takes no vendor_id", dom_name);
	else
		report(WARN, "xml-vendor-id", NULL, "domain %s sets no Hyper-V vendor_id: the guest "
		       "sees KVM's; virtxml-hide sets one", dom_name);
}

/*
 * Every function the domain must have with D: the set `virtxml-hostdev D`
 * adds and `vfio-bind D` binds (devsel_collect() marks devsel_take()'s,
 * which for one device is this walk of its card and their groups).
 */
void check_hostdev(const struct pcidev *d)
{
	struct strbuf list = STRBUF_INIT;
	char slot[PCI_ADDR_LEN], *cmd;
	const char *step = slot;
	const struct pcidev *m;
	struct devsel_iter it;
	size_t n = 0;

	for (devsel_iter_init(&it, &sel, d); (m = devsel_iter_next(&it)); ) {
		n++;
		if (!passes(&m->addr))
			strbuf_addf(&list, "%s%s", list.len ? ", " : "", m->name);
	}
	pcidev_slot(&devs, d, slot);
	if (list.len) {
		cmd = hostdev_cmd(&step, 1);
		report(FAIL, "xml-hostdev", d->name, "domain %s lacks %s (a VM takes every function "
		       "of the device and its IOMMU group): %s", dom_name, list.buf, cmd);
		free(cmd);
	} else {
		report(PASS, "xml-hostdev", d->name, "domain %s has %s%zu function%s", dom_name,
		       n > 1 ? "all " : "", n, n > 1 ? "s" : "");
	}
	strbuf_release(&list);
}

/*
 * The functions of D's card the domain has, on one guest slot with
 * distinct function numbers, as on the host: AMD's and NVIDIA's drivers
 * misbehave with a GPU's functions apart, and libvirt gives each function
 * without a guest address a slot of its own.
 */
void check_guest_slot(const struct pcidev *d)
{
	struct strbuf where = STRBUF_INIT, bare = STRBUF_INIT;
	struct pci_addr g, g0 = { 0 };
	char slot[PCI_ADDR_LEN], a[PCI_ADDR_LEN], *cmd, *fix;
	const char *step;
	unsigned int funcs = 0;
	bool split = false, twice = false;
	size_t i, n = 0, first = (size_t)(d - devs.dev);

	while (first > 0 && pcidev_same_slot(&devs.dev[first - 1], d))
		first--;
	for (i = first; i < devs.n && pcidev_same_slot(&devs.dev[i], d); i++) {
		const struct pcidev *f = &devs.dev[i];

		if (!passes(&f->addr))
			continue;
		if (!domain_hostdev_guest(&dom, &f->addr, &g)) {
			strbuf_addf(&bare, "%s%s", bare.len ? ", " : "", f->name);
			n++;
			continue;
		}
		if (!where.len)
			g0 = g;
		split |= g.domain != g0.domain || g.bus != g0.bus || g.slot != g0.slot;
		twice |= (funcs & (1u << g.func)) != 0;
		funcs |= 1u << g.func;
		strbuf_addf(&where, "%s%s at %s", where.len ? ", " : "", f->name, pci_addr_format(&g, a));
		n++;
	}
	pcidev_slot(&devs, d, slot);
	/* The card's slot as lspci -s takes it: the function address without ".N". */
	slot[strlen(slot) - 2] = '\0';
	if (n < 2) {
		if (n && !bare.len)
			report(PASS, "xml-guest-slot", d->name, "domain %s has one function of the card, "
			       "at guest address %s", dom_name, pci_addr_format(&g0, a));
	} else if (bare.len) {
		step = fix = xasprintf("--fix %s", slot);
		cmd = hostdev_cmd(&step, 1);
		report(FAIL, "xml-guest-slot", d->name, "domain %s has %s of the card at %s without "
		       "a guest address: libvirt puts each function on a slot of its own, and the GPU "
		       "drivers expect them on one: %s", dom_name, bare.buf, slot, cmd);
		free(cmd);
		free(fix);
	} else if (split || twice) {
		step = fix = xasprintf("--fix %s", slot);
		cmd = hostdev_cmd(&step, 1);
		report(FAIL, "xml-guest-slot", d->name, "domain %s has the functions of the card at %s "
		       "%s: %s (the GPU drivers expect them on one slot, at distinct functions, as on "
		       "the host): %s", dom_name, slot, split ? "on more than one guest slot" :
		       "at one guest function twice", where.buf, cmd);
		free(cmd);
		free(fix);
	} else {
		g0.func = 0;
		pci_addr_format(&g0, a);
		a[strlen(a) - 2] = '\0';
		report(PASS, "xml-guest-slot", d->name, "domain %s has the card's %zu functions on "
		       "guest slot %s: %s", dom_name, n, a, where.buf);
	}
	strbuf_release(&where);
	strbuf_release(&bare);
}

/* Hostdevs of the domain at addresses where this host has no device. */
void check_hostdev_missing(void)
{
	char addr[PCI_ADDR_LEN];
	size_t k, n = 0;

	for (k = 0; k < nhostdevs; k++) {
		if (pcidevs_find(&devs, &hostdevs[k]) >= 0)
			continue;
		n++;
		pci_addr_format(&hostdevs[k], addr);
		report(FAIL, "xml-hostdev-missing", addr, "domain %s passes %s, where this host has "
		       "no PCI device: the VM does not start; take it out (virt-xml %s "
		       "--remove-device --hostdev %s) or give the address of the device now", dom_name,
		       addr, dom_word(), addr);
	}
	if (nhostdevs && !n)
		report(PASS, "xml-hostdev-missing", NULL, "every <hostdev> of domain %s is a device "
		       "of this host", dom_name);
}

/* The identity of the device at index K of the scan, its subsystem read first. */
static const char *ident_at(size_t k, char *buf, size_t size)
{
	struct pcidev *m = &devs.dev[k];

	if (pcidev_read(m, PCIDEV_SUBSYS) < 0)
		m->subsys_vendor = m->subsys_device = -1;
	return hostrec_ident(m, buf, size);
}

/*
 * Where the device recorded as IDENT is now: the one device of this host
 * with that identity, its index; -1 for none or several.
 */
static long find_ident(const char *ident)
{
	char now[HOSTREC_IDENT_LEN];
	unsigned int vendor, device;
	long found = -1;
	size_t i;

	if (sscanf(ident, "%4x:%4x/", &vendor, &device) != 2)
		return -1;
	for (i = 0; i < devs.n; i++) {
		if (devs.dev[i].vendor != vendor || devs.dev[i].device != device ||
		    strcmp(ident_at(i, now, sizeof(now)), ident))
			continue;
		if (found >= 0)
			return -1;
		found = (long)i;
	}
	return found;
}

/*
 * Each function virtxml-hostdev recorded that the domain still passes:
 * the device at its address now has the identity recorded, or the host's
 * PCI numbering changed (a card added or taken out before it) and the VM
 * would take another device, a NIC or the disk the host runs from.
 */
void check_hostdev_renumbered(void)
{
	char now[HOSTREC_IDENT_LEN], addr[PCI_ADDR_LEN], moved[PCI_ADDR_LEN], line[1024], *cmd;
	const char *steps[2] = { "--remove", moved };
	size_t i, j, nu, judged = 0, bad = 0;

	for (i = 0; i < rec.nfn; i++) {
		const struct hostrec_fn *f = &rec.fn[i];
		long k = pcidevs_find(&devs, &f->addr), at;
		struct strbuf where = STRBUF_INIT;

		if (!passes(&f->addr))
			continue;
		judged++;
		if (k >= 0 && !strcmp(ident_at((size_t)k, now, sizeof(now)), f->ident))
			continue;
		bad++;
		pci_addr_format(&f->addr, addr);
		if (k >= 0) {
			const struct hostuse_item *u = hostuse_find(&inuse, &devs.dev[k], &nu);

			strbuf_addf(&where, "it is now %s, %s: the host's PCI numbering changed, and "
				    "the VM would take another device", now,
				    pcidev_describe(&devs, &devs.dev[k], line, sizeof(line)));
			for (j = 0; u && j < nu; j++)
				strbuf_addf(&where, "%s%s%s", j ? "; " : ", which the host uses (", u[j].text,
					    j + 1 == nu ? ")" : "");
		} else {
			strbuf_addstr(&where, "this host has no device there now: the host's PCI "
				      "numbering changed, and the VM does not start");
		}
		at = find_ident(f->ident);
		if (at >= 0) {
			pcidev_slot(&devs, &devs.dev[at], moved);
			cmd = hostdev_cmd(steps, 2);
			report(FAIL, "xml-renumbered", addr, "domain %s passes %s, recorded by "
			       "virtxml-hostdev as %s, and %s; the recorded device is at %s now: %s",
			       dom_name, addr, f->ident, where.buf, moved, cmd);
		} else {
			cmd = hostdev_cmd(steps, 1);
			report(FAIL, "xml-renumbered", addr, "domain %s passes %s, recorded by "
			       "virtxml-hostdev as %s, and %s; take out what virtxml-hostdev added (%s), "
			       "then give the card at its address now", dom_name, addr, f->ident,
			       where.buf, cmd);
		}
		free(cmd);
		strbuf_release(&where);
	}
	if (judged && !bad)
		report(PASS, "xml-renumbered", NULL, "the %zu function%s virtxml-hostdev recorded in "
		       "domain %s %s the same device%s on this host", judged, judged > 1 ? "s" : "",
		       dom_name, judged > 1 ? "are" : "is", judged > 1 ? "s" : "");
}

void unload_domain(void)
{
	free(dom_file);
	free(dom_path);
	free(hostdevs);
	if (have_dom)
		domain_free(&dom);
}
