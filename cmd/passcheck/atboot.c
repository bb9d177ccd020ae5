/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * passcheck: what binds at boot (vfio-pci.ids from every source, options
 * of vfio-pci) and whether the initramfs images carry it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "passcheck.h"
#include "base/banned.h"

/*
 * An ids= that the next boot gives vfio-pci: the one kmod passes from
 * modprobe.d (the last ids= of every `options vfio-pci` line: parse_args
 * keeps the last), the running kernel's command line's, and each boot
 * configuration's.
 */
struct ids_src {
	char where[640];	/* "root/etc/modprobe.d/gpu.conf:1", as shown */
	char what[1024];	/* the parameter as written */
	char *ids;		/* its value */
	bool costly;		/* it takes a device the host keeps */
};

static struct ids_src *srcs;
static size_t nsrcs;
static long modprobe_src = -1, proc_src = -1;
char vm_slots[512];	/* the devices checked, for vfio-bind --persist */

static struct ids_src *ids_src_add(const char *ids)
{
	srcs = xreallocarray(srcs, nsrcs + 1, sizeof(*srcs));
	srcs[nsrcs].ids = xstrdup(ids);
	srcs[nsrcs].costly = false;
	return &srcs[nsrcs++];
}

/* PATH:LINE of the last line of PATH that sets vfio-pci.ids, or just PATH. */
static void where_in_file(const char *path, char *buf, size_t size)
{
	char *text = root_read_file(path, NULL), *p;
	unsigned int n = 1, last = 0;

	for (p = text; p && *p; p++) {
		if (modname_eqn(p, "vfio_pci.ids=", 13) &&
		    (p == text || !strchr("-_.", p[-1])) && last != n)
			last = n;
		if (*p == '\n')
			n++;
	}
	free(text);
	if (last)
		snprintf(buf, size, "%s:%u", root_show(path), last);
	else
		snprintf(buf, size, "%s", root_show(path));
}

void collect_ids(void)
{
	char release[128];
	const struct modprobe_line *last;
	const char *v;
	char *ids;
	struct kcmdline c;
	const struct boot_cmdlines *l = &bootlines;
	struct ids_src *src;
	size_t i, len;

	/* A built-in vfio-pci never reads modprobe.d. */
	if (have_modconf && !(kernel_release(release, sizeof(release)) == 0 &&
			      module_builtin(release, "vfio_pci") == 1) &&
	    (ids = vfio_ids_modprobe(&modconf, &last))) {
		modprobe_src = (long)nsrcs;
		src = ids_src_add(ids);
		snprintf(src->where, sizeof(src->where), "%s:%u", root_show(last->file),
			 last->lineno);
		snprintf(src->what, sizeof(src->what), "ids=%s", ids);
		free(ids);
	}
	if (have_cmdline && kcmdline_get(&cmdline, "vfio_pci.ids", &v) && v) {
		proc_src = (long)nsrcs;
		src = ids_src_add(v);
		snprintf(src->where, sizeof(src->where), "the running kernel's command line");
		snprintf(src->what, sizeof(src->what), "vfio-pci.ids=%s", v);
	}
	for (i = 0; i < l->n; i++) {
		const struct boot_cmdline *b = &l->v[i];

		if (!b->text || (b->kind == BOOT_REFIND && i > 0 && l->v[i - 1].kind == BOOT_REFIND))
			continue;
		kcmdline_parse(&c, b->text, strlen(b->text));
		if (kcmdline_get(&c, "vfio_pci.ids", &v) && v) {
			src = ids_src_add(v);
			len = strcspn(b->source, ":");
			if (b->source[len])	/* rEFInd: already FILE:LINE */
				snprintf(src->where, sizeof(src->where), "%s", root_show(b->source));
			else
				where_in_file(b->source, src->where, sizeof(src->where));
			snprintf(src->what, sizeof(src->what), "vfio-pci.ids=%s", v);
		}
		kcmdline_free(&c);
	}
}

/* The host keeps what is not checked or goes with what is, and the boot VGA card. */
static bool host_keeps(size_t i)
{
	return !chosen[i] || boot_vga_card(&devs, i);
}

