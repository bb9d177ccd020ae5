/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the boot loaders keep their files, under the root, and the
 * command lines read from one of them: what every back end (boot-*.c)
 * and the front (boot.c) share, below both.
 */
#ifndef VFIO_BOOTPATHS_H
#define VFIO_BOOTPATHS_H

#include <stdbool.h>
#include <stddef.h>

#define GRUB_DEFAULT_FILE	"/etc/default/grub"
#define GRUB_DROPIN_DIR		"/etc/default/grub.d"
#define KERNEL_CMDLINE_FILE	"/etc/kernel/cmdline"
#define REFIND_LINUX_CONF	"/boot/refind_linux.conf"
#define KERNELSTUB_CONFIG	"/etc/kernelstub/configuration"

/* The entries directories a BLS boot loader reads, in the order listed. */
extern const char *const bls_entries_dirs[];

/* Whether PATH is a regular file under the root. */
bool boot_file_exists(const char *path);

struct boot_paths {
	char **path;
	size_t n;
};

/*
 * The entries (*.conf, sorted by name) in DIR, or in every directory of
 * bls_entries_dirs when DIR is NULL (one directory reached twice counts
 * once; one that cannot be read has none).  0, or -1 with errno set when
 * DIR cannot be read; always 0 for NULL.
 */
int bls_entries_find(const char *dir, struct boot_paths *out);
void boot_paths_free(struct boot_paths *p);

/* Whether the entry at PATH is the one NAME names: its file name, or that without ".conf". */
bool bls_entry_named(const char *path, const char *name);

/* /etc/default/grub.d/ *.cfg in the order grub-mkconfig sources them. */
int grub_dropins_find(struct boot_paths *out);

/* One command line a file boots with, and where it stands in the file. */
struct boot_line {
	char *text;		/* as the loader passes it to the kernel */
	size_t len;
	unsigned lineno;	/* the file's line; 0 when it is the whole file or entry */
	bool options;		/* rEFInd: the line gives options; false: it boots with none */
};

struct boot_lines {
	struct boot_line *v;
	size_t n;
};

/* Append TEXT (LEN bytes, copied) from line LINENO to L. */
void boot_lines_add(struct boot_lines *l, const char *text, size_t len, unsigned lineno,
		    bool options);
void boot_lines_free(struct boot_lines *l);

#endif
