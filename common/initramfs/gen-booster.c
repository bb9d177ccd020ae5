/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * booster reads /etc/booster.yaml, a YAML mapping whose modules_force_load
 * is a comma-separated list of modules that its init loads at boot, all at
 * once rather than in order.  It takes `options` lines from modprobe.d
 * into the image, and nothing else of them: no softdep, no install.
 *
 * No YAML library: only the top level is read, and the one key is edited
 * when it is a plain or simply quoted scalar on one line.  Anything else
 * is refused rather than guessed at.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "initramfs/gen-booster.h"
#include "kmod/kmodules.h"
#include "kmod/vfioconf.h"
#include "kmod/vfiopaths.h"
#include "base/modname.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/strbuf.h"
#include "base/text.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define CONF "/etc/booster.yaml"
#define KEY "modules_force_load"

struct item {
	size_t start, end;
	char value[128];
};

/* The key's line and its list of modules. */
struct forced {
	bool found;
	unsigned int lineno;
	size_t line;		/* start of the key's line */
	size_t colon;
	size_t from, to;	/* the list, inside any quotes */
	bool quoted;
	bool comment;		/* a comment follows on the line */
	struct item *v;
	size_t n, alloc;
};

static int refuse(unsigned int lineno, const char *why)
{
	warnx("could not edit '%s' line %u safely: %s", root_show(CONF), lineno, why);
	return -1;
}

static bool key_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

static void parse_items(const char *t, struct forced *f)
{
	size_t p = f->from;

	while (p < f->to) {
		size_t s = p, e;

		while (p < f->to && t[p] != ',')
			p++;
		e = p;
		while (s < e && (t[s] == ' ' || t[s] == '\t'))
			s++;
		while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\t'))
			e--;
		if (e > s) {
			struct item *v;

			XGROW(f->v, f->n + 1, f->alloc);
			v = &f->v[f->n++];
			v->start = s;
			v->end = e;
			snprintf(v->value, sizeof(v->value), "%.*s", (int)(e - s), t + s);
		}
		if (p < f->to)
			p++;
	}
}

/* The value of the key's line at LINE; its text runs to END. */
static int parse_value(const char *t, size_t end, struct forced *f)
{
	size_t p = f->colon + 1, stop;

	while (p < end && (t[p] == ' ' || t[p] == '\t'))
		p++;
	/* A comment starts at a '#' after white space. */
	for (stop = p; stop < end && !(t[stop] == '#' && (t[stop - 1] == ' ' || t[stop - 1] == '\t')); stop++)
		;
	f->comment = stop < end;
	while (stop > p && (t[stop - 1] == ' ' || t[stop - 1] == '\t'))
		stop--;
	if (p < stop && (t[p] == '\'' || t[p] == '"')) {
		size_t i;

		if (stop - p < 2 || t[stop - 1] != t[p])
			return refuse(f->lineno, "a quoted value that does not end on its line");
		for (i = p + 1; i < stop - 1; i++)
			if (t[i] == t[p] || t[i] == '\\')
				return refuse(f->lineno, "quotes or escapes inside the quoted value");
		f->quoted = true;
		p++;
		stop--;
	} else if (p < stop && strchr("[]{}|>&*!%@`,?:-", t[p]) &&
		   !(t[p] == '-' && p + 1 < stop && isalnum((unsigned char)t[p + 1]))) {
		return refuse(f->lineno, "a value that is not a plain comma-separated list");
	} else if (memmem(t + p, stop - p, ": ", 2)) {
		return refuse(f->lineno, "a value with ': ' in it");
	}
	f->from = p;
	f->to = stop;
	parse_items(t, f);
	return 0;
}

/*
 * How many flow collections ('[', '{') the text from P to END opens and
 * does not close, comments aside.  Brackets inside quotes are counted
 * too: a refusal, not a wrong edit, is what that can cost.
 */
static int flow_depth(const char *t, size_t p, size_t end, int depth)
{
	for (; p < end; p++) {
		if (t[p] == '#' && (p == 0 || t[p - 1] == ' ' || t[p - 1] == '\t'))
			break;
		if (t[p] == '[' || t[p] == '{')
			depth++;
		else if ((t[p] == ']' || t[p] == '}') && depth > 0)
			depth--;
	}
	return depth;
}

/*
 * Check that TEXT is a block mapping whose top-level lines can be read
 * without a YAML parser, and find the key.
 */
