/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "initramfs/initramfs.h"
#include "kmod/kmodules.h"
#include "base/prog.h"
#include "base/root.h"
#include "initramfs/shwords.h"

static const struct {
	const char *name;
	const char *programs[4];
	const char *config;
} gens[GEN_COUNT] = {
	[GEN_MKINITCPIO] = { "mkinitcpio", { "/usr/bin/mkinitcpio", "/usr/sbin/mkinitcpio" },
			     "/etc/mkinitcpio.conf" },
	[GEN_DRACUT] = { "dracut", { "/usr/bin/dracut", "/usr/sbin/dracut", "/sbin/dracut" },
			 "/etc/dracut.conf" },
	[GEN_INITRAMFS_TOOLS] = { "initramfs-tools",
				  { "/usr/sbin/mkinitramfs", "/usr/sbin/update-initramfs",
				    "/sbin/mkinitramfs", "/sbin/update-initramfs" },
				  "/etc/initramfs-tools/initramfs.conf" },
	[GEN_BOOSTER] = { "booster", { "/usr/bin/booster" }, "/etc/booster.yaml" },
};

/*
 * Drivers that claim a GPU's display or audio function, or pull in one
 * that does: vfio-pci must load before any of them.
 */
static const char *const gpu_modules[] = {
	"amdgpu", "radeon", "nouveau", "nvidia", "nvidia_drm", "nvidia_modeset",
	"nvidia_uvm", "i915", "xe", "ast", "mgag200", "qxl", "bochs", "cirrus",
	"vmwgfx", "virtio_gpu", "gma500_gfx", "snd_hda_intel",
};

const char *initramfs_gen_name(enum initramfs_gen g)
{
	return gens[g].name;
}

int initramfs_gen_lookup(const char *name)
{
	int g;

	for (g = 0; g < GEN_COUNT; g++)
		if (!strcmp(name, gens[g].name))
			return g;
	return -1;
}

static bool regular(const char *path, bool exec)
{
	struct stat st;

	return root_stat(path, &st) == 0 && S_ISREG(st.st_mode) && (!exec || (st.st_mode & 0111));
}

const char *initramfs_gen_program(enum initramfs_gen g)
{
	size_t i;

	for (i = 0; i < 4 && gens[g].programs[i]; i++)
		if (regular(gens[g].programs[i], true))
			return gens[g].programs[i];
	return NULL;
}

const char *initramfs_gen_config(enum initramfs_gen g)
{
	return regular(gens[g].config, false) ? gens[g].config : NULL;
}

/* Outside numbers sort -V puts letters first, then '~' before all, then the rest. */
static int weight(const char *s, size_t i, size_t len)
{
	unsigned char c = i < len ? (unsigned char)s[i] : 0;

	if (!c || isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	return c == '~' ? -1 : c + 256;
}

/* Alternating runs of other characters and of digits, numbers by value. */
static int runs_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i = 0, j = 0;

	while (i < al || j < bl) {
		int diff = 0;

		while ((i < al && !isdigit((unsigned char)a[i])) || (j < bl && !isdigit((unsigned char)b[j]))) {
			int wa = weight(a, i, al), wb = weight(b, j, bl);

			if (wa != wb)
				return wa - wb;
			i++;
			j++;
		}
		while (i < al && a[i] == '0')
			i++;
		while (j < bl && b[j] == '0')
			j++;
		while (i < al && j < bl && isdigit((unsigned char)a[i]) && isdigit((unsigned char)b[j])) {
			if (!diff)
				diff = a[i] - b[j];
			i++;
			j++;
		}
		if (i < al && isdigit((unsigned char)a[i]))
			return 1;
		if (j < bl && isdigit((unsigned char)b[j]))
			return -1;
		if (diff)
			return diff;
	}
	return 0;
}

/* The length of S without the suffixes sort -V sets aside: ".conf", ".tar.gz". */
static size_t stem(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		const char *p = s + i;

		while (p[0] == '.' && (isalpha((unsigned char)p[1]) || p[1] == '~')) {
			p += 2;
			while (isalnum((unsigned char)*p) || *p == '~')
				p++;
		}
		if (!*p && p != s + i)
			return i;
	}
	return i;
}

