/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dracut sources /etc/dracut.conf, then the *.conf files of
 * /etc/dracut.conf.d and /usr/lib/dracut/dracut.conf.d in version order
 * of their names (the one in /etc wins a name both have).  force_drivers
 * are installed and loaded first, in order, through rd.driver.pre; list
 * values are concatenated, hence the spaces inside the quotes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "initramfs/gen-dracut.h"
#include "kmod/modprobe.h"
#include "base/configfile.h"
#include "base/dirlist.h"
#include "base/modname.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/macros.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define MAIN_CONF "/etc/dracut.conf"
#define ETC_DIR "/etc/dracut.conf.d"
#define LIB_DIR "/usr/lib/dracut/dracut.conf.d"
#define DROPIN_NAME "10-vfio.conf"
#define DROPIN ETC_DIR "/" DROPIN_NAME

/*
 * The paths of the drop-ins in the order dracut reads them; a name in
 * both directories is read from /etc only.
 */
static void dropins(struct strlist *paths)
{
	static const char *const dirs[] = { ETC_DIR, LIB_DIR };
	struct strlist names = STRLIST_INIT;
	size_t i, j, k;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		size_t first = names.n;

		dir_list(dirs[i], ".conf", 0, &names);
		for (j = first; j < names.n; j++) {
			for (k = 0; k < first && strcmp(names.v[k], names.v[j]); k++)
				;
			if (k == first)
				strlist_add_owned(paths, xasprintf("%s/%s", dirs[i], names.v[j]));
		}
	}
	gen_version_sort(paths);
	strlist_free(&names);
}

/*
 * Lines of PATH that set KEY: report WHAT of each word that MATCH picks,
 * or of each plain assignment (no +=) when MATCH is NULL.
 */
static void scan(const char *path, const char *key,
		 bool (*match)(const char *, const struct initramfs_want *),
		 const char *what, const struct initramfs_want *w)
{
	char *text = config_read(path, NULL), *line, *next;
	unsigned int lineno = 0;
	size_t kl = strlen(key);

	for (line = text; line && *line; line = next) {
		char *p = line, *val, *save = NULL;
		bool append;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		lineno++;
		p += strspn(p, " \t");
		if (strncmp(p, key, kl))
			continue;
		append = p[kl] == '+';
		if (p[kl + append] != '=')
			continue;
		if (!match) {
			if (!append)
				report_warn("'%s' line %u: %s=%s", root_show(path), lineno, key, what);
			continue;
		}
		for (val = strtok_r(p + kl + append + 1, " \t\"'", &save); val && *val != '#';
		     val = strtok_r(NULL, " \t\"'", &save))
			if (match(val, w))
				report_warn("'%s' line %u: %s%s", root_show(path), lineno, val, what);
	}
	free(text);
}

static bool is_gpu(const char *module, const struct initramfs_want *w)
{
	return gen_gpu_module(module);
}

static bool is_wanted(const char *module, const struct initramfs_want *w)
{
	size_t i;

	for (i = 0; i < w->nmodules; i++)
		if (modname_eq(module, w->modules[i]))
			return true;
	return false;
}

#define AHEAD " loads ahead of vfio_pci: force_drivers here are read before " DROPIN_NAME
#define OMITTED " is kept out of the image by omit_drivers"

/* What in the rest of dracut's configuration works against the drop-in. */
static void warn_others(const struct initramfs_want *w)
{
	struct strlist paths = STRLIST_INIT;
	size_t i;

	dropins(&paths);
	scan(MAIN_CONF, "force_drivers", is_gpu, AHEAD, w);
	scan(MAIN_CONF, "omit_drivers", is_wanted, OMITTED, w);
	for (i = 0; i < paths.n; i++) {
		int cmp = gen_version_cmp(strrchr(paths.v[i], '/') + 1, DROPIN_NAME);

		if (cmp < 0)
			scan(paths.v[i], "force_drivers", is_gpu, AHEAD, w);
		else if (cmp > 0)
			scan(paths.v[i], "force_drivers", NULL,
			     " replaces what " DROPIN_NAME " adds", w);
		if (cmp)
			scan(paths.v[i], "omit_drivers", is_wanted, OMITTED, w);
	}
	strlist_free(&paths);
}

/*
 * The files of /etc/modprobe.d that configure vfio-pci, vfio-bind's among
 * them: dracut copies /etc/modprobe.d only when it builds for this host
 * alone (hostonly).
 */
static int install_items(struct strlist *items)
{
	struct modprobe_conf mc;
	size_t i;

	if (modprobe_conf_load(&mc) < 0)
		return -1;
	for (i = 0; i < mc.n; i++) {
		const struct modprobe_line *l = &mc.v[i];

		if (strncmp(l->file, "/etc/modprobe.d/", 16) || strlist_has(items, l->file))
			continue;
		if (!strcmp(l->module, "vfio_pci") ||
		    (!strcmp(l->cmd, "softdep") && (strstr(l->rest, "vfio-pci") || strstr(l->rest, "vfio_pci"))))
			strlist_add(items, l->file);
	}
	modprobe_conf_free(&mc);
	return 0;
}

static char *render(const struct initramfs_want *w, const struct strlist *items)
{
	struct strbuf s = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&s, INITRAMFS_OWN_HEADER ": load VFIO from the initramfs, ahead of the GPU\n"
		      "# drivers.  initramfs-vfio --remove deletes it.\n"
		      "force_drivers+=\" ");
	for (i = 0; i < w->nmodules; i++)
		strbuf_addf(&s, "%s ", w->modules[i]);
	strbuf_addstr(&s, "\"\n");
	if (items->n)
		gen_join(&s, "# vfio-pci's configuration: dracut copies /etc/modprobe.d only for\n"
			 "# hostonly images.\n"
			 "install_items+=\" ", items, " ", " \"\n");
	return strbuf_detach(&s, NULL);
}

static int plan(const struct initramfs_want *w, struct edit_list *l)
{
	struct strlist items = STRLIST_INIT;
	size_t oldlen = 0;
	char *old = config_read(DROPIN, &oldlen), *new = NULL;
	bool ours;

	if (!old && errno != ENOENT)
		return -1;
	ours = old && !strncmp(old, INITRAMFS_OWN_HEADER, strlen(INITRAMFS_OWN_HEADER));
	if (old && !ours) {
		free(old);
		if (!w->nmodules)
			return 0;
		warnx("'%s' was not written by initramfs-vfio; move it away, then run this again",
		      root_show(DROPIN));
		return -1;
	}
	if (w->nmodules) {
		if (install_items(&items) < 0) {
			free(old);
			return -1;
		}
		new = render(w, &items);
		if (!w->quiet)
			warn_others(w);
	}
	edit_list_add(l, DROPIN, old, oldlen, new, 0644);
	strlist_free(&items);
	free(old);
	return 0;
}

static void regen(struct initramfs_cmds *c)
{
	static const char *const argv[] = { "dracut", "--regenerate-all", "-f", NULL };

	gen_cmd_add(c, argv);
}

const struct generator gen_dracut = {
	.name = "dracut",
	.programs = { "/usr/bin/dracut", "/usr/sbin/dracut", "/sbin/dracut" },
	.config = MAIN_CONF,
	.files = { MAIN_CONF },
	.dirs = { ETC_DIR, LIB_DIR },
	.image_prefix = "initramfs-",
	.image_suffix = ".img",
	.plan = plan,
	.regen = regen,
};
