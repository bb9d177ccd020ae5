/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtxml-hostdev's record in a domain (record.h, docs/domain-metadata.md):
 *
 *	<vfio:hostdev added="0000:07:00.0/1002:73ff/1462:5022/030000 ..." ports="4"/>
 *
 * each function it added with the identity it had, and the root ports it
 * added.  One reading for the tool that writes it and for passcheck,
 * which judges the identities against the host.
 */
#ifndef VFIO_HOSTREC_H
#define VFIO_HOSTREC_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/pciaddr.h"
#include "pci/pcidev.h"
#include "virt/domain.h"

/* virtxml-hostdev's child of the record. */
#define HOSTREC_TOOL "hostdev"
/* The most functions and root ports read (a group of 64 is no card's). */
#define HOSTREC_MAX 64
/* "vvvv:dddd/ssss:ssss/cccccc" and room for what a hand edit made longer. */
#define HOSTREC_IDENT_LEN 64

struct hostrec_fn {
	struct pci_addr addr;
	char ident[HOSTREC_IDENT_LEN];	/* as recorded */
};

struct hostrec {
	struct hostrec_fn fn[HOSTREC_MAX];
	size_t nfn;
	unsigned int port[HOSTREC_MAX];	/* the pcie-root-port indexes */
	size_t nport;
};

/*
 * The record in D, in R: false when D has none (R empty).  A word that is
 * no address and identity, or no index, is skipped.  *META_ADDED, when
 * META_ADDED is not NULL, as record_find() sets it.
 */
bool hostrec_read(const struct domain *d, struct hostrec *r, bool *meta_added);
/*
 * DEV's identity as the record writes it: vendor:device, subsystem
 * vendor:device ("-" when unknown), class, in lower-case hex as in sysfs,
 * separated by '/'.  Needs PCIDEV_SUBSYS read.
 */
char *hostrec_ident(const struct pcidev *dev, char *buf, size_t size);

#endif
