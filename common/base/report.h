/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a writer did, for scripts (-J): the files it decided about, the
 * devices it bound, the commands left to run, whether to reboot and what
 * it warned of, printed as one JSON document on standard output when the
 * tool exits (docs/schema/writer-result.json).  Without -J the calls only
 * print what they print anyway (report_warn()), and record nothing.
 *
 * Once active, standard output is standard error for everything but the
 * document, children included: the text meant for people goes there.
 */
#ifndef VFIO_REPORT_H
#define VFIO_REPORT_H

#include <stdbool.h>

enum report_mode {
	REPORT_WRITE,
	REPORT_DRY_RUN,
	REPORT_CHECK,
};

enum report_action {
	REPORT_CREATED,
	REPORT_UPDATED,
	REPORT_REMOVED,
	REPORT_UNCHANGED,
	REPORT_BOUND,		/* devices only */
	REPORT_UNBOUND,
};

/*
 * Call once the options are parsed.  JSON false: nothing is recorded.
 * ROOT is --root as given (NULL without).  From here on, an exit with any
 * status but EXIT_USAGE prints the document with that status.
 */
void report_init(bool json, const char *root, enum report_mode mode);
bool report_active(void);
/* PATH inside the target system; DIFF (copied) only for a dry run, else NULL. */
void report_file(const char *path, enum report_action action, const char *diff);
/* A device's driver FROM and TO (NULL: none). */
void report_device(const char *device, const char *from, const char *to,
		   enum report_action action);
/* A file or a device changed (or would, in a dry run or check). */
void report_changed(void);
/* A command still to run, one shell line as the text output prints it. */
void report_command(const char *line);
void report_reboot(void);
/* warnx(), and the message recorded among the document's warnings. */
void report_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Only the recording, for a warning that the text output prints as a line
 * of its own (on stderr under -J, as all of it).
 */
void report_warned(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
