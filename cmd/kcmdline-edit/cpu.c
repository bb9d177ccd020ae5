/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which CPU kcmdline-edit --iommu is for. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "kcmdline-edit.h"
#include "base/banned.h"

/*
 * The CPU --iommu is for: the root's /proc/cpuinfo.  A system mounted
 * under --root without /proc (a rescue system working on the installed
 * one) has none: then the CPU this machine runs on, said so, the one
 * thing read outside the root.
 */
void read_cpu(struct host_iommu *h)
{
	size_t len;
	char *text;
	int fd, e;

	host_iommu_read(h);
	if (h->cpuinfo)
		return;
	e = errno;
	if (!*root_prefix() || e != ENOENT) {
		errno = e;
		err(EXIT_FAIL, "could not read '%s'", root_show("/proc/cpuinfo"));
	}
	fd = open("/proc/cpuinfo", O_RDONLY | O_CLOEXEC);
	text = fd < 0 ? NULL : fd_read_all(fd, ROOT_FILE_MAX, &len);
	if (fd >= 0)
		close(fd);
	if (!text)
		err(EXIT_FAIL, "could not read '%s', nor this machine's '/proc/cpuinfo'",
		    root_show("/proc/cpuinfo"));
	host_cpu_parse(h, text);
	free(text);
	report_warn("no '%s' (a system that is not running): taking the CPU this machine runs on, "
		    "from '/proc/cpuinfo' (%s); --cpu intel or --cpu amd names another",
		    root_show("/proc/cpuinfo"), h->cpu == HOST_CPU_INTEL ? "Intel" :
		    h->cpu == HOST_CPU_AMD ? "AMD" : "neither Intel nor AMD");
}
