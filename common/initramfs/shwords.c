/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "initramfs/shwords.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "base/banned.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Characters that stand for themselves in an unquoted bash word. */
static bool plain_char(char c)
{
	return isalnum((unsigned char)c) || strchr("_-./:,+@%=?^#", c);
}

struct parser {
	const char *t;
	size_t p;
	const char *why;
	size_t where;
};

static int fail(struct parser *ps, const char *why)
{
	ps->why = why;
	ps->where = ps->p;
	return -1;
}

/*
 * The character at ps->p cannot be read without running the shell: name
 * it.  IN_ARRAY: the array it is in, whose unclosed parenthesis is what
 * a '(' there most likely means.
 */
static int fail_char(struct parser *ps, const struct sh_assign *in_array)
{
	static char why[128];
	unsigned char c = (unsigned char)ps->t[ps->p];

	if (c == '(' && in_array)
		snprintf(why, sizeof(why), "'(' inside the array opened on line %u, whose closing "
			 "parenthesis is missing", in_array->lineno);
	else if (c < 0x20 || c >= 0x7f)
		snprintf(why, sizeof(why), "the byte \\x%02x, which a plain word does not hold", c);
	else
		snprintf(why, sizeof(why), "'%c', which has a meaning to the shell", c);
	return fail(ps, why);
}

static void add_word(struct sh_assign *a, size_t start, size_t end, const char *value, size_t vlen)
{
	a->w = xreallocarray(a->w, a->n + 1, sizeof(*a->w));
	a->w[a->n++] = (struct sh_word){ start, end, xmemdupz(value, vlen) };
}

/* One word of array A, at ps->p; its value goes to BUF. */
static int parse_word(struct parser *ps, const struct sh_assign *a, char *buf, size_t size,
		      size_t *vlen)
{
	const char *t = ps->t;
	size_t n = 0;

	for (;;) {
		char c = t[ps->p];

		if (c == '\'' || c == '"') {
			const char *close = strchr(t + ps->p + 1, c);
			size_t len;

			if (!close)
				return fail(ps, "a quote that does not end");
			len = (size_t)(close - (t + ps->p + 1));
			if (memchr(t + ps->p + 1, '\n', len))
				return fail(ps, "a quoted word that spans lines");
			if (c == '"' && strpbrk(t + ps->p + 1, "$`\\") &&
			    strpbrk(t + ps->p + 1, "$`\\") < close)
				return fail(ps, "an expansion ($, ` or \\) inside double quotes");
			if (n + len >= size)
				return fail(ps, "a word that is too long");
			memcpy(buf + n, t + ps->p + 1, len);
			n += len;
			ps->p += len + 2;
		} else if (c && plain_char(c) && !(c == '#' && n == 0)) {
			if (n + 1 >= size)
				return fail(ps, "a word that is too long");
			buf[n++] = c;
			ps->p++;
		} else if (!c || blank(c) || c == '\n' || c == ')') {
			break;
		} else {
			return fail_char(ps, a);
		}
	}
	*vlen = n;
	return 0;
}

static int parse_array(struct parser *ps, struct sh_assign *a)
{
	const char *t = ps->t;
	char buf[4096];

	a->array = true;
	a->open = ps->p++;
	for (;;) {
		size_t start, vlen = 0;

		while (blank(t[ps->p]) || t[ps->p] == '\n')
			ps->p++;
		if (t[ps->p] == '#') {
			ps->p = line_end(t, ps->p);
			continue;
		}
		if (t[ps->p] == ')')
			break;
		if (!t[ps->p]) {
			ps->p = a->open;
			return fail(ps, "an array without its closing parenthesis");
		}
		start = ps->p;
		if (parse_word(ps, a, buf, sizeof(buf), &vlen) < 0)
			return -1;
		add_word(a, start, ps->p, buf, vlen);
	}
	a->close = ps->p++;
	a->multiline = memchr(t + a->open, '\n', a->close - a->open) != NULL;
	return 0;
}

