/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "boot/kcmdline.h"
#include "base/modname.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "base/banned.h"

bool kcmdline_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static char *dup_range(const char *s, size_t a, size_t b)
{
	return xstrndup(s + a, b > a ? b - a : 0);
}

/*
 * One parameter from S[*POS], as next_arg() reads it: the first '=' splits
 * name from value even inside quotes, a leading '"' of the parameter or of
 * its value goes, and with it a '"' at the very end.
 */
static void next_param(const char *s, size_t len, size_t *pos, struct kparam *kp)
{
	size_t a = *pos, i, eq = 0, cut, vstart = 0;
	bool quoted = false, in_quote = false, has_eq, last_gone = false;

	kp->start = a;
	if (s[a] == '"') {
		quoted = in_quote = true;
		a++;
	}
	for (i = a; i < len; i++) {
		if (kcmdline_space((unsigned char)s[i]) && !in_quote)
			break;
		/* An '=' first in the parameter does not count, as in the kernel. */
		if (!eq && s[i] == '=' && i > a)
			eq = i;
		if (s[i] == '"')
			in_quote = !in_quote;
	}
	kp->end = i;
	*pos = i;
	has_eq = eq != 0;
	if (has_eq) {
		vstart = eq + 1;
		if (vstart < i && s[vstart] == '"') {
			vstart++;
			if (s[i - 1] == '"')
				last_gone = true;
		}
	}
	if (quoted && i > a && s[i - 1] == '"')
		last_gone = true;
	cut = last_gone ? i - 1 : i;
	kp->key = dup_range(s, a, has_eq ? eq : cut);
	kp->val = has_eq ? dup_range(s, vstart, cut) : NULL;
}

void kcmdline_parse(struct kcmdline *c, const char *text, size_t len)
{
	size_t pos = 0, cap = 0;

	memset(c, 0, sizeof(*c));
	c->init = (size_t)-1;
	for (;;) {
		while (pos < len && kcmdline_space((unsigned char)text[pos]))
			pos++;
		if (pos >= len)
			break;
		XGROW(c->p, c->n + 1, cap);
		next_param(text, len, &pos, &c->p[c->n]);
		if (c->init == (size_t)-1 && !c->p[c->n].val && !strcmp(c->p[c->n].key, "--"))
			c->init = c->n;
		c->n++;
	}
	if (c->init == (size_t)-1)
		c->init = c->n;
}

void kcmdline_free(struct kcmdline *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->p[i].key);
		free(c->p[i].val);
	}
	free(c->p);
	memset(c, 0, sizeof(*c));
}


static bool val_equal(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

bool kcmdline_get(const struct kcmdline *c, const char *key, const char **val)
{
	size_t i = c->init;

	while (i--)
		if (modname_eq(c->p[i].key, key)) {
			*val = c->p[i].val;
			return true;
		}
	return false;
}

/* Whether P holds a '"' that is never closed, so that the kernel reads it to the end. */
static bool open_quote(const char *text, const struct kparam *p)
{
	size_t i, n = 0;

	for (i = p->start; i < p->end; i++)
		n += text[i] == '"';
	return n % 2;
}

int kparam_op_parse(struct kparam_op *op, enum kparam_action action, const char *arg,
		    const char **why)
{
	struct kcmdline c;
	size_t len = strlen(arg), i;

	memset(op, 0, sizeof(*op));
	for (i = 0; i < len; i++)
		if ((unsigned char)arg[i] < 0x20 || arg[i] == 0x7f) {
			*why = "it holds a control character";
			return -1;
		}
	kcmdline_parse(&c, arg, len);
	if (c.n != 1 || c.p[0].start != 0 || c.p[0].end != len) {
		*why = c.n > 1 ? "it is several parameters (quote a value with spaces: key=\"a b\")"
			       : "it is not one parameter";
		kcmdline_free(&c);
		return -1;
	}
	if (c.init == 0) {
		*why = "'--' ends the kernel's parameters and cannot be added or removed";
		kcmdline_free(&c);
		return -1;
	}
	if (open_quote(arg, &c.p[0])) {
		*why = "a double quote in it is never closed (the kernel would read on to the end of the line)";
		kcmdline_free(&c);
		return -1;
	}
	if (action == KPARAM_ADD && arg[0] == '#') {
		*why = "it starts with '#', where rEFInd, BLS entries and sh read a comment";
		kcmdline_free(&c);
		return -1;
	}
	if (!c.p[0].key[0]) {
		*why = "its name is empty";
		kcmdline_free(&c);
		return -1;
	}
	op->action = action;
	op->text = xstrdup(arg);
	op->key = c.p[0].key;
	op->val = c.p[0].val;
	free(c.p);
	return 0;
}

void kparam_op_free(struct kparam_op *op)
{
	free(op->text);
	free(op->key);
	free(op->val);
	memset(op, 0, sizeof(*op));
}

bool kparam_ops_conflict(const struct kparam_op *ops, size_t n, size_t *a, size_t *b)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			const struct kparam_op *x = &ops[i], *y = &ops[j];

			if (!modname_eq(x->key, y->key))
				continue;
			if (x->action == KPARAM_REMOVE && y->action == KPARAM_REMOVE)
				continue;
			if (x->action != y->action) {
				const struct kparam_op *rm = x->action == KPARAM_REMOVE ? x : y;
				const struct kparam_op *add = rm == x ? y : x;

				if (rm->val && !val_equal(rm->val, add->val))
					continue;
			}
			*a = i;
			*b = j;
			return true;
		}
	return false;
}