static int parse(const char *t, struct forced *f)
{
	unsigned int lineno = 0;
	bool in_key = false, content = false;
	unsigned int flow_line = 0;
	int depth = 0;
	size_t p = 0;

	memset(f, 0, sizeof(*f));
	while (t[p]) {
		size_t end = line_end(t, p), k = p;

		lineno++;
		while (k < end && t[k] == ' ')
			k++;
		if (k < end && t[k] == '\t')
			return refuse(lineno, "a tab in the indentation");
		if (depth > 0) {
			/* inside a '[' or '{' of the lines above, whatever the indentation */
			depth = flow_depth(t, k, end, depth);
		} else if (k == end || t[k] == '#') {
			/* blank or comment */
		} else if (k > p) {
			if (in_key)
				return refuse(lineno, "the value of " KEY " goes on over several lines");
			if (!content)
				return refuse(lineno, "an indented first line");
		} else if (!content && !strncmp(t + p, "---", 3) && (end == p + 3 || t[p + 3] == ' ')) {
			/* the document start */
		} else {
			size_t c = p;

			while (c < end && key_char(t[c]))
				c++;
			if (c == p || c >= end || t[c] != ':' || (c + 1 < end && t[c + 1] != ' '))
				return refuse(lineno, "a line that is not a top-level key: value");
			in_key = false;
			depth = flow_depth(t, c + 1, end, 0);
			flow_line = lineno;
			if (c - p == strlen(KEY) && !strncmp(t + p, KEY, c - p)) {
				if (f->found)
					return refuse(lineno, KEY " a second time");
				f->found = true;
				f->lineno = lineno;
				f->line = p;
				f->colon = c;
				if (parse_value(t, end, f) < 0)
					return -1;
				in_key = true;
			}
			content = true;
		}
		p = t[end] ? end + 1 : end;
	}
	/* What is added at the end would be inside it. */
	if (depth > 0)
		return refuse(flow_line, "a '[' or '{' that is never closed");
	return 0;
}

static char *replace(char *text, size_t at, size_t len, const char *ins)
{
	char *s = text_splice(text, at, len, ins);

	free(text);
	return s;
}

/* TEXT without item I of the list, and its comma. */
static char *delete_item(char *text, const struct forced *f, size_t i, bool created)
{
	size_t from, to;

	if (i + 1 < f->n) {
		from = f->v[i].start;
		to = f->v[i + 1].start;
	} else if (i > 0) {
		from = f->v[i - 1].end;
		to = f->v[i].end;
	} else if (created) {
		/* The last one, on the line initramfs-vfio added: the line goes. */
		from = f->line;
		to = line_end(text, f->line);
		if (text[to])
			to++;
	} else {
		from = f->quoted ? f->v[i].start : f->colon + 1;
		to = f->v[i].end;
	}
	return replace(text, from, to - from, "");
}

static void warn_booster(const struct forced *f, const struct initramfs_want *w)
{
	struct vfio_persist vp;
	const char *why;
	char *conf;
	size_t i;

	if (w->quiet || !w->nmodules)
		return;
	for (i = 0; i < f->n; i++)
		if (gen_gpu_module(f->v[i].value))
			report_warn("'%s' line %u: booster loads the modules of " KEY " all at once, not in "
				    "order: %s may claim the GPU before vfio_pci", root_show(CONF), f->lineno,
				    f->v[i].value);
	conf = root_read_file(VFIO_MODPROBE_CONF, NULL);
	if (conf && vfioconf_parse(conf, &vp, &why) == 0) {
		for (i = 0; i < vp.n; i++)
			if (vp.v[i].by_address)
				report_warn("booster runs no modprobe install command, so %s, which vfio-bind binds "
					    "by address, is not claimed from its image", vp.v[i].name);
		vfioconf_free(&vp);
	}
	free(conf);
}

/* The item of F that is MODULE (either spelling), or F->n. */
static size_t find_item(const struct forced *f, const char *module)
{
	size_t k;

	for (k = 0; k < f->n && !modname_eq(f->v[k].value, module); k++)
		;
	return k;
}

