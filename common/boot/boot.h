/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The boot loaders' back ends: which loaders a system has, where each
 * keeps the kernel command line (under the root), what each boots, read
 * from the files it reads, edits planned on those files so that what it
 * boots changes as asked, and what makes a change there take effect: the
 * files kcmdline-edit writes and passcheck compares with /proc/cmdline.
 *
 * GRUB: grub-mkconfig sources /etc/default/grub, then (Debian, Ubuntu)
 * /etc/default/grub.d/ *.cfg in name order, in one shell; its 10_linux
 * boots normal entries with "$GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT"
 * and recovery entries with "$GRUB_CMDLINE_LINUX_RECOVERY $GRUB_CMDLINE_LINUX",
 * the first "single" unless set (Debian and upstream; Ubuntu's build says
 * "recovery nomodeset").  The kernel takes the last value of a parameter
 * given twice.
 */
#ifndef VFIO_BOOT_H
#define VFIO_BOOT_H

#include <stdbool.h>
#include <stddef.h>

#include "boot/bootpaths.h"
#include "boot/kcmdline.h"

enum boot_kind { BOOT_GRUB, BOOT_BLS, BOOT_KERNEL_CMDLINE, BOOT_REFIND };
#define BOOT_NKINDS (BOOT_REFIND + 1)

/*
 * The boot loaders whose files are on the system, under the root: a mask
 * of 1 << BOOT_GRUB (/etc/default/grub), 1 << BOOT_BLS (an entry in one
 * of bls_entries_dirs), 1 << BOOT_KERNEL_CMDLINE, 1 << BOOT_REFIND.
 */
int boot_loaders_find(void);

/*
 * The commands that make a change of KIND take effect on the system, one
 * per line in BUF; "" when the boot loader reads the file itself.
 */
void boot_regen_commands(enum boot_kind kind, char *buf, size_t size);

/*
 * Run each line of CMDS (boot_regen_commands()) as a command with its
 * arguments after printing it after LEAD, or only print it when not RUN.
 * 0, or -1 when one failed (said why).  Those not run, or that failed, go
 * to the report (report.h) as commands still to run.
 */
int boot_regen_run(const char *cmds, const char *lead, bool run);

/*
 * kernelstub (Pop!_OS) writes the BLS entries anew from its own
 * configuration: when it is there, say so and what to tell it of OPS.
 */
void boot_kernelstub_warning(const struct kparam_op *ops, size_t nops);

enum grub_var { GRUB_LINUX, GRUB_LINUX_DEFAULT, GRUB_LINUX_RECOVERY, GRUB_NVARS };

/* GRUB_CMDLINE_LINUX, GRUB_CMDLINE_LINUX_DEFAULT, GRUB_CMDLINE_LINUX_RECOVERY */
extern const char *const grub_var_names[GRUB_NVARS];

/* Why a file cannot be read or edited: the file, its line (0: not one line), what. */
struct boot_error {
	char file[4096];	/* as given, under the root; "" when not known */
	const char *var;	/* the variable it is about, or NULL */
	unsigned line;
	char why[320];
};

/* One file grub-mkconfig sources, where it starts in the text they make together. */
struct grub_source {
	char *path;
	size_t start;
	unsigned firstline;	/* the text's line number of the file's line 1 */
};

/* A variable's value as the files leave it, and the assignment in effect. */
struct grub_value {
	char *text;		/* "" when never assigned */
	size_t len;
	bool assigned;
	const char *file;	/* the assignment in effect: file, line */
	unsigned line;
};

struct grub_conf {
	char *text;		/* the files one after the other, as the shell reads them */
	size_t len;
	struct grub_source *src;
	size_t nsrc;
	struct grub_value var[GRUB_NVARS];
	char *normal;		/* the line normal entries boot */
	char *recovery;		/* the line recovery entries boot; NULL when disabled */
	size_t nlinux;		/* the normal line's first nlinux bytes are GRUB_CMDLINE_LINUX's */
};

/*
 * Read what grub-mkconfig reads for PATH: /etc/default/grub and the
 * drop-ins when PATH is one of them, else PATH alone; with TEXT (LEN
 * bytes) standing for PATH's contents when not NULL.  Files that are
 * absent are skipped.  Returns 0; 1 with E filled when the lines cannot
 * be known (a file or the drop-in directory that cannot be read, a value
 * only running can tell).
 */
int grub_conf_read(struct grub_conf *g, const char *path, const char *text, size_t len,
		   struct boot_error *e);
