/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfio-group: ask the kernel, as QEMU does, whether an IOMMU group can be
 * given to a VM: open /dev/vfio/GROUP, attach it to a container and read
 * its status.  Prints "viable" or "not viable" and what failed.
 *
 *	vfio-group GROUP
 *
 * Exit status: 0 viable and attached, 1 not, 2 usage or no such group.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

int main(int argc, char **argv)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[64];
	char *end;
	long n;
	int container, group;

	if (argc != 2)
		errx(2, "usage: vfio-group GROUP");
	errno = 0;
	n = strtol(argv[1], &end, 10);
	if (errno || *end || end == argv[1] || n < 0)
		errx(2, "not a group number: '%s'", argv[1]);
	container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (container < 0)
		err(2, "could not open '/dev/vfio/vfio'");
	snprintf(path, sizeof(path), "/dev/vfio/%ld", n);
	group = open(path, O_RDWR | O_CLOEXEC);
	if (group < 0)
		err(2, "could not open '%s'", path);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &st) < 0)
		err(2, "VFIO_GROUP_GET_STATUS on '%s'", path);
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		printf("not viable\n");
		return 1;
	}
	/* Since 5.19 the kernel settles DMA ownership here, not in the flag. */
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) < 0) {
		printf("not viable: VFIO_GROUP_SET_CONTAINER: %s\n", strerror(errno));
		return 1;
	}
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0) {
		printf("not viable: VFIO_SET_IOMMU: %s\n", strerror(errno));
		return 1;
	}
	printf("viable\n");
	return 0;
}
