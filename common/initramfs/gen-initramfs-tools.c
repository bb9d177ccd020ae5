/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * initramfs-tools: mkinitramfs adds the modules listed in
 * /etc/initramfs-tools/modules, one "module [args]" per line, and the
 * image loads them in that order before anything else; it copies the
 * *.conf files of /etc/modprobe.d, vfio-bind's among them, itself.
 */
#include <stdlib.h>
#include <string.h>

#include "initramfs/gen-initramfs-tools.h"
#include "base/modname.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/strbuf.h"
#include "base/text.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define MODULES_FILE "/etc/initramfs-tools/modules"
#define KEY "modules"

/* The module a line loads, a copy to free; NULL for comments and blank lines. */
static char *line_module(const char *line)
{
	line += strspn(line, " \t");
	if (*line == '#' || *line == '\n' || !*line)
		return NULL;
	return xstrndup(line, strcspn(line, " \t\n"));
}

/* Offset of the first line that loads MODULE (or, MODULE NULL, a GPU driver); -1. */
static long find_line(const char *text, const char *module)
{
	const char *line;

	for (line = text; *line; ) {
		const char *nl = strchr(line, '\n');
		char *m = line_module(line);
		bool found = m && (module ? modname_eq(m, module) : gen_gpu_module(m));

		free(m);
		if (found)
			return (long)(line - text);
		line = nl ? nl + 1 : line + strlen(line);
	}
	return -1;
}

static char *delete_line(char *text, size_t at)
{
	size_t end = line_end(text, at);
	char *s;

	if (text[end])
		end++;
	s = text_splice(text, at, end - at, "");
	free(text);
	return s;
}

static char *insert(char *text, size_t at, const char *s)
{
	char *t = text_splice(text, at, 0, s);

	free(text);
	return t;
}

static void warn_virqfd(const char *text, const struct initramfs_want *w)
{
	long at = find_line(text, "vfio_virqfd");

	if (w->quiet || !w->no_virqfd || at < 0)
		return;
	report_warn("'%s' line %u lists vfio_virqfd, which kernel %s does not have (it is part of vfio "
		    "since Linux 6.2): modprobe will not find it", root_show(MODULES_FILE),
		    line_number(text, (size_t)at),
		    w->no_virqfd);
}

/* The modules file with W's modules, once each, ahead of any GPU driver. */
static char *edit_modules(const char *old, const struct initramfs_want *w)
{
	struct strlist ours = STRLIST_INIT, keep = STRLIST_INIT, add = STRLIST_INIT;
	char *text = xstrdup(old ? old : ""), *out;
	size_t i;

	gen_marker_read(text, KEY, &ours, NULL);
	for (i = 0; i < ours.n; i++) {
		bool wanted = false;
		size_t k;
		long at;

		for (k = 0; k < w->nmodules; k++)
			wanted |= !strcmp(ours.v[i], w->modules[k]);
		if (wanted)
			strlist_add(&keep, ours.v[i]);
		else if ((at = find_line(text, ours.v[i])) >= 0)
			text = delete_line(text, (size_t)at);
	}
	for (i = 0; i < w->nmodules; i++) {
		long gpu = find_line(text, NULL), at = find_line(text, w->modules[i]);

		if (at >= 0 && (gpu < 0 || at < gpu))
			continue;
		if (at >= 0) {
			/* Behind a GPU driver: the line moves ahead of it, arguments and all. */
			size_t end = line_end(text, (size_t)at);

			strlist_add_owned(&add, xstrndup(text + at, end - (size_t)at));
			text = delete_line(text, (size_t)at);
		} else {
			strlist_add(&add, w->modules[i]);
			strlist_add(&keep, w->modules[i]);
		}
	}
	if (add.n) {
		long gpu = find_line(text, NULL);
		size_t at = gpu >= 0 ? (size_t)gpu : strlen(text);
		struct strbuf block = STRBUF_INIT;

		if (gpu < 0 && at && text[at - 1] != '\n') {
			text = insert(text, at, "\n");
			at++;
		}
		gen_join(&block, "", &add, "\n", "\n");
		text = insert(text, at, block.buf);
		strbuf_release(&block);
		out = gen_marker_write(text, KEY, &keep, at, false);
	} else {
		out = gen_marker_write(text, KEY, &keep, 0, false);
	}
	warn_virqfd(out, w);
	free(text);
	strlist_free(&ours);
	strlist_free(&keep);
	strlist_free(&add);
	return out;
}

static int plan(const struct initramfs_want *w, struct edit_list *l)
{
	return gen_plan_edit(l, MODULES_FILE, w, edit_modules);
}

static void regen(struct initramfs_cmds *c)
{
	static const char *const argv[] = { "update-initramfs", "-u", "-k", "all", NULL };

	gen_cmd_add(c, argv);
}

const struct generator gen_initramfs_tools = {
	.name = "initramfs-tools",
	.programs = { "/usr/sbin/mkinitramfs", "/usr/sbin/update-initramfs", "/sbin/mkinitramfs",
		      "/sbin/update-initramfs" },
	.config = "/etc/initramfs-tools/initramfs.conf",
	.files = { MODULES_FILE, "/etc/initramfs-tools/initramfs.conf" },
	.image_prefix = "initrd.img-",
	.image_suffix = "",
	.plan = plan,
	.regen = regen,
};
