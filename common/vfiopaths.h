/*
 * Where the suite's tools meet: files one writes and another reads.
 */
#ifndef VFIO_VFIOPATHS_H
#define VFIO_VFIOPATHS_H

/* vfio-bind --persist: the modprobe.d file with its managed block. */
#define VFIO_MODPROBE_CONF "/etc/modprobe.d/vfio.conf"

/*
 * vfio-bind --persist: the early-boot script that sets driver_override by
 * PCI address, run by modprobe's `install vfio-pci` hook.  It must reach the
 * initramfs, which initramfs-vfio sees to.
 */
#define VFIO_OVERRIDE_SCRIPT "/etc/vfio-utils/vfio-override"

#endif
