/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/shvalue.h"
#include "base/text.h"
#include "base/xalloc.h"
#include "base/banned.h"

enum part_kind { P_LIT, P_REF, P_OTHER };

/* A piece of a word: one character, a $NAME, or what only running can tell. */
struct part {
	char *name;		/* P_REF */
	uint32_t a, b;		/* its bytes in the file (no file read is 4 GB) */
	uint32_t seg;		/* changes at every opening or closing quote */
	unsigned char kind;	/* enum part_kind */
	char ch;
	char quote;		/* 0, '\'' or '"' */
};

struct word {
	size_t a, b;
	unsigned line;
	struct part *p;
	size_t n, cap;
};

enum tok_kind { T_WORD, T_NL, T_SEMI, T_DSEMI, T_AMP, T_AND, T_OR, T_PIPE, T_LPAREN, T_RPAREN, T_REDIR, T_EOF };

struct lex {
	const char *s;
	size_t len, pos;
	unsigned line;
	struct shvalue_error *e;
};

/* Each character of a value and the assignment (and part of it) that wrote it. */
struct vchar {
	int32_t asg;		/* -1: none */
	uint32_t part;
	char ch;
};

struct vstr {
	struct vchar *c;
	size_t n, cap;
};

/* An assignment NAME=VALUE: the word, and where its value's parts start. */
struct asg {
	char *name;
	struct word w;
	size_t first;		/* first part of the value */
	bool shared;		/* its value also reaches another variable, or twice */
};

enum var_state { V_UNSET, V_KNOWN, V_UNKNOWN };

struct var {
	char *name;
	enum var_state st;
	struct vstr v;
	long last;		/* the assignment in effect, -1 if none */
	unsigned line;
	unsigned ro_line;	/* the line that made it readonly; 0: not readonly */
	char *why;		/* V_UNKNOWN: why (most variables never need one) */
};

struct shvalue {
	unsigned dash_stop;	/* the line where dash stops reading the file, bash not; 0: none */
	const char *text;
	size_t len;
	char *name;
	struct asg *asgs;
	size_t nasgs, capasgs;
	struct var *vars;
	size_t nvars, capvars;
	size_t *slots;		/* index + 1 in vars by name hash, 0 free */
	size_t nslots;		/* a power of two, at least twice nvars */
	long target;		/* index in vars of NAME, -1 until seen */
	char *value;
	size_t valuelen;
	bool any;		/* NAME is assigned somewhere, */
	unsigned first_line;	/* first at this line, */
	bool first_self;	/* and that value takes $NAME */
};

static void seterr(struct shvalue_error *e, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(struct shvalue_error *e, unsigned line, const char *fmt, ...)
{
	va_list ap;

	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->why, sizeof(e->why), fmt, ap);
	va_end(ap);
}

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? 2 * *cap : 16;
	return xreallocarray(p, *cap, size);
}

static void word_free(struct word *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->p[i].name);
	free(w->p);
	memset(w, 0, sizeof(*w));
}

static struct part *add_part(struct word *w, enum part_kind kind, char ch, char quote,
			     unsigned seg, size_t a, size_t b)
{
	struct part *p;

	w->p = grow(w->p, &w->cap, w->n, sizeof(*w->p));
	p = &w->p[w->n++];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->ch = ch;
	p->quote = quote;
	p->seg = seg;
	p->a = a;
	p->b = b;
	return p;
}

static bool name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

/* Skip to the CLOSE that ends a construct opened before POS, minding quotes and nesting. */
static int skip_nested(struct lex *lx, char open, char close, unsigned start_line)
{
	int depth = 1;

	while (lx->pos < lx->len) {
		char c = lx->s[lx->pos++];

		if (c == '\n')
			lx->line++;
		else if (c == '\\' && lx->pos < lx->len) {
			if (lx->s[lx->pos] == '\n')
				lx->line++;
			lx->pos++;
		} else if (c == '\'' || c == '"' || c == '`') {
			while (lx->pos < lx->len && lx->s[lx->pos] != c) {
				if (lx->s[lx->pos] == '\n')
					lx->line++;
				if (c != '\'' && lx->s[lx->pos] == '\\')
					lx->pos++;
				lx->pos++;
			}
			if (lx->pos >= lx->len)
				break;
			lx->pos++;
		} else if (c == open) {
			depth++;
		} else if (c == close && --depth == 0) {
			return 0;
		}
	}
	seterr(lx->e, start_line, "'%c' is never closed", open);
	return -1;
}

static int read_dollar(struct lex *lx, struct word *w, char quote, unsigned seg)
{
	size_t a = lx->pos, q;
	const char *s = lx->s;
	unsigned line = lx->line;

	lx->pos++;
	if (lx->pos < lx->len && s[lx->pos] == '{') {
		for (q = lx->pos + 1; q < lx->len && name_char(s[q]); q++)
			;
		if (q > lx->pos + 1 && name_start(s[lx->pos + 1]) && q < lx->len && s[q] == '}') {
			struct part *p = add_part(w, P_REF, 0, quote, seg, a, q + 1);

			p->name = xstrndup(s + lx->pos + 1, q - lx->pos - 1);
			lx->pos = q + 1;
			return 0;
		}
		lx->pos++;
		if (skip_nested(lx, '{', '}', line) < 0)
			return -1;
		add_part(w, P_OTHER, 0, quote, seg, a, lx->pos);
		return 0;
	}
	if (lx->pos < lx->len && s[lx->pos] == '(') {
		lx->pos++;
		if (skip_nested(lx, '(', ')', line) < 0)
			return -1;
		add_part(w, P_OTHER, 0, quote, seg, a, lx->pos);
		return 0;
	}
	if (lx->pos < lx->len && name_start(s[lx->pos])) {
		struct part *p;

		for (q = lx->pos; q < lx->len && name_char(s[q]); q++)
			;
		p = add_part(w, P_REF, 0, quote, seg, a, q);
		p->name = xstrndup(s + lx->pos, q - lx->pos);
		lx->pos = q;
		return 0;
	}
	if (lx->pos < lx->len && strchr("@*#?-$!0123456789", s[lx->pos])) {
		lx->pos++;
		add_part(w, P_OTHER, 0, quote, seg, a, lx->pos);
		return 0;
	}
	add_part(w, P_LIT, '$', quote, seg, a, a + 1);
	return 0;
}