/* The same from TEXT alone (one file, no name): 0, or 1 with E. */
int grub_conf_parse(struct grub_conf *g, const char *text, size_t len, struct boot_error *e);
void grub_conf_free(struct grub_conf *g);

/* Where grub-mkconfig writes the configuration GRUB reads at boot. */
extern const char *const grub_cfg_paths[];

/*
 * The generated configuration (grub_cfg_paths) when it is older than one
 * of G's files, *NEWER that file: the change there is not made yet.  NULL
 * when it is not older, or there is none.
 */
const char *grub_cfg_stale(const struct grub_conf *g, const char **newer);

/*
 * The variables (1 << GRUB_LINUX, 1 << GRUB_LINUX_DEFAULT) whose value in
 * PATH, one of G's sources, does not reach the line booted: a later file
 * sets them anew.
 */
unsigned grub_conf_overridden(const struct grub_conf *g, const char *path);

/*
 * Plan OPS on the GRUB file TEXT (LEN bytes, read alone) so that the line
 * its normal entries boot has them, as the kernel reads it: an ADD already
 * in effect is left alone; an ADD whose key is in GRUB_CMDLINE_LINUX
 * replaces it there in place and removes the other values of the key in
 * GRUB_CMDLINE_LINUX_DEFAULT; one whose key is only in the latter is
 * replaced there; a new parameter goes to variable VAR.  A REMOVE removes
 * from both.  Variables in the mask SKIP (grub_conf_overridden()) are
 * neither read nor edited, and a new parameter meant for one of them is
 * left out.  Returns 1 with the new file in *OUT (*OUTLEN bytes), 0 when
 * nothing changes, -1 with E filled.
 */
int grub_plan(const char *text, size_t len, enum grub_var var, unsigned skip,
	      const struct kparam_op *ops, size_t nops, char **out, size_t *outlen,
	      struct boot_error *e);

/*
 * Each back end but GRUB's (grub_conf_read()) reads the command lines one
 * file's TEXT (LEN bytes) boots with into *OUT, in the file's order; rEFInd's
 * returns 0, or -1 with E filled when the file cannot be read as rEFInd
 * reads it.
 */

/* A BLS entry: its options lines, one command line in order. */
void bls_read(const char *text, size_t len, struct boot_lines *out);

/* /etc/kernel/cmdline: the whole file. */
void kernel_cmdline_read(const char *text, size_t len, struct boot_lines *out);

/* refind_linux.conf: one a line, its options string as rEFInd passes it. */
int refind_read(const char *text, size_t len, struct boot_lines *out, struct boot_error *e);

/*
 * The other back ends plan OPS on one file's TEXT (LEN bytes) as
 * kcmdline_plan() does on its command line: 1 with the new file in *OUT
 * (*OUTLEN bytes), 0 when nothing changes; rEFInd's -1 with E filled when
 * the file cannot be read as rEFInd reads it.
 */

/* A BLS entry: its options lines, one command line in order. */
int bls_plan(const char *text, size_t len, const struct kparam_op *ops, size_t nops,
	     char **out, size_t *outlen);

/* /etc/kernel/cmdline: the whole file is the command line. */
int kernel_cmdline_plan(const char *text, size_t len, const struct kparam_op *ops, size_t nops,
			char **out, size_t *outlen);

/* refind_linux.conf: each line's options string, in rEFInd's quoting. */
int refind_plan(const char *text, size_t len, const struct kparam_op *ops, size_t nops,
		char **out, size_t *outlen, struct boot_error *e);

/*
 * The kernel command lines a system is set up to boot with, as each boot
 * loader's files on it say, read through their back ends: GRUB's normal
 * entries, each BLS entry, /etc/kernel/cmdline and each line of
 * refind_linux.conf that gives options.  For comparing with the command
 * line the running kernel got.
 */
struct boot_cmdline {
	enum boot_kind kind;
	char *source;		/* the file, and the variable or line: "/etc/default/grub" */
	char *text;		/* the command line; NULL when it cannot be known */
	char *why;		/* then why not */
};

struct boot_cmdlines {
	struct boot_cmdline *v;
	size_t n;
};

/*
 * Read the command lines of every boot configuration under the root.
 * A file that cannot be read or parsed is listed with its reason; none
 * found is no error.
 */
void boot_cmdlines_read(struct boot_cmdlines *l);
void boot_cmdlines_free(struct boot_cmdlines *l);

#endif
