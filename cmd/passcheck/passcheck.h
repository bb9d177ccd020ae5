/* SPDX-License-Identifier: GPL-2.0-or-later */
/* passcheck: what its files share.  The checks, one function each, report(). */
#ifndef PASSCHECK_H
#define PASSCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "boot/boot.h"
#include "virt/domain.h"
#include "virt/hostrec.h"
#include "initramfs/initramfs.h"
#include "base/command.h"
#include "base/dirlist.h"
#include "pci/devsel.h"
#include "pci/hostiommu.h"
#include "pci/hostuse.h"
#include "kmod/kmodules.h"
#include "kmod/modprobe.h"
#include "pci/groupwhy.h"
#include "pci/optionrom.h"
#include "pci/physslot.h"
#include "base/macros.h"
#include "base/modname.h"
#include "base/output.h"
#include "pci/pcidev.h"
#include "boot/iommuparam.h"
#include "boot/procmdline.h"
#include "base/prog.h"
#include "base/root.h"
#include "base/shquote.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "kmod/vfioconf.h"
#include "kmod/vfioids.h"
#include "kmod/vfiopaths.h"

enum status { PASS, WARN, FAIL, SKIP };

/* passcheck.c */
extern struct out out;
extern struct host_iommu host;
extern struct kcmdline cmdline;
extern bool have_cmdline;
extern struct pcidevs devs;
extern struct devsel sel;
extern struct pcidev_chain by_id;
extern bool *chosen;
extern struct modprobe_conf modconf;
extern bool have_modconf;
extern struct vfio_persist persisted;
extern struct hostuse inuse;
void __attribute__((format(printf, 4, 5)))
report(enum status s, const char *id, const char *device, const char *fmt, ...);

/* host.c */
extern struct boot_cmdlines bootlines;
void check_cpu(void);
void check_iommu(void);
void check_cmdline(void);
void check_boot_cmdline(void);
void check_vfio(void);

/* device.c */
const char *what(const struct pcidev *m, char *buf, size_t size);
void check_group(const struct pcidev *d);
void group_why_free(void);
size_t host_uses(const struct pcidev *d, char *names, size_t size);
void check_in_use(const struct pcidev *d);
void check_driver(const struct pcidev *d, char *slot);
void check_reset(const struct pcidev *d);
void check_shared_ids(const struct pcidev *d);
void check_rom(const struct pcidev *d);

/* bootvga.c */
/* The boot VGA device among the functions going with D (plain binding refuses them), or NULL. */
const struct pcidev *boot_vga_going(const struct pcidev *d);
/* Whether a hand-over of this boot of the boot VGA card going with D is recorded. */
bool boot_vga_recorded(const struct pcidev *d);
/* Frees what the boot-vga checks kept (the holders of the boot card). */
void boot_vga_free(void);
void check_boot_vga(const struct pcidev *d);

/* atboot.c */
extern char vm_slots[512];
void collect_ids(void);
void check_vfio_ids(void);
void check_vfio_options(void);
void check_boot(const struct pcidev *d, const char *slot);
void check_initramfs(void);
void ids_sources_free(void);

/* domain.c */
extern bool have_dom;
/* TAIL: the command that reads the domain from standard input, for a FILE that names one. */
void load_domain(const char *file, const char *tail);
void check_domain(void);
void check_hostdev(const struct pcidev *d);
void check_guest_slot(const struct pcidev *d);
void check_hostdev_missing(void);
void check_hostdev_renumbered(void);
void unload_domain(void);

#endif
