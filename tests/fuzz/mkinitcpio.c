/*
 * mkinitcpio.conf's MODULES, HOOKS and FILES arrays as bash reads them,
 * with the drop-ins and a preset, and initramfs-vfio's edit of them.
 * Parts: /etc/mkinitcpio.conf, /etc/mkinitcpio.conf.d/50-fuzz.conf, /etc/mkinitcpio.d/linux.preset.
 * Properties: see fuzz_initramfs() in fuzz.h.
 */
#include "fuzz.h"
#include "initramfs.h"

static const char *const paths[] = {
	"/etc/mkinitcpio.conf",
	"/etc/mkinitcpio.conf.d/50-fuzz.conf",
	"/etc/mkinitcpio.d/linux.preset",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_initramfs(GEN_MKINITCPIO, paths, sizeof(paths) / sizeof(paths[0]), data, size);
	return 0;
}
