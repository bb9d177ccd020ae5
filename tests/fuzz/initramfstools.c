/*
 * initramfs-tools' modules list and initramfs-vfio's edit of it.
 * Parts: /etc/initramfs-tools/modules, /etc/initramfs-tools/initramfs.conf.
 * Properties: see fuzz_initramfs() in fuzz.h.
 */
#include "fuzz.h"
#include "initramfs.h"

static const char *const paths[] = {
	"/etc/initramfs-tools/modules",
	"/etc/initramfs-tools/initramfs.conf",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_initramfs(GEN_INITRAMFS_TOOLS, paths, sizeof(paths) / sizeof(paths[0]), data, size);
	return 0;
}
