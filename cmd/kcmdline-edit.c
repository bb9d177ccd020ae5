/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kcmdline-edit - add and remove kernel parameters in the boot loaders'
 * configuration: /etc/default/grub, BLS entries, /etc/kernel/cmdline,
 * refind_linux.conf
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot/boot.h"
#include "base/command.h"
#include "base/configfile.h"
#include "base/edit.h"
#include "pci/hostiommu.h"
#include "boot/kcmdline.h"
#include "base/output.h"
#include "boot/procmdline.h"
#include "base/prog.h"
#include "base/root.h"
#include "boot/shvalue.h"
#include "kmod/vfioids.h"

enum {
	OPT_ROOT = 0x100,
	OPT_CHECK,
	OPT_IOMMU,
	OPT_BACKUP,
	OPT_REGEN,
	OPT_GRUB,
	OPT_GRUB_VAR,
	OPT_BLS,
	OPT_ENTRY,
	OPT_KERNEL_CMDLINE,
	OPT_REFIND,
	OPT_CPU,
};

static const struct option longopts[] = {
	{ "add",		required_argument,	NULL, 'a' },
	{ "remove",		required_argument,	NULL, 'd' },
	{ "iommu",		no_argument,		NULL, OPT_IOMMU },
	{ "cpu",		required_argument,	NULL, OPT_CPU },
	{ "list",		no_argument,		NULL, 'l' },
	{ "json",		no_argument,		NULL, 'J' },
	{ "check",		no_argument,		NULL, OPT_CHECK },
	{ "dry-run",		no_argument,		NULL, 'n' },
	{ "backup",		no_argument,		NULL, OPT_BACKUP },
	{ "regen",		no_argument,		NULL, OPT_REGEN },
	{ "grub",		optional_argument,	NULL, OPT_GRUB },
	{ "grub-var",		required_argument,	NULL, OPT_GRUB_VAR },
	{ "bls",		optional_argument,	NULL, OPT_BLS },
	{ "entry",		required_argument,	NULL, OPT_ENTRY },
	{ "kernel-cmdline",	optional_argument,	NULL, OPT_KERNEL_CMDLINE },
	{ "refind",		optional_argument,	NULL, OPT_REFIND },
	{ "root",		required_argument,	NULL, OPT_ROOT },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static noreturn void usage(void)
{
	printf("Usage: %s [options] (-a PARAM | -d PARAM | --iommu)...\n"
	       "       %s --list [-J] [targets]\n"
	       "\n"
	       "Add and remove kernel parameters where the boot loader keeps them.\n"
	       "\n"
	       "Options:\n"
	       "  -a, --add PARAM[=VALUE]  add a parameter, or give it this value\n"
	       "  -d, --remove KEY[=VALUE] remove every KEY, or only KEY=VALUE\n"
	       "      --iommu              add what turns the IOMMU on for this CPU:\n"
	       "                           intel_iommu=on iommu=pt (Intel), iommu=pt (AMD)\n"
	       "      --cpu intel|amd      with --iommu: for this CPU, not the one in /proc/cpuinfo\n"
	       "  -l, --list               list the files read, the line each kind of entry\n"
	       "                           boots, and where each parameter comes from\n"
	       "  -J, --json               with --list: print JSON\n"
	       "  -n, --dry-run            show the change as a diff, change nothing\n"
	       "      --check              exit 0 if already as asked, 1 if not; change nothing\n"
	       "      --backup             keep FILE.bak of each file replaced\n"
	       "      --regen              then run the command that makes it take effect\n"
	       "\n"
	       "Targets (default: every one found):\n"
	       "      --grub[=FILE]        /etc/default/grub\n"
	       "      --grub-var=VAR       linux (GRUB_CMDLINE_LINUX, the default) or\n"
	       "                           default (GRUB_CMDLINE_LINUX_DEFAULT)\n"
	       "      --bls[=DIR]          boot entries in loader/entries under /boot, /efi, /boot/efi\n"
	       "      --entry NAME         only this boot entry (implies --bls)\n"
	       "      --kernel-cmdline[=FILE] /etc/kernel/cmdline\n"
	       "      --refind[=FILE]      /boot/refind_linux.conf\n"
	       "      --root DIR           work on the system under DIR\n"
	       "  -h, --help               show this help and exit\n"
	       "  -V, --version            show the version and exit\n"
	       "\n"
	       "Exit status: 0 done (or nothing to do), 1 failed, refused or check not met,\n"
	       "2 usage error.\n",
	       prog_name(), prog_name());
	exit(EXIT_OK);
}

struct target {
	enum boot_kind kind;
	char *path;
	char *old, *new;
	size_t oldlen, newlen;
	/* the command lines in it, for --list */
	struct boot_lines lines;
	/* GRUB: what its files boot, before and after the edit */
	struct grub_conf *grub, *grub_after;
};

static struct target *targets;
static size_t ntargets;
static struct kparam_op *req;
static size_t nreq;
static const char **entries;
static enum grub_var grub_var = GRUB_LINUX;

static void add_target(enum boot_kind kind, const char *path)
{
	struct target *t;

	targets = realloc(targets, (ntargets + 1) * sizeof(*targets));
	if (!targets)
		err(EXIT_FAIL, "could not allocate memory");
	t = &targets[ntargets++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->path = strdup(path);
	if (!t->path)
		err(EXIT_FAIL, "could not allocate memory");
}

static void free_targets(void)
{
	size_t i;

	for (i = 0; i < ntargets; i++) {
		boot_lines_free(&targets[i].lines);
		if (targets[i].grub_after != targets[i].grub && targets[i].grub_after) {
			grub_conf_free(targets[i].grub_after);
			free(targets[i].grub_after);
		}
		if (targets[i].grub) {
			grub_conf_free(targets[i].grub);
			free(targets[i].grub);
		}
		free(targets[i].path);
		if (targets[i].new != targets[i].old)
			free(targets[i].new);
		free(targets[i].old);
	}
	free(targets);
}

/* The changes OPS make to a command line; exits on allocation failure. */
static long plan(const char *text, size_t len, const struct kparam_op *ops, size_t nops,
		 struct kc_change **ch)
{
	long n = kcmdline_plan(text, len, ops, nops, ch);

	if (n < 0)
		err(EXIT_FAIL, "could not allocate memory");
	return n;
}

static void grub_refusal(const struct target *t, const struct boot_error *e)
{
	const char *file = e->file[0] ? e->file : t->path;

	char what[64] = "";

	if (e->var)
		snprintf(what, sizeof(what), "%s in ", e->var);
	if (e->line)
		warnx("cannot edit %s'%s': line %u: %s; nothing changed", what, root_show(file), e->line,
		      e->why);
	else
		warnx("cannot edit %s'%s': %s; nothing changed", what, root_show(file), e->why);
}

/* Read what GRUB boots with PATH holding TEXT; NULL after saying why not. */
static struct grub_conf *grub_read(const struct target *t, const char *text, size_t len)
{
	struct grub_conf *g = malloc(sizeof(*g));
	struct boot_error e;
	int r;

	if (!g)
		err(EXIT_FAIL, "could not allocate memory");
	r = grub_conf_read(g, t->path, text, len, &e);
	if (r < 0)
		err(EXIT_FAIL, "could not allocate memory");
	if (r > 0) {
		grub_refusal(t, &e);
		grub_conf_free(g);
		free(g);
		return NULL;
	}
	return g;
}

/*
 * Whether the line GRUB's normal entries will boot has what OPS ask for;
 * when not, say which file has the last word and refuse.
 */
static bool grub_verify(const struct target *t, const struct kparam_op *ops, size_t nops)
{
	const struct grub_conf *g = t->grub_after;
	struct kcmdline c;
	size_t i;
	int v;
	bool ok = true;

	if (kcmdline_parse(&c, g->normal, strlen(g->normal)) < 0)
		err(EXIT_FAIL, "could not allocate memory");
	for (i = 0; i < nops && ok; i++) {
		if (kparam_op_met(&ops[i], &c))
			continue;
		ok = false;
		for (v = GRUB_LINUX; v <= GRUB_LINUX_DEFAULT; v++) {
			const struct grub_value *gv = &g->var[v];

			if (!gv->assigned || !strcmp(gv->file, t->path))
				continue;
			warnx("'%s' line %u sets %s again after '%s' and wins: edit it there (--grub=%s); "
			      "nothing changed", root_show(gv->file), gv->line, grub_var_names[v],
			      root_show(t->path), gv->file);
			break;
		}
		if (v > GRUB_LINUX_DEFAULT)
			warnx("cannot edit '%s': the line GRUB boots would still not have %s%s; nothing changed",
			      root_show(t->path), ops[i].action == KPARAM_ADD ? "" : "no ", ops[i].text);
	}
	kcmdline_free(&c);
	return ok;
}

static int prepare_grub(struct target *t, const struct kparam_op *ops, size_t nops, bool editing)
{
	struct boot_error e;
	struct kparam_op *todo;
	struct kcmdline c;
	size_t i, ntodo = 0;
	int r;

	if (!(t->grub = grub_read(t, t->old, t->oldlen)))
		return -1;
	if (boot_lines_add(&t->lines, t->grub->normal, strlen(t->grub->normal), 0, true) < 0)
		err(EXIT_FAIL, "could not allocate memory");
	if (!editing)
		return 0;
	/* What the line booted already has is left alone, wherever it comes from. */
	todo = calloc(nops ? nops : 1, sizeof(*todo));
	if (!todo || kcmdline_parse(&c, t->grub->normal, strlen(t->grub->normal)) < 0)
		err(EXIT_FAIL, "could not allocate memory");
	for (i = 0; i < nops; i++)
		if (!kparam_op_met(&ops[i], &c))
			todo[ntodo++] = ops[i];
	kcmdline_free(&c);
	r = ntodo ? grub_plan(t->old, t->oldlen, grub_var, grub_conf_overridden(t->grub, t->path),
			      todo, ntodo, &t->new, &t->newlen, &e) : 0;
	free(todo);
	if (r < 0) {
		if (!e.why[0])
			err(EXIT_FAIL, "could not allocate memory");
		grub_refusal(t, &e);
		return -1;
	}
	if (r == 0) {
		t->new = t->old;
		t->newlen = t->oldlen;
		t->grub_after = t->grub;
	} else if (!(t->grub_after = grub_read(t, t->new, t->newlen))) {
		return -1;
	}
	return grub_verify(t, ops, nops) ? 0 : -1;
}

static int prepare_bls(struct target *t, const struct kparam_op *ops, size_t nops, bool editing)
{
	int n;

	if (bls_read(t->old, t->oldlen, &t->lines) < 0)
		err(EXIT_FAIL, "could not allocate memory");
	if (editing && memchr(t->lines.v[0].text, '$', t->lines.v[0].len))
		warnx("'%s' takes options from GRUB environment variables ($...): those live in "
		      "grubenv and are not changed here", root_show(t->path));
	if (editing) {
		n = bls_plan(t->old, t->oldlen, ops, nops, &t->new, &t->newlen);
		if (n < 0)
			err(EXIT_FAIL, "could not allocate memory");
		if (n == 0) {
			t->new = t->old;
			t->newlen = t->oldlen;
		}
	}
	return 0;
}

static int prepare_refind(struct target *t, const struct kparam_op *ops, size_t nops, bool editing)
{
	struct boot_error e;
	int n;

	if (refind_read(t->old, t->oldlen, &t->lines, &e) < 0) {
		warnx("cannot edit '%s': line %u: %s; nothing changed", root_show(t->path), e.line, e.why);
		return -1;
	}
	if (!editing)
		return 0;
	n = refind_plan(t->old, t->oldlen, ops, nops, &t->new, &t->newlen, &e);
	if (n < 0 && e.why[0]) {
		warnx("cannot edit '%s': line %u: %s; nothing changed", root_show(t->path), e.line, e.why);
		return -1;
	}
	if (n < 0)
		err(EXIT_FAIL, "could not allocate memory");
	if (n == 0) {
		t->new = t->old;
		t->newlen = t->oldlen;
	}
	return 0;
}

static int prepare(struct target *t, const struct kparam_op *ops, size_t nops, bool editing)
{
	int n;

	t->old = config_read(t->path, &t->oldlen);
	if (!t->old) {
		if (errno == ENOENT)
			warn("could not read '%s'", root_show(t->path));
		return -1;
	}
	t->newlen = t->oldlen;
	switch (t->kind) {
	case BOOT_GRUB:
		return prepare_grub(t, ops, nops, editing);
	case BOOT_BLS:
		return prepare_bls(t, ops, nops, editing);
	case BOOT_REFIND:
		return prepare_refind(t, ops, nops, editing);
	case BOOT_KERNEL_CMDLINE:
		if (kernel_cmdline_read(t->old, t->oldlen, &t->lines) < 0)
			err(EXIT_FAIL, "could not allocate memory");
		if (!editing)
			return 0;
		n = kernel_cmdline_plan(t->old, t->oldlen, ops, nops, &t->new, &t->newlen);
		if (n < 0)
			err(EXIT_FAIL, "could not allocate memory");
		if (n == 0) {
			t->new = t->old;
			t->newlen = t->oldlen;
		}
		return 0;
	}
	return -1;
}

static const char *kind_name(enum boot_kind k)
{
	switch (k) {
	case BOOT_GRUB:
		return "grub";
	case BOOT_BLS:
		return "bls";
	case BOOT_KERNEL_CMDLINE:
		return "kernel-cmdline";
	case BOOT_REFIND:
		return "refind";
	}
	return "";
}

/* Where the parameter at byte START of GRUB line LINE comes from. */
static enum grub_var grub_origin(const struct grub_conf *g, const char *line, size_t start)
{
	if (line == g->normal)
		return start < g->nlinux ? GRUB_LINUX : GRUB_LINUX_DEFAULT;
	return start < strlen(g->recovery) - g->var[GRUB_LINUX].len ? GRUB_LINUX_RECOVERY : GRUB_LINUX;
}

/*
 * One command line: what it boots, then each parameter with where it
 * comes from.  SRC names the line in text; G and ENTRY for GRUB's.
 */
static void list_line(struct out *o, const struct target *t, const char *src, unsigned lineno,
		      const char *line, size_t len, const struct grub_conf *g, const char *entry)
{
	struct kcmdline c;
	size_t j;

	if (kcmdline_parse(&c, line, len) < 0)
		err(EXIT_FAIL, "could not allocate memory");
	out_object_begin(o, NULL);
	out_string(o, "file", NULL, root_show(t->path));
	out_string(o, "kind", NULL, kind_name(t->kind));
	if (t->kind == BOOT_REFIND)
		out_uint(o, "line", NULL, lineno);
	if (g) {
		size_t i;

		out_array_begin(o, "files");
		for (i = 0; i < g->nsrc; i++)
			out_string(o, NULL, NULL, root_show(g->src[i].path));
		out_array_end(o);
		out_string(o, "entries", NULL, entry);
		out_text(o, "%s: %s entries boot: ", src, entry);
	} else {
		out_text(o, "%s: boots: ", src);
	}
	{
		/* as the kernel sees it: the blanks GRUB puts around an empty variable dropped */
		size_t a = 0, b = len;
		char *shown;

		while (a < b && kcmdline_space((unsigned char)line[a]))
			a++;
		while (b > a && kcmdline_space((unsigned char)line[b - 1]))
			b--;
		if (!(shown = strndup(line + a, b - a)))
			err(EXIT_FAIL, "could not allocate memory");
		out_string(o, "cmdline", "", shown);
		free(shown);
	}
	out_text(o, "\n");
	out_array_begin(o, "parameters");
	for (j = 0; j < c.n; j++) {
		char *text = strndup(line + c.p[j].start, c.p[j].end - c.p[j].start);
		char psrc[4096 + 200];

		if (!text)
			err(EXIT_FAIL, "could not allocate memory");
		out_object_begin(o, NULL);
		if (g) {
			enum grub_var v = grub_origin(g, line, c.p[j].start);
			const struct grub_value *gv = &g->var[v];

			if (v == GRUB_LINUX_RECOVERY && !gv->assigned) {
				out_null(o, "variable");
				out_null(o, "from");
			} else {
				out_string(o, "variable", NULL, grub_var_names[v]);
				out_string(o, "from", NULL, root_show(gv->file));
				out_uint(o, "from_line", NULL, gv->line);
			}
			snprintf(psrc, sizeof(psrc), "%s:%s", root_show(gv->assigned ? gv->file : t->path),
				 v == GRUB_LINUX_RECOVERY && !gv->assigned ? "10_linux" : grub_var_names[v]);
		} else {
			snprintf(psrc, sizeof(psrc), "%s", src);
		}
		/* the recovery line's parameters are the normal line's and its own words */
		if (!g || line == g->normal)
			out_text(o, "%s: ", psrc);
		out_string(o, "text", !g || line == g->normal ? "" : NULL, text);
		out_string(o, "key", NULL, c.p[j].key);
		if (c.p[j].val)
			out_string(o, "value", NULL, c.p[j].val);
		else
			out_null(o, "value");
		out_bool(o, "init", NULL, j >= c.init);
		if (!g || line == g->normal)
			out_text(o, "\n");
		out_object_end(o);
		free(text);
	}
	out_array_end(o);
	out_object_end(o);
	kcmdline_free(&c);
}

static void list(bool json)
{
	struct out o;
	size_t i, k;

	out_init(&o, stdout, json);
	out_object_begin(&o, NULL);
	out_array_begin(&o, "cmdlines");
	for (i = 0; i < ntargets; i++) {
		const struct target *t = &targets[i];
		char src[4096 + 200];

		if (t->grub) {
			const struct grub_conf *g = t->grub;

			for (k = 0; k < g->nsrc; k++)
				out_text(&o, "%s: read\n", root_show(g->src[k].path));
			list_line(&o, t, root_show(t->path), 0, g->normal, strlen(g->normal), g, "normal");
			if (g->recovery)
				list_line(&o, t, root_show(t->path), 0, g->recovery, strlen(g->recovery),
					  g, "recovery");
			else
				out_text(&o, "%s: no recovery entries (GRUB_DISABLE_RECOVERY=true)\n",
					 root_show(t->path));
			continue;
		}
		for (k = 0; k < t->lines.n; k++) {
			const struct boot_line *l = &t->lines.v[k];

			if (l->lineno)
				snprintf(src, sizeof(src), "%s:%u", root_show(t->path), l->lineno);
			else
				snprintf(src, sizeof(src), "%s", root_show(t->path));
			list_line(&o, t, src, l->lineno, l->text, l->len, NULL, NULL);
		}
	}
	out_array_end(&o);
	out_object_end(&o);
	out_finish(&o);
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
static int regen(const char *cmds, const char *lead, bool run)
{
	const char *p = cmds;

	while (*p) {
		const char *nl = strchrnul(p, '\n');
		char line[512], *argv[16];
		int r;

		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
		if (!split_words(line, argv, 16))
			continue;
		cmd_print(stdout, lead, argv);
		if (!run)
			continue;
		r = cmd_run(argv);
		if (r > 0)
			warnx("'%s' failed: the files are changed, the boot loader not yet", argv[0]);
		if (r)
			return -1;
	}
	return 0;
}

static void kernelstub_warning(const struct kparam_op *ops, size_t nops)
{
	size_t i;

	if (!boot_file_exists(KERNELSTUB_CONFIG))
		return;
	warnx("kernelstub writes the boot entries anew from '%s' at every kernel update; "
	      "tell it too:", root_show(KERNELSTUB_CONFIG));
	for (i = 0; i < nops; i++)
		fprintf(stderr, "  kernelstub %s '%s'\n", ops[i].action == KPARAM_ADD ? "-a" : "-d",
			ops[i].text);
}

/* Append OP's text to BUF (SIZE bytes), after a blank when not the first. */
static void add_word(char *buf, size_t size, const char *word)
{
	size_t n = strlen(buf);

	snprintf(buf + n, size - n, "%s%s", n ? " " : "", word);
}

/*
 * Recovery entries boot GRUB_CMDLINE_LINUX alone: say what they gain, lose
 * or go without that the normal entries now have.
 */
static void grub_recovery_note(const struct target *t, const struct kparam_op *ops, size_t nops)
{
	const struct grub_conf *b = t->grub, *a = t->grub_after;
	struct kcmdline rb, ra;
	char gain[1024] = "", lose[1024] = "", without[1024] = "", still[1024] = "";
	size_t i;

	if (!b->recovery || !a->recovery)
		return;
	if (kcmdline_parse(&rb, b->recovery, strlen(b->recovery)) < 0 ||
	    kcmdline_parse(&ra, a->recovery, strlen(a->recovery)) < 0)
		err(EXIT_FAIL, "could not allocate memory");
	for (i = 0; i < nops; i++) {
		bool before = kparam_op_met(&ops[i], &rb), after = kparam_op_met(&ops[i], &ra);

		if (!before && after)
			add_word(ops[i].action == KPARAM_ADD ? gain : lose, sizeof(gain), ops[i].text);
		else if (!after && ops[i].action == KPARAM_ADD)
			add_word(without, sizeof(without), ops[i].text);
		else if (!after)
			add_word(still, sizeof(still), ops[i].text);
	}
	if (*gain)
		printf("Recovery entries get %s too (GRUB_CMDLINE_LINUX).\n", gain);
	if (*without)
		printf("Recovery entries go without %s: they boot GRUB_CMDLINE_LINUX alone.\n", without);
	if (*lose)
		printf("Recovery entries lose %s too.\n", lose);
	if (*still)
		printf("Recovery entries still have %s: GRUB puts it there for them.\n", still);
	kcmdline_free(&rb);
	kcmdline_free(&ra);
}

/*
 * The CPU --iommu is for: the root's /proc/cpuinfo.  A system mounted
 * under --root without /proc (a rescue system working on the installed
 * one) has none: then the CPU this machine runs on, said so, the one
 * thing read outside the root.
 */
static void read_cpu(struct host_iommu *h)
{
	size_t len;
	char *text;
	int fd, e;

	host_iommu_read(h);
	if (h->cpuinfo)
		return;
	e = errno;
	if (!*root_prefix() || e != ENOENT) {
		errno = e;
		err(EXIT_FAIL, "could not read '%s'", root_show("/proc/cpuinfo"));
	}
	fd = open("/proc/cpuinfo", O_RDONLY | O_CLOEXEC);
	text = fd < 0 ? NULL : fd_read_all(fd, ROOT_FILE_MAX, &len);
	if (fd >= 0)
		close(fd);
	if (!text)
		err(EXIT_FAIL, "could not read '%s', nor this machine's '/proc/cpuinfo'",
		    root_show("/proc/cpuinfo"));
	host_cpu_parse(h, text);
	free(text);
	warnx("no '%s' (a system that is not running): taking the CPU this machine runs on, "
	      "from '/proc/cpuinfo' (%s); --cpu intel or --cpu amd names another",
	      root_show("/proc/cpuinfo"), h->cpu == HOST_CPU_INTEL ? "Intel" :
	      h->cpu == HOST_CPU_AMD ? "AMD" : "neither Intel nor AMD");
}

/* Free what main() built and return RC. */
static int finish(int rc)
{
	size_t i;

	for (i = 0; i < nreq; i++)
		kparam_op_free(&req[i]);
	free(req);
	free(entries);
	free_targets();
	return rc;
}

/* The options, as parsed. */
static const char *root, *grub, *bls, *kcl, *refind;
static size_t nentries;
static bool want_grub, want_bls, want_kcl, want_refind;
static bool iommu, do_list, json, check, dry, backup, do_regen;
static enum host_cpu cpu = HOST_CPU_OTHER;

static void parse_options(int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, ":a:d:lJnhV", longopts, NULL)) != -1) {
		const char *why;

		switch (c) {
		case 'a':
		case 'd':
			req = realloc(req, (nreq + 1) * sizeof(*req));
			if (!req)
				err(EXIT_FAIL, "could not allocate memory");
			if (kparam_op_parse(&req[nreq], c == 'a' ? KPARAM_ADD : KPARAM_REMOVE, optarg, &why) < 0)
				usage_error("invalid parameter '%s': %s", optarg, why);
			nreq++;
			break;
		case OPT_IOMMU:
			iommu = true;
			break;
		case OPT_CPU:
			if (!strcmp(optarg, "intel"))
				cpu = HOST_CPU_INTEL;
			else if (!strcmp(optarg, "amd"))
				cpu = HOST_CPU_AMD;
			else
				usage_error("invalid --cpu '%s': expected intel or amd", optarg);
			break;
		case 'l':
			do_list = true;
			break;
		case 'J':
			json = true;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case 'n':
			dry = true;
			break;
		case OPT_BACKUP:
			backup = true;
			break;
		case OPT_REGEN:
			do_regen = true;
			break;
		case OPT_GRUB:
			want_grub = true;
			grub = optarg;
			break;
		case OPT_GRUB_VAR:
			if (!strcmp(optarg, "linux") || !strcmp(optarg, "GRUB_CMDLINE_LINUX"))
				grub_var = GRUB_LINUX;
			else if (!strcmp(optarg, "default") || !strcmp(optarg, "GRUB_CMDLINE_LINUX_DEFAULT"))
				grub_var = GRUB_LINUX_DEFAULT;
			else
				usage_error("invalid --grub-var '%s': expected linux or default", optarg);
			break;
		case OPT_BLS:
			want_bls = true;
			bls = optarg;
			break;
		case OPT_ENTRY:
			want_bls = true;
			entries = realloc(entries, (nentries + 1) * sizeof(*entries));
			if (!entries)
				err(EXIT_FAIL, "could not allocate memory");
			entries[nentries++] = optarg;
			break;
		case OPT_KERNEL_CMDLINE:
			want_kcl = true;
			kcl = optarg;
			break;
		case OPT_REFIND:
			want_refind = true;
			refind = optarg;
			break;
		case OPT_ROOT:
			root = optarg;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_bad_option(c, argv, longopts);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (do_list && (nreq || iommu))
		usage_error("--list does not go with --add, --remove or --iommu");
	if (!do_list && !nreq && !iommu)
		usage_error("nothing to do: give --add, --remove, --iommu or --list");
	if (cpu != HOST_CPU_OTHER && !iommu)
		usage_error("--cpu goes with --iommu");
	if (json && !do_list)
		usage_error("--json goes with --list");
	if (dry && check)
		usage_error("--dry-run and --check do not go together");
	if (do_regen && (dry || check || do_list))
		usage_error("--regen does not go with --dry-run, --check or --list");
	/*
	 * The regeneration commands act on the running system; for another
	 * root they belong in a chroot with /dev, /proc and /sys, which is
	 * the user's to set up.
	 */
	if (do_regen && root)
		usage_error("--regen runs the commands of the running system; with --root, run "
			    "them inside that system (chroot)");
	if (root_init(root) < 0)
		err(EXIT_FAIL, "could not open root directory '%s'", root);
	if (!do_list && !check && !dry && edit_lock(NULL) < 0)
		exit(EXIT_FAIL);
}

/* What --iommu adds for the CPU; then the requests must not contradict each other. */
static void requests(void)
{
	size_t i, a, b;

	if (iommu) {
		struct host_iommu h = { 0 };
		const char *const intel[] = { "intel_iommu=on", "iommu=pt" }, *const amd[] = { "iommu=pt" };
		const char *const *add;
		size_t nadd;
		const char *why;

		if (cpu != HOST_CPU_OTHER)
			h.cpu = cpu;
		else
			read_cpu(&h);
		if (h.cpu == HOST_CPU_OTHER)
			errx(EXIT_FAIL, "the CPU in '%s' is neither GenuineIntel nor AuthenticAMD: "
			     "name the parameters with --add", root_show("/proc/cpuinfo"));
		add = h.cpu == HOST_CPU_INTEL ? intel : amd;
		nadd = h.cpu == HOST_CPU_INTEL ? 2 : 1;
		for (i = 0; i < nadd; i++) {
			req = realloc(req, (nreq + 1) * sizeof(*req));
			if (!req || kparam_op_parse(&req[nreq], KPARAM_ADD, add[i], &why) < 0)
				err(EXIT_FAIL, "could not allocate memory");
			nreq++;
		}
	}
	if (kparam_ops_conflict(req, nreq, &a, &b))
		usage_error("'%s %s' and '%s %s' contradict each other",
			    req[a].action == KPARAM_ADD ? "--add" : "--remove", req[a].text,
			    req[b].action == KPARAM_ADD ? "--add" : "--remove", req[b].text);
	for (i = 0; i < nreq; i++)
		if (req[i].action == KPARAM_ADD)
			vfio_ids_warn_kept(req[i].key, req[i].val);
}

/* The files to edit: those named, or every one found. */
static void find_targets(void)
{
	size_t i;
	bool bls_any = false;

	if (!want_grub && !want_bls && !want_kcl && !want_refind) {
		int found = boot_loaders_find();

		if (found < 0)
			err(EXIT_FAIL, "could not read the boot entries");
		want_grub = found & 1 << BOOT_GRUB;
		want_bls = found & 1 << BOOT_BLS;
		want_kcl = found & 1 << BOOT_KERNEL_CMDLINE;
		want_refind = found & 1 << BOOT_REFIND;
		if (!want_grub && !want_bls && !want_kcl && !want_refind)
			errx(EXIT_FAIL, "no boot configuration in '%s': no %s, no loader/entries in "
			     "/boot, /efi or /boot/efi, no %s, no %s; name the file with --grub=FILE, "
			     "--bls=DIR, --kernel-cmdline=FILE or --refind=FILE",
			     *root_prefix() ? root_prefix() : "/", GRUB_DEFAULT_FILE,
			     KERNEL_CMDLINE_FILE, REFIND_LINUX_CONF);
	}
	if (want_grub)
		add_target(BOOT_GRUB, grub ? grub : GRUB_DEFAULT_FILE);
	if (want_bls) {
		struct boot_paths e;
		size_t k;

		if (bls_entries_find(bls, &e) < 0)
			err(EXIT_FAIL, "could not read '%s'", root_show(bls));
		for (i = 0; i < e.n; i++) {
			const char *base = strrchr(e.path[i], '/') + 1;
			bool take = !nentries;

			for (k = 0; k < nentries; k++) {
				size_t l = strlen(entries[k]);

				if (!strcmp(base, entries[k]) ||
				    (!strncmp(base, entries[k], l) && !strcmp(base + l, ".conf")))
					take = true;
			}
			if (take)
				add_target(BOOT_BLS, e.path[i]);
			bls_any |= take;
		}
		boot_paths_free(&e);
		if (!bls_any) {
			if (nentries)
				errx(EXIT_FAIL, "no boot entry '%s' in %s", entries[0],
				     bls ? root_show(bls) : "loader/entries under /boot, /efi or /boot/efi");
			errx(EXIT_FAIL, "no boot entries (*.conf) in %s",
			     bls ? root_show(bls) : "loader/entries under /boot, /efi or /boot/efi");
		}
	}
	if (want_kcl)
		add_target(BOOT_KERNEL_CMDLINE, kcl ? kcl : KERNEL_CMDLINE_FILE);
	if (want_refind)
		add_target(BOOT_REFIND, refind ? refind : REFIND_LINUX_CONF);
}

/* Write every file or none, then say what is next (or run it). */
static int apply_and_tell(void)
{
	char regen_cmds[4096] = "";
	size_t i;
	int changed;

	{
		struct edit_opts eo = { check ? EDIT_CHECK : dry ? EDIT_DRY_RUN : EDIT_WRITE, backup };
		struct edit_file *f = calloc(ntargets, sizeof(*f));
		bool kinds[4] = { false, false, false, false }, due = false;

		if (!f)
			err(EXIT_FAIL, "could not allocate memory");
		for (i = 0; i < ntargets; i++) {
			f[i].path = targets[i].path;
			f[i].old = targets[i].old;
			f[i].oldlen = targets[i].oldlen;
			f[i].new = targets[i].new;
			f[i].newlen = targets[i].newlen;
			if (targets[i].new != targets[i].old)
				kinds[targets[i].kind] = true;
		}
		if (!check && kinds[BOOT_BLS])
			kernelstub_warning(req, nreq);
		changed = edit_apply_all(&eo, f, ntargets);
		free(f);
		if (changed < 0) {
			fprintf(stderr, "%s: nothing changed\n", prog_name());
			return finish(EXIT_FAIL);
		}
		if (check)
			return finish(changed ? EXIT_FAIL : EXIT_OK);
		if (!dry) {
			for (i = 0; i < ntargets; i++)
				printf(targets[i].new != targets[i].old ? "updated '%s'\n" :
				       "'%s' already says this; nothing changed\n", root_show(targets[i].path));
			for (i = 0; i < ntargets; i++)
				if (targets[i].grub && targets[i].new != targets[i].old)
					grub_recovery_note(&targets[i], req, nreq);
		}
		if (iommu)
			for (i = 0; i < ntargets; i++) {
				struct target *t = &targets[i];
				size_t k;

				for (k = 0; k < t->lines.n; k++) {
					struct kcmdline kc;
					struct kc_change *ch = NULL;
					const struct boot_line *l = &t->lines.v[k];
					long n = t->grub ? 0 : plan(l->text, l->len, req, nreq, &ch);
					char *now = t->grub ? strdup(t->grub_after->normal) :
						kc_apply(l->text, l->len, ch, n > 0 ? (size_t)n : 0, NULL);
					const char *off;

					if (!now || kcmdline_parse(&kc, now, strlen(now)) < 0)
						err(EXIT_FAIL, "could not allocate memory");
					if ((off = proc_cmdline_iommu_off(&kc)))
						warnx("'%s' still has %s, which turns the IOMMU off: "
						      "--remove %s", root_show(t->path), off, off);
					kcmdline_free(&kc);
					free(now);
					kc_changes_free(ch, n > 0 ? (size_t)n : 0);
				}
			}
		/* a file that says it already, but the configuration made from it is older */
		for (i = 0; i < ntargets && !dry; i++) {
			const char *cfg, *newer;

			if (!targets[i].grub || targets[i].new != targets[i].old ||
			    !(cfg = grub_cfg_stale(targets[i].grub, &newer)))
				continue;
			printf("'%s' is older than '%s': making it anew is still due.\n", root_show(cfg),
			       root_show(newer));
			kinds[BOOT_GRUB] = true;
			due = true;
		}
		for (i = 0; i < 4; i++)
			if (kinds[i] || do_regen) {
				bool targeted = false;
				size_t k;

				for (k = 0; k < ntargets; k++)
					targeted |= targets[k].kind == (enum boot_kind)i;
				if (targeted)
					boot_regen_commands((enum boot_kind)i, regen_cmds + strlen(regen_cmds),
							    sizeof(regen_cmds) - strlen(regen_cmds));
			}
		if (!dry && (changed || do_regen || due)) {
			if (!regen_cmds[0]) {
				printf("The boot loader reads these files itself: reboot to use the change.\n");
			} else if (do_regen) {
				if (regen(regen_cmds, "Running: ", true) < 0)
					return finish(EXIT_FAIL);
				printf("Next: reboot.\n");
			} else {
				printf("Next, to make it take effect%s:\n", *root_prefix() ? " (inside that system)" : "");
				regen(regen_cmds, "  ", false);
				printf("then reboot.\n");
			}
		}
	}
	return finish(EXIT_OK);
}

int main(int argc, char **argv)
{
	size_t i;
	bool failed = false;

	prog_init();
	parse_options(argc, argv);
	requests();
	find_targets();
	for (i = 0; i < ntargets; i++)
		if (prepare(&targets[i], req, nreq, !do_list) < 0)
			failed = true;
	if (failed)
		return finish(EXIT_FAIL);
	if (do_list) {
		list(json);
		return finish(EXIT_OK);
	}
	return apply_and_tell();
}
