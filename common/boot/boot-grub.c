/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GRUB's back end: /etc/default/grub and its drop-ins read together as
 * grub-mkconfig's shell reads them (shvalue.h), the lines its entries boot,
 * and edits of one file planned on the line the normal entries boot.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boot/boot.h"
#include "boot/shvalue.h"
#include "base/modname.h"
#include "base/root.h"
#include "base/text.h"
#include "base/xalloc.h"
#include "base/banned.h"

const char *const grub_var_names[GRUB_NVARS] = {
	"GRUB_CMDLINE_LINUX", "GRUB_CMDLINE_LINUX_DEFAULT", "GRUB_CMDLINE_LINUX_RECOVERY",
};

/* What 10_linux puts before GRUB_CMDLINE_LINUX in recovery entries when not told. */
#define GRUB_RECOVERY_WORDS "single"

static void seterr(struct boot_error *e, const char *file, unsigned line, const char *why)
{
	snprintf(e->file, sizeof(e->file), "%s", file ? file : "");
	e->var = NULL;
	e->line = line;
	snprintf(e->why, sizeof(e->why), "%s", why);
}

/* The file (one of G's sources) and its own line number for line LINE of G's text. */
static const char *grub_conf_where(const struct grub_conf *g, unsigned line, unsigned *fileline)
{
	size_t i = g->nsrc;

	while (i > 1 && g->src[i - 1].firstline > line)
		i--;
	if (!i) {
		*fileline = line;
		return "";
	}
	*fileline = line ? line - g->src[i - 1].firstline + 1 : 0;
	return g->src[i - 1].path;
}

/* Append file PATH's TEXT to G's text. */
static void add_source(struct grub_conf *g, const char *path, const char *text, size_t len)
{
	struct grub_source *s;
	char *t;

	g->src = xreallocarray(g->src, g->nsrc + 1, sizeof(*g->src));
	g->text = t = xreallocarray(g->text, g->len + len + 2, 1);
	if (g->len && t[g->len - 1] != '\n')
		t[g->len++] = '\n';
	s = &g->src[g->nsrc];
	s->path = xstrdup(path);
	s->start = g->len;
	s->firstline = line_number(t, g->len);
	g->nsrc++;
	memcpy(t + g->len, text, len);
	g->len += len;
	t[g->len] = '\0';
}

/* "A B" of two values, always with the blank 10_linux puts between them. */
static char *join(const char *a, size_t alen, const char *b, size_t blen)
{
	char *s = xmalloc(alen + blen + 2);

	memcpy(s, a, alen);
	s[alen] = ' ';
	memcpy(s + alen + 1, b, blen);
	s[alen + 1 + blen] = '\0';
	return s;
}

static int read_vars(struct grub_conf *g, struct boot_error *e)
{
	struct shvalue_error se;
	struct shvalue *sv;
	const char *val;
	size_t len;
	unsigned line;
	int i;
	bool norecovery = false;

	for (i = 0; i < GRUB_NVARS; i++) {
		struct grub_value *v = &g->var[i];

		if (!(sv = shvalue_read(g->text, g->len, grub_var_names[i], &se))) {
			const char *file = grub_conf_where(g, se.line, &line);

			seterr(e, file, line, se.why);
			e->var = grub_var_names[i];
			return 1;
		}
		val = shvalue_value(sv, &len);
		v->assigned = shvalue_assigned(sv, &line);
		v->file = grub_conf_where(g, line, &v->line);
		v->text = xstrndup(val, len);
		v->len = len;
		shvalue_free(sv);
	}
	sv = shvalue_read(g->text, g->len, "GRUB_DISABLE_RECOVERY", &se);
	if (sv) {
		norecovery = !strcmp(shvalue_value(sv, &len), "true");
		shvalue_free(sv);
	}
	g->nlinux = g->var[GRUB_LINUX].len;
	g->normal = join(g->var[GRUB_LINUX].text, g->var[GRUB_LINUX].len,
			 g->var[GRUB_LINUX_DEFAULT].text, g->var[GRUB_LINUX_DEFAULT].len);
	if (norecovery)
		return 0;
	if (g->var[GRUB_LINUX_RECOVERY].assigned)
		g->recovery = join(g->var[GRUB_LINUX_RECOVERY].text, g->var[GRUB_LINUX_RECOVERY].len,
				   g->var[GRUB_LINUX].text, g->var[GRUB_LINUX].len);
	else
		g->recovery = join(GRUB_RECOVERY_WORDS, strlen(GRUB_RECOVERY_WORDS),
				   g->var[GRUB_LINUX].text, g->var[GRUB_LINUX].len);
	return 0;
}

int grub_conf_read(struct grub_conf *g, const char *path, const char *text, size_t len,
		   struct boot_error *e)
{
	struct boot_paths d = { 0 };
	bool family = !strcmp(path, GRUB_DEFAULT_FILE);
	size_t i;
	int r = 0;

