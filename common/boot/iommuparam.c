/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "boot/iommuparam.h"
#include "boot/procmdline.h"
#include "base/macros.h"
#include "base/modname.h"
#include "base/banned.h"

const char *const *iommu_params_on(enum iommu_vendor vendor)
{
	static const char *const intel[] = { "intel_iommu=on", "iommu=pt", NULL };
	static const char *const amd[] = { "iommu=pt", NULL };

	switch (vendor) {
	case IOMMU_VENDOR_INTEL:
		return intel;
	case IOMMU_VENDOR_AMD:
		return amd;
	case IOMMU_VENDOR_OTHER:
		break;
	}
	return NULL;
}

const char *iommu_param_advised(enum iommu_vendor vendor)
{
	return vendor == IOMMU_VENDOR_AMD ? "iommu=pt" : "intel_iommu=on";
}

const char *iommu_param_off(const struct kcmdline *c)
{
	static const char *const off[][2] = {
		{ "intel_iommu", "intel_iommu=off" },
		{ "amd_iommu", "amd_iommu=off" },
		{ "iommu", "iommu=off" },
	};
	const char *v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(off); i++)
		if (kcmdline_get(c, off[i][0], &v) && v && param_list_has(v, NULL, "off"))
			return off[i][1];
	return NULL;
}

bool iommu_param_intel_on(const struct kcmdline *c)
{
	return proc_cmdline_has(c, "intel_iommu", "on");
}

bool iommu_param_pt(const struct kcmdline *c)
{
	return proc_cmdline_has(c, "iommu", "pt");
}

bool iommu_param_ignored(const char *key, const char *val)
{
	return modname_eq(key, "amd_iommu") && val && !strcmp(val, "on");
}
