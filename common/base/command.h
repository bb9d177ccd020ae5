/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a command the way the user would from their shell: with the
 * caller's environment (PATH and all), under --root inside chroot ROOT,
 * and printed so that the line can be pasted into a POSIX shell.
 */
#ifndef VFIO_COMMAND_H
#define VFIO_COMMAND_H

#include <stdio.h>

/*
 * LEAD, then ARGV as one shell line (after "chroot ROOT " under --root), to
 * F, each word quoted by shquote() (shquote.h).
 */
void cmd_print(FILE *f, const char *lead, char *const argv[]);
/* The same line, without LEAD or newline, as a string the caller frees. */
char *cmd_line(char *const argv[]);
/* The same line, without LEAD, among the commands still to run (report.h). */
void cmd_report(char *const argv[]);

/*
 * One of the suite's tools as a printed fix runs it: NAME, or under --root
 * "NAME --root DIR", DIR quoted.  The last four results stay valid.
 */
const char *cmd_tool(const char *name);
/* Before a command run inside the system: "chroot DIR " under --root, else "". */
const char *cmd_chroot(void);

/*
 * Run ARGV (ARGV[0] looked up in PATH), under --root through chroot, with
 * the caller's environment, and wait for it.  0 when it exited 0; 1 when
 * it failed (the caller says what that means); -1 after a message naming
 * it when it could not be run.
 */
int cmd_run(char *const argv[]);

#endif