int version_sort_cmp(const char *a, const char *b)
{
	int r = runs_cmp(a, stem(a), b, stem(b));

	if (!r)
		r = runs_cmp(a, strlen(a), b, strlen(b));
	return r ? r : strcmp(a, b);
}

const char *modname(const char *module, char *buf, size_t size)
{
	size_t n;
	char *p;

	snprintf(buf, size, "%s", module);
	n = strlen(buf);
	if (n && buf[n - 1] == '?')
		buf[n - 1] = '\0';
	for (p = buf; *p; p++)
		if (*p == '-')
			*p = '_';
	return buf;
}

bool gpu_module(const char *module)
{
	char m[128];
	size_t i;

	modname(module, m, sizeof(m));
	for (i = 0; i < sizeof(gpu_modules) / sizeof(gpu_modules[0]); i++)
		if (!strcmp(m, gpu_modules[i]))
			return true;
	return false;
}

int plan_add(struct initramfs_plan *p, const char *path, const char *old, size_t oldlen,
	     char *new, mode_t mode)
{
	struct initramfs_edit *v, *e;

	if ((!old && !new) || (old && new && strlen(new) == oldlen && !memcmp(old, new, oldlen))) {
		free(new);
		return 0;
	}
	v = realloc(p->v, (p->n + 1) * sizeof(*v));
	if (!v) {
		free(new);
		return -1;
	}
	p->v = v;
	e = &p->v[p->n];
	memset(e, 0, sizeof(*e));
	snprintf(e->path, sizeof(e->path), "%s", path);
	if (old && !(e->old = strndup(old, oldlen))) {
		free(new);
		return -1;
	}
	e->oldlen = oldlen;
	e->new = new;
	e->newlen = new ? strlen(new) : 0;
	e->mode = mode;
	p->n++;
	return 0;
}

int plan_edit(struct initramfs_plan *p, const char *path, const struct initramfs_want *w,
	      char *(*edit)(const char *old, const struct initramfs_want *w))
{
	size_t oldlen = 0;
	char *old = config_read(path, &oldlen), *new;
	int r;

	if (!old && errno != ENOENT)
		return -1;
	if (!(new = edit(old, w))) {
		free(old);
		return -1;
	}
	if (!old && !*new) {
		free(new);
		new = NULL;
	}
	r = plan_add(p, path, old, oldlen, new, 0644);
	free(old);
	return r;
}

void initramfs_plan_free(struct initramfs_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].old);
		free(p->v[i].new);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

int initramfs_plan(enum initramfs_gen g, const struct initramfs_want *w, struct initramfs_plan *p)
{
	size_t before = p->n;
	int r = -1;

	switch (g) {
	case GEN_MKINITCPIO:
		r = mkinitcpio_plan(w, p);
		break;
	case GEN_DRACUT:
		r = dracut_plan(w, p);
		break;
	case GEN_INITRAMFS_TOOLS:
		r = initramfs_tools_plan(w, p);
		break;
	case GEN_BOOSTER:
		r = booster_plan(w, p);
		break;
	case GEN_COUNT:
		break;
	}
	if (r < 0) {
		while (p->n > before) {
			p->n--;
			free(p->v[p->n].old);
			free(p->v[p->n].new);
		}
	}
	return r;
}

#define MARKER "# initramfs-vfio added "

long marker_read(const char *text, const char *key, struct strlist *words, bool *created)
{
	size_t kl = strlen(key), ml = strlen(MARKER);
	const char *line;

	for (line = text; *line; ) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line), to = 0;

		if (len > ml && !strncmp(line, MARKER, ml) && !strncmp(line + ml, "to ", 3))
			to = 3;
		if (len > ml + to + kl && !strncmp(line, MARKER, ml) &&
		    !strncmp(line + ml + to, key, kl) && line[ml + to + kl] == ':') {
			const char *p = line + ml + to + kl + 1, *stop = line + len;

			if (created)
				*created = !to;
			while (p < stop) {
				char word[512];
				size_t n;

				while (p < stop && (*p == ' ' || *p == '\t'))
					p++;
				for (n = 0; p + n < stop && p[n] != ' ' && p[n] != '\t'; n++)
					;
				if (n && n < sizeof(word)) {
					memcpy(word, p, n);
					word[n] = '\0';
					if (!strlist_has(words, word) && strlist_add(words, word) < 0)
						return -1;
				}
				p += n;
			}
			return (long)(line - text);
		}
		line = end ? end + 1 : line + len;
	}
	if (created)
		*created = false;
	return -1;
}

