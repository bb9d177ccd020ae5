/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hiding the hypervisor in a libvirt domain's XML, and taking out again
 * what hiding put in: KVM's CPUID signature (<kvm><hidden state='on'/>),
 * a Hyper-V <vendor_id>, and optionally the CPUID hypervisor bit.  Each
 * change is a splice of the text (xmlsplice.h), made one at a time with the
 * document parsed again after each, so that the result is known to parse
 * and everything the edit is not about keeps its bytes.
 */
#ifndef VFIO_HIDE_H
#define VFIO_HIDE_H

#include <stdbool.h>
#include <stddef.h>

struct hide_opts {
	bool remove;		/* take out what the same options put in */
	bool check;		/* say nothing about what is left alone */
	bool kvm, vendor, cpu;	/* what to hide or take out */
	const char *vendor_id;	/* NULL: keep an existing one, else derive one */
};

/* The facts the closing message needs, from the final text. */
struct hide_after {
	char name[256];
	size_t hostdevs;
};

/*
 * TEXT (LEN bytes, NAME being how messages call it) with the changes O
 * asks for made: the new text, or TEXT itself when nothing changes, its
 * length in *OUTLEN.  NULL after printing why the domain cannot be read
 * or edited.  Exits when out of memory.
 */
char *hide_edit(const struct hide_opts *o, char *text, size_t len, const char *name,
		   size_t *outlen, struct hide_after *after);

#endif
