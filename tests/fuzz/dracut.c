/*
 * dracut's configuration (force_drivers, omit_drivers, the drop-ins) and the
 * modprobe.d install commands it must carry, and initramfs-vfio's drop-in.
 * Parts: /etc/dracut.conf, /etc/dracut.conf.d/50-fuzz.conf, /etc/modprobe.d/fuzz.conf.
 * Properties: see fuzz_initramfs() in fuzz.h.
 */
#include "fuzz.h"
#include "initramfs.h"

static const char *const paths[] = {
	"/etc/dracut.conf",
	"/etc/dracut.conf.d/50-fuzz.conf",
	"/etc/modprobe.d/fuzz.conf",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_initramfs(GEN_DRACUT, paths, sizeof(paths) / sizeof(paths[0]), data, size);
	return 0;
}
