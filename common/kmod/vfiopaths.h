/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the suite's tools meet: files one writes and another reads.
 */
#ifndef VFIO_VFIOPATHS_H
#define VFIO_VFIOPATHS_H

/* vfio-bind --persist: the modprobe.d file with its managed block. */
#define VFIO_MODPROBE_CONF "/etc/modprobe.d/vfio.conf"

#endif
