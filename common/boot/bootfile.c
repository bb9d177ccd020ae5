/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/bootfile.h"
#include "boot/iommuparam.h"
#include "base/configfile.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "base/banned.h"

static const char *boot_kind_name(enum boot_kind kind)
{
	switch (kind) {
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

void boot_file_init(struct boot_file *f, enum boot_kind kind, const char *path)
{
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->path = xstrdup(path);
}

static void grub_free(struct grub_conf *g)
{
	if (g) {
		grub_conf_free(g);
		free(g);
	}
}

void boot_file_free(struct boot_file *f)
{
	boot_lines_free(&f->lines);
	if (f->grub_after != f->grub)
		grub_free(f->grub_after);
	grub_free(f->grub);
	free(f->path);
	if (boot_file_changed(f))
		free(f->new);
	free(f->old);
}

/* TEXT (LEN bytes) split as the kernel splits it. */
static void parse(struct kcmdline *c, const char *text, size_t len)
{
	(void)kcmdline_parse(c, text, len);
}

/* The file unchanged: the plan found nothing to do. */
static void unchanged(struct boot_file *f)
{
	f->new = f->old;
	f->newlen = f->oldlen;
}

/* "cannot edit ['VAR in ']'FILE': [line N: ]WHY; nothing changed" */
static void refusal(const struct boot_file *f, const struct boot_error *e)
{
	const char *file = e->file[0] ? e->file : f->path;
	struct strbuf what = STRBUF_INIT;

	if (e->var)
		strbuf_addf(&what, "%s in ", e->var);
	if (e->line)
		warnx("cannot edit %s'%s': line %u: %s; nothing changed", what.buf, root_show(file),
		      e->line, e->why);
	else
		warnx("cannot edit %s'%s': %s; nothing changed", what.buf, root_show(file), e->why);
	strbuf_release(&what);
}

/* Read what GRUB boots with F's file holding TEXT; NULL after saying why not. */
static struct grub_conf *grub_read(const struct boot_file *f, const char *text, size_t len)
{
	struct grub_conf *g = xmalloc(sizeof(*g));
	struct boot_error e;

	if (grub_conf_read(g, f->path, text, len, &e)) {
		refusal(f, &e);
		grub_free(g);
		return NULL;
	}
	return g;
}

/*
 * Whether the line GRUB's normal entries will boot has what OPS ask for;
 * when not, say which file has the last word and refuse.
 */
static bool grub_verify(const struct boot_file *f, const struct kparam_op *ops, size_t nops)
{
	const struct grub_conf *g = f->grub_after;
	struct kcmdline c;
	size_t i;
	int v;
	bool ok = true;

	parse(&c, g->normal, strlen(g->normal));
	for (i = 0; i < nops && ok; i++) {
		if (kparam_op_met(&ops[i], &c))
			continue;
		ok = false;
		for (v = GRUB_LINUX; v <= GRUB_LINUX_DEFAULT; v++) {
			const struct grub_value *gv = &g->var[v];

			if (!gv->assigned || !strcmp(gv->file, f->path))
				continue;
			warnx("'%s' line %u sets %s again after '%s' and wins: edit it there (--grub=%s); "
			      "nothing changed", root_show(gv->file), gv->line, grub_var_names[v],
			      root_show(f->path), gv->file);
			break;
		}
		if (v > GRUB_LINUX_DEFAULT)
			warnx("cannot edit '%s': the line GRUB boots would still not have %s%s; nothing changed",
			      root_show(f->path), ops[i].action == KPARAM_ADD ? "" : "no ", ops[i].text);
	}
	kcmdline_free(&c);
	return ok;
}

static int prepare_grub(struct boot_file *f, const struct kparam_op *ops, size_t nops,
			bool editing, enum grub_var var)
{
	struct boot_error e;
	struct kparam_op *todo;
	struct kcmdline c;
	size_t i, ntodo = 0;
	int r;

	if (!(f->grub = grub_read(f, f->old, f->oldlen)))
		return -1;
	boot_lines_add(&f->lines, f->grub->normal, strlen(f->grub->normal), 0, true);
	if (!editing)
		return 0;
	/* What the line booted already has is left alone, wherever it comes from. */
	todo = xcalloc(nops ? nops : 1, sizeof(*todo));
	parse(&c, f->grub->normal, strlen(f->grub->normal));
	for (i = 0; i < nops; i++)
		if (!kparam_op_met(&ops[i], &c))
			todo[ntodo++] = ops[i];
	kcmdline_free(&c);
	r = ntodo ? grub_plan(f->old, f->oldlen, var, grub_conf_overridden(f->grub, f->path),
			      todo, ntodo, &f->new, &f->newlen, &e) : 0;
	free(todo);
	if (r < 0) {
		refusal(f, &e);
		return -1;
	}
	if (r == 0) {
		unchanged(f);
		f->grub_after = f->grub;
	} else if (!(f->grub_after = grub_read(f, f->new, f->newlen))) {
		return -1;
	}
	return grub_verify(f, ops, nops) ? 0 : -1;
}

static int prepare_bls(struct boot_file *f, const struct kparam_op *ops, size_t nops, bool editing)
{
	bls_read(f->old, f->oldlen, &f->lines);
	if (!editing)
		return 0;
	if (memchr(f->lines.v[0].text, '$', f->lines.v[0].len))
		report_warn("'%s' takes options from GRUB environment variables ($...): those live in "
			    "grubenv and are not changed here", root_show(f->path));
	if (!bls_plan(f->old, f->oldlen, ops, nops, &f->new, &f->newlen))
		unchanged(f);
	return 0;
}

static int prepare_kernel_cmdline(struct boot_file *f, const struct kparam_op *ops, size_t nops,
				  bool editing)
{
	kernel_cmdline_read(f->old, f->oldlen, &f->lines);
	if (!editing)
		return 0;
	if (!kernel_cmdline_plan(f->old, f->oldlen, ops, nops, &f->new, &f->newlen))
		unchanged(f);
	return 0;
}

/* rEFInd's errors are always of one line of the file. */
static void refind_refusal(const struct boot_file *f, const struct boot_error *e)
{
	warnx("cannot edit '%s': line %u: %s; nothing changed", root_show(f->path), e->line, e->why);
}

static int prepare_refind(struct boot_file *f, const struct kparam_op *ops, size_t nops,
			  bool editing)
{
	struct boot_error e;

	if (refind_read(f->old, f->oldlen, &f->lines, &e) < 0) {
		refind_refusal(f, &e);
		return -1;
	}
	if (!editing)
		return 0;
	switch (refind_plan(f->old, f->oldlen, ops, nops, &f->new, &f->newlen, &e)) {
	case -1:
		refind_refusal(f, &e);
		return -1;
	case 0:
		unchanged(f);
	}
	return 0;
}

int boot_file_prepare(struct boot_file *f, const struct kparam_op *ops, size_t nops,
		      bool editing, enum grub_var var)
{
	f->old = config_read(f->path, &f->oldlen);
	if (!f->old) {
		if (errno == ENOENT)
			warn("could not read '%s'", root_show(f->path));
		return -1;
	}
	f->newlen = f->oldlen;
	switch (f->kind) {
	case BOOT_GRUB:
		return prepare_grub(f, ops, nops, editing, var);
	case BOOT_BLS:
		return prepare_bls(f, ops, nops, editing);
	case BOOT_KERNEL_CMDLINE:
		return prepare_kernel_cmdline(f, ops, nops, editing);
	case BOOT_REFIND:
		return prepare_refind(f, ops, nops, editing);
	}
	return -1;
}

/* Where the parameter at byte START of GRUB line LINE comes from. */
static enum grub_var grub_origin(const struct grub_conf *g, const char *line, size_t start)
{
	if (line == g->normal)
		return start < g->nlinux ? GRUB_LINUX : GRUB_LINUX_DEFAULT;
	return start < strlen(g->recovery) - g->var[GRUB_LINUX].len ? GRUB_LINUX_RECOVERY : GRUB_LINUX;
}

/* As the kernel sees LINE: the blanks GRUB puts around an empty variable dropped. */
static char *trimmed(const char *line, size_t len)
{
	size_t a = 0, b = len;

	while (a < b && kcmdline_space((unsigned char)line[a]))
		a++;
	while (b > a && kcmdline_space((unsigned char)line[b - 1]))
		b--;
	return xstrndup(line + a, b - a);
}

/* Where a GRUB parameter comes from: "FILE:VARIABLE", or 10_linux's own words. */
static void grub_param_source(struct out *o, const struct boot_file *f, const struct grub_conf *g,
			      const char *line, size_t start, struct strbuf *psrc)
{
	enum grub_var v = grub_origin(g, line, start);
	const struct grub_value *gv = &g->var[v];

	if (v == GRUB_LINUX_RECOVERY && !gv->assigned) {
		out_null(o, "variable");
		out_null(o, "from");
	} else {
		out_string(o, "variable", NULL, grub_var_names[v]);
		out_string(o, "from", NULL, root_show(gv->file));
		out_uint(o, "from_line", NULL, gv->line);
	}
	strbuf_addf(psrc, "%s:%s", root_show(gv->assigned ? gv->file : f->path),
		    v == GRUB_LINUX_RECOVERY && !gv->assigned ? "10_linux" : grub_var_names[v]);
}

/*
 * One command line: what it boots, then each parameter with where it
 * comes from.  SRC names the line in text; G and ENTRY for GRUB's.
 */
static void list_line(struct out *o, const struct boot_file *f, const char *src, unsigned lineno,
		      const char *line, size_t len, const struct grub_conf *g, const char *entry)
{
	/* the recovery line's parameters are the normal line's and its own words */
	bool each = !g || line == g->normal;
	struct kcmdline c;
	char *shown;
	size_t j;

	parse(&c, line, len);
	out_object_begin(o, NULL);
	out_string(o, "file", NULL, root_show(f->path));
	out_string(o, "kind", NULL, boot_kind_name(f->kind));
	if (f->kind == BOOT_REFIND)
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
	shown = trimmed(line, len);
	out_string(o, "cmdline", "", shown);
	free(shown);
	out_text(o, "\n");
	out_array_begin(o, "parameters");
	for (j = 0; j < c.n; j++) {
		char *text = xstrndup(line + c.p[j].start, c.p[j].end - c.p[j].start);
		struct strbuf psrc = STRBUF_INIT;

		out_object_begin(o, NULL);
		if (g)
			grub_param_source(o, f, g, line, c.p[j].start, &psrc);
		else
			strbuf_addstr(&psrc, src);
		if (each)
			out_text(o, "%s: ", psrc.buf);
		out_string(o, "text", each ? "" : NULL, text);
		out_string(o, "key", NULL, c.p[j].key);
		if (c.p[j].val)
			out_string(o, "value", NULL, c.p[j].val);
		else
			out_null(o, "value");
		out_bool(o, "init", NULL, j >= c.init);
		if (each)
			out_text(o, "\n");
		out_object_end(o);
		strbuf_release(&psrc);
		free(text);
	}
	out_array_end(o);
	out_object_end(o);
	kcmdline_free(&c);
}

void boot_file_list(struct out *o, const struct boot_file *f)
{
	const struct grub_conf *g = f->grub;
	size_t k;

	if (g) {
		for (k = 0; k < g->nsrc; k++)
			out_text(o, "%s: read\n", root_show(g->src[k].path));
		list_line(o, f, root_show(f->path), 0, g->normal, strlen(g->normal), g, "normal");
		if (g->recovery)
			list_line(o, f, root_show(f->path), 0, g->recovery, strlen(g->recovery),
				  g, "recovery");
		else
			out_text(o, "%s: no recovery entries (GRUB_DISABLE_RECOVERY=true)\n",
				 root_show(f->path));
		return;
	}
	for (k = 0; k < f->lines.n; k++) {
		const struct boot_line *l = &f->lines.v[k];
		struct strbuf src = STRBUF_INIT;

		strbuf_addstr(&src, root_show(f->path));
		if (l->lineno)
			strbuf_addf(&src, ":%u", l->lineno);
		list_line(o, f, src.buf, l->lineno, l->text, l->len, NULL, NULL);
		strbuf_release(&src);
	}
}

/* Append WORD to SB, after a blank when not the first. */
static void add_word(struct strbuf *sb, const char *word)
{
	if (sb->len)
		strbuf_addch(sb, ' ');
	strbuf_addstr(sb, word);
}

void boot_file_recovery_note(const struct boot_file *f, const struct kparam_op *ops, size_t nops)
{
	const struct grub_conf *b = f->grub, *a = f->grub_after;
	struct strbuf gain = STRBUF_INIT, lose = STRBUF_INIT, without = STRBUF_INIT,
		      still = STRBUF_INIT;
	struct kcmdline rb, ra;
	size_t i;

	if (!b || !a || !b->recovery || !a->recovery)
		return;
	parse(&rb, b->recovery, strlen(b->recovery));
	parse(&ra, a->recovery, strlen(a->recovery));
	for (i = 0; i < nops; i++) {
		bool before = kparam_op_met(&ops[i], &rb), after = kparam_op_met(&ops[i], &ra);

		if (!before && after)
			add_word(ops[i].action == KPARAM_ADD ? &gain : &lose, ops[i].text);
		else if (!after && ops[i].action == KPARAM_ADD)
			add_word(&without, ops[i].text);
		else if (!after)
			add_word(&still, ops[i].text);
	}
	if (gain.len)
		printf("Recovery entries get %s too (GRUB_CMDLINE_LINUX).\n", gain.buf);
	if (without.len)
		printf("Recovery entries go without %s: they boot GRUB_CMDLINE_LINUX alone.\n",
		       without.buf);
	if (lose.len)
		printf("Recovery entries lose %s too.\n", lose.buf);
	if (still.len)
		printf("Recovery entries still have %s: GRUB puts it there for them.\n", still.buf);
	strbuf_release(&gain);
	strbuf_release(&lose);
	strbuf_release(&without);
	strbuf_release(&still);
	kcmdline_free(&rb);
	kcmdline_free(&ra);
}

void boot_file_warn_iommu_off(const struct boot_file *f, const struct kparam_op *ops, size_t nops)
{
	size_t k;

	for (k = 0; k < f->lines.n; k++) {
		const struct boot_line *l = &f->lines.v[k];
		struct text_change *ch = NULL;
		struct kcmdline kc;
		long n = 0;
		char *now;
		const char *off;

		if (f->grub) {
			now = xstrdup(f->grub_after->normal);
		} else {
			n = kcmdline_plan(l->text, l->len, ops, nops, &ch);
			now = text_changes_apply(l->text, l->len, ch, (size_t)n, NULL);
		}
		parse(&kc, now, strlen(now));
		if ((off = iommu_param_off(&kc)))
			report_warn("'%s' still has %s, which turns the IOMMU off: --remove %s",
				    root_show(f->path), off, off);
		kcmdline_free(&kc);
		free(now);
		text_changes_free(ch, (size_t)n);
	}
}
