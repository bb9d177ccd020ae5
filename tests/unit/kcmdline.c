/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel command-line tokenizer and its edits: the kernel's own
 * splitting rules (lib/cmdline.c next_arg, kernel/params.c) and edits that
 * keep every byte they do not touch.
 */
#include <stdlib.h>
#include <string.h>

#include "boot/kcmdline.h"
#include "base/modname.h"
#include "tap.h"

/* "key=val|key|..." : how the kernel splits TEXT, "~" for a bare word's value. */
static char *split(const char *text)
{
	static char buf[1024];
	struct kcmdline c;
	size_t i;

	buf[0] = '\0';
	kcmdline_parse(&c, text, strlen(text));
	for (i = 0; i < c.n; i++) {
		if (i)
			strcat(buf, "|");
		if (i == c.init)
			strcat(buf, "INIT:");
		strcat(buf, c.p[i].key);
		strcat(buf, c.p[i].val ? "=" : "");
		strcat(buf, c.p[i].val ? c.p[i].val : "");
	}
	kcmdline_free(&c);
	return buf;
}

/* TEXT after adding and removing, as "+a" and "-b" words in OPS. */
static char *edit(const char *text, const char *ops)
{
	static char out[1024];
	struct kparam_op op[8];
	struct text_change *ch;
	char copy[256], *w, *save = NULL, *s;
	const char *why;
	size_t n = 0, i;
	long k;

	snprintf(copy, sizeof(copy), "%s", ops);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if (kparam_op_parse(&op[n], w[0] == '+' ? KPARAM_ADD : KPARAM_REMOVE, w + 1, &why) == 0)
			n++;
	k = kcmdline_plan(text, strlen(text), op, n, &ch);
	s = text_changes_apply(text, strlen(text), ch, k > 0 ? (size_t)k : 0, NULL);
	snprintf(out, sizeof(out), "%s", s);
	free(s);
	text_changes_free(ch, k > 0 ? (size_t)k : 0);
	for (i = 0; i < n; i++)
		kparam_op_free(&op[i]);
	return out;
}

static bool roundtrip(const char *text, const char *add, const char *rm)
{
	char once[1024];

	snprintf(once, sizeof(once), "%s", edit(text, add));
	return strcmp(once, text) && !strcmp(edit(once, rm), text);
}