void check_vfio_ids(void)
{
	char cls[128], one[1024] = "", slots[512], slot[PCI_ADDR_LEN];
	size_t k, i, fine = 0, len;
	long last;

	for (k = 0; k < nsrcs; k++) {
		struct ids_src *src = &srcs[k];

		/* What the list is for: the checked cards it takes. */
		*slots = '\0';
		for (i = 0, last = -1; i < devs.n; i++) {
			if (host_keeps(i) || !vfio_ids_match(src->ids, &devs.dev[i]) ||
			    (last >= 0 && pcidev_same_slot(&devs.dev[last], &devs.dev[i])))
				continue;
			last = (long)i;
			len = strlen(slots);
			snprintf(slots + len, sizeof(slots) - len, "%s%s", len ? " " : "",
				 pcidev_slot(&devs, &devs.dev[i], slot));
		}
		for (i = 0; i < devs.n; i++) {
			struct pcidev *d = &devs.dev[i];

			if (pcidev_is_bridge(d) || !host_keeps(i) || !vfio_ids_match(src->ids, d))
				continue;
			if (!chosen[i] && pcidev_read(d, PCIDEV_DRIVER) < 0)
				d->driver[0] = '\0';
			src->costly = true;
			report(FAIL, "vfio-ids", d->name, "%s: '%s' takes every device with ID "
			       "%04x:%04x at boot, this one too (%s, %s), which the host keeps: take "
			       "%04x:%04x out of it and bind the VM's functions by address with "
			       "%s --persist %s", src->where, src->what, d->vendor, d->device,
			       pcidev_class_name(&devs, d, cls, sizeof(cls)) ? cls : "unknown class",
			       d->driver[0] ? d->driver : "no driver", d->vendor, d->device,
			       cmd_tool("vfio-bind"), *slots ? slots : *vm_slots ? vm_slots : "DEVICE");
		}
		if (!src->costly) {
			len = strlen(one);
			fine++;
			snprintf(one + len, sizeof(one) - len, "%s%s", len ? ", " : "", src->where);
		}
	}
	if (!have_modconf)
		report(WARN, "vfio-ids", NULL, "could not read modprobe.d (the error above): what kmod "
		       "gives vfio-pci at boot is unknown");
	if (!nsrcs && have_modconf)
		report(PASS, "vfio-ids", NULL, "nothing binds devices to vfio-pci by ID at boot "
		       "(no options vfio-pci ids=, no vfio-pci.ids=)");
	else if (*one)
		report(PASS, "vfio-ids", NULL, "%s bind%s no device the host keeps by ID", one,
		       fine == 1 ? "s" : "");
}

/* `options vfio-pci` lines that set what vfio_pci does not have. */
void check_vfio_options(void)
{
	struct kcmdline c;
	size_t i, j, lines = 0, bad = 0;

	if (!have_modconf)
		return;
	for (i = 0; i < modconf.n; i++) {
		const struct modprobe_line *m = &modconf.v[i];

		if (strcmp(m->cmd, "options") || strcmp(m->module, "vfio_pci"))
			continue;
		lines++;
		kcmdline_parse(&c, m->rest, strlen(m->rest));
		for (j = 0; j < c.n; j++) {
			const struct kparam *p = &c.p[j];
			const char *dot = strchr(p->key, '.');
			char fix[512];

			if (!dot && vfio_pci_param(p->key))
				continue;
			bad++;
			if (dot && dot > p->key && dot[1])
				snprintf(fix, sizeof(fix), "write 'options %.*s %s%s%s' on a line of its "
					 "own", (int)(dot - p->key), p->key, dot + 1, p->val ? "=" : "",
					 p->val ? p->val : "");
			else
				snprintf(fix, sizeof(fix), "take it out (vfio_pci has ids, nointxmask, "
					 "disable_vga, disable_idle_d3, enable_sriov, disable_denylist)");
			report(FAIL, "vfio-options", NULL, "%s:%u: '%s%s%s' is not a parameter of "
			       "vfio_pci: the kernel ignores it (\"vfio_pci: unknown parameter '%s' "
			       "ignored\"); %s", root_show(m->file), m->lineno, p->key, p->val ? "=" : "",
			       p->val ? p->val : "", p->key, fix);
		}
		kcmdline_free(&c);
	}
	if (lines && !bad)
		report(PASS, "vfio-options", NULL, "the options vfio-pci line%s set%s only vfio_pci's "
		       "parameters", lines > 1 ? "s" : "", lines > 1 ? "" : "s");
}