/* The legacy string form: mkinitcpio splits it on spaces, first line only. */
static int parse_string(struct parser *ps, struct sh_assign *a)
{
	const char *t = ps->t;
	char q = t[ps->p];
	size_t i;

	a->quote = q;
	a->open = ps->p++;
	for (i = ps->p; t[i] && t[i] != q; i++) {
		if (t[i] == '\n')
			return fail(ps, "a quoted value that spans lines");
		if (t[i] == '\t')
			return fail(ps, "a tab inside the quotes (mkinitcpio splits on spaces only)");
		if (q == '"' && strchr("$`\\", t[i]))
			return fail(ps, "an expansion ($, ` or \\) inside double quotes");
	}
	if (!t[i])
		return fail(ps, "a quote that does not end");
	a->close = i;
	for (i = a->open + 1; i < a->close; ) {
		size_t s;

		while (i < a->close && t[i] == ' ')
			i++;
		if (i == a->close)
			break;
		for (s = i; i < a->close && t[i] != ' '; i++)
			;
		add_word(a, s, i, t + s, i - s);
	}
	ps->p = a->close + 1;
	return 0;
}

static int parse_unquoted(struct parser *ps, struct sh_assign *a)
{
	const char *t = ps->t;
	size_t s = ps->p;

	a->open = s;
	while (t[ps->p] && plain_char(t[ps->p]))
		ps->p++;
	if (t[ps->p] && !blank(t[ps->p]) && t[ps->p] != '\n')
		return fail_char(ps, NULL);
	a->close = ps->p;
	if (ps->p > s)
		add_word(a, s, ps->p, t + s, ps->p - s);
	return 0;
}

static int parse_assign(struct parser *ps, size_t namelen, struct sh_assign *a)
{
	const char *t = ps->t;
	int r;

	memset(a, 0, sizeof(*a));
	a->line = line_start(t, ps->p);
	a->lineno = line_number(t, ps->p);
	ps->p += namelen;
	if (t[ps->p] == '+') {
		a->append = true;
		ps->p++;
	}
	ps->p++;	/* '=' */
	if (t[ps->p] == '(')
		r = parse_array(ps, a);
	else if (t[ps->p] == '"' || t[ps->p] == '\'')
		r = parse_string(ps, a);
	else
		r = parse_unquoted(ps, a);
	if (r < 0)
		return -1;
	while (blank(t[ps->p]))
		ps->p++;
	if (t[ps->p] == '#')
		ps->p = line_end(t, ps->p);
	if (t[ps->p] && t[ps->p] != '\n')
		return fail(ps, "more than the assignment on its line");
	return 0;
}

/* Whether NAME appears as a word in the part of the line before a comment. */
static bool mentions(const char *t, size_t from, size_t to, const char *name, size_t namelen)
{
	size_t i;

	for (i = from; i < to; i++) {
		if (t[i] == '#' && (i == from || blank(t[i - 1])))
			return false;
		if (!strncmp(t + i, name, namelen) && i + namelen <= to &&
		    (i == from || !name_char(t[i - 1])) && !name_char(t[i + namelen]))
			return true;
	}
	return false;
}

void sh_var_free(struct sh_var *v)
{
	size_t i, j;

	for (i = 0; i < v->n; i++) {
		for (j = 0; j < v->v[i].n; j++)
			free(v->v[i].w[j].value);
		free(v->v[i].w);
	}
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

int sh_var_parse(const char *text, const char *name, struct sh_var *out,
		 unsigned int *lineno, const char **why)
{
	struct parser ps = { text, 0, NULL, 0 };
	size_t namelen = strlen(name);

	memset(out, 0, sizeof(*out));
	while (text[ps.p]) {
		size_t ls = ps.p, s = ps.p, le;

		while (blank(text[s]))
			s++;
		if (!strncmp(text + s, name, namelen) &&
		    (text[s + namelen] == '=' ||
		     (text[s + namelen] == '+' && text[s + namelen + 1] == '='))) {
			struct sh_assign a;

			ps.p = s;
			if (parse_assign(&ps, namelen, &a) < 0) {
				sh_var_free(out);
				*lineno = line_number(text, ps.where);
				*why = ps.why;
				for (size_t j = 0; j < a.n; j++)
					free(a.w[j].value);
				free(a.w);
				return -1;
			}
			out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
			out->v[out->n++] = a;
			if (text[ps.p])
				ps.p++;
			continue;
		}
		le = line_end(text, ls);
		if (mentions(text, s, le, name, namelen)) {
			sh_var_free(out);
			*lineno = line_number(text, ls);
			*why = "a use of the variable other than NAME=(...), NAME+=(...) or NAME=\"...\"";
			return -1;
		}
		ps.p = text[le] ? le + 1 : le;
	}
	return 0;
}

static bool first_on_line(const char *t, size_t off)
{
	size_t i;

	for (i = line_start(t, off); i < off; i++)
		if (!blank(t[i]))
			return false;
	return true;
}

static bool alone_on_line(const char *t, const struct sh_word *w)
{
	size_t i;

	if (!first_on_line(t, w->start))
		return false;
	for (i = w->end; t[i] && t[i] != '\n'; i++)
		if (!blank(t[i]))
			return false;
	return true;
}

static size_t indent_len(const char *t, size_t off)
{
	size_t s = line_start(t, off), i = s;

	while (blank(t[i]))
		i++;
	return i - s;
}

/* Words of A each on a line of their own, as in a list written one per line. */
static bool one_per_line(const char *t, const struct sh_assign *a)
{
	size_t i;

	for (i = 1; i < a->n; i++)
		if (line_start(t, a->w[i].start) == line_start(t, a->w[i - 1].start))
			return false;
	return true;
}

static char *joined(const char *const *words, size_t n, const char *lead,
		    const char *sep, const char *trail)
{
	struct strbuf s = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&s, lead);
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_addstr(&s, sep);
		strbuf_addstr(&s, words[i]);
	}
	strbuf_addstr(&s, trail);
	return strbuf_detach(&s, NULL);
}

