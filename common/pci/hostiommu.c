/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pci/hostiommu.h"
#include "base/dircount.h"
#include "base/dirlist.h"
#include "base/modname.h"
#include "base/root.h"
#include "base/banned.h"

/* The value of "KEY<tabs>: value" in the first processor's block of cpuinfo. */
static const char *cpuinfo_field(const char *text, const char *key, size_t *len)
{
	const char *line = text;
	size_t klen = strlen(key);

	while (*line && *line != '\n') {
		const char *end = strchrnul(line, '\n');

		if (!strncmp(line, key, klen) && (line[klen] == '\t' || line[klen] == ' ' ||
						  line[klen] == ':')) {
			const char *colon = memchr(line, ':', (size_t)(end - line));

			if (colon) {
				colon++;
				while (*colon == ' ')
					colon++;
				*len = (size_t)(end - colon);
				return colon;
			}
		}
		line = *end ? end + 1 : end;
	}
	return NULL;
}

static bool has_word(const char *s, size_t len, const char *word)
{
	size_t wlen = strlen(word);
	const char *p = s, *end = s + len;

	while (p + wlen <= end) {
		const char *hit = memmem(p, (size_t)(end - p), word, wlen);

		if (!hit)
			return false;
		if ((hit == s || hit[-1] == ' ') && (hit + wlen == end || hit[wlen] == ' '))
			return true;
		p = hit + wlen;
	}
	return false;
}

static void read_cpu(struct host_iommu *h)
{
	size_t len;
	char *text = root_read_file("/proc/cpuinfo", &len);

	if (!text)
		return;
	host_cpu_parse(h, text);
	free(text);
}

void host_cpu_parse(struct host_iommu *h, const char *text)
{
	size_t vlen, flen;
	const char *vendor, *flags;

	h->cpuinfo = true;
	vendor = cpuinfo_field(text, "vendor_id", &vlen);
	if (vendor && vlen == 12 && !strncmp(vendor, "GenuineIntel", 12))
		h->cpu = HOST_CPU_INTEL;
	else if (vendor && vlen == 12 && !strncmp(vendor, "AuthenticAMD", 12))
		h->cpu = HOST_CPU_AMD;
	flags = cpuinfo_field(text, "flags", &flen);
	if (flags) {
		h->vmx = has_word(flags, flen, "vmx");
		h->svm = has_word(flags, flen, "svm");
		h->hypervisor = has_word(flags, flen, "hypervisor");
	}
}

/* The entries of PATH; FIRST (SIZE bytes) the lowest name, so that dmar0 comes before dmar1. */
static size_t count_units(const char *path, char *first, size_t size)
{
	struct strlist names = STRLIST_INIT;
	size_t n;

	dir_list(path, NULL, 0, &names);
	n = names.n;
	if (n && strlen(names.v[0]) < size)
		memcpy(first, names.v[0], strlen(names.v[0]) + 1);
	strlist_free(&names);
	return n;
}

/* Interrupt remapping is bit 3 of an Intel unit's extended capabilities. */
static void read_intel_ecap(struct host_iommu *h)
{
	struct strlist names = STRLIST_INIT;
	char path[320], buf[64];
	int fd, seen = 0, capable = 1;
	size_t i;

	dir_list("/sys/class/iommu", NULL, 0, &names);
	for (i = 0; i < names.n; i++) {
		if (strncmp(names.v[i], "dmar", 4))
			continue;
		snprintf(path, sizeof(path), "/sys/class/iommu/%s/intel-iommu", names.v[i]);
		fd = root_open(path, O_PATH | O_DIRECTORY, 0);
		if (fd < 0)
			continue;
		if (attr_read(fd, "ecap", buf, sizeof(buf)) > 0) {
			seen = 1;
			if (!((strtoull(buf, NULL, 16) >> 3) & 1))
				capable = 0;
		}
		close(fd);
	}
	strlist_free(&names);
	if (seen)
		h->ir_capable = capable;
}

/* The kernel names remapped interrupt chips IR-PCI-MSI, IR-IO-APIC and the like. */
static void read_interrupts(struct host_iommu *h)
{
	size_t len;
	char *text = root_read_file("/proc/interrupts", &len);

	if (!text)
		return;
	h->ir_enabled = strstr(text, " IR-") != NULL;
	free(text);
}

void host_iommu_read(struct host_iommu *h)
{
	struct stat st;
	int fd;
	char buf[8];

	memset(h, 0, sizeof(*h));
	h->ir_capable = -1;
	h->ir_enabled = -1;
	read_cpu(h);
	h->dmar = root_stat("/sys/firmware/acpi/tables/DMAR", &st) == 0;
	h->ivrs = root_stat("/sys/firmware/acpi/tables/IVRS", &st) == 0;
	h->units = count_units("/sys/class/iommu", h->unit, sizeof(h->unit));
	h->groups = dir_count("/sys/kernel/iommu_groups");
	read_intel_ecap(h);
	read_interrupts(h);
	fd = root_open("/sys/module/vfio_iommu_type1/parameters", O_PATH | O_DIRECTORY, 0);
	if (fd >= 0) {
		h->unsafe_interrupts = attr_read(fd, "allow_unsafe_interrupts", buf, sizeof(buf)) > 0 &&
				       (buf[0] == 'Y' || buf[0] == '1');
		close(fd);
	}
}

bool host_module_present(const char *name)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	modname_normalize(path + strlen("/sys/module/"));
	return root_stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
