/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mkinitcpio reads /etc/mkinitcpio.conf and then, unless a preset names a
 * configuration file, the *.conf files of /etc/mkinitcpio.conf.d in
 * version order, all concatenated and sourced by bash.  MODULES load in their
 * order before any hook runs; the modconf hook puts /etc/modprobe.d in
 * the image; FILES are copied as they are.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "initramfs/gen-mkinitcpio.h"
#include "initramfs/shwords.h"
#include "base/configfile.h"
#include "base/dirlist.h"
#include "base/macros.h"
#include "base/modname.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define MAIN_CONF "/etc/mkinitcpio.conf"
#define DROPIN_DIR "/etc/mkinitcpio.conf.d"
#define DROPIN_NAME "vfio.conf"
#define DROPIN DROPIN_DIR "/" DROPIN_NAME
#define PRESET_DIR "/etc/mkinitcpio.d"

struct mkfile {
	char *path;
	char *orig;
	size_t origlen;
	char *text;
	bool counts;	/* read by mkinitcpio -P */
	bool ours;	/* the drop-in initramfs-vfio writes */
};

struct mk {
	struct mkfile *f;
	size_t n, alloc;
	size_t dropin_at;	/* where ours is or would be in the reading order */
	bool dropins_read;
	bool quiet;
};

/* Where a word of a variable is: file, assignment, word. */
struct loc {
	size_t file, assign, word;
	const char *value;
};

static const char *const vars[] = { "MODULES", "HOOKS" };

#define NVARS ARRAY_SIZE(vars)

/* The length of MODULES word W without the '?' that makes it optional to mkinitcpio. */
static size_t module_len(const char *w)
{
	size_t n = strlen(w);

	return n && w[n - 1] == '?' ? n - 1 : n;
}

static bool same(const char *var, const char *a, const char *b)
{
	size_t n = module_len(a);

	if (strcmp(var, "MODULES"))
		return !strcmp(a, b);
	return n == module_len(b) && modname_eqn(a, b, n);
}

/* Whether MODULES word W, optional or not, is a GPU driver. */
static bool gpu_word(const char *w)
{
	char *m = xstrndup(w, module_len(w));
	bool gpu = gen_gpu_module(m);

	free(m);
	return gpu;
}

static int add_file(struct mk *m, const char *path, bool counts)
{
	struct mkfile *f;

	XGROW(m->f, m->n + 1, m->alloc);
	f = &m->f[m->n];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->counts = counts;
	f->orig = config_read(path, &f->origlen);
	m->n++;
	if (!f->orig && errno != ENOENT)
		return -1;
	if (f->orig)
		f->text = xstrdup(f->orig);
	return 0;
}

static void mk_free(struct mk *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->f[i].path);
		free(m->f[i].orig);
		free(m->f[i].text);
	}
	free(m->f);
}

/*
 * A preset that names a configuration file makes mkinitcpio -P pass it
 * with -c, and then the drop-ins are not read.
 */
static void read_presets(struct mk *m, bool drop_in)
{
	struct strlist names = STRLIST_INIT;
	size_t i;

	m->dropins_read = true;
	dir_list(PRESET_DIR, ".preset", DIRLIST_HIDDEN, &names);
	for (i = 0; i < names.n; i++) {
		char *path = xasprintf("%s/%s", PRESET_DIR, names.v[i]), *text, *line, *save = NULL;
		unsigned int lineno = 0;

		text = config_read(path, NULL);
		if (!text) {
			free(path);
			continue;
		}
		for (line = text; line; line = save) {
			char *eq, *val, *p;

			save = strchr(line, '\n');
			if (save)
				*save++ = '\0';
			lineno++;
			line += strspn(line, " \t");
			eq = strstr(line, "_config=");
			if (!eq || line[0] == '#' || strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != (size_t)(eq - line) + 7)
				continue;
			val = eq + 8;
			p = val + strcspn(val, " \t#");
			*p = '\0';
			if ((*val == '"' || *val == '\'') && p > val + 1 && p[-1] == *val) {
				p[-1] = '\0';
				val++;
			}
			if (!*val)
				continue;
			m->dropins_read = false;
			if (m->quiet)
				continue;
			*eq = '\0';
			if (strcmp(val, MAIN_CONF))
				report_warn("'%s' line %u: %s_config names '%s', which initramfs-vfio does not edit",
					    root_show(path), lineno, line, val);
			else if (drop_in)
				report_warn("'%s' line %u sets %s_config: mkinitcpio -P then ignores the drop-ins "
					    "in '%s'; comment that line out", root_show(path), lineno, line,
					    root_show(DROPIN_DIR));
		}
		free(text);
		free(path);
	}
	strlist_free(&names);
}

