/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dracut sources /etc/dracut.conf, then the *.conf files of
 * /etc/dracut.conf.d and /usr/lib/dracut/dracut.conf.d in version order
 * of their names (the one in /etc wins a name both have).  force_drivers
 * are installed and loaded first, in order, through rd.driver.pre; list
 * values are concatenated, hence the spaces inside the quotes.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "initramfs/initramfs.h"
#include "kmod/modprobe.h"
#include "base/prog.h"
#include "base/root.h"

#define DROPIN_NAME "10-vfio.conf"
#define DROPIN "/etc/dracut.conf.d/" DROPIN_NAME

static const char *const dirs[] = { "/etc/dracut.conf.d", "/usr/lib/dracut/dracut.conf.d" };

struct conf {
	char name[256];
	char path[512];
};

static int by_version(const void *a, const void *b)
{
	return version_sort_cmp(((const struct conf *)a)->name, ((const struct conf *)b)->name);
}

/* The drop-ins in the order dracut reads them. */
static size_t dropins(struct conf **out)
{
	struct conf *v = NULL;
	size_t n = 0, i, j;

	for (i = 0; i < 2; i++) {
		DIR *d = root_opendir(dirs[i]);
		struct dirent *e;

		if (!d)
			continue;
		while ((e = readdir(d))) {
			size_t nl = strlen(e->d_name);
			struct conf *nv;

			if (nl < 6 || strcmp(e->d_name + nl - 5, ".conf"))
				continue;
			for (j = 0; j < n && strcmp(v[j].name, e->d_name); j++)
				;
			if (j < n)
				continue;
			nv = realloc(v, (n + 1) * sizeof(*v));
			if (!nv)
				break;
			v = nv;
			snprintf(v[n].name, sizeof(v[n].name), "%s", e->d_name);
			snprintf(v[n].path, sizeof(v[n].path), "%s/%s", dirs[i], e->d_name);
			n++;
		}
		closedir(d);
	}
	if (n)
		qsort(v, n, sizeof(*v), by_version);
	*out = v;
	return n;
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
				warnx("'%s' line %u: %s=%s", root_show(path), lineno, key, what);
			continue;
		}
		for (val = strtok_r(p + kl + append + 1, " \t\"'", &save); val && *val != '#';
		     val = strtok_r(NULL, " \t\"'", &save))
			if (match(val, w))
				warnx("'%s' line %u: %s%s", root_show(path), lineno, val, what);
	}
	free(text);
}

static bool is_gpu(const char *module, const struct initramfs_want *w)
{
	return gpu_module(module);
}

static bool is_wanted(const char *module, const struct initramfs_want *w)
{
	char a[128], b[128];
	size_t i;

	for (i = 0; i < w->nmodules; i++)
		if (!strcmp(modname(module, a, sizeof(a)), modname(w->modules[i], b, sizeof(b))))
			return true;
	return false;
}

#define AHEAD " loads ahead of vfio_pci: force_drivers here are read before " DROPIN_NAME
#define OMITTED " is kept out of the image by omit_drivers"

/* What in the rest of dracut's configuration works against the drop-in. */
static void warn_others(const struct initramfs_want *w)
{
	struct conf *v = NULL;
	size_t n = dropins(&v), i;

	scan("/etc/dracut.conf", "force_drivers", is_gpu, AHEAD, w);
	scan("/etc/dracut.conf", "omit_drivers", is_wanted, OMITTED, w);
	for (i = 0; i < n; i++) {
		int cmp = version_sort_cmp(v[i].name, DROPIN_NAME);

		if (cmp < 0)
			scan(v[i].path, "force_drivers", is_gpu, AHEAD, w);
		else if (cmp > 0)
			scan(v[i].path, "force_drivers", NULL,
			     " replaces what " DROPIN_NAME " adds", w);
		if (cmp)
			scan(v[i].path, "omit_drivers", is_wanted, OMITTED, w);
	}
	free(v);
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
	int r = 0;

	if (modprobe_conf_load(&mc) < 0)
		return -1;
	for (i = 0; i < mc.n && r == 0; i++) {
		const struct modprobe_line *l = &mc.v[i];

		if (strncmp(l->file, "/etc/modprobe.d/", 16) || strlist_has(items, l->file))
			continue;
		if (!strcmp(l->module, "vfio_pci") ||
		    (!strcmp(l->cmd, "softdep") && (strstr(l->rest, "vfio-pci") || strstr(l->rest, "vfio_pci"))))
			r = strlist_add(items, l->file);
	}
	modprobe_conf_free(&mc);
	return r;
}

static char *render(const struct initramfs_want *w, const struct strlist *items)
{
	size_t len = 512, i;
	char *s;

	for (i = 0; i < w->nmodules; i++)
		len += strlen(w->modules[i]) + 1;
	for (i = 0; i < items->n; i++)
		len += strlen(items->v[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	strcpy(s, INITRAMFS_OWN_HEADER ": load VFIO from the initramfs, ahead of the GPU\n"
		  "# drivers.  initramfs-vfio --remove deletes it.\n"
		  "force_drivers+=\" ");
	for (i = 0; i < w->nmodules; i++) {
		strcat(s, w->modules[i]);
		strcat(s, " ");
	}
	strcat(s, "\"\n");
	if (items->n) {
		strcat(s, "# vfio-pci's configuration: dracut copies /etc/modprobe.d only for\n"
			  "# hostonly images.\n"
			  "install_items+=\" ");
		for (i = 0; i < items->n; i++) {
			strcat(s, items->v[i]);
			strcat(s, " ");
		}
		strcat(s, "\"\n");
	}
	return s;
}

int dracut_plan(const struct initramfs_want *w, struct initramfs_plan *p)
{
	struct strlist items = { 0 };
	size_t oldlen = 0;
	char *old = config_read(DROPIN, &oldlen), *new = NULL;
	bool ours;
	int r = -1;

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
		if (install_items(&items) < 0 || !(new = render(w, &items)))
			goto out;
		if (!w->quiet)
			warn_others(w);
	}
	r = plan_add(p, DROPIN, old, oldlen, new, 0644);
out:
	strlist_free(&items);
	free(old);
	return r;
}