	memset(g, 0, sizeof(*g));
	e->file[0] = '\0';
	e->var = NULL;
	e->line = 0;
	e->why[0] = '\0';
	if (grub_dropins_find(&d) < 0) {
		seterr(e, GRUB_DROPIN_DIR, 0, strerror(errno));
		return 1;
	}
	for (i = 0; i < d.n; i++)
		family |= !strcmp(path, d.path[i]);
	for (i = 0; i <= d.n && r == 0; i++) {
		const char *p = i == 0 ? GRUB_DEFAULT_FILE : d.path[i - 1];
		char *own = NULL;
		size_t olen;

		if (!family) {
			if (i)
				break;
			p = path;
		}
		if (text && !strcmp(p, path)) {
			add_source(g, p, text, len);
			continue;
		}
		own = root_read_file(p, &olen);
		if (!own) {
			if (errno == ENOENT && strcmp(p, path))
				continue;
			if (errno == ENOMEM)
				xalloc_die();
			seterr(e, p, 0, strerror(errno));
			r = 1;
			break;
		}
		add_source(g, p, own, olen);
		free(own);
	}
	boot_paths_free(&d);
	if (r == 0 && !g->text)
		add_source(g, path, "", 0);
	if (r == 0)
		r = read_vars(g, e);
	return r;
}

int grub_conf_parse(struct grub_conf *g, const char *text, size_t len, struct boot_error *e)
{
	memset(g, 0, sizeof(*g));
	e->file[0] = '\0';
	e->var = NULL;
	e->line = 0;
	e->why[0] = '\0';
	add_source(g, "", text, len);
	return read_vars(g, e);
}

void grub_conf_free(struct grub_conf *g)
{
	size_t i;

	for (i = 0; i < g->nsrc; i++)
		free(g->src[i].path);
	free(g->src);
	for (i = 0; i < GRUB_NVARS; i++)
		free(g->var[i].text);
	free(g->text);
	free(g->normal);
	free(g->recovery);
	memset(g, 0, sizeof(*g));
}

const char *const grub_cfg_paths[] = { "/boot/grub/grub.cfg", "/boot/grub2/grub.cfg", NULL };

static bool older(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec < b->st_mtim.tv_sec ||
	       (a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec < b->st_mtim.tv_nsec);
}

const char *grub_cfg_stale(const struct grub_conf *g, const char **newer)
{
	struct stat cfg, st;
	size_t i, k;

	for (i = 0; grub_cfg_paths[i]; i++) {
		if (root_stat(grub_cfg_paths[i], &cfg) < 0 || !S_ISREG(cfg.st_mode))
			continue;
		for (k = 0; k < g->nsrc; k++)
			if (root_stat(g->src[k].path, &st) == 0 && older(&cfg, &st)) {
				*newer = g->src[k].path;
				return grub_cfg_paths[i];
			}
	}
	return NULL;
}

unsigned grub_conf_overridden(const struct grub_conf *g, const char *path)
{
	unsigned mask = 0, line;
	size_t i, end;
	bool after = false, self;
	int v;

	for (i = 0; i < g->nsrc; i++) {
		if (after) {
			end = i + 1 < g->nsrc ? g->src[i + 1].start : g->len;
			for (v = GRUB_LINUX; v <= GRUB_LINUX_DEFAULT; v++)
				if (shvalue_file_assigns(g->text + g->src[i].start, end - g->src[i].start,
						       grub_var_names[v], &line, &self) && !self)
					mask |= 1u << v;
		}
		after |= !strcmp(g->src[i].path, path);
	}
	return mask;
}

/* Whether C has KEY among the kernel's parameters. */
static bool has_key(const struct kcmdline *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->init; i++)
		if (modname_eq(c->p[i].key, key))
			return true;
	return false;
}

struct oplist {
	struct kparam_op *v;
	bool *own;
	size_t n;
};

static void push(struct oplist *l, const struct kparam_op *op, bool own)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->own = xreallocarray(l->own, l->n + 1, sizeof(*l->own));
	l->v[l->n] = *op;
	l->own[l->n++] = own;
}

static void oplist_free(struct oplist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->own[i])
			kparam_op_free(&l->v[i]);
	free(l->v);
	free(l->own);
}