static int load(struct mk *m)
{
	struct strlist names = STRLIST_INIT;
	size_t first, i;
	int r = 0;

	if (add_file(m, MAIN_CONF, true) < 0)
		return -1;
	first = m->n;
	dir_list(DROPIN_DIR, ".conf", DIRLIST_HIDDEN | DIRLIST_REGULAR, &names);
	if (!strlist_has(&names, DROPIN_NAME))
		strlist_add(&names, DROPIN_NAME);
	gen_version_sort(&names);
	for (i = 0; i < names.n && r == 0; i++) {
		char *path = xasprintf("%s/%s", DROPIN_DIR, names.v[i]);

		r = add_file(m, path, true);
		free(path);
	}
	strlist_free(&names);
	if (r < 0)
		return -1;
	for (i = first; i < m->n; i++)
		if (!strcmp(m->f[i].path, DROPIN)) {
			m->dropin_at = i;
			m->f[i].ours = m->f[i].orig && !strncmp(m->f[i].orig, INITRAMFS_OWN_HEADER,
								 strlen(INITRAMFS_OWN_HEADER));
		}
	return 0;
}

static int var_parse(const struct mkfile *f, const char *var, struct sh_var *v)
{
	unsigned int lineno;
	const char *why;

	if (!f->text) {
		memset(v, 0, sizeof(*v));
		return 0;
	}
	if (sh_var_parse(f->text, var, v, &lineno, &why) < 0) {
		warnx("could not parse '%s' line %u: %s", root_show(f->path), lineno, why);
		return -1;
	}
	return 0;
}

/*
 * The words of VAR as mkinitcpio ends up with them, from the files it
 * reads other than ours: an assignment starts the list afresh, += adds.
 * *base is the assignment that started it (file SIZE_MAX when none).
 */
static void effective(const struct mk *m, const char *var, struct loc **out, size_t *n,
		      struct loc *base, struct sh_var *vs)
{
	size_t i, j, k, alloc = 0;

	*n = 0;
	base->file = SIZE_MAX;
	for (i = 0; i < m->n; i++) {
		if (!m->f[i].counts || m->f[i].ours || (!m->f[i].text))
			continue;
		for (j = 0; j < vs[i].n; j++) {
			const struct sh_assign *a = &vs[i].v[j];

			if (!a->append) {
				*n = 0;
				base->file = i;
				base->assign = j;
			}
			for (k = 0; k < a->n; k++) {
				XGROW(*out, *n + 1, alloc);
				(*out)[(*n)++] = (struct loc){ i, j, k, a->w[k].value };
			}
		}
	}
}

static void vars_free(struct sh_var *vs, size_t n)
{
	size_t i;

	for (i = 0; vs && i < n; i++)
		sh_var_free(&vs[i]);
	free(vs);
}

/* VAR parsed in every file; NULL after an error. */
static struct sh_var *vars_parse(const struct mk *m, const char *var)
{
	struct sh_var *vs = xcalloc(m->n, sizeof(*vs));
	size_t i;

	for (i = 0; i < m->n; i++)
		if (var_parse(&m->f[i], var, &vs[i]) < 0) {
			vars_free(vs, m->n);
			return NULL;
		}
	return vs;
}

static void set_text(struct mkfile *f, char *text)
{
	free(f->text);
	f->text = text;
}

/*
 * Delete VALUE from an assignment of VAR in file I: assignment ASSIGN
 * (in order, SIZE_MAX for none), else the last that has it, the one that
 * takes effect; an earlier one the user wrote is not ours to change.
 */