char *marker_write(const char *text, const char *key, const struct strlist *words, size_t at,
		   bool created)
{
	struct strlist old = { 0 };
	long found = marker_read(text, key, &old, NULL);
	size_t len = strlen(MARKER) + strlen(key) + 6, i;
	char *line, *out;

	strlist_free(&old);
	for (i = 0; i < words->n; i++)
		len += strlen(words->v[i]) + 1;
	line = malloc(len);
	if (!line)
		return NULL;
	snprintf(line, len, "%s%s%s:", MARKER, created ? "" : "to ", key);
	for (i = 0; i < words->n; i++) {
		strcat(line, " ");
		strcat(line, words->v[i]);
	}
	strcat(line, "\n");
	if (found >= 0) {
		size_t end = line_end(text, (size_t)found);

		if (text[end])
			end++;
		out = text_splice(text, (size_t)found, end - (size_t)found, words->n ? line : "");
	} else if (words->n) {
		out = text_splice(text, at, 0, line);
	} else {
		out = strdup(text);
	}
	free(line);
	return out;
}

static int cmd_set(struct initramfs_cmd *c, const char *const *argv)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; argv[i] && i < 7; i++)
		if (!(c->argv[i] = strdup(argv[i])))
			return -1;
	return 0;
}

void initramfs_cmds_free(struct initramfs_cmd *cmds, int n)
{
	int i;
	size_t j;

	for (i = 0; i < n; i++)
		for (j = 0; cmds[i].argv[j]; j++)
			free(cmds[i].argv[j]);
	free(cmds);
}

/* Arch's kernel packages name their images after the package, in pkgbase. */
static void booster_image(const char *release, char *buf, size_t size)
{
	char path[512], *text;
	size_t n;

	snprintf(path, sizeof(path), "/usr/lib/modules/%s/pkgbase", release);
	text = root_read_file(path, NULL);
	if (text) {
		n = strcspn(text, "\n");
		text[n] = '\0';
		for (size_t i = 0; i < n; i++)
			if (!isalnum((unsigned char)text[i]) && !strchr("._+-", text[i]))
				n = 0;
	}
	snprintf(buf, size, "/boot/booster-%s.img", text && n ? text : release);
	free(text);
}

int initramfs_regen_commands(enum initramfs_gen g, struct initramfs_cmd **cmds)
{
	static const char *const mkinitcpio[] = { "mkinitcpio", "-P", NULL };
	static const char *const dracut[] = { "dracut", "--regenerate-all", "-f", NULL };
	static const char *const itools[] = { "update-initramfs", "-u", "-k", "all", NULL };
	static const char *const regenerate[] = { "/usr/lib/booster/regenerate_images", NULL };
	const char *const *one = g == GEN_MKINITCPIO ? mkinitcpio : g == GEN_DRACUT ? dracut :
				 g == GEN_INITRAMFS_TOOLS ? itools : NULL;
	char **kernels = NULL;
	int n, i;

	if (!one && regular(regenerate[0], true))
		one = regenerate;
	if (one) {
		*cmds = calloc(1, sizeof(**cmds));
		if (!*cmds || cmd_set(*cmds, one) < 0)
			return -1;
		return 1;
	}
	n = kernels_installed(&kernels);
	if (n < 0)
		return -1;
	*cmds = calloc(n ? (size_t)n : 1, sizeof(**cmds));
	if (!*cmds) {
		kernels_free(kernels, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char image[600];
		const char *argv[] = { "booster", "build", "--force", "--kernel-version", kernels[i],
				       image, NULL };

		booster_image(kernels[i], image, sizeof(image));
		if (cmd_set(&(*cmds)[i], argv) < 0) {
			kernels_free(kernels, n);
			return -1;
		}
	}
	kernels_free(kernels, n);
	return n;
}