static bool same_val(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/*
 * Remove from D the values of ADD's key other than its own: each as a
 * REMOVE of that parameter's key and value, as D's text spells it.
 */
static void push_conflicts(struct oplist *l, const struct kparam_op *add, const char *dtext,
			   const struct kcmdline *d)
{
	size_t i, k;

	for (i = 0; i < d->init; i++) {
		struct kparam_op op;
		bool dup = false;

		if (!modname_eq(d->p[i].key, add->key) || same_val(d->p[i].val, add->val))
			continue;
		for (k = 0; k < l->n; k++)
			dup |= l->v[k].action == KPARAM_REMOVE && modname_eq(l->v[k].key, d->p[i].key) &&
			       same_val(l->v[k].val, d->p[i].val);
		if (dup)
			continue;
		op.action = KPARAM_REMOVE;
		op.text = xmemdupz(dtext + d->p[i].start, d->p[i].end - d->p[i].start);
		op.key = xstrdup(d->p[i].key);
		op.val = d->p[i].val ? xstrdup(d->p[i].val) : NULL;
		push(l, &op, true);
	}
}

/* Make OPS in variable VAR of *TEXT; 1 when it changed, 0 when not, -1 with E. */
static int edit_var(char **text, size_t *len, enum grub_var var, const struct oplist *ops,
		    struct boot_error *e)
{
	struct shvalue_error se;
	struct shvalue *sv;
	struct text_change *ch = NULL;
	const char *val;
	size_t vlen, outlen;
	char *out;
	long n;

	if (!ops->n)
		return 0;
	if (!(sv = shvalue_read(*text, *len, grub_var_names[var], &se))) {
		snprintf(e->why, sizeof(e->why), "%s", se.why);
		e->var = grub_var_names[var];
		e->line = se.line;
		return -1;
	}
	val = shvalue_value(sv, &vlen);
	n = kcmdline_plan(val, vlen, ops->v, ops->n, &ch);
	if (n == 0) {
		shvalue_free(sv);
		return 0;
	}
	if (shvalue_edit(sv, ch, (size_t)n, &out, &outlen, &se) < 0) {
		snprintf(e->why, sizeof(e->why), "%s", se.why);
		e->var = grub_var_names[var];
		e->line = se.line;
		text_changes_free(ch, (size_t)n);
		shvalue_free(sv);
		return -1;
	}
	text_changes_free(ch, (size_t)n);
	shvalue_free(sv);
	free(*text);
	*text = out;
	*len = outlen;
	return 1;
}

int grub_plan(const char *text, size_t len, enum grub_var var, unsigned skip,
	      const struct kparam_op *ops, size_t nops, char **out, size_t *outlen,
	      struct boot_error *e)
{
	struct grub_conf g = { 0 };
	struct kcmdline all = { 0 }, cl = { 0 }, cd = { 0 };
	struct oplist lops = { 0 }, dops = { 0 };
	char *cur;
	size_t i, curlen = len;
	int r = -1, a, b;

	*out = NULL;
	*outlen = 0;
	if (grub_conf_parse(&g, text, len, e)) {
		grub_conf_free(&g);
		return -1;
	}
	/* a variable set anew later counts as empty here, and is not edited */
	for (a = GRUB_LINUX; a <= GRUB_LINUX_DEFAULT; a++)
		if (skip & (1u << a)) {
			g.var[a].text[0] = '\0';
			g.var[a].len = 0;
		}
	(void)kcmdline_parse(&cl, g.var[GRUB_LINUX].text, g.var[GRUB_LINUX].len);
	(void)kcmdline_parse(&cd, g.var[GRUB_LINUX_DEFAULT].text, g.var[GRUB_LINUX_DEFAULT].len);
	{
		char *line = join(g.var[GRUB_LINUX].text, g.var[GRUB_LINUX].len,
				  g.var[GRUB_LINUX_DEFAULT].text, g.var[GRUB_LINUX_DEFAULT].len);

		(void)kcmdline_parse(&all, line, strlen(line));
		free(line);
	}
	for (i = 0; i < nops; i++) {
		const struct kparam_op *op = &ops[i];

		if (kparam_op_met(op, &all))
			continue;
		if (op->action == KPARAM_REMOVE) {
			if (!(skip & 1u << GRUB_LINUX))
				push(&lops, op, false);
			if (!(skip & 1u << GRUB_LINUX_DEFAULT))
				push(&dops, op, false);
		} else if (has_key(&cl, op->key)) {
			push(&lops, op, false);
			push_conflicts(&dops, op, g.var[GRUB_LINUX_DEFAULT].text, &cd);
		} else if (has_key(&cd, op->key)) {
			push(&dops, op, false);
		} else if (!(skip & (1u << var))) {
			push(var == GRUB_LINUX_DEFAULT ? &dops : &lops, op, false);
		}
		/* else the caller finds the line still without it and says why */
	}
	cur = xmemdupz(text, len);
	a = edit_var(&cur, &curlen, GRUB_LINUX, &lops, e);
	b = a < 0 ? -1 : edit_var(&cur, &curlen, GRUB_LINUX_DEFAULT, &dops, e);
	if (a >= 0 && b >= 0) {
		r = a || b;
		if (r) {
			*out = cur;
			*outlen = curlen;
			cur = NULL;
		}
	}
	free(cur);
	oplist_free(&lops);
	oplist_free(&dops);
	kcmdline_free(&all);
	kcmdline_free(&cl);
	kcmdline_free(&cd);
	grub_conf_free(&g);
	return r;
}
