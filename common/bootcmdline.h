/*
 * The kernel command lines a system is set up to boot with, as each boot
 * loader's files on it say (boot.h says where they are): GRUB's
 * default entry, each BLS entry, /etc/kernel/cmdline and each line of
 * refind_linux.conf.  For comparing with the command line the running
 * kernel got.
 */
#ifndef VFIO_BOOTCMDLINE_H
#define VFIO_BOOTCMDLINE_H

#include <stddef.h>

#include "boot.h"

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
 * Returns 0 (none found is not an error), or -1 on allocation failure.
 * A file that cannot be read or parsed is listed with its reason.
 */
int boot_cmdlines_read(struct boot_cmdlines *l);
void boot_cmdlines_free(struct boot_cmdlines *l);

#endif
