/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boot/boot.h"
#include "base/command.h"
#include "base/dirlist.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/strbuf.h"
#include "base/strlist.h"
#include "base/xalloc.h"
#include "base/banned.h"

int boot_loaders_find(void)
{
	struct boot_paths e;
	int found = 0;

	if (boot_file_exists(GRUB_DEFAULT_FILE))
		found |= 1 << BOOT_GRUB;
	bls_entries_find(NULL, &e);
	if (e.n)
		found |= 1 << BOOT_BLS;
	boot_paths_free(&e);
	if (boot_file_exists(KERNEL_CMDLINE_FILE))
		found |= 1 << BOOT_KERNEL_CMDLINE;
	if (boot_file_exists(REFIND_LINUX_CONF))
		found |= 1 << BOOT_REFIND;
	return found;
}

static bool have_program(const char *name)
{
	static const char *const dirs[] = { "/usr/sbin", "/usr/bin", "/sbin", "/bin", NULL };
	char path[256];
	size_t i;

	for (i = 0; dirs[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		if (boot_file_exists(path))
			return true;
	}
	return false;
}

static void add_line(char *buf, size_t size, const char *line)
{
	size_t n = strlen(buf);

	snprintf(buf + n, size - n, "%s\n", line);
}

/* kernel-install for every installed kernel that has its vmlinuz beside its modules. */
static void kernel_install_lines(char *buf, size_t size)
{
	static const char *const moddirs[] = { "/usr/lib/modules", "/lib/modules", NULL };
	size_t i, k;

	for (i = 0; moddirs[i] && !*buf; i++) {
		struct strlist seen = STRLIST_INIT;

		if (dir_list(moddirs[i], NULL, DIRLIST_DIRS, &seen) < 0)
			continue;
		for (k = 0; k < seen.n; k++) {
			char *vmlinuz = xasprintf("%s/%s/vmlinuz", moddirs[i], seen.v[k]), *cmd;

			if (boot_file_exists(vmlinuz)) {
				cmd = xasprintf("kernel-install add %s %s", seen.v[k], vmlinuz);
				add_line(buf, size, cmd);
				free(cmd);
			}
			free(vmlinuz);
		}
		strlist_free(&seen);
	}
}

void boot_regen_commands(enum boot_kind kind, char *buf, size_t size)
{
	struct stat st;

	buf[0] = '\0';
	switch (kind) {
	case BOOT_GRUB:
		if (have_program("update-grub"))
			add_line(buf, size, "update-grub");
		else if (have_program("grub2-mkconfig") ||
			 (!have_program("grub-mkconfig") && root_stat("/boot/grub2", &st) == 0))
			add_line(buf, size, "grub2-mkconfig -o /boot/grub2/grub.cfg");
		else
			add_line(buf, size, "grub-mkconfig -o /boot/grub/grub.cfg");
		break;
	case BOOT_KERNEL_CMDLINE:
		if (have_program("mkinitcpio"))
			add_line(buf, size, "mkinitcpio -P");
		else if (have_program("kernel-install"))
			kernel_install_lines(buf, size);
		else if (have_program("dracut"))
			add_line(buf, size, "dracut --regenerate-all --force");
		break;
	case BOOT_BLS:
	case BOOT_REFIND:
		break;
	}
}

static void cmdlines_add(struct boot_cmdlines *l, enum boot_kind kind, const char *source,
			 const char *text, size_t len, const char *why)
{
	struct boot_cmdline *b;

	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	b = &l->v[l->n++];
	b->kind = kind;
	b->source = xstrdup(source);
	b->text = text ? xstrndup(text, len) : NULL;
	b->why = why ? xstrdup(why) : NULL;
}

/*
 * GRUB's normal entries boot GRUB_CMDLINE_LINUX then _DEFAULT, after
 * /etc/default/grub and its drop-ins: the GRUB back end reads them as
 * kcmdline-edit does.
 */
static void cmdlines_read_grub(struct boot_cmdlines *l)
{
	struct grub_conf g;
	struct boot_error e;
	char why[400];

	if (grub_conf_read(&g, GRUB_DEFAULT_FILE, NULL, 0, &e)) {
		if (e.line && strcmp(e.file, GRUB_DEFAULT_FILE))
			snprintf(why, sizeof(why), "%s%s'%s' line %u: %s", e.var ? e.var : "",
				 e.var ? ": " : "", root_show(e.file), e.line, e.why);
		else
			snprintf(why, sizeof(why), "%s%s%s", e.var ? e.var : "", e.var ? ": " : "", e.why);
		grub_conf_free(&g);
		cmdlines_add(l, BOOT_GRUB, GRUB_DEFAULT_FILE, NULL, 0, why);
		return;
	}
	cmdlines_add(l, BOOT_GRUB, GRUB_DEFAULT_FILE, g.normal, strlen(g.normal), NULL);
	grub_conf_free(&g);
}

/* The lines one file boots with, through its loader's back end. */
static void cmdlines_read_file(struct boot_cmdlines *l, enum boot_kind kind, const char *path)
{
	struct boot_lines lines = { 0 };
	struct boot_error e;
	char source[4200];
	size_t len, i;
	char *text = root_read_file(path, &len);

	if (!text) {
		cmdlines_add(l, kind, path, NULL, 0, strerror(errno));
		return;
	}
	switch (kind) {
	case BOOT_GRUB:
		free(text);
		cmdlines_read_grub(l);
		return;
	case BOOT_BLS:
		bls_read(text, len, &lines);
		break;
	case BOOT_KERNEL_CMDLINE:
		kernel_cmdline_read(text, len, &lines);
		break;
	case BOOT_REFIND:
		if (refind_read(text, len, &lines, &e) < 0) {
			char msg[400];

			snprintf(msg, sizeof(msg), "line %u: %s", e.line, e.why);
			free(text);
			cmdlines_add(l, kind, path, NULL, 0, msg);
			return;
		}
		break;
	}
	free(text);
	for (i = 0; i < lines.n; i++) {
		if (!lines.v[i].options)
			continue;
		if (lines.v[i].lineno)
			snprintf(source, sizeof(source), "%s:%u", path, lines.v[i].lineno);
		else
			snprintf(source, sizeof(source), "%s", path);
		cmdlines_add(l, kind, source, lines.v[i].text, lines.v[i].len, NULL);
	}
	boot_lines_free(&lines);
}

void boot_cmdlines_read(struct boot_cmdlines *l)
{
	struct boot_paths e = { 0 };
	int found = boot_loaders_find();
	size_t i;

	l->v = NULL;
	l->n = 0;
	if (found & 1 << BOOT_GRUB)
		cmdlines_read_file(l, BOOT_GRUB, GRUB_DEFAULT_FILE);
	if (found & 1 << BOOT_BLS) {
		bls_entries_find(NULL, &e);
		for (i = 0; i < e.n; i++)
			cmdlines_read_file(l, BOOT_BLS, e.path[i]);
		boot_paths_free(&e);
	}
	if (found & 1 << BOOT_KERNEL_CMDLINE)
		cmdlines_read_file(l, BOOT_KERNEL_CMDLINE, KERNEL_CMDLINE_FILE);
	if (found & 1 << BOOT_REFIND)
		cmdlines_read_file(l, BOOT_REFIND, REFIND_LINUX_CONF);
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

/* Each line of CMDS as its words, into ARGV (at most MAX - 1 of them); their number. */
static int split_words(char *line, char **argv, int max)
{
	char *save = NULL, *w;
	int argc = 0;

	for (w = strtok_r(line, " ", &save); w && argc < max - 1; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}

/* Run each line of CMDS as a command with its arguments, or print it after LEAD. */
int boot_regen_run(const char *cmds, const char *lead, bool run)
{
	const char *p = cmds;
	bool failed = false;

	while (*p) {
		const char *nl = strchrnul(p, '\n');
		char line[512], *argv[16];
		int r;

		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
		if (!split_words(line, argv, 16))
			continue;
		/* After a failure, it and those after it are still to run. */
		if (failed) {
			cmd_report(argv);
			continue;
		}
		cmd_print(stdout, lead, argv);
		if (!run) {
			cmd_report(argv);
			continue;
		}
		r = cmd_run(argv);
		if (r > 0)
			warnx("'%s' failed: the files are changed, the boot loader not yet", argv[0]);
		if (r) {
			cmd_report(argv);
			failed = true;
		}
	}
	return failed ? -1 : 0;
}

void boot_kernelstub_warning(const struct kparam_op *ops, size_t nops)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (!boot_file_exists(KERNELSTUB_CONFIG))
		return;
	strbuf_addf(&sb, "kernelstub writes the boot entries anew from '%s' at every kernel update; "
		    "tell it too:", root_show(KERNELSTUB_CONFIG));
	for (i = 0; i < nops; i++)
		strbuf_addf(&sb, "\n  kernelstub %s '%s'", ops[i].action == KPARAM_ADD ? "-a" : "-d",
			    ops[i].text);
	report_warn("%s", sb.buf);
	strbuf_release(&sb);
}