static int read_backquote(struct lex *lx, struct word *w, char quote, unsigned seg)
{
	size_t a = lx->pos;
	unsigned line = lx->line;

	for (lx->pos++; lx->pos < lx->len && lx->s[lx->pos] != '`'; lx->pos++) {
		if (lx->s[lx->pos] == '\n')
			lx->line++;
		if (lx->s[lx->pos] == '\\')
			lx->pos++;
	}
	if (lx->pos >= lx->len) {
		seterr(lx->e, line, "'`' is never closed");
		return -1;
	}
	lx->pos++;
	add_part(w, P_OTHER, 0, quote, seg, a, lx->pos);
	return 0;
}

/* A tilde where sh would expand it in an assignment: first, or after ':' or '='. */
static bool tilde_expands(const struct word *w)
{
	const struct part *p = w->n ? &w->p[w->n - 1] : NULL;

	return !p || (p->kind == P_LIT && !p->quote && (p->ch == ':' || p->ch == '='));
}

static int read_word(struct lex *lx, struct word *w)
{
	const char *s = lx->s;
	unsigned seg = 0;

	w->a = lx->pos;
	w->line = lx->line;
	while (lx->pos < lx->len) {
		char c = s[lx->pos];
		size_t a = lx->pos;

		if (strchr(" \t\n;&|()<>", c))
			break;
		if (c == '\\') {
			if (a + 1 < lx->len && s[a + 1] == '\n') {
				lx->pos += 2;
				lx->line++;
			} else if (a + 1 < lx->len) {
				add_part(w, P_LIT, s[a + 1], 0, seg, a, a + 2);
				lx->pos += 2;
			} else {
				add_part(w, P_LIT, '\\', 0, seg, a, a + 1);
				lx->pos++;
			}
		} else if (c == '\'') {
			unsigned line = lx->line;

			seg++;
			for (lx->pos++; lx->pos < lx->len && s[lx->pos] != '\''; lx->pos++) {
				if (s[lx->pos] == '\n')
					lx->line++;
				add_part(w, P_LIT, s[lx->pos], '\'', seg, lx->pos, lx->pos + 1);
			}
			if (lx->pos >= lx->len) {
				seterr(lx->e, line, "a single quote is never closed");
				return -1;
			}
			lx->pos++;
			seg++;
		} else if (c == '"') {
			unsigned line = lx->line;

			seg++;
			lx->pos++;
			while (lx->pos < lx->len && s[lx->pos] != '"') {
				char d = s[lx->pos];
				size_t b = lx->pos;

				if (d == '\\' && b + 1 < lx->len && s[b + 1] == '\n') {
					lx->pos += 2;
					lx->line++;
				} else if (d == '\\' && b + 1 < lx->len && strchr("$`\"\\", s[b + 1])) {
					add_part(w, P_LIT, s[b + 1], '"', seg, b, b + 2);
					lx->pos += 2;
				} else if (d == '$') {
					if (read_dollar(lx, w, '"', seg) < 0)
						return -1;
				} else if (d == '`') {
					if (read_backquote(lx, w, '"', seg) < 0)
						return -1;
				} else {
					if (d == '\n')
						lx->line++;
					add_part(w, P_LIT, d, '"', seg, b, b + 1);
					lx->pos++;
				}
			}
			if (lx->pos >= lx->len) {
				seterr(lx->e, line, "a double quote is never closed");
				return -1;
			}
			lx->pos++;
			seg++;
		} else if (c == '$') {
			if (read_dollar(lx, w, 0, seg) < 0)
				return -1;
		} else if (c == '`') {
			if (read_backquote(lx, w, 0, seg) < 0)
				return -1;
		} else if (c == '~' && tilde_expands(w)) {
			add_part(w, P_OTHER, 0, 0, seg, a, a + 1);
			lx->pos++;
		} else {
			add_part(w, P_LIT, c, 0, seg, a, a + 1);
			lx->pos++;
		}
	}
	w->b = lx->pos;
	return 0;
}

