/*
 * booster.yaml (modules_force_load and the rest of its YAML) and
 * initramfs-vfio's edit of it.
 * Parts: /etc/booster.yaml.
 * Properties: see fuzz_initramfs() in fuzz.h.
 */
#include "fuzz.h"
#include "initramfs.h"

static const char *const paths[] = {
	"/etc/booster.yaml",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_initramfs(GEN_BOOSTER, paths, sizeof(paths) / sizeof(paths[0]), data, size);
	return 0;
}