/* Lines for WORDS indented like the line at OFF (or INDENT bytes of it). */
static char *lines_of(const char *t, size_t off, size_t indent, const char *const *words,
		      size_t n, bool each)
{
	char ind[256], sep[260];

	if (indent >= sizeof(ind))
		indent = sizeof(ind) - 1;
	memcpy(ind, t + line_start(t, off), indent);
	ind[indent] = '\0';
	snprintf(sep, sizeof(sep), "\n%s", ind);
	return joined(words, n, ind, each ? sep : " ", "\n");
}

char *sh_insert(const char *text, const struct sh_assign *a, size_t before,
		const char *const *words, size_t n)
{
	char *ins, *out;
	size_t at;

	if (a->multiline && before < a->n && first_on_line(text, a->w[before].start)) {
		/* Above the comment lines that introduce the word, not between. */
		at = line_start(text, a->w[before].start);
		while (at > a->open + 1) {
			size_t prev = line_start(text, at - 1), i = prev;

			while (blank(text[i]))
				i++;
			if (text[i] != '#' || prev <= a->open)
				break;
			at = prev;
		}
		ins = lines_of(text, a->w[before].start, indent_len(text, a->w[before].start),
			       words, n, one_per_line(text, a));
	} else if (a->multiline && before == a->n && first_on_line(text, a->close)) {
		if (!a->n) {
			at = line_start(text, a->close);
			ins = joined(words, n, "    ", "\n    ", "\n");
		} else if (first_on_line(text, a->w[a->n - 1].start)) {
			at = line_start(text, a->close);
			ins = lines_of(text, a->w[a->n - 1].start,
				       indent_len(text, a->w[a->n - 1].start), words, n,
				       one_per_line(text, a));
		} else {
			at = a->w[a->n - 1].end;
			ins = joined(words, n, " ", " ", "");
		}
	} else if (before < a->n) {
		at = a->w[before].start;
		ins = joined(words, n, "", " ", " ");
	} else if (a->n) {
		at = a->w[a->n - 1].end;
		ins = joined(words, n, " ", " ", "");
	} else {
		at = a->close;
		ins = joined(words, n, "", " ", "");
	}
	out = text_splice(text, at, 0, ins);
	free(ins);
	return out;
}

char *sh_delete(const char *text, const struct sh_assign *a, size_t i)
{
	const struct sh_word *w = &a->w[i];
	size_t from = w->start, to = w->end;

	if (a->multiline && alone_on_line(text, w)) {
		from = line_start(text, w->start);
		to = line_end(text, w->end);
		if (text[to])
			to++;
	} else if (i > 0 && (!blank(text[to]) ||
			     (i + 1 == a->n && !first_on_line(text, w->start)))) {
		/*
		 * A word goes with the blanks before it, as sh_insert() puts
		 * it; those after the last word and before the first are the
		 * array's.
		 */
		while (from > 0 && blank(text[from - 1]) && from - 1 > a->open)
			from--;
	} else if (blank(text[to])) {
		while (blank(text[to]))
			to++;
	}
	return text_splice(text, from, to - from, "");
}
