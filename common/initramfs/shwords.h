/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Variables in configuration files that bash sources, such as
 * mkinitcpio.conf: the assignments of one variable, the words of each
 * value with their place in the text, and word insertions and deletions
 * that leave every other byte, comment and line break where it was.
 *
 * Only values whose meaning is plain are accepted: an array NAME=(...)
 * on one line or many, with comments between the words, or a quoted
 * string NAME="..." on one line (the legacy form, whose words are split
 * on spaces).  A word may be quoted, but nothing may expand: no $, `, \,
 * glob brackets or braces.  Anything else that names the variable is
 * refused, so that no edit rests on a guess.
 */
#ifndef VFIO_SHWORDS_H
#define VFIO_SHWORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/text.h"

struct sh_word {
	size_t start, end;	/* the word in the text, quotes included */
	char *value;		/* what bash makes of it */
};

struct sh_assign {
	bool append;		/* NAME+= */
	bool array;		/* NAME=(...); otherwise the string form */
	char quote;		/* string form: '"' or '\'', 0 when unquoted */
	unsigned int lineno;	/* from 1 */
	size_t line;		/* start of the line that holds NAME */
	size_t open, close;	/* '(' and ')', or the two quotes */
	bool multiline;		/* the value spans lines */
	struct sh_word *w;
	size_t n;
};

struct sh_var {
	struct sh_assign *v;
	size_t n;
};

/*
 * Every top-level assignment of NAME in TEXT, in order.  Returns 0, or -1
 * with *lineno and *why saying where and what cannot be edited safely.
 */
int sh_var_parse(const char *text, const char *name, struct sh_var *out,
		 unsigned int *lineno, const char **why);
void sh_var_free(struct sh_var *v);

/*
 * TEXT with WORDS inserted into assignment A before its word BEFORE
 * (A->n: at the end), laid out like the words around them.  The string
 * form must be quoted.  Caller frees.
 */
char *sh_insert(const char *text, const struct sh_assign *a, size_t before,
		const char *const *words, size_t n);
/* TEXT without word I of A and the white space that went with it. */
char *sh_delete(const char *text, const struct sh_assign *a, size_t i);


#endif