/* The next token; a word goes to W.  -1 on a syntax this reader refuses. */
static int next_token(struct lex *lx, struct word *w, enum tok_kind *kind)
{
	const char *s = lx->s;

	for (;;) {
		while (lx->pos < lx->len && (s[lx->pos] == ' ' || s[lx->pos] == '\t'))
			lx->pos++;
		if (lx->pos + 1 < lx->len && s[lx->pos] == '\\' && s[lx->pos + 1] == '\n') {
			lx->pos += 2;
			lx->line++;
			continue;
		}
		if (lx->pos < lx->len && s[lx->pos] == '#') {
			while (lx->pos < lx->len && s[lx->pos] != '\n')
				lx->pos++;
		}
		break;
	}
	if (lx->pos >= lx->len) {
		*kind = T_EOF;
		return 0;
	}
	switch (s[lx->pos]) {
	case '\n':
		lx->pos++;
		lx->line++;
		*kind = T_NL;
		return 0;
	case ';':
		lx->pos++;
		*kind = T_SEMI;
		if (lx->pos < lx->len && s[lx->pos] == ';') {
			lx->pos++;
			*kind = T_DSEMI;
		}
		return 0;
	case '&':
	case '|': {
		char c = s[lx->pos++];

		*kind = c == '&' ? T_AMP : T_PIPE;
		if (lx->pos < lx->len && s[lx->pos] == c) {
			lx->pos++;
			*kind = c == '&' ? T_AND : T_OR;
		}
		return 0;
	}
	case '(':
		lx->pos++;
		*kind = T_LPAREN;
		return 0;
	case ')':
		lx->pos++;
		*kind = T_RPAREN;
		return 0;
	case '\0':
		/* No shell reads past it as text: dash drops it, bash warns. */
		seterr(lx->e, lx->line, "a NUL byte");
		return -1;
	case '<':
	case '>': {
		struct word target = { 0 };
		int r;

		if (s[lx->pos] == '<' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '<') {
			seterr(lx->e, lx->line, "a here-document ('<<')");
			return -1;
		}
		lx->pos++;
		if (lx->pos < lx->len && strchr("<>&|", s[lx->pos]))
			lx->pos++;
		while (lx->pos < lx->len && (s[lx->pos] == ' ' || s[lx->pos] == '\t'))
			lx->pos++;
		r = read_word(lx, &target);
		word_free(&target);
		*kind = T_REDIR;
		return r;
	}
	default:
		*kind = T_WORD;
		return read_word(lx, w);
	}
}

/* The word's text when it is all plain unquoted characters, else NULL. */
static bool word_is(const struct word *w, const char *text)
{
	size_t i, n = strlen(text);

	if (w->n != n)
		return false;
	for (i = 0; i < n; i++)
		if (w->p[i].kind != P_LIT || w->p[i].quote || w->p[i].ch != text[i])
			return false;
	return true;
}

/* NAME= at the start of W: the index of the '=' part, or 0 when not an assignment. */
static size_t assignment_eq(const struct word *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		const struct part *p = &w->p[i];

		if (p->kind != P_LIT || p->quote)
			return 0;
		if (p->ch == '=')
			return i > 0 && name_start(w->p[0].ch) ? i : 0;
		if (!name_char(p->ch))
			return 0;
	}
	return 0;
}

/* NAME+= at the start of W: the index of the '+' part, or 0. */
static size_t append_plus(const struct word *w)
{
	size_t i;

	for (i = 0; i + 1 < w->n; i++) {
		const struct part *p = &w->p[i];

		if (p->kind != P_LIT || p->quote)
			return 0;
		if (p->ch == '+')
			return i > 0 && name_start(w->p[0].ch) && w->p[i + 1].kind == P_LIT &&
			       !w->p[i + 1].quote && w->p[i + 1].ch == '=' ? i : 0;
		if (!name_char(p->ch))
			return 0;
	}
	return 0;
}

static size_t name_hash(const char *name)
{
	size_t h = 2166136261u;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h;
}

/* The slot of NAME: where it is, or the free one where it would go. */
static size_t *var_slot(struct shvalue *sv, const char *name)
{
	size_t i = name_hash(name) & (sv->nslots - 1);

	while (sv->slots[i] && strcmp(sv->vars[sv->slots[i] - 1].name, name))
		i = (i + 1) & (sv->nslots - 1);
	return &sv->slots[i];
}

/* The variable NAME, made unset when new: constant time on average. */
static struct var *find_var(struct shvalue *sv, const char *name)
{
	size_t *slot, i;

	if (2 * (sv->nvars + 1) > sv->nslots) {
		free(sv->slots);
		sv->nslots = sv->nslots ? 2 * sv->nslots : 64;
		sv->slots = xcalloc(sv->nslots, sizeof(*sv->slots));
		for (i = 0; i < sv->nvars; i++)
			*var_slot(sv, sv->vars[i].name) = i + 1;
	}
	slot = var_slot(sv, name);
	if (*slot)
		return &sv->vars[*slot - 1];
	sv->vars = grow(sv->vars, &sv->capvars, sv->nvars, sizeof(*sv->vars));
	memset(&sv->vars[sv->nvars], 0, sizeof(*sv->vars));
	sv->vars[sv->nvars].name = xstrdup(name);
	sv->vars[sv->nvars].last = -1;
	if (!strcmp(name, sv->name))
		sv->target = (long)sv->nvars;
	*slot = ++sv->nvars;
	return &sv->vars[sv->nvars - 1];
}

static void vput(struct vstr *v, char ch, long asg, size_t part)
{
	v->c = grow(v->c, &v->cap, v->n, sizeof(*v->c));
	v->c[v->n].ch = ch;
	v->c[v->n].asg = asg;
	v->c[v->n].part = part;
	v->n++;
}

static void set_unknown(struct var *v, unsigned line, const char *why)
{
	v->st = V_UNKNOWN;
	v->v.n = 0;
	v->line = line;
	free(v->why);
	v->why = xstrndup(why, 511);
}