int main(void)
{
	struct kparam_op op;
	const char *why;
	size_t a, b;
	struct kparam_op two[2];

	is_str(split("ro quiet  splash"), "ro|quiet|splash", "split at spaces");
	is_str(split(" \tro\nquiet\r\v\f"), "ro|quiet", "all of isspace() separates");
	is_str(split("a\xa0" "b"), "a|b", "0xa0 is white space to the kernel's ctype");
	is_str(split("foo=\"a b\" x"), "foo=a b|x", "quoted value: one parameter, quotes dropped");
	is_str(split("\"foo=a b\" x"), "foo=a b|x", "whole parameter quoted");
	is_str(split("acpi_osi=\"Windows 2009\""), "acpi_osi=Windows 2009", "the guide's acpi_osi");
	is_str(split("a\"b c\"d e"), "a\"b c\"d|e", "quotes inside keep their bytes and the space");
	is_str(split("foo= bar"), "foo=|bar", "empty value is not a bare word");
	is_str(split("foo=bar=baz"), "foo=bar=baz", "the first '=' splits");
	is_str(split("x=\"a=b\""), "x=a=b", "'=' inside the quoted value");
	is_str(split("=x"), "=x", "a leading '=' does not split, as in next_arg");
	is_str(split("x=\""), "x=", "a lone quote as value");
	is_str(split("\""), "", "a lone quote");
	is_str(split("ro -- single s"), "ro|INIT:--|single|s", "a bare -- hands the rest to init");
	is_str(split("ro --=x y"), "ro|--=x|y", "--=x is not the end");
	is_str(split("\"--\" x"), "INIT:--|x", "a quoted -- ends too");

	ok(modname_eq("vfio-pci.ids", "vfio_pci.ids"), "- and _ alike");
	ok(modname_eq("print-fatal-signals", "print_fatal_signals"), "over the whole name");
	ok(!modname_eq("Quiet", "quiet"), "case counts");
	ok(!modname_eq("iommu", "intel_iommu"), "whole names only");

	ok(kparam_op_parse(&op, KPARAM_ADD, "a b", &why) < 0 && strstr(why, "several"), "two parameters refused");
	ok(kparam_op_parse(&op, KPARAM_ADD, "--", &why) < 0, "-- refused");
	ok(kparam_op_parse(&op, KPARAM_ADD, "", &why) < 0, "empty refused");
	ok(kparam_op_parse(&op, KPARAM_ADD, "=x", &why) < 0 || !op.val, "=x is a name, not a value");
	kparam_op_free(&op);
	ok(kparam_op_parse(&op, KPARAM_ADD, "a\nb", &why) < 0, "control characters refused");
	ok(kparam_op_parse(&op, KPARAM_ADD, "a=\"b", &why) < 0 && strstr(why, "never closed"),
	   "a quote never closed refused: it would take what follows");
	ok(kparam_op_parse(&op, KPARAM_ADD, "foo=\"a b\"", &why) == 0 && !strcmp(op.val, "a b"),
	   "a quoted value is one parameter");
	kparam_op_free(&op);

	kparam_op_parse(&two[0], KPARAM_ADD, "intel_iommu=on", &why);
	kparam_op_parse(&two[1], KPARAM_REMOVE, "intel-iommu", &why);
	ok(kparam_ops_conflict(two, 2, &a, &b), "adding and removing one key contradict");
	kparam_op_free(&two[1]);
	kparam_op_parse(&two[1], KPARAM_REMOVE, "intel_iommu=off", &why);
	ok(!kparam_ops_conflict(two, 2, &a, &b), "removing another value of it does not");
	kparam_op_free(&two[0]);
	kparam_op_free(&two[1]);

	is_str(edit("ro quiet", "+intel_iommu=on +iommu=pt"), "ro quiet intel_iommu=on iommu=pt", "new ones at the end");
	is_str(edit("", "+iommu=pt"), "iommu=pt", "into nothing");
	is_str(edit("ro\n", "+iommu=pt"), "ro iommu=pt\n", "before a trailing newline");
	is_str(edit("ro intel_iommu=off quiet", "+intel_iommu=on"), "ro intel_iommu=on quiet",
	       "another value replaced in place");
	is_str(edit("a=1 b a-x=2", "+a_x=3"), "a=1 b a_x=3", "the key matched with - and _ alike");
	is_str(edit("x=1 y x=2 z", "+x=3"), "x=3 y z", "the first replaced, the others dropped");
	is_str(edit("x=1 y x=2 z", "+x=2"), "x=1 y x=2 z", "the value in effect is already it");
	is_str(edit("ro quiet", "+quiet"), "ro quiet", "adding what is there changes nothing");
	is_str(edit("ro vfio-pci.ids=1:2", "+vfio_pci.ids=1:2"), "ro vfio-pci.ids=1:2", "in either spelling");
	is_str(edit("a quiet b quiet=1 c", "-quiet"), "a b c", "removing a key removes every occurrence");
	is_str(edit("a x=1 x=2 b", "-x=2"), "a x=1 b", "removing key=value only that one");
	is_str(edit("a foo=\"a b\" c", "-foo"), "a c", "a quoted value goes whole");
	is_str(edit("quiet a", "-quiet"), "a", "first parameter");
	is_str(edit("quiet", "-quiet"), "", "the only parameter");
	is_str(edit("ro -- quiet", "+iommu=pt -quiet"), "ro iommu=pt -- quiet",
	       "before --; what follows it is not the kernel's");
	is_str(edit("-- single", "+iommu=pt"), "iommu=pt -- single", "-- first");
	is_str(edit("a\nb\nc", "-b"), "a\nc", "a line break kept");
	is_str(edit("a  b\tc", "-b +d"), "a\tc d", "other white space untouched");
	is_str(edit("ro quiet", "-quiet +splash"), "ro splash", "remove and add together");
	is_str(edit("intel_iommu=off", "-intel_iommu=off +intel_iommu=on"), "intel_iommu=on",
	       "passcheck's advice: --remove intel_iommu=off --iommu");
	is_str(edit("ro x=\"a b", "+iommu=pt"), "ro iommu=pt x=\"a b",
	       "before a parameter whose quote is never closed, which takes the rest");
	is_str(edit("x=\"a b", "+iommu=pt"), "iommu=pt x=\"a b", "also when it is the only one");

	ok(roundtrip("ro quiet splash", "+intel_iommu=on +iommu=pt", "-intel_iommu -iommu"), "add then remove: same bytes");
	ok(roundtrip("", "+iommu=pt", "-iommu"), "from nothing and back");
	ok(roundtrip("root=UUID=x ro\n", "+a +b=\"x,y\"", "-a -b"), "trailing newline and quotes");
	ok(roundtrip("ro -- s", "+iommu=pt", "-iommu=pt"), "with -- and back");
	ok(roundtrip("a\n  b", "+c", "-c"), "across lines and back");
	ok(roundtrip("a\t x\"y", "+c", "-c"), "before a quote never closed and back");
	return tap_done();
}