bool kparam_op_met(const struct kparam_op *op, const struct kcmdline *c)
{
	const char *v;
	size_t i;

	if (op->action == KPARAM_ADD)
		return kcmdline_get(c, op->key, &v) && val_equal(v, op->val);
	for (i = 0; i < c->init; i++)
		if (modname_eq(c->p[i].key, op->key) &&
		    (!op->val || val_equal(c->p[i].val, op->val)))
			return false;
	return true;
}

enum token_fate { KEEP, DROP, REPLACE };

struct plan {
	const char *text;
	const struct kcmdline *c;
	enum token_fate *fate;
	const struct kparam_op **with;	/* the ADD that replaces a token */
	struct text_change *ch;
	size_t n, cap;
};

static void add_change(struct plan *pl, size_t start, size_t end, const char *text)
{
	struct text_change *ch;

	XGROW(pl->ch, pl->n + 1, pl->cap);
	ch = &pl->ch[pl->n++];
	ch->start = start;
	ch->end = end;
	ch->text = xstrdup(text);
}

static const char *current_val(const struct plan *pl, size_t i)
{
	return pl->fate[i] == REPLACE ? pl->with[i]->val : pl->c->p[i].val;
}

static bool has_newline(const char *s, size_t a, size_t b)
{
	return memchr(s + a, '\n', b - a) != NULL;
}

/* Drop tokens I..J with the white space that separated them from the rest. */
static void drop_run(struct plan *pl, size_t i, size_t j)
{
	const struct kparam *p = pl->c->p;
	bool prev = i > 0, next = j + 1 < pl->c->n;

	if (prev && !has_newline(pl->text, p[i - 1].end, p[i].start))
		add_change(pl, p[i - 1].end, p[j].end, "");
	else if (next && !has_newline(pl->text, p[j].end, p[j + 1].start))
		add_change(pl, p[i].start, p[j + 1].start, "");
	else if (prev)
		add_change(pl, p[i - 1].end, p[j].end, "");
	else if (next)
		add_change(pl, p[i].start, p[j + 1].start, "");
	else
		add_change(pl, p[i].start, p[j].end, "");
}

static int change_order(const void *a, const void *b)
{
	const struct text_change *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* An insertion goes before a deletion that starts at the same place. */
	return (x->end > x->start) - (y->end > y->start);
}

static void append_new(struct plan *pl, const struct kparam_op **added, size_t nadded)
{
	const struct kcmdline *c = pl->c;
	size_t i, pos, last = (size_t)-1;
	bool before = false, after = false, open = false;
	struct strbuf s = STRBUF_INIT;

	for (i = 0; i < c->init; i++) {
		if (pl->fate[i] == DROP)
			continue;
		/* It takes all that follows it (it is the last): the new ones go before it. */
		if (pl->fate[i] == KEEP && open_quote(pl->text, &c->p[i]))
			open = true;
		else
			last = i;
	}
	if (last != (size_t)-1) {
		pos = c->p[last].end;
		before = true;
	} else if (c->n > 0) {
		pos = c->p[0].start;
		after = c->init < c->n || open;
	} else {
		pos = 0;
	}
	for (i = 0; i < nadded; i++) {
		if (i || before)
			strbuf_addch(&s, ' ');
		strbuf_addstr(&s, added[i]->text);
	}
	if (after)
		strbuf_addch(&s, ' ');
	add_change(pl, pos, pos, s.buf);
	strbuf_release(&s);
}

long kcmdline_plan(const char *text, size_t len, const struct kparam_op *ops, size_t nops,
		   struct text_change **changes)
{
	struct kcmdline c;
	struct plan pl = { 0 };
	const struct kparam_op **added = NULL;
	size_t k, i, j, nadded = 0;
	long ret;

	kcmdline_parse(&c, text, len);
	pl.text = text;
	pl.c = &c;
	pl.fate = xcalloc(c.n + 1, sizeof(*pl.fate));
	pl.with = xcalloc(c.n + 1, sizeof(*pl.with));
	added = xcalloc(nops + 1, sizeof(*added));
	for (k = 0; k < nops; k++) {
		const struct kparam_op *op = &ops[k];
		size_t first = (size_t)-1, lastk = (size_t)-1;

		for (i = 0; i < c.init; i++)
			if (pl.fate[i] != DROP && modname_eq(c.p[i].key, op->key)) {
				if (first == (size_t)-1)
					first = i;
				lastk = i;
			}
		if (op->action == KPARAM_REMOVE) {
			for (i = 0; i < c.init; i++)
				if (pl.fate[i] != DROP && modname_eq(c.p[i].key, op->key) &&
				    (!op->val || val_equal(current_val(&pl, i), op->val)))
					pl.fate[i] = DROP;
			continue;
		}
		if (lastk != (size_t)-1 && val_equal(current_val(&pl, lastk), op->val))
			continue;
		if (first == (size_t)-1) {
			added[nadded++] = op;
			continue;
		}
		for (i = first; i < c.init; i++)
			if (pl.fate[i] != DROP && modname_eq(c.p[i].key, op->key))
				pl.fate[i] = DROP;
		pl.fate[first] = REPLACE;
		pl.with[first] = op;
	}
	for (i = 0; i < c.n; i++) {
		if (pl.fate[i] == REPLACE)
			add_change(&pl, c.p[i].start, c.p[i].end, pl.with[i]->text);
		if (pl.fate[i] != DROP)
			continue;
		for (j = i; j + 1 < c.n && pl.fate[j + 1] == DROP; j++)
			;
		drop_run(&pl, i, j);
		i = j;
	}
	if (nadded)
		append_new(&pl, added, nadded);
	if (pl.n)
		qsort(pl.ch, pl.n, sizeof(*pl.ch), change_order);
	*changes = pl.ch;
	ret = (long)pl.n;
	free(pl.fate);
	free(pl.with);
	free(added);
	kcmdline_free(&c);
	return ret;
}
