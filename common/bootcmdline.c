#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"
#include "bootcmdline.h"
#include "root.h"

static int add(struct boot_cmdlines *l, enum boot_kind kind, const char *source,
	       const char *text, size_t len, const char *why)
{
	struct boot_cmdline *b;
	void *v = realloc(l->v, (l->n + 1) * sizeof(*l->v));

	if (!v)
		return -1;
	l->v = v;
	b = &l->v[l->n];
	b->kind = kind;
	b->source = strdup(source);
	b->text = text ? strndup(text, len) : NULL;
	b->why = why ? strdup(why) : NULL;
	if (!b->source || (text && !b->text) || (why && !b->why)) {
		free(b->source);
		free(b->text);
		free(b->why);
		return -1;
	}
	l->n++;
	return 0;
}

/*
 * GRUB's normal entries boot GRUB_CMDLINE_LINUX then _DEFAULT, after
 * /etc/default/grub and its drop-ins: the GRUB back end reads them as
 * kcmdline-edit does.
 */
static int read_grub(struct boot_cmdlines *l)
{
	struct grub_conf g;
	struct boot_error e;
	char why[400];
	int r = grub_conf_read(&g, GRUB_DEFAULT_FILE, NULL, 0, &e);

	if (r < 0)
		return -1;
	if (r > 0) {
		if (e.line && strcmp(e.file, GRUB_DEFAULT_FILE))
			snprintf(why, sizeof(why), "%s%s'%s' line %u: %s", e.var ? e.var : "",
				 e.var ? ": " : "", root_show(e.file), e.line, e.why);
		else
			snprintf(why, sizeof(why), "%s%s%s", e.var ? e.var : "", e.var ? ": " : "", e.why);
		grub_conf_free(&g);
		return add(l, BOOT_GRUB, GRUB_DEFAULT_FILE, NULL, 0, why);
	}
	r = add(l, BOOT_GRUB, GRUB_DEFAULT_FILE, g.normal, strlen(g.normal), NULL);
	grub_conf_free(&g);
	return r;
}

/* The lines one file boots with, through its loader's back end. */
static int read_one(struct boot_cmdlines *l, enum boot_kind kind, const char *path)
{
	struct boot_lines lines = { 0 };
	struct boot_error e;
	char source[4200];
	size_t len, i;
	char *text = root_read_file(path, &len);
	int r = 0;

	if (!text)
		return add(l, kind, path, NULL, 0, strerror(errno));
	switch (kind) {
	case BOOT_GRUB:
		free(text);
		return read_grub(l);
	case BOOT_BLS:
		r = bls_read(text, len, &lines);
		break;
	case BOOT_KERNEL_CMDLINE:
		r = kernel_cmdline_read(text, len, &lines);
		break;
	case BOOT_REFIND:
		r = refind_read(text, len, &lines, &e);
		if (r < 0) {
			char msg[400];

			snprintf(msg, sizeof(msg), "line %u: %s", e.line, e.why);
			free(text);
			return add(l, kind, path, NULL, 0, msg);
		}
		break;
	}
	free(text);
	for (i = 0; i < lines.n && r == 0; i++) {
		if (!lines.v[i].options)
			continue;
		if (lines.v[i].lineno)
			snprintf(source, sizeof(source), "%s:%u", path, lines.v[i].lineno);
		else
			snprintf(source, sizeof(source), "%s", path);
		r = add(l, kind, source, lines.v[i].text, lines.v[i].len, NULL);
	}
	boot_lines_free(&lines);
	return r;
}

int boot_cmdlines_read(struct boot_cmdlines *l)
{
	struct boot_paths e = { 0 };
	size_t i;
	int r = 0;

	l->v = NULL;
	l->n = 0;
	if (boot_file_exists(GRUB_DEFAULT_FILE))
		r |= read_one(l, BOOT_GRUB, GRUB_DEFAULT_FILE);
	if (bls_entries_find(NULL, &e) == 0) {
		for (i = 0; i < e.n; i++)
			r |= read_one(l, BOOT_BLS, e.path[i]);
		boot_paths_free(&e);
	}
	if (boot_file_exists(KERNEL_CMDLINE_FILE))
		r |= read_one(l, BOOT_KERNEL_CMDLINE, KERNEL_CMDLINE_FILE);
	if (boot_file_exists(REFIND_LINUX_CONF))
		r |= read_one(l, BOOT_REFIND, REFIND_LINUX_CONF);
	return r < 0 ? -1 : 0;
}

void boot_cmdlines_free(struct boot_cmdlines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].source);
		free(l->v[i].text);
		free(l->v[i].why);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
