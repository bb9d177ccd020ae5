/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Words of a command printed for the user to paste into a POSIX shell:
 * "win10; reboot" must stay one word, not become two commands.
 */
#ifndef VFIO_SHQUOTE_H
#define VFIO_SHQUOTE_H

#include <stddef.h>

/* Room enough for any word of LEN bytes: every byte "'\''", two quotes, a NUL. */
#define SHQUOTE_SIZE(len) (4 * (len) + 3)

/*
 * WORD as the shell reads it back: unchanged when it is only letters,
 * digits and "_@%+=:,./-", otherwise in single quotes, each ' in it as
 * '\''; '' for the empty word.  Returns BUF, or NULL when it does not fit
 * SIZE (nothing that would split is printed).
 */
const char *shquote(const char *word, char *buf, size_t size);

#endif
