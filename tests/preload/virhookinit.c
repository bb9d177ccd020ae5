/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virhookinit.so: for virsh -c 'qemu:///embed?root=DIR', which runs
 * libvirt's QEMU driver in its own process, what libvirtd and virtqemud
 * do when they start: look for the hooks in /etc/libvirt/hooks
 * (virHookInitialize).  The QEMU driver runs a hook only when that was
 * done (virHookPresent); no daemon, no hooks.  Everything after is the
 * driver's own code.  The shim takes itself out of LD_PRELOAD, so that
 * the hooks and QEMU that virsh starts do not load it.
 *
 * Built without the sanitizers: virsh is no instrumented program.
 */
#include <dlfcn.h>
#include <stdlib.h>

__attribute__((constructor)) static void virhookinit(void)
{
	int (*init)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "virHookInitialize");

	unsetenv("LD_PRELOAD");
	if (init)
		init();
}