/* Whether something puts M on vfio-pci at boot, and what; *COSTLY: only what takes more. */
static const char *bound_at_boot(const struct pcidev *m, const char **costly)
{
	static char modprobe_how[800], proc_how[] = "vfio-pci.ids= on the kernel command line";
	char path[64], buf[64];
	int fd;
	bool hit;

	*costly = NULL;
	if (vfioconf_find(&persisted, m->name) >= 0)
		return VFIO_MODPROBE_CONF;
	if (modprobe_src >= 0 && vfio_ids_match(srcs[modprobe_src].ids, m)) {
		snprintf(modprobe_how, sizeof(modprobe_how), "options vfio-pci ids= in modprobe.d, "
			 "%s", srcs[modprobe_src].where);
		if (!srcs[modprobe_src].costly)
			return modprobe_how;
		*costly = modprobe_how;
	}
	if (proc_src >= 0 && vfio_ids_match(srcs[proc_src].ids, m)) {
		if (!srcs[proc_src].costly)
			return proc_how;
		*costly = proc_how;
	}
	snprintf(path, sizeof(path), "/etc/driverctl.d/pci-%s", m->name);
	fd = root_open_regular(path);
	if (fd >= 0) {
		buf[0] = '\0';
		hit = read(fd, buf, sizeof(buf) - 1) > 0 && !strncmp(buf, "vfio-pci", 8);
		close(fd);
		if (hit)
			return "a driverctl override";
	}
	return NULL;
}

void check_boot(const struct pcidev *d, const char *slot)
{
	const char *how = NULL, *h, *cost, *costly = NULL;
	struct strbuf missing = STRBUF_INIT;
	const struct pcidev *m;
	struct devsel_iter it;
	bool all_bound = true, boot_vga = boot_vga_going(d) != NULL;
	char used[1024];

	for (devsel_iter_init(&it, &sel, d); (m = devsel_iter_next(&it)); ) {
		if (!devsel_on_vfio(m))
			all_bound = false;
		h = bound_at_boot(m, &cost);
		if (h && !how)
			how = h;
		if (!h && cost && !costly)
			costly = cost;
		if (!h && !cost)
			strbuf_addf(&missing, "%s%s", missing.len ? ", " : "", m->name);
	}
	if (missing.len && host_uses(d, used, sizeof(used)))
		report(WARN, "vfio-at-boot", d->name, "%s: nothing binds %s at boot, and nothing "
		       "should: the host uses %s (host-in-use)", all_bound ? "on vfio-pci now" :
		       "not on vfio-pci", missing.buf, used);
	else if (missing.len && boot_vga)
		/* vfio-bind --persist refuses it: the host's display is taken per VM start */
		report(WARN, "vfio-at-boot", d->name, "%s: nothing binds %s at boot, and for the "
		       "boot VGA device nothing should: %s --handover %s takes it when the VM "
		       "starts, as does its --libvirt-hook (boot-vga)", all_bound ? "on vfio-pci now" :
		       "not on vfio-pci", missing.buf, cmd_tool("vfio-bind"), slot);
	else if (missing.len)
		report(WARN, "vfio-at-boot", d->name, "%s: nothing binds %s at boot: run %s "
		       "--persist %s, then %s", all_bound ? "on vfio-pci now" :
		       "not on vfio-pci", missing.buf, cmd_tool("vfio-bind"), slot,
		       cmd_tool("initramfs-vfio"));
	else if (costly)
		report(WARN, "vfio-at-boot", d->name, "bound to vfio-pci at boot only by %s, which "
		       "takes a device the host keeps too (vfio-ids): %s --persist %s binds "
		       "by address", costly, cmd_tool("vfio-bind"), slot);
	else
		report(PASS, "vfio-at-boot", d->name, "bound to vfio-pci at boot (%s)", how);
	strbuf_release(&missing);
}

/* The initramfs images in /boot, and whether what they must carry changed after them. */

struct newest {
	char path[600];
	struct timespec mtime;
};

