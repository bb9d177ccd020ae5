/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One boot loader file on its way to an edit, the same for every loader:
 * read (with what it boots), planned (the new text), listed (each command
 * line and where each parameter comes from) and, once written, what the
 * user should know of it.  kcmdline-edit works through this alone; the
 * loaders' own reading and planning are their back ends in boot.h.
 */
#ifndef VFIO_BOOTFILE_H
#define VFIO_BOOTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/output.h"
#include "boot/boot.h"
#include "boot/kcmdline.h"

struct boot_file {
	enum boot_kind kind;
	char *path;
	char *old, *new;	/* new == old when the edit changes nothing */
	size_t oldlen, newlen;
	/* the command lines in it, for --list */
	struct boot_lines lines;
	/* GRUB: what its files boot, before and after the edit */
	struct grub_conf *grub, *grub_after;
};

void boot_file_init(struct boot_file *f, enum boot_kind kind, const char *path);
void boot_file_free(struct boot_file *f);

/*
 * Read F's file and what it boots, and when EDITING plan OPS on it (new
 * GRUB parameters go to VAR).  For GRUB, the line its normal entries
 * boot must then have what OPS ask for.  0, or -1 after saying why
 * ("cannot edit '...': line N: ...; nothing changed").
 */
int boot_file_prepare(struct boot_file *f, const struct kparam_op *ops, size_t nops,
		      bool editing, enum grub_var var);

static inline bool boot_file_changed(const struct boot_file *f)
{
	return f->new != f->old;
}

/* F's command lines to O: what each boots, and where each parameter comes from. */
void boot_file_list(struct out *o, const struct boot_file *f);

/*
 * GRUB: what the recovery entries (GRUB_CMDLINE_LINUX alone) gain, lose
 * or go without of OPS, to stdout.
 */
void boot_file_recovery_note(const struct boot_file *f, const struct kparam_op *ops, size_t nops);

/* Warn when a line F boots after OPS still turns the IOMMU off. */
void boot_file_warn_iommu_off(const struct boot_file *f, const struct kparam_op *ops, size_t nops);

#endif
