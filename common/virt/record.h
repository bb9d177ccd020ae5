/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the suite's tools added to a libvirt domain, recorded in its
 * <metadata> so that an undo takes out exactly that (docs/domain-metadata.md):
 *
 *	<metadata>
 *	  <vfio:vfio-utils xmlns:vfio="urn:vfio-utils:domain:1" metadata="added">
 *	    <vfio:hide added="kvm hidden hyperv vendor_id"/>
 *	  </vfio:vfio-utils>
 *	</metadata>
 *
 * libvirt keeps one top-level element per namespace in <metadata>: each
 * tool has its own child of the one element, and adds or removes only
 * that.  The element goes with its last child, and <metadata> with it
 * when a tool created it (metadata="added").  Attributes are written in
 * double quotes, as libvirt's formatter writes what it keeps there.
 */
#ifndef VFIO_RECORD_H
#define VFIO_RECORD_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

#include "virt/domain.h"
#include "virt/xmlsplice.h"

#define RECORD_NS "urn:vfio-utils:domain:1"
#define RECORD_TOP "vfio-utils"

/* TOOL's child of the record in D, NULL if none; *META_ADDED: a tool created <metadata>. */
xmlNodePtr record_find(const struct domain *d, const char *tool, bool *meta_added);
/* Attribute NAME of the record EL, cut to SIZE - 1 bytes; false when it has none. */
bool record_get(xmlNodePtr el, const char *name, char *buf, size_t size);

/*
 * The next change that makes TOOL's record in D (scanned as S) hold
 * exactly ATTRS (name and value pairs, NULL-terminated; none: no record),
 * as the new text, its length in *LEN; NULL when it already does.
 * *META_ADDED says whether a tool created <metadata>: read from the
 * record while there is one, set when this creates it, and used to take
 * <metadata> out with the last record.
 */
char *record_step(const struct xmlsplice *s, const struct domain *d, const char *tool,
		  const char *const *attrs, bool *meta_added, size_t *len);

#endif
