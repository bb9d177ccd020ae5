/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>

#include "base/strbuf.h"
#include "pci/pciaddr.h"
#include "base/banned.h"

/* Parse 1..max hex digits; returns the number of digits, 0 if none or too many. */
static int hexfield(const char *s, int max, unsigned int *v)
{
	unsigned int x = 0;
	int n = 0;

	for (; s[n]; n++) {
		char c = s[n];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			break;
		if (n == max)
			return 0;
		x = x * 16 + d;
	}
	*v = x;
	return n;
}

int pci_addr_parse(const char *s, struct pci_addr *a, const char **why)
{
	const char *colon1 = strchr(s, ':');
	const char *colon2 = colon1 ? strchr(colon1 + 1, ':') : NULL;
	unsigned int v;
	int n;

	*why = "expected [domain:]bus:slot.func in hex, e.g. 07:00.0";
	if (!colon1)
		return -1;
	a->domain = 0;
	if (colon2) {
		n = hexfield(s, 8, &v);
		if (n == 0 || s + n != colon1)
			return -1;
		if (v > 0x7fffffff) {
			*why = "domain out of range";
			return -1;
		}
		a->domain = v;
		s = colon1 + 1;
	}
	n = hexfield(s, 2, &a->bus);
	if (n == 0 || s[n] != ':')
		return -1;
	s += n + 1;
	n = hexfield(s, 2, &a->slot);
	if (n == 0 || s[n] != '.')
		return -1;
	if (a->slot > 0x1f) {
		*why = "slot out of range (00-1f)";
		return -1;
	}
	s += n + 1;
	n = hexfield(s, 1, &a->func);
	if (n == 0 || s[n] != '\0')
		return -1;
	if (a->func > 7) {
		*why = "function out of range (0-7)";
		return -1;
	}
	*why = NULL;
	return 0;
}

/* V in hex, at least WIDTH digits, at P; returns the end. */
static char *put_hex(char *p, unsigned int v, int width)
{
	char digits[8];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while ((v || n < width) && n < (int)sizeof(digits));
	while (n)
		*p++ = digits[--n];
	return p;
}

char *pci_hex(unsigned int v, int width, char *buf)
{
	*put_hex(buf, v, width) = '\0';
	return buf;
}

/* By hand: snprintf would cost more than the rest of a device's scan. */
char *pci_addr_format(const struct pci_addr *a, char *buf)
{
	char *p = put_hex(buf, a->domain & 0x7fffffff, 4);

	*p++ = ':';
	p = put_hex(p, a->bus & 0xff, 2);
	*p++ = ':';
	p = put_hex(p, a->slot & 0x1f, 2);
	*p++ = '.';
	p = put_hex(p, a->func & 7, 1);
	*p = '\0';
	return buf;
}

bool pci_addr_equal(const struct pci_addr *a, const struct pci_addr *b)
{
	return a->domain == b->domain && a->bus == b->bus &&
	       a->slot == b->slot && a->func == b->func;
}

int pci_addr_cmp(const struct pci_addr *a, const struct pci_addr *b)
{
	if (a->domain != b->domain)
		return a->domain < b->domain ? -1 : 1;
	if (a->bus != b->bus)
		return a->bus < b->bus ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	if (a->func != b->func)
		return a->func < b->func ? -1 : 1;
	return 0;
}

int pci_id_parse(const char *s, struct pci_id *id, const char **why)
{
	int n;

	*why = "expected vendor:device, four hex digits each, e.g. 1002:73ff";
	n = hexfield(s, 4, &id->vendor);
	if (n != 4 || s[n] != ':')
		return -1;
	s += n + 1;
	n = hexfield(s, 4, &id->device);
	if (n != 4 || s[n] != '\0')
		return -1;
	*why = NULL;
	return 0;
}

int pci_ids_next(const char **list, struct pci_id_match *m)
{
	const char *p = *list;
	char entry[128];
	size_t n;

	while (*p == ',')
		p++;
	if (!*p) {
		*list = p;
		return 0;
	}
	n = strcspn(p, ",");
	*list = p + n;
	/* An entry longer than any that holds six numbers: the kernel would skip it too. */
	if (n >= sizeof(entry))
		return -1;
	memcpy(entry, p, n);
	entry[n] = '\0';
	m->subvendor = m->subdevice = PCI_ID_ANY;
	m->class = m->class_mask = 0;
	if (sscanf(entry, "%x:%x:%x:%x:%x:%x", &m->vendor, &m->device, &m->subvendor,
		   &m->subdevice, &m->class, &m->class_mask) < 2)
		return -1;
	return 1;
}

bool pci_id_match(const struct pci_id_match *m, unsigned int vendor, unsigned int device,
		  int subvendor, int subdevice, unsigned int class)
{
	if ((m->vendor != PCI_ID_ANY && m->vendor != vendor) ||
	    (m->device != PCI_ID_ANY && m->device != device))
		return false;
	if (m->subvendor != PCI_ID_ANY && subvendor >= 0 && m->subvendor != (unsigned int)subvendor)
		return false;
	if (m->subdevice != PCI_ID_ANY && subdevice >= 0 && m->subdevice != (unsigned int)subdevice)
		return false;
	return ((m->class ^ class) & m->class_mask) == 0;
}

void pci_ids_add(struct strbuf *sb, bool more, unsigned int vendor, unsigned int device)
{
	char v[PCI_HEX_LEN], d[PCI_HEX_LEN];

	strbuf_addf(sb, "%s%s:%s", more ? "," : "", pci_hex(vendor, 4, v), pci_hex(device, 4, d));
}