static int delete_in_file(struct mk *m, size_t i, const char *var, const char *value, size_t assign)
{
	size_t j, k, pass;
	struct sh_var v;
	int r = 0;

	if (var_parse(&m->f[i], var, &v) < 0)
		return -1;
	for (pass = 0; pass < 2 && !r; pass++)
		for (j = v.n; j-- > 0 && !r; )
			for (k = 0; k < v.v[j].n && (pass || j == assign) && !r; k++)
				if (same(var, v.v[j].w[k].value, value)) {
					set_text(&m->f[i], sh_delete(m->f[i].text, &v.v[j], k));
					r = 1;
				}
	sh_var_free(&v);
	return r;
}

/* Which assignment of VAR in file I the record at MARK is above, where words were added; SIZE_MAX. */
static size_t assign_under(struct mk *m, size_t i, const char *var, long mark)
{
	size_t under = line_end(m->f[i].text, (size_t)mark) + 1, j, found = SIZE_MAX;
	struct sh_var v;

	if (var_parse(&m->f[i], var, &v) < 0)
		return SIZE_MAX;
	for (j = 0; j < v.n; j++)
		if (v.v[j].line == under)
			found = j;
	sh_var_free(&v);
	return found;
}

/*
 * Record OURS as what was added to VAR in file I, above the assignment at
 * LINE; CREATED: the assignment itself was added.
 */
static void record(struct mk *m, size_t i, const char *var, const struct strlist *ours, size_t line,
		   bool created)
{
	set_text(&m->f[i], gen_marker_write(m->f[i].text, var, ours, line, created));
}

/* Add MORE to the record of what was added to VAR in file I. */
static void merge_record(struct mk *m, size_t i, const char *var, const struct strlist *more,
			 size_t line)
{
	struct strlist had = STRLIST_INIT;
	bool created;
	size_t j;

	gen_marker_read(m->f[i].text, var, &had, &created);
	for (j = 0; j < more->n; j++)
		if (!strlist_has(&had, more->v[j]))
			strlist_add(&had, more->v[j]);
	record(m, i, var, &had, line, created);
	strlist_free(&had);
}

/* Delete the line of the assignment of VAR that follows the record at MARK, if it is empty. */
static int drop_created(struct mk *m, size_t i, const char *var, long mark)
{
	const char *t = m->f[i].text;
	size_t next = line_end(t, (size_t)mark) + 1, j;
	struct sh_var v;
	int r = 0;

	if (var_parse(&m->f[i], var, &v) < 0)
		return -1;
	for (j = 0; j < v.n; j++)
		if (v.v[j].line == next && !v.v[j].n) {
			size_t end = line_end(t, next);

			set_text(&m->f[i], text_splice(t, next, end - next + (t[end] != 0), ""));
			break;
		}
	sh_var_free(&v);
	return r;
}

