/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kcmdline-edit --help. */
#include <stdio.h>
#include <stdlib.h>

#include "base/prog.h"
#include "kcmdline-edit.h"
#include "base/banned.h"

noreturn void usage(void)
{
	printf("Usage: %s [options] (-a PARAM | -d PARAM | --iommu)...\n"
	       "       %s --list [-J] [targets]\n"
	       "\n"
	       "Add and remove kernel parameters where the boot loader keeps them.\n"
	       "\n"
	       "Options:\n"
	       "  -a, --add PARAM[=VALUE]  add a parameter, or give it this value\n"
	       "  -d, --remove KEY[=VALUE] remove every KEY, or only KEY=VALUE\n"
	       "      --iommu              add what turns the IOMMU on for this CPU:\n"
	       "                           intel_iommu=on iommu=pt (Intel), iommu=pt (AMD)\n"
	       "      --cpu intel|amd      with --iommu: for this CPU, not the one in /proc/cpuinfo\n"
	       "  -l, --list               list the files read, the line each kind of entry\n"
	       "                           boots, and where each parameter comes from\n"
	       "  -J, --json               print what was done as JSON (with --list: the listing)\n"
	       "  -n, --dry-run            show the change as a diff, change nothing\n"
	       "      --check              exit 0 if already as asked, 1 if not; change nothing\n"
	       "      --backup             keep FILE.bak of each file replaced\n"
	       "      --regen              then run the command that makes it take effect\n"
	       "\n"
	       "Targets (default: every one found):\n"
	       "      --grub[=FILE]        /etc/default/grub\n"
	       "      --grub-var=VAR       linux (GRUB_CMDLINE_LINUX, the default) or\n"
	       "                           default (GRUB_CMDLINE_LINUX_DEFAULT)\n"
	       "      --bls[=DIR]          boot entries in loader/entries under /boot, /efi, /boot/efi\n"
	       "      --entry NAME         only this boot entry (implies --bls)\n"
	       "      --kernel-cmdline[=FILE] /etc/kernel/cmdline\n"
	       "      --refind[=FILE]      /boot/refind_linux.conf\n"
	       "      --root DIR           work on the system under DIR\n"
	       "  -h, --help               show this help and exit\n"
	       "  -V, --version            show the version and exit\n"
	       "\n"
	       "Exit status: 0 done (or nothing to do), 1 failed, refused or check not met,\n"
	       "2 usage error.\n",
	       prog_name(), prog_name());
	exit(EXIT_OK);
}
