/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One variable of a POSIX sh file that sets variables, such as
 * /etc/default/grub, which grub-mkconfig sources: its value as sourcing
 * the file gives it, and edits of that value written back as sh that
 * means what the file meant plus the change.
 *
 * The file is read as sh reads it: quotes, backslashes, $NAME and ${NAME}
 * (also of the variable itself, as in X="$X quiet"), comments, several
 * assignments (the last one counts) and commands that are not
 * assignments.  What sh would decide only when running (command
 * substitution, ${X:-...}, an assignment inside if, a '.' or eval that
 * may set it) makes the value unknown; other variables may hold such
 * things.  Each character of the value remembers which assignment wrote
 * it, so an edit changes that assignment's bytes and keeps its quoting.
 */
#ifndef VFIO_SHVALUE_H
#define VFIO_SHVALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "boot/kcmdline.h"

struct shvalue;

struct shvalue_error {
	unsigned line;		/* 0 when not about one line */
	char why[256];
};

/*
 * Read variable NAME from TEXT.  NULL with E filled when the file cannot
 * be parsed or NAME's value cannot be known.
 */
struct shvalue *shvalue_read(const char *text, size_t len, const char *name, struct shvalue_error *e);
void shvalue_free(struct shvalue *v);

/* Whether the file assigns the variable at all; the line of the assignment in effect. */
bool shvalue_assigned(const struct shvalue *v, unsigned *line);
/* The value, NUL-terminated (empty when never assigned). */
const char *shvalue_value(const struct shvalue *v, size_t *len);

/*
 * The file with CH (changes to the value, as kcmdline_plan() gives them)
 * made, NUL-terminated, in *OUT (length *OUTLEN); a variable never
 * assigned gets a new assignment at the end.  Returns 0, or -1 with E
 * filled when a change would touch what the file does not spell out here
 * (another variable's value, an assignment that is also used elsewhere).
 */
int shvalue_edit(const struct shvalue *v, const struct text_change *ch, size_t n,
	       char **out, size_t *outlen, struct shvalue_error *e);

/*
 * Whether TEXT assigns NAME anywhere (for drop-in files sourced after the
 * main one); *LINE the first such line, *SELF whether that value refers
 * to NAME itself (adds to it rather than replacing it).  Unparsable text
 * counts as assigning it, at line 0.
 */
bool shvalue_file_assigns(const char *text, size_t len, const char *name, unsigned *line, bool *self);

#endif