static char *edit(const char *old, const struct initramfs_want *w)
{
	struct strlist ours = STRLIST_INIT, keep = STRLIST_INIT, add = STRLIST_INIT;
	struct strbuf list = STRBUF_INIT;
	struct forced f = { 0 };
	char *text = xstrdup(old ? old : ""), *ins, *out = NULL;
	bool created = false;
	const char *sep;
	size_t i, k;

	if (parse(text, &f) < 0)
		goto out;
	gen_marker_read(text, KEY, &ours, &created);
	/* What was added and is no longer wanted goes, one item at a time. */
	for (i = 0; i < ours.n; i++) {
		bool wanted = false;

		for (k = 0; k < w->nmodules; k++)
			wanted |= !strcmp(ours.v[i], w->modules[k]);
		if (wanted) {
			strlist_add(&keep, ours.v[i]);
			continue;
		}
		k = find_item(&f, ours.v[i]);
		if (k < f.n) {
			text = delete_item(text, &f, k, created);
			free(f.v);
			if (parse(text, &f) < 0)
				goto out;
		}
	}
	warn_booster(&f, w);
	for (i = 0; i < w->nmodules; i++) {
		/* The record may name it already, when its line was deleted by hand. */
		if (find_item(&f, w->modules[i]) == f.n) {
			strlist_add(&add, w->modules[i]);
			if (!strlist_has(&keep, w->modules[i]))
				strlist_add(&keep, w->modules[i]);
		}
	}
	sep = f.found && f.to > f.from && memmem(text + f.from, f.to - f.from, ", ", 2) ? ", " : ",";
	gen_join(&list, "", &add, sep, "");
	if (add.n && !f.found) {
		size_t at = strlen(text);

		ins = xasprintf("%s%s: %s\n", at && text[at - 1] != '\n' ? "\n" : "", KEY, list.buf);
		text = replace(text, at, 0, ins);
		free(ins);
		at += at && text[at] == '\n';
		out = gen_marker_write(text, KEY, &keep, at, true);
	} else if (add.n) {
		/* booster loads them all at once: ahead of the GPU drivers only for the eye. */
		for (k = 0; k < f.n && !gen_gpu_module(f.v[k].value); k++)
			;
		if (k < f.n) {
			ins = xasprintf("%s%s", list.buf, sep);
			text = replace(text, f.v[k].start, 0, ins);
		} else if (f.n) {
			ins = xasprintf("%s%s", sep, list.buf);
			text = replace(text, f.v[f.n - 1].end, 0, ins);
		} else if (f.quoted) {
			ins = xstrdup(list.buf);
			text = replace(text, f.from, 0, ins);
		} else {
			ins = xasprintf(" %s", list.buf);
			text = replace(text, f.colon + 1, 0, ins);
		}
		free(ins);
		out = gen_marker_write(text, KEY, &keep, f.line, created);
	} else {
		out = gen_marker_write(text, KEY, &keep, f.found ? f.line : 0, created);
	}
out:
	free(text);
	strbuf_release(&list);
	free(f.v);
	strlist_free(&ours);
	strlist_free(&keep);
	strlist_free(&add);
	return out;
}

/* booster.yaml stays when emptied, as booster's package installs it empty. */
static int plan(const struct initramfs_want *w, struct edit_list *l)
{
	return gen_plan_edit(l, CONF, w, edit);
}

static bool executable(const char *path)
{
	struct stat st;

	return root_stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

/* Arch's kernel packages name their images after the package, in pkgbase. */
static char *image(const char *release)
{
	char *path = xasprintf("/usr/lib/modules/%s/pkgbase", release), *text, *img;
	size_t n = 0, i;

	text = root_read_file(path, NULL);
	free(path);
	if (text) {
		n = strcspn(text, "\n");
		text[n] = '\0';
		for (i = 0; i < n; i++)
			if (!isalnum((unsigned char)text[i]) && !strchr("._+-", text[i]))
				n = 0;
	}
	img = xasprintf("/boot/booster-%s.img", text && n ? text : release);
	free(text);
	return img;
}

/* Arch's regenerate_images where it is, else booster build for each kernel. */
static void regen(struct initramfs_cmds *c)
{
	static const char *const regenerate[] = { "/usr/lib/booster/regenerate_images", NULL };
	char **kernels = NULL;
	int n, i;

	if (executable(regenerate[0])) {
		gen_cmd_add(c, regenerate);
		return;
	}
	n = kernels_installed(&kernels);
	if (n < 0)
		xalloc_die();
	for (i = 0; i < n; i++) {
		char *img = image(kernels[i]);
		const char *argv[] = { "booster", "build", "--force", "--kernel-version", kernels[i],
				       img, NULL };

		gen_cmd_add(c, argv);
		free(img);
	}
	kernels_free(kernels, n);
}

const struct generator gen_booster = {
	.name = "booster",
	.programs = { "/usr/bin/booster" },
	.config = CONF,
	.files = { CONF },
	.image_prefix = "booster-",
	.image_suffix = ".img",
	.plan = plan,
	.regen = regen,
};
