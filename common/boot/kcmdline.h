/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel command line as the kernel itself splits it (lib/cmdline.c
 * next_arg, kernel/params.c parse_args): parameters separated by white
 * space outside double quotes, a '"' around the whole parameter or its
 * value dropped, no backslash escapes, names compared with '-' and '_'
 * alike, and a bare "--" ending the kernel's part (what follows goes to
 * init).  Parsing keeps where each parameter stands in the text, so an
 * edit changes those bytes and nothing else.
 */
#ifndef VFIO_KCMDLINE_H
#define VFIO_KCMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/textedit.h"

struct kparam {
	size_t start, end;	/* its bytes in the text, quotes included */
	char *key;		/* as the kernel sees it: quotes dropped */
	char *val;		/* NULL for a bare word, "" for "key=" */
};

struct kcmdline {
	struct kparam *p;
	size_t n;
	size_t init;		/* index of the bare "--", or n: p[init..] go to init */
};

/* The kernel's white space: isspace() of its own ctype, 0xa0 included. */
bool kcmdline_space(unsigned char c);

/* Split TEXT (LEN bytes, no NUL needed). */
void kcmdline_parse(struct kcmdline *c, const char *text, size_t len);
void kcmdline_free(struct kcmdline *c);

/* The value in effect for KEY among the kernel's parameters: the last one. */
bool kcmdline_get(const struct kcmdline *c, const char *key, const char **val);

/*
 * One requested change.  TEXT is the parameter as the user wrote it and
 * as it will be written; KEY and VAL as the kernel reads it.
 */
enum kparam_action { KPARAM_ADD, KPARAM_REMOVE };

struct kparam_op {
	enum kparam_action action;
	char *text, *key, *val;
};

/*
 * Parse ARG as exactly one kernel parameter.  Returns 0, or -1 with *WHY
 * saying what is wrong with it (several parameters, "--", an empty name,
 * a control character, a double quote never closed).
 */
int kparam_op_parse(struct kparam_op *op, enum kparam_action action, const char *arg,
		    const char **why);
void kparam_op_free(struct kparam_op *op);

/*
 * Whether two of OPS contradict each other (the same key added twice, or
 * added and removed), and which: *A and *B.
 */
bool kparam_ops_conflict(const struct kparam_op *ops, size_t n, size_t *a, size_t *b);

/*
 * Whether OP is met by C: an ADD when the value in effect for its key is
 * its value (or a bare word for a bare ADD), a REMOVE when no parameter
 * matches (the key, and the value if it has one).
 */
bool kparam_op_met(const struct kparam_op *op, const struct kcmdline *c);

/*
 * The changes that apply OPS to TEXT, in text order and not overlapping:
 * an ADD whose key is there replaces the first such parameter in place
 * and drops the others (unless the value in effect is already its value);
 * a new parameter goes after the last of the kernel's parameters, before
 * a "--"; a REMOVE drops every match, each with the white space that
 * separated it, keeping line breaks where it can.  Everything else keeps
 * its bytes.  Returns the number of changes (0: nothing to do), never
 * negative; text_changes_apply() makes them, text_changes_free() frees them.
 */
long kcmdline_plan(const char *text, size_t len, const struct kparam_op *ops, size_t nops,
		   struct text_change **changes);

#endif