/* Take out of every file what was added to VAR and is no longer wanted. */
static int take_out(struct mk *m, const char *var, const struct strlist *want)
{
	size_t i, j;

	for (i = 0; i < m->n; i++) {
		struct strlist ours = STRLIST_INIT, keep = STRLIST_INIT;
		bool created;
		long mark;
		int r = 0;

		if (m->f[i].ours || !m->f[i].text)
			continue;
		mark = gen_marker_read(m->f[i].text, var, &ours, &created);
		if (mark < 0) {
			strlist_free(&ours);
			continue;
		}
		for (j = 0; j < ours.n && r >= 0; j++) {
			if (strlist_has(want, ours.v[j]))
				strlist_add(&keep, ours.v[j]);
			else
				r = delete_in_file(m, i, var, ours.v[j], assign_under(m, i, var, mark));
		}
		if (r >= 0 && created && !keep.n)
			r = drop_created(m, i, var, mark);
		if (r >= 0)
			record(m, i, var, &keep, 0, created);
		strlist_free(&ours);
		strlist_free(&keep);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* A setting of VAR at the end of the main file, for one that sets none. */
static void create(struct mk *m, const char *var, const struct strlist *words)
{
	struct mkfile *f = &m->f[0];
	struct strbuf s = STRBUF_INIT;
	size_t len = strlen(f->text);

	strbuf_addf(&s, "%s%s%s=", f->text, len && f->text[len - 1] != '\n' ? "\n" : "", var);
	gen_join(&s, "(", words, " ", ")\n");
	len += len && f->text[len - 1] != '\n';
	set_text(f, strbuf_detach(&s, NULL));
	record(m, 0, var, words, len, true);
}

static bool has_systemd_hook(const struct mk *m)
{
	struct sh_var *vs = vars_parse(m, "HOOKS");
	struct loc *l = NULL, base;
	size_t n = 0, i;
	bool found = false;

	if (!vs)
		return false;
	effective(m, "HOOKS", &l, &n, &base, vs);
	for (i = 0; i < n; i++)
		found |= !strcmp(l[i].value, "systemd");
	free(l);
	vars_free(vs, m->n);
	return found;
}

/*
 * In the words L of VAR: *AT, the first that is WANT, and *BARRIER, the
 * first GPU driver (in MODULES); SIZE_MAX for none.
 */
static void locate(const char *var, const struct loc *l, size_t n, const char *want,
		   size_t *barrier, size_t *at)
{
	size_t k;

	*barrier = *at = SIZE_MAX;
	for (k = 0; k < n; k++) {
		if (*barrier == SIZE_MAX && !strcmp(var, "MODULES") && gpu_word(l[k].value))
			*barrier = k;
		if (*at == SIZE_MAX && same(var, l[k].value, want))
			*at = k;
	}
}

/* Where VAR's new words go among the words of A. */
static size_t insert_index(const char *var, const struct sh_assign *a)
{
	static const char *const early[] = { "base", "udev", "systemd", "autodetect", "microcode" };
	size_t i, at = 0, k;

	if (!strcmp(var, "MODULES")) {
		for (i = 0; i < a->n; i++)
			if (gpu_word(a->w[i].value))
				return i;
		return a->n;
	}
	if (!strcmp(var, "HOOKS")) {
		for (i = 0; i < a->n; i++)
			for (k = 0; k < ARRAY_SIZE(early); k++)
				if (!strcmp(a->w[i].value, early[k]))
					at = i + 1;
		return at;
	}
	return a->n;
}

/*
 * Put WANT into VAR where mkinitcpio takes VAR from: the file with its
 * last assignment.  Words already there stay, unless a GPU driver comes
 * before them in MODULES: then they move ahead of it.
 */
static int put_in_place(struct mk *m, const char *var, const struct strlist *want)
{
	struct strlist add = STRLIST_INIT, ours = STRLIST_INIT;
	struct sh_var *vs = NULL;
	struct loc *l = NULL, base;
	size_t n = 0, i;
	int r = -1;

	for (i = 0; i < want->n; i++) {
		size_t barrier, at;

		vars_free(vs, m->n);
		if (!(vs = vars_parse(m, var)))
			goto out;
		effective(m, var, &l, &n, &base, vs);
		if (base.file == SIZE_MAX) {
			if (!strcmp(var, "HOOKS")) {
				warnx("'%s' does not set HOOKS, without which mkinitcpio builds nothing",
				      root_show(MAIN_CONF));
				goto out;
			}
			create(m, var, want);
			r = 0;
			goto out;
		}
		locate(var, l, n, want->v[i], &barrier, &at);
		if (at != SIZE_MAX && (barrier == SIZE_MAX || at < barrier))
			continue;
		if (at != SIZE_MAX) {
			/* Behind a GPU driver: move it, and its record with it. */
			struct strlist theirs = STRLIST_INIT, left = STRLIST_INIT;
			size_t f = l[at].file, j;
			bool created;

			if (gen_marker_read(m->f[f].text, var, &theirs, &created) >= 0 &&
			    strlist_has(&theirs, want->v[i])) {
				for (j = 0; j < theirs.n; j++)
					if (strcmp(theirs.v[j], want->v[i]))
						strlist_add(&left, theirs.v[j]);
				record(m, f, var, &left, 0, created);
				strlist_add(&ours, want->v[i]);
			}
			strlist_free(&theirs);
			strlist_free(&left);
			if (delete_in_file(m, f, var, want->v[i], l[at].assign) < 0)
				goto out;
		} else {
			strlist_add(&ours, want->v[i]);
		}
		strlist_add(&add, want->v[i]);
	}
	if (add.n) {
		const struct sh_assign *a;
		struct mkfile *f;

		vars_free(vs, m->n);
		if (!(vs = vars_parse(m, var)))
			goto out;
		effective(m, var, &l, &n, &base, vs);
		f = &m->f[base.file];
		a = &vs[base.file].v[base.assign];
		if (!a->array && !a->quote) {
			warnx("'%s' line %u: %s is an unquoted word; write it as %s=(...), then run "
			      "this again", root_show(f->path), a->lineno, var, var);
			goto out;
		}
		if (!a->array && !strcmp(var, "MODULES") && has_systemd_hook(m)) {
			warnx("'%s' line %u: MODULES is a string, which the systemd hook passes to "
			      "systemd-modules-load as one name; write it as MODULES=(...), then run "
			      "this again", root_show(f->path), a->lineno);
			goto out;
		}
		set_text(f, sh_insert(f->text, a, insert_index(var, a),
				      (const char *const *)add.v, add.n));
		if (ours.n)
			merge_record(m, base.file, var, &ours, a->line);
	}
	r = 0;
out:
	vars_free(vs, m->n);
	free(l);
	strlist_free(&add);
	strlist_free(&ours);
	return r;
}

/*
 * The drop-in's line for VAR: the words of WANT that mkinitcpio does not
 * have yet, appended.  Refused where appending cannot work: a GPU driver
 * already in MODULES, the legacy string form, an assignment read later.
 */
static int dropin_line(const struct mk *m, const char *var, const struct strlist *want,
		       char **line)
{
	struct sh_var *vs = vars_parse(m, var);
	struct strlist add = STRLIST_INIT;
	struct loc *l = NULL, base;
	size_t n = 0, i, k;
	int r = -1;

	*line = NULL;
	if (!vs)
		goto out;
	effective(m, var, &l, &n, &base, vs);
	for (i = 0; i < want->n; i++) {
		size_t barrier, at;

		locate(var, l, n, want->v[i], &barrier, &at);
		if (at != SIZE_MAX && (barrier == SIZE_MAX || at < barrier))
			continue;
		if (barrier != SIZE_MAX) {
			const struct sh_assign *a = &vs[l[barrier].file].v[l[barrier].assign];

			warnx("'%s' line %u loads %s from MODULES, and a drop-in can only add after it; "
			      "run initramfs-vfio without --drop-in to put %s ahead of it",
			      root_show(m->f[l[barrier].file].path), a->lineno, l[barrier].value,
			      want->v[i]);
			goto out;
		}
		strlist_add(&add, want->v[i]);
	}
	if (!add.n) {
		r = 0;
		goto out;
	}
	if (base.file != SIZE_MAX && !vs[base.file].v[base.assign].array) {
		warnx("'%s' line %u: %s is a string (the legacy form), which %s+=(...) in a drop-in "
		      "would not split; write it as %s=(...) or run without --drop-in",
		      root_show(m->f[base.file].path), vs[base.file].v[base.assign].lineno, var, var, var);
		goto out;
	}
	for (i = m->dropin_at + 1; i < m->n; i++)
		for (k = 0; m->f[i].counts && k < vs[i].n; k++)
			if (!vs[i].v[k].append) {
				warnx("'%s' line %u sets %s after '%s', replacing what it adds",
				      root_show(m->f[i].path), vs[i].v[k].lineno, var, DROPIN_NAME);
				goto out;
			}
	{
		struct strbuf s = STRBUF_INIT;

		strbuf_addstr(&s, var);
		gen_join(&s, "+=(", &add, " ", ")\n");
		*line = strbuf_detach(&s, NULL);
	}
	r = 0;
out:
	if (vs)
		vars_free(vs, m->n);
	free(l);
	strlist_free(&add);
	return r;
}

static int write_dropin(struct mk *m, const struct strlist *want)
{
	char *lines[NVARS] = { NULL }, *s;
	size_t i, len = 0;
	int r = -1;

	for (i = 0; i < NVARS; i++) {
		if (dropin_line(m, vars[i], &want[i], &lines[i]) < 0)
			goto out;
		if (lines[i])
			len += strlen(lines[i]);
	}
	s = NULL;
	if (len) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addstr(&sb, INITRAMFS_OWN_HEADER ": load VFIO from the initramfs, ahead of "
			      "the GPU\n# drivers.  initramfs-vfio --remove deletes it.\n");
		for (i = 0; i < NVARS; i++)
			if (lines[i])
				strbuf_addstr(&sb, lines[i]);
		s = strbuf_detach(&sb, NULL);
	}
	set_text(&m->f[m->dropin_at], s);
	r = 0;
out:
	for (i = 0; i < NVARS; i++)
		free(lines[i]);
	return r;
}

static void warn_virqfd(const struct mk *m, const struct initramfs_want *w)
{
	struct sh_var *vs;
	struct loc *l = NULL, base;
	size_t n = 0, i;

	if (w->quiet || !w->no_virqfd || !(vs = vars_parse(m, "MODULES")))
		return;
	effective(m, "MODULES", &l, &n, &base, vs);
	for (i = 0; i < n; i++)
		if (same("MODULES", l[i].value, "vfio_virqfd") && strcmp(l[i].value, "vfio_virqfd?"))
			report_warn("'%s' line %u: MODULES lists vfio_virqfd, which kernel %s does not have "
				    "(it is part of vfio since Linux 6.2): mkinitcpio will not find it",
				    root_show(m->f[l[i].file].path),
				    vs[l[i].file].v[l[i].assign].lineno, w->no_virqfd);
	free(l);
	vars_free(vs, m->n);
}

static int plan(const struct initramfs_want *w, struct edit_list *l)
{
	struct mk m = { 0 };
	struct strlist want[NVARS] = { STRLIST_INIT, STRLIST_INIT }, none = STRLIST_INIT;
	bool drop_in;
	size_t i;
	int r = -1;

	m.quiet = w->quiet;
	if (load(&m) < 0)
		goto out;
	/* Once written, the drop-in is where initramfs-vfio keeps its part. */
	drop_in = w->drop_in || m.f[m.dropin_at].ours;
	read_presets(&m, drop_in);
	for (i = 1; i < m.n; i++)
		m.f[i].counts = m.dropins_read;
	if (!m.f[0].orig && w->nmodules) {
		warnx("could not read '%s': %s", root_show(MAIN_CONF), strerror(ENOENT));
		goto out;
	}
	for (i = 0; i < NVARS; i++) {
		struct sh_var *vs = vars_parse(&m, vars[i]);

		if (!vs)
			goto out;
		vars_free(vs, m.n);
	}
	if (drop_in && m.f[m.dropin_at].orig && !m.f[m.dropin_at].ours) {
		warnx("'%s' was not written by initramfs-vfio; move it away, then run this again",
		      root_show(DROPIN));
		goto out;
	}
	for (i = 0; i < w->nmodules; i++)
		strlist_add(&want[0], w->modules[i]);
	if (w->nmodules)
		strlist_add(&want[1], "modconf");
	for (i = 0; i < NVARS; i++)
		if (take_out(&m, vars[i], drop_in ? &none : &want[i]) < 0)
			goto out;
	if (drop_in && w->nmodules) {
		if (write_dropin(&m, want) < 0)
			goto out;
	} else {
		if (m.f[m.dropin_at].ours)
			set_text(&m.f[m.dropin_at], NULL);
		for (i = 0; i < NVARS; i++)
			if (put_in_place(&m, vars[i], &want[i]) < 0)
				goto out;
	}
	warn_virqfd(&m, w);
	for (i = 0; i < m.n; i++) {
		struct mkfile *f = &m.f[i];

		edit_list_add(l, f->path, f->orig, f->origlen, f->text, 0644);
		f->text = NULL;
	}
	r = 0;
out:
	for (i = 0; i < NVARS; i++)
		strlist_free(&want[i]);
	mk_free(&m);
	return r;
}

static void regen(struct initramfs_cmds *c)
{
	static const char *const argv[] = { "mkinitcpio", "-P", NULL };

	gen_cmd_add(c, argv);
}

const struct generator gen_mkinitcpio = {
	.name = "mkinitcpio",
	.programs = { "/usr/bin/mkinitcpio", "/usr/sbin/mkinitcpio" },
	.config = MAIN_CONF,
	.files = { MAIN_CONF },
	.dirs = { DROPIN_DIR },
	.image_prefix = "initramfs-",
	.image_suffix = ".img",
	.plan = plan,
	.regen = regen,
};
