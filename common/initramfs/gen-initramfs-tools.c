/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * initramfs-tools: mkinitramfs adds the modules listed in
 * /etc/initramfs-tools/modules, one "module [args]" per line, and the
 * image loads them in that order before anything else; it copies the
 * *.conf files of /etc/modprobe.d, vfio-bind's among them, itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "initramfs/initramfs.h"
#include "base/prog.h"
#include "base/root.h"
#include "initramfs/shwords.h"

#define MODULES_FILE "/etc/initramfs-tools/modules"
#define KEY "modules"

/* The module a line loads, into BUF; NULL for comments and blank lines. */
static const char *line_module(const char *line, char *buf, size_t size)
{
	char word[256];
	size_t n;

	line += strspn(line, " \t");
	if (*line == '#' || *line == '\n' || !*line)
		return NULL;
	n = strcspn(line, " \t\n");
	if (n >= sizeof(word))
		n = sizeof(word) - 1;
	memcpy(word, line, n);
	word[n] = '\0';
	return modname(word, buf, size);
}

/* Offset of the first line that loads MODULE (or, MODULE NULL, a GPU driver); -1. */
static long find_line(const char *text, const char *module)
{
	const char *line;

	for (line = text; *line; ) {
		const char *nl = strchr(line, '\n');
		char m[256], want[256];

		if (line_module(line, m, sizeof(m)) &&
		    (module ? !strcmp(m, modname(module, want, sizeof(want))) : gpu_module(m)))
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
	unsigned int lineno = 1;
	long i;

	if (w->quiet || !w->no_virqfd || at < 0)
		return;
	for (i = 0; i < at; i++)
		lineno += text[i] == '\n';
	warnx("'%s' line %u lists vfio_virqfd, which kernel %s does not have (it is part of vfio "
	      "since Linux 6.2): modprobe will not find it", root_show(MODULES_FILE), lineno,
	      w->no_virqfd);
}

/* The modules file with W's modules, once each, ahead of any GPU driver. */
static char *edit_modules(const char *old, const struct initramfs_want *w)
{
	struct strlist ours = { 0 }, keep = { 0 }, add = { 0 };
	char *text = strdup(old ? old : ""), *out = NULL;
	size_t i;

	if (!text)
		return NULL;
	marker_read(text, KEY, &ours, NULL);
	for (i = 0; i < ours.n && text; i++) {
		bool wanted = false;
		size_t k;
		long at;

		for (k = 0; k < w->nmodules; k++)
			wanted |= !strcmp(ours.v[i], w->modules[k]);
		if (wanted) {
			if (strlist_add(&keep, ours.v[i]) < 0)
				goto out;
		} else if ((at = find_line(text, ours.v[i])) >= 0) {
			text = delete_line(text, (size_t)at);
		}
	}
	for (i = 0; i < w->nmodules && text; i++) {
		long gpu = find_line(text, NULL), at = find_line(text, w->modules[i]);

		if (at >= 0 && (gpu < 0 || at < gpu))
			continue;
		if (at >= 0) {
			/* Behind a GPU driver: the line moves ahead of it, arguments and all. */
			size_t end = line_end(text, (size_t)at);
			char *line = strndup(text + at, end - (size_t)at);

			if (!line || strlist_add(&add, line) < 0) {
				free(line);
				goto out;
			}
			free(line);
			text = delete_line(text, (size_t)at);
		} else if (strlist_add(&add, w->modules[i]) < 0 || strlist_add(&keep, w->modules[i]) < 0) {
			goto out;
		}
	}
	if (!text)
		goto out;
	if (add.n) {
		long gpu = find_line(text, NULL);
		size_t at = gpu >= 0 ? (size_t)gpu : strlen(text), len = 1;
		char *block;

		if (gpu < 0 && at && text[at - 1] != '\n') {
			if (!(text = insert(text, at, "\n")))
				goto out;
			at++;
		}
		for (i = 0; i < add.n; i++)
			len += strlen(add.v[i]) + 1;
		if (!(block = malloc(len)))
			goto out;
		block[0] = '\0';
		for (i = 0; i < add.n; i++) {
			strcat(block, add.v[i]);
			strcat(block, "\n");
		}
		text = insert(text, at, block);
		free(block);
		if (text) {
			out = marker_write(text, KEY, &keep, at, false);
			goto out;
		}
	} else {
		out = marker_write(text, KEY, &keep, 0, false);
	}
out:
	if (out)
		warn_virqfd(out, w);
	free(text);
	strlist_free(&ours);
	strlist_free(&keep);
	strlist_free(&add);
	return out;
}

int initramfs_tools_plan(const struct initramfs_want *w, struct initramfs_plan *p)
{
	return plan_edit(p, MODULES_FILE, w, edit_modules);
}
