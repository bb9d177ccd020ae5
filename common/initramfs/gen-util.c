/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "initramfs/gen-util.h"
#include "base/configfile.h"
#include "base/macros.h"
#include "base/modname.h"
#include "base/text.h"
#include "base/xalloc.h"
#include "base/banned.h"

void gen_cmd_add(struct initramfs_cmds *c, const char *const *argv)
{
	struct initramfs_cmd *cmd;
	size_t i;

	XGROW(c->v, c->n + 1, c->alloc);
	cmd = &c->v[c->n++];
	memset(cmd, 0, sizeof(*cmd));
	for (i = 0; argv[i] && i < ARRAY_SIZE(cmd->argv) - 1; i++)
		cmd->argv[i] = xstrdup(argv[i]);
}

void initramfs_cmds_free(struct initramfs_cmds *c)
{
	size_t i, j;

	for (i = 0; i < c->n; i++)
		for (j = 0; c->v[i].argv[j]; j++)
			free(c->v[i].argv[j]);
	free(c->v);
	*c = (struct initramfs_cmds)INITRAMFS_CMDS_INIT;
}

/*
 * Drivers that claim a GPU's display or audio function, or pull in one
 * that does: vfio-pci must load before any of them.
 */
static const char *const gpu_modules[] = {
	"amdgpu", "radeon", "nouveau", "nvidia", "nvidia_drm", "nvidia_modeset",
	"nvidia_uvm", "i915", "xe", "ast", "mgag200", "qxl", "bochs", "cirrus",
	"vmwgfx", "virtio_gpu", "gma500_gfx", "snd_hda_intel",
};

bool gen_gpu_module(const char *module)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(gpu_modules); i++)
		if (modname_eq(module, gpu_modules[i]))
			return true;
	return false;
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

int gen_version_cmp(const char *a, const char *b)
{
	int r = runs_cmp(a, stem(a), b, stem(b));

	if (!r)
		r = runs_cmp(a, strlen(a), b, strlen(b));
	return r ? r : strcmp(a, b);
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int by_version(const void *a, const void *b)
{
	return gen_version_cmp(basename_of(*(char *const *)a), basename_of(*(char *const *)b));
}

void gen_version_sort(struct strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), by_version);
}

int gen_plan_edit(struct edit_list *l, const char *path, const struct initramfs_want *w,
		  char *(*edit)(const char *old, const struct initramfs_want *w))
{
	size_t oldlen = 0;
	char *old = config_read(path, &oldlen), *new;

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
	edit_list_add(l, path, old, oldlen, new, 0644);
	free(old);
	return 0;
}

#define MARKER "# initramfs-vfio added "

long gen_marker_read(const char *text, const char *key, struct strlist *words, bool *created)
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
				size_t n;

				while (p < stop && (*p == ' ' || *p == '\t'))
					p++;
				for (n = 0; p + n < stop && p[n] != ' ' && p[n] != '\t'; n++)
					;
				/* Longer words were never written here: a hand edit, ignored. */
				if (n && n < 512) {
					char *word = xmemdupz(p, n);

					if (!strlist_has(words, word))
						strlist_add_owned(words, word);
					else
						free(word);
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

char *gen_marker_write(const char *text, const char *key, const struct strlist *words, size_t at,
		       bool created)
{
	struct strlist old = STRLIST_INIT;
	struct strbuf line = STRBUF_INIT;
	long found = gen_marker_read(text, key, &old, NULL);
	char *out;

	strlist_free(&old);
	strbuf_addf(&line, "%s%s%s:", MARKER, created ? "" : "to ", key);
	gen_join(&line, " ", words, " ", "\n");
	if (found >= 0) {
		size_t end = line_end(text, (size_t)found);

		if (text[end])
			end++;
		out = text_splice(text, (size_t)found, end - (size_t)found, words->n ? line.buf : "");
	} else if (words->n) {
		out = text_splice(text, at, 0, line.buf);
	} else {
		out = xstrdup(text);
	}
	strbuf_release(&line);
	return out;
}

void gen_join(struct strbuf *sb, const char *lead, const struct strlist *l, const char *sep,
	      const char *trail)
{
	size_t i;

	strbuf_addstr(sb, lead);
	for (i = 0; i < l->n; i++) {
		if (i)
			strbuf_addstr(sb, sep);
		strbuf_addstr(sb, l->v[i]);
	}
	strbuf_addstr(sb, trail);
}