static void newer(struct newest *n, const char *path)
{
	struct stat st;

	if (root_stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	if (!*n->path || st.st_mtim.tv_sec > n->mtime.tv_sec ||
	    (st.st_mtim.tv_sec == n->mtime.tv_sec && st.st_mtim.tv_nsec > n->mtime.tv_nsec)) {
		snprintf(n->path, sizeof(n->path), "%s", path);
		n->mtime = st.st_mtim;
	}
}

/* The newest *.conf in DIR. */
static void newer_in(struct newest *n, const char *dir)
{
	struct strlist names = STRLIST_INIT;
	struct strbuf path = STRBUF_INIT;
	size_t i;

	dir_list(dir, ".conf", 0, &names);
	for (i = 0; i < names.n; i++) {
		strbuf_setlen(&path, 0);
		strbuf_addf(&path, "%s/%s", dir, names.v[i]);
		newer(n, path.buf);
	}
	strbuf_release(&path);
	strlist_free(&names);
}

/*
 * Which generator made /boot/NAME: -1 when it is no initramfs image.  Of
 * two that name their images alike (mkinitcpio and dracut), the first
 * installed, else the first.
 */
static int image_gen(const char *name)
{
	size_t len = strlen(name);
	int g, first = -1;

	for (g = 0; g < GEN_COUNT; g++) {
		const struct generator *gen = initramfs_generator(g);
		size_t pl = strlen(gen->image_prefix), sl = strlen(gen->image_suffix);

		if (len <= pl + sl || strncmp(name, gen->image_prefix, pl) ||
		    strcmp(name + len - sl, gen->image_suffix))
			continue;
		if (initramfs_gen_program(g))
			return g;
		if (first < 0)
			first = g;
	}
	return first;
}

/* The newest of the files generator G reads. */
static void gen_config_newest(int g, struct newest *n)
{
	const struct generator *gen = initramfs_generator(g);
	const char *const *p;

	for (p = gen->files; *p; p++)
		newer(n, *p);
	for (p = gen->dirs; *p; p++)
		newer_in(n, *p);
}

/* The commands that rebuild G's images, "; " between them; the generator's name for none. */
static void regen_command(int g, struct strbuf *sb)
{
	struct initramfs_cmds cmds = INITRAMFS_CMDS_INIT;
	size_t i;

	initramfs_regen_commands(g, &cmds);
	for (i = 0; i < cmds.n; i++) {
		char *line = cmd_line(cmds.v[i].argv);

		strbuf_addf(sb, "%s%s", i ? "; " : "", line);
		free(line);
	}
	initramfs_cmds_free(&cmds);
	if (!sb->len)
		strbuf_addstr(sb, initramfs_gen_name(g));
}

void check_initramfs(void)
{
	struct newest modprobe = { "", { 0, 0 } };
	struct strbuf images = STRBUF_INIT;
	struct strlist names = STRLIST_INIT;
	char img[600];
	struct stat st;
	size_t i, fresh = 0;

	/* The modprobe.d files that configure vfio-pci. */
	for (i = 0; have_modconf && i < modconf.n; i++) {
		const struct modprobe_line *m = &modconf.v[i];

		if (!strcmp(m->module, "vfio_pci") ||
		    (!strcmp(m->cmd, "softdep") && modprobe_softdep_pre(&modconf, m->module, "vfio_pci")))
			newer(&modprobe, m->file);
	}
	if (dir_list("/boot", NULL, DIRLIST_HIDDEN, &names) < 0)
		return;
	for (i = 0; i < names.n; i++) {
		struct newest n = modprobe;
		int g = image_gen(names.v[i]);

		if (g < 0)
			continue;
		snprintf(img, sizeof(img), "/boot/%s", names.v[i]);
		if (root_stat(img, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		gen_config_newest(g, &n);
		if (*n.path && (n.mtime.tv_sec > st.st_mtim.tv_sec ||
				(n.mtime.tv_sec == st.st_mtim.tv_sec &&
				 n.mtime.tv_nsec > st.st_mtim.tv_nsec))) {
			struct strbuf cmd = STRBUF_INIT, what = STRBUF_INIT;

			regen_command(g, &cmd);
			strbuf_addstr(&what, root_show(n.path));
			report(FAIL, "initramfs-stale", NULL, "'%s' is older than '%s': the next boot "
			       "runs the old configuration from the image; run %s", root_show(img),
			       what.buf, cmd.buf);
			strbuf_release(&what);
			strbuf_release(&cmd);
			continue;
		}
		fresh++;
		strbuf_addf(&images, "%s'%s'", images.len ? ", " : "", root_show(img));
	}
	strlist_free(&names);
	if (fresh)
		report(PASS, "initramfs-stale", NULL, "%s %s newer than the vfio-pci configuration in "
		       "modprobe.d and the generator's", images.buf, fresh > 1 ? "are" : "is");
	strbuf_release(&images);
}

void ids_sources_free(void)
{
	size_t i;

	for (i = 0; i < nsrcs; i++)
		free(srcs[i].ids);
	free(srcs);
}