/* Every variable may have changed here ('.', eval, read). */
static void all_unknown(struct shvalue *sv, unsigned line, const char *what)
{
	char why[160];
	size_t i;

	snprintf(why, sizeof(why), "'%s' may set it", what);
	for (i = 0; i < sv->nvars; i++)
		set_unknown(&sv->vars[i], line, why);
	if (sv->target < 0)
		set_unknown(find_var(sv, sv->name), line, why);
}

/* The characters of W's first N parts, as a string (a name has no others). */
static char *word_chars(const struct word *w, size_t n)
{
	char *s = xmalloc(n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		s[i] = w->p[i].ch;
	s[n] = '\0';
	return s;
}

static void assign(struct shvalue *sv, struct word *w, size_t eq, bool plain)
{
	char *name = word_chars(w, eq);
	struct var *v;
	struct vstr nv = { 0 };
	struct asg *a;
	long ai;
	size_t i, selfrefs = 0;

	if (!sv->any && !strcmp(name, sv->name)) {
		sv->any = true;
		sv->first_line = w->line;
		for (i = eq + 1; i < w->n; i++)
			if (w->p[i].kind == P_REF && !strcmp(w->p[i].name, name))
				sv->first_self = true;
	}
	v = find_var(sv, name);
	if (sv->dash_stop) {
		char why[200];

		snprintf(why, sizeof(why), "dash stops reading the file at line %u, while bash goes "
			 "on: which shell is /bin/sh decides", sv->dash_stop);
		set_unknown(v, w->line, why);
		free(name);
		return;
	}
	if (v->ro_line) {
		char why[200];

		snprintf(why, sizeof(why), "it is readonly since line %u: bash keeps the value it had "
			 "then, while dash stops reading the file here: which shell is /bin/sh decides",
			 v->ro_line);
		set_unknown(v, w->line, why);
		sv->dash_stop = w->line;
		free(name);
		return;
	}
	if (!plain) {
		set_unknown(v, w->line, "it is assigned inside a condition, a loop, a function, "
			    "a subshell or for one command only");
		free(name);
		return;
	}
	sv->asgs = grow(sv->asgs, &sv->capasgs, sv->nasgs, sizeof(*sv->asgs));
	ai = (long)sv->nasgs++;
	a = &sv->asgs[ai];
	a->name = name;
	a->w = *w;
	/* kept to the end: no room to spare (the parts are most of the memory used) */
	if (a->w.n && a->w.n < a->w.cap) {
		a->w.p = xreallocarray(a->w.p, a->w.n, sizeof(*a->w.p));
		a->w.cap = a->w.n;
	}
	a->first = eq + 1;
	a->shared = false;
	memset(w, 0, sizeof(*w));
	for (i = a->first; i < a->w.n; i++) {
		const struct part *p = &a->w.p[i];
		struct var *r;
		size_t k;

		if (p->kind == P_LIT) {
			vput(&nv, p->ch, ai, i);
			continue;
		}
		if (p->kind == P_OTHER) {
			char why[200];

			snprintf(why, sizeof(why), "its value has '%.*s', which only running the file can tell",
				 (int)(p->b - p->a > 60 ? 60 : p->b - p->a), sv->text + p->a);
			v = find_var(sv, name);
			set_unknown(v, a->w.line, why);
			free(nv.c);
			return;
		}
		r = find_var(sv, p->name);
		v = find_var(sv, name);
		if (r->st == V_UNKNOWN) {
			char why[512];

			snprintf(why, sizeof(why), "it takes $%.60s, and %.300s (line %u)", p->name, r->why, r->line);
			set_unknown(v, a->w.line, why);
			free(nv.c);
			return;
		}
		if (r == v && i == a->first && r->st == V_KNOWN) {
			/* X="$X ...": taken over, not copied, so that appending is linear. */
			selfrefs++;
			nv = v->v;
			memset(&v->v, 0, sizeof(v->v));
			continue;
		}
		if (r == v)
			selfrefs++;
		/* Even empty, its value goes here: what is added to it would too. */
		else if (r->st == V_KNOWN && r->last >= 0)
			sv->asgs[r->last].shared = true;
		for (k = 0; k < r->v.n; k++) {
			vput(&nv, r->v.c[k].ch, r->v.c[k].asg, r->v.c[k].part);
			if (r != v && r->v.c[k].asg >= 0)
				sv->asgs[r->v.c[k].asg].shared = true;
		}
	}
	v = find_var(sv, name);
	if (selfrefs > 1)
		for (i = 0; i < nv.n; i++)
			if (nv.c[i].asg != ai)
				sv->asgs[nv.c[i].asg].shared = true;
	free(v->v.c);
	v->v = nv;
	v->st = V_KNOWN;
	v->last = ai;
	v->line = a->w.line;
}

static const char *const reserved_open[] = { "if", "while", "until", "{", NULL };
static const char *const reserved_close[] = { "fi", "done", "}", NULL };
static const char *const reserved_mid[] = { "then", "else", "elif", "do", NULL };

static bool word_in(const struct word *w, const char *const *list)
{
	for (; *list; list++)
		if (word_is(w, *list))
			return true;
	return false;
}

struct cmdstate {
	int depth, in_case;
	enum tok_kind before;
};

/* One simple command's words, ended by AFTER. */
static void run_command(struct shvalue *sv, struct cmdstate *cs, struct word *words, size_t n,
			enum tok_kind after)
{
	size_t i = 0, k, j2;
	bool bang = false, plain, special = false;

	while (i < n) {
		struct word *w = &words[i];

		if (cs->in_case) {
			size_t j, eq;

			/* What a case branch assigns depends on what it matches when run. */
			for (j = i; j < n; j++)
				if ((eq = assignment_eq(&words[j])) || (eq = append_plus(&words[j])))
					assign(sv, &words[j], eq, false);
			if (word_is(w, "esac")) {
				cs->in_case--;
				cs->depth--;
			} else if (word_is(w, "case")) {
				cs->in_case++;
				cs->depth++;
			}
			return;
		}
		if (word_in(w, reserved_open)) {
			cs->depth++;
		} else if (word_in(w, reserved_close)) {
			cs->depth--;
		} else if (word_in(w, reserved_mid)) {
			;
		} else if (word_is(w, "!")) {
			bang = true;
		} else if (word_is(w, "for")) {
			cs->depth++;
			return;
		} else if (word_is(w, "case")) {
			cs->depth++;
			cs->in_case++;
			return;
		} else {
			break;
		}
		i++;
	}
	plain = cs->depth == 0 && !bang && cs->before != T_AND && cs->before != T_OR &&
		cs->before != T_PIPE && after != T_PIPE && after != T_AMP;
	for (k = i; k < n && assignment_eq(&words[k]); k++)
		;
	if (k < n && word_is(&words[k], "function")) {
		/* bash's "function NAME {": dash stops reading the file there, a syntax error. */
		static const char why[] = "'function' defines a function under bash, while dash "
			"stops reading the file there with a syntax error: which shell is /bin/sh decides";

		if (sv->target < 0)
			find_var(sv, sv->name);
		for (j2 = 0; j2 < sv->nvars; j2++)
			set_unknown(&sv->vars[j2], words[k].line, why);
		if (!sv->dash_stop)
			sv->dash_stop = words[k].line;
		for (j2 = k + 1; j2 < n; j2++)
			if (word_is(&words[j2], "{"))
				cs->depth++;
		return;
	}
	if (k < n && !append_plus(&words[k]) && (word_is(&words[k], "declare") ||
	    word_is(&words[k], "typeset") || word_is(&words[k], "local"))) {
		/* local outside a function is an error to both: bash goes on, dash stops. */
		const char *why = word_is(&words[k], "local") && cs->depth == 0 ?
			"local is for functions: bash says so and leaves it as it was, while dash "
			"stops reading the file here: which shell is /bin/sh decides" :
			"bash's declare, typeset or local sets it, while dash has none of them: "
			"which shell is /bin/sh decides";
		size_t j, eq;

		for (j = k + 1; j < n; j++)
			if ((eq = assignment_eq(&words[j])) || (eq = append_plus(&words[j]))) {
				char *nm = word_chars(&words[j], eq);

				set_unknown(find_var(sv, nm), words[j].line, why);
				free(nm);
				if (word_is(&words[k], "local") && cs->depth == 0 && !sv->dash_stop)
					sv->dash_stop = words[j].line;
			}
	}
	for (j2 = i; j2 < n; j2++) {
		size_t plus = append_plus(&words[j2]);

		if (plus) {
			char *nm = word_chars(&words[j2], plus);

			set_unknown(find_var(sv, nm), words[j2].line, "'+=' adds to it under bash, "
				    "while under dash the line is a command that is not found: which "
				    "shell is /bin/sh decides");
			free(nm);
		}
	}
	if (k < n) {
		struct word *cmd = &words[k];

		if (word_is(cmd, ".") || word_is(cmd, "source") || word_is(cmd, "eval") ||
		    word_is(cmd, "read") || word_is(cmd, "getopts")) {
			char what[32];
			size_t j;

			for (j = 0; j < cmd->n && j < sizeof(what) - 1; j++)
				what[j] = cmd->p[j].ch;
			what[j] = '\0';
			all_unknown(sv, cmd->line, what);
			return;
		}
		if (word_is(cmd, "unset")) {
			size_t j;

			for (j = k + 1; j < n; j++) {
				char *nm = word_chars(&words[j], words[j].n);
				struct var *v = find_var(sv, nm);

				free(nm);
				if (plain) {
					v->st = V_UNSET;
					v->v.n = 0;
				} else {
					set_unknown(v, words[j].line, "it is unset inside a condition");
				}
			}
		}
		special = word_is(cmd, "export") || word_is(cmd, "readonly");
		/* Assignments before a command hold for that command only. */
		for (; i < k; i++)
			assign(sv, &words[i], assignment_eq(&words[i]), false);
		if (special)
			for (i = k + 1; i < n; i++) {
				size_t eq = assignment_eq(&words[i]);
				unsigned line = words[i].line;
				char *nm = NULL;

				/* what follows may not assign it again */
				if (word_is(cmd, "readonly") && (eq || words[i].n))
					nm = word_chars(&words[i], eq ? eq : words[i].n);
				if (eq)
					assign(sv, &words[i], eq, plain);
				if (nm && !find_var(sv, nm)->ro_line)
					find_var(sv, nm)->ro_line = line;
				free(nm);
			}
		return;
	}
	for (; i < n; i++)
		assign(sv, &words[i], assignment_eq(&words[i]), plain);
}

static int parse(struct shvalue *sv, struct shvalue_error *e)
{
	struct lex lx = { sv->text, sv->len, 0, 1, e };
	struct cmdstate cs = { 0, 0, T_NL };
	struct word *words = NULL;
	size_t n = 0, cap = 0, i;
	bool had;
	int ret = -1;

	for (;;) {
		struct word w = { 0 };
		enum tok_kind k;

		if (next_token(&lx, &w, &k) < 0) {
			word_free(&w);
			goto out;
		}
		if (k == T_WORD) {
			words = grow(words, &cap, n, sizeof(*words));
			words[n++] = w;
			continue;
		}
		if (k == T_REDIR)
			continue;
		if (k == T_LPAREN && n > 0 && !cs.in_case) {
			/* name() { ...; }: a function; its body counts as nested. */
			enum tok_kind k2;
			struct word w2 = { 0 };

			if (next_token(&lx, &w2, &k2) < 0 || k2 != T_RPAREN) {
				word_free(&w2);
				seterr(e, lx.line, "'(' after a word");
				goto out;
			}
			for (i = 0; i < n; i++)
				word_free(&words[i]);
			n = 0;
			continue;
		}
		had = n > 0;
		if (n > 0)
			run_command(sv, &cs, words, n, k);
		for (i = 0; i < n; i++)
			word_free(&words[i]);
		n = 0;
		if (!cs.in_case) {
			if (k == T_LPAREN)
				cs.depth++;
			else if (k == T_RPAREN)
				cs.depth--;
		}
		if (k == T_EOF)
			break;
		/* A line break after && || | continues that list. */
		if (had || k != T_NL || (cs.before != T_AND && cs.before != T_OR && cs.before != T_PIPE))
			cs.before = k;
	}
	if (cs.depth != 0) {
		seterr(e, 0, "an if, loop, case, brace or parenthesis is never closed");
		goto out;
	}
	ret = 0;
out:
	for (i = 0; i < n; i++)
		word_free(&words[i]);
	free(words);
	return ret;
}

void shvalue_free(struct shvalue *sv)
{
	size_t i;

	if (!sv)
		return;
	for (i = 0; i < sv->nasgs; i++) {
		free(sv->asgs[i].name);
		word_free(&sv->asgs[i].w);
	}
	for (i = 0; i < sv->nvars; i++) {
		free(sv->vars[i].name);
		free(sv->vars[i].why);
		free(sv->vars[i].v.c);
	}
	free(sv->asgs);
	free(sv->vars);
	free(sv->slots);
	free(sv->name);
	free(sv->value);
	free(sv);
}

static struct shvalue *shvalue_parse(const char *text, size_t len, const char *name, struct shvalue_error *e)
{
	struct shvalue *sv = xcalloc(1, sizeof(*sv));

	sv->text = text;
	sv->len = len;
	sv->name = xstrdup(name);
	sv->target = -1;
	e->line = 0;
	e->why[0] = '\0';
	if (parse(sv, e) < 0) {
		shvalue_free(sv);
		return NULL;
	}
	return sv;
}

struct shvalue *shvalue_read(const char *text, size_t len, const char *name, struct shvalue_error *e)
{
	struct shvalue *sv = shvalue_parse(text, len, name, e);
	const struct var *v;
	size_t i;

	if (!sv)
		return NULL;
	v = sv->target >= 0 ? &sv->vars[sv->target] : NULL;
	if (v && v->st == V_UNKNOWN) {
		seterr(e, v->line, "%s", v->why);
		shvalue_free(sv);
		return NULL;
	}
	sv->valuelen = v ? v->v.n : 0;
	sv->value = xmalloc(sv->valuelen + 1);
	for (i = 0; i < sv->valuelen; i++)
		sv->value[i] = v->v.c[i].ch;
	sv->value[sv->valuelen] = '\0';
	return sv;
}

bool shvalue_assigned(const struct shvalue *sv, unsigned *line)
{
	const struct var *v = sv->target >= 0 ? &sv->vars[sv->target] : NULL;

	if (!v || v->last < 0 || v->st != V_KNOWN)
		return false;
	if (line)
		*line = v->line;
	return true;
}

const char *shvalue_value(const struct shvalue *sv, size_t *len)
{
	if (len)
		*len = sv->valuelen;
	return sv->value;
}

bool shvalue_file_assigns(const char *text, size_t len, const char *name, unsigned *line, bool *self)
{
	struct shvalue_error e;
	struct shvalue *sv = shvalue_parse(text, len, name, &e);
	bool found;

	*self = false;
	*line = 0;
	if (!sv)
		return true;
	found = sv->any;
	*line = sv->first_line;
	*self = sv->first_self;
	shvalue_free(sv);
	return found;
}

/* Edits of one assignment's value parts. */
struct asg_edit {
	bool *gone;		/* parts deleted */
	struct ins { size_t before; char *text; } *ins;
	size_t nins, capins;
	bool touched;
};

static void encode(char **out, size_t *len, size_t *cap, const char *text, char quote)
{
	for (; *text; text++) {
		char buf[8];
		size_t bl = 0, i;

		if (quote == '"' && strchr("\\\"$`", *text)) {
			buf[bl++] = '\\';
			buf[bl++] = *text;
		} else if (quote == '\'' && *text == '\'') {
			memcpy(buf, "'\\''", 4);
			bl = 4;
		} else {
			buf[bl++] = *text;
		}
		for (i = 0; i < bl; i++) {
			*out = grow(*out, cap, *len, 1);
			(*out)[(*len)++] = buf[i];
		}
	}
	*out = grow(*out, cap, *len, 1);
	(*out)[*len] = '\0';
}

static char *encoded(const char *text, char quote)
{
	char *s = NULL;
	size_t len = 0, cap = 0;

	encode(&s, &len, &cap, text, quote);
	return s;
}

/* The value of assignment A written anew in one pair of quotes, with its edits. */
static char *render(const struct shvalue *sv, const struct asg *a, const struct asg_edit *ed)
{
	char *s = NULL, quote = a->first < a->w.n ? '\'' : '"';
	size_t len = 0, cap = 0, k, j;
	char one[2] = { 0, 0 };

	for (k = a->first; k < a->w.n; k++)
		if (a->w.p[k].quote != '\'')
			quote = '"';
	for (j = 0; j < ed->nins; j++)
		if (strchr(ed->ins[j].text, '\''))
			quote = '"';
	encode(&s, &len, &cap, (char[]){ quote, 0 }, 0);
	for (k = a->first; k <= a->w.n; k++) {
		for (j = 0; j < ed->nins; j++)
			if (ed->ins[j].before == k)
				encode(&s, &len, &cap, ed->ins[j].text, quote);
		if (k == a->w.n || ed->gone[k])
			continue;
		if (a->w.p[k].kind == P_LIT) {
			one[0] = a->w.p[k].ch;
			encode(&s, &len, &cap, one, quote);
		} else {
			encode(&s, &len, &cap, "${", 0);
			encode(&s, &len, &cap, a->w.p[k].name, 0);
			encode(&s, &len, &cap, "}", 0);
		}
	}
	encode(&s, &len, &cap, (char[]){ quote, 0 }, 0);
	(void)sv;
	return s;
}

static void add_ins(struct asg_edit *ed, size_t before, const char *text)
{
	ed->ins = grow(ed->ins, &ed->capins, ed->nins, sizeof(*ed->ins));
	ed->ins[ed->nins].before = before;
	ed->ins[ed->nins].text = xstrdup(text);
	ed->nins++;
	ed->touched = true;
}

static bool bare_ref(const struct shvalue *sv, const struct part *p)
{
	return p->kind == P_REF && sv->text[p->b - 1] != '}';
}

static bool editable(const struct shvalue *sv, const struct vchar *c)
{
	return c->asg >= 0 && !strcmp(sv->asgs[c->asg].name, sv->name) && !sv->asgs[c->asg].shared;
}

static void cannot(const struct shvalue *sv, const struct vchar *c, struct shvalue_error *e)
{
	if (c->asg >= 0 && strcmp(sv->asgs[c->asg].name, sv->name))
		seterr(e, sv->asgs[c->asg].w.line, "that part of %s comes from $%s",
		       sv->name, sv->asgs[c->asg].name);
	else if (c->asg >= 0)
		seterr(e, sv->asgs[c->asg].w.line, "that part of %s is also used elsewhere "
		       "(another variable takes it, or it is taken twice)", sv->name);
	else
		seterr(e, 0, "that part of %s does not come from an assignment in the file", sv->name);
}

/*
 * Insert TEXT where the file spells it best: inside the quotes of the
 * part before or after, else the assignment is written anew.
 */
static int surgical_ins(const struct asg *a, const struct asg_edit *ed, size_t j,
			struct text_change *out, const char *text)
{
	size_t before = ed->ins[j].before;
	const struct part *prev, *next;
	size_t va = a->w.p[a->first - 1].b;

	/* Where parts around it go, it goes where they start, not amid them. */
	while (before > a->first && ed->gone[before - 1])
		before--;
	prev = before > a->first ? &a->w.p[before - 1] : NULL;
	next = before < a->w.n ? &a->w.p[before] : NULL;

	/* "$X" followed by a name character would read as another name. */
	if (prev && prev->kind == P_REF && text[prev->b - 1] != '}' && name_char(ed->ins[j].text[0]))
		return -1;
	if (prev && prev->quote) {
		out->start = out->end = prev->b;
		out->text = encoded(ed->ins[j].text, prev->quote);
		return 0;
	}
	if (!prev && next && next->quote) {
		out->start = out->end = next->a;
		out->text = encoded(ed->ins[j].text, next->quote);
		return 0;
	}
	if (!prev && !next && a->w.b - va == 2 && (text[va] == '"' || text[va] == '\'') &&
	    text[va + 1] == text[va]) {
		out->start = out->end = va + 1;
		out->text = encoded(ed->ins[j].text, text[va]);
		return 0;
	}
	return -1;
}

/*
 * Whether the assignment appended to the file in OUT stands alone as sh
 * reads it: a last line that goes on (after ||, && or |, a backslash)
 * would take it in.  Otherwise OUT is freed and E says why.
 */
static bool appended_alone(const struct shvalue *sv, char **out, size_t outlen,
			   const struct text_change *ch, size_t n, struct shvalue_error *e)
{
	struct shvalue *now = shvalue_read(*out, outlen, sv->name, e);
	char *want = text_changes_apply("", 0, ch, n, NULL);
	bool alone = now && shvalue_assigned(now, NULL) && !strcmp(now->value, want);

	shvalue_free(now);
	free(want);
	if (!alone) {
		seterr(e, 0, "its last line goes on, so an assignment of %s cannot be added "
		       "after it", sv->name);
		free(*out);
		*out = NULL;
	}
	return alone;
}

int shvalue_edit(const struct shvalue *sv, const struct text_change *ch, size_t n,
	       char **out, size_t *outlen, struct shvalue_error *e)
{
	const struct var *v = sv->target >= 0 ? &sv->vars[sv->target] : NULL;
	const struct vchar *vc = v ? v->v.c : NULL;
	size_t vn = v ? v->v.n : 0, i, j, k;
	struct asg_edit *ed;
	struct text_change *fch = NULL;
	size_t nf = 0, capf = 0;
	long final = v && v->st == V_KNOWN ? v->last : -1;
	int ret = -1;

	*out = NULL;
	e->line = 0;
	e->why[0] = '\0';
	if (final < 0) {
		/* Never assigned: a new assignment at the end. */
		char *add = text_changes_apply("", 0, ch, n, NULL), *q, *asg;
		bool nl = sv->len > 0 && sv->text[sv->len - 1] != '\n';

		q = encoded(add, '"');
		free(add);
		asg = xasprintf("%s%s=\"%s\"\n", nl ? "\n" : "", sv->name, q);
		free(q);
		*out = text_splice_n(sv->text, sv->len, sv->len, 0, asg, strlen(asg), outlen);
		free(asg);
		return appended_alone(sv, out, *outlen, ch, n, e) ? 0 : -1;
	}
	ed = xcalloc(sv->nasgs, sizeof(*ed));
	for (i = 0; i < sv->nasgs; i++)
		ed[i].gone = xcalloc(sv->asgs[i].w.n + 1, sizeof(bool));
	for (i = 0; i < n; i++) {
		const struct text_change *c = &ch[i];

		for (k = c->start; k < c->end; k++) {
			if (!editable(sv, &vc[k])) {
				cannot(sv, &vc[k], e);
				goto out;
			}
			ed[vc[k].asg].gone[vc[k].part] = true;
			ed[vc[k].asg].touched = true;
		}
		if (!c->text[0])
			continue;
		if (c->end > c->start) {
			add_ins(&ed[vc[c->start].asg], vc[c->start].part, c->text);
		} else if (c->start == vn) {
			/* What another variable takes from it would change too. */
			if (sv->asgs[final].shared) {
				seterr(e, sv->asgs[final].w.line, "%s is also used elsewhere (another "
				       "variable takes it, or it is taken twice)", sv->name);
				goto out;
			}
			add_ins(&ed[final], sv->asgs[final].w.n, c->text);
		} else if (c->start > 0 && editable(sv, &vc[c->start - 1])) {
			add_ins(&ed[vc[c->start - 1].asg], vc[c->start - 1].part + 1, c->text);
		} else if (editable(sv, &vc[c->start])) {
			add_ins(&ed[vc[c->start].asg], vc[c->start].part, c->text);
		} else {
			cannot(sv, &vc[c->start], e);
			goto out;
		}
	}
	for (i = 0; i < sv->nasgs; i++) {
		const struct asg *a = &sv->asgs[i];
		size_t mark = nf;
		bool whole = false;

		if (!ed[i].touched)
			continue;
		/* Deleted runs: one byte range each when inside one pair of quotes. */
		for (k = a->first; k < a->w.n && !whole; k++) {
			size_t m;

			if (!ed[i].gone[k])
				continue;
			for (m = k; m + 1 < a->w.n && ed[i].gone[m + 1]; m++)
				if (a->w.p[m + 1].seg != a->w.p[k].seg)
					whole = true;
			/* "$X" must not come to stand before a name character. */
			if (k > a->first && bare_ref(sv, &a->w.p[k - 1]) && m + 1 < a->w.n &&
			    a->w.p[m + 1].kind == P_LIT && name_char(a->w.p[m + 1].ch))
				whole = true;
			fch = grow(fch, &capf, nf, sizeof(*fch));
			fch[nf].start = a->w.p[k].a;
			fch[nf].end = a->w.p[m].b;
			fch[nf].text = xstrdup("");
			nf++;
			k = m;
		}
		for (j = 0; j < ed[i].nins && !whole; j++) {
			fch = grow(fch, &capf, nf, sizeof(*fch));
			if (surgical_ins(a, &ed[i], j, &fch[nf], sv->text) < 0)
				whole = true;
			else
				nf++;
		}
		if (whole) {
			while (nf > mark)
				free(fch[--nf].text);
			fch = grow(fch, &capf, nf, sizeof(*fch));
			fch[nf].start = a->w.p[a->first - 1].b;
			fch[nf].end = a->w.b;
			fch[nf].text = render(sv, a, &ed[i]);
			nf++;
		}
	}
	/* Insertions at a place where a deletion starts go first. */
	for (i = 1; i < nf; i++)
		for (j = i; j > 0 && (fch[j].start < fch[j - 1].start ||
				      (fch[j].start == fch[j - 1].start && fch[j].end == fch[j].start &&
				       fch[j - 1].end > fch[j - 1].start)); j--) {
			struct text_change t = fch[j];

			fch[j] = fch[j - 1];
			fch[j - 1] = t;
		}
	*out = text_changes_apply(sv->text, sv->len, fch, nf, outlen);
	ret = 0;
out:
	for (i = 0; i < sv->nasgs; i++) {
		for (j = 0; j < ed[i].nins; j++)
			free(ed[i].ins[j].text);
		free(ed[i].ins);
		free(ed[i].gone);
	}
	free(ed);
	text_changes_free(fch, nf);
	return ret;
}
