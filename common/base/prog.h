/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Program identity, usage errors and exit status shared by every tool.
 * Messages use err(3)/warn(3): "tool: what failed 'path': cause".
 *
 * The exit statuses are those of grep and diff: 0 and 1 are answers, 2
 * and up trouble, so that a script tells them apart with [ $? -ge 2 ].
 * 1 is never a failure: whatever cannot read, parse, find or write what
 * it must exits EXIT_FAIL, every refusal too, and then nothing was
 * changed (but for a command --regen runs after the files are written,
 * which its message says).
 */
#ifndef VFIO_PROG_H
#define VFIO_PROG_H

#include <err.h>
#include <stdnoreturn.h>

enum {
	EXIT_OK = 0,		/* done, or already so; --check: already as asked */
	EXIT_NOTMET = 1,	/* the answer is no: --check not met, a check failed, nothing matched */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_FAIL = 3,		/* failure, refusal or bad input: nothing changed */
};

/* Call first in main(): checks that stdout was written at exit. */
void prog_init(void);
const char *prog_name(void);

/* One line naming what is wrong, then the --help hint; exits 2. */
noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * For getopt_long() with an option string that starts with ':': C is what
 * it returned ('?' or ':').  Names the option and exits 2.
 */
struct option;
noreturn void usage_bad_option(int c, char **argv, const struct option *longopts);
/* "tool (vfio-utils) VERSION"; exits 0. */
noreturn void print_version(void);

#endif
