/*
 * Where each boot loader keeps the kernel command line on a system (under
 * the root), and what makes a change there take effect: the files
 * kcmdline-edit writes and passcheck compares with /proc/cmdline.
 */
#ifndef VFIO_BOOTCONF_H
#define VFIO_BOOTCONF_H

#include <stdbool.h>
#include <stddef.h>

enum boot_kind { BOOT_GRUB, BOOT_BLS, BOOT_KERNEL_CMDLINE, BOOT_REFIND };

#define GRUB_DEFAULT_FILE	"/etc/default/grub"
#define GRUB_DROPIN_DIR		"/etc/default/grub.d"
#define KERNEL_CMDLINE_FILE	"/etc/kernel/cmdline"
#define REFIND_LINUX_CONF	"/boot/refind_linux.conf"
#define KERNELSTUB_CONFIG	"/etc/kernelstub/configuration"

/* The entries directories a BLS boot loader reads, in the order listed. */
extern const char *const bls_entries_dirs[];

struct boot_paths {
	char **path;
	size_t n;
};

/*
 * The entries (*.conf, sorted by name) in DIR, or in every directory of
 * bls_entries_dirs when DIR is NULL (one directory reached twice counts
 * once).  0, or -1 with errno set when DIR cannot be read.
 */
int bls_entries_find(const char *dir, struct boot_paths *out);
void boot_paths_free(struct boot_paths *p);

/* Whether PATH is a regular file under the root. */
bool boot_file_exists(const char *path);

/*
 * The commands that make a change of KIND take effect on the system, one
 * per line in BUF; "" when the boot loader reads the file itself.
 */
void boot_regen_commands(enum boot_kind kind, char *buf, size_t size);

/* /etc/default/grub.d/ *.cfg in the order grub-mkconfig sources them. */
int grub_dropins_find(struct boot_paths *out);

#endif
