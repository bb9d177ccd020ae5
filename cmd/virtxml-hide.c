/*
 * virtxml-hide - hide the hypervisor in a libvirt domain: KVM's CPUID
 * signature, the Hyper-V vendor id and optionally the CPUID hypervisor bit
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diff.h"
#include "domxml.h"
#include "edit.h"
#include "prog.h"
#include "root.h"
#include "xmlsrc.h"

/* libvirt keeps domain XML far below this; anything larger is not one. */
#define INPUT_MAX (16u << 20)
/* Each pass makes one change; the most a run can need is ten. */
#define MAX_PASSES 32

enum {
	OPT_ROOT = 0x100,
	OPT_CHECK,
	OPT_REMOVE,
	OPT_VENDOR_ID,
	OPT_NO_VENDOR_ID,
	OPT_NO_KVM_HIDDEN,
	OPT_CPU_HYPERVISOR_OFF,
	OPT_BACKUP,
};

static const struct option longopts[] = {
	{ "in-place",		no_argument,		NULL, 'i' },
	{ "dry-run",		no_argument,		NULL, 'n' },
	{ "check",		no_argument,		NULL, OPT_CHECK },
	{ "remove",		no_argument,		NULL, OPT_REMOVE },
	{ "vendor-id",		required_argument,	NULL, OPT_VENDOR_ID },
	{ "no-vendor-id",	no_argument,		NULL, OPT_NO_VENDOR_ID },
	{ "no-kvm-hidden",	no_argument,		NULL, OPT_NO_KVM_HIDDEN },
	{ "cpu-hypervisor-off",	no_argument,		NULL, OPT_CPU_HYPERVISOR_OFF },
	{ "backup",		no_argument,		NULL, OPT_BACKUP },
	{ "root",		required_argument,	NULL, OPT_ROOT },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static noreturn void usage(void)
{
	printf("Usage: %s [options] [FILE]\n"
	       "\n"
	       "Hide the hypervisor in a libvirt domain's XML, so that drivers which refuse\n"
	       "to run in a virtual machine install: <kvm><hidden state='on'/></kvm> and a\n"
	       "Hyper-V <vendor_id> in <features>.  Reads FILE or standard input and writes\n"
	       "standard output:  virsh dumpxml win10 | %s | virsh define /dev/stdin\n"
	       "\n"
	       "Options:\n"
	       "  -i, --in-place           edit FILE instead of writing standard output\n"
	       "      --vendor-id VALUE    the Hyper-V vendor id: 1 to 12 printable ASCII\n"
	       "                           characters, no comma (default: one derived from\n"
	       "                           the domain's UUID; an existing one is kept)\n"
	       "      --no-vendor-id       leave <hyperv> alone\n"
	       "      --no-kvm-hidden      leave <kvm> alone\n"
	       "      --cpu-hypervisor-off also clear the CPUID hypervisor bit (costly: see the\n"
	       "                           man page)\n"
	       "      --remove             take out what the same options put in\n"
	       "  -n, --dry-run            show the change as a unified diff, change nothing\n"
	       "      --check              exit 0 if nothing needs to change, 1 if something does\n"
	       "      --backup             with -i: keep FILE.bak\n"
	       "      --root DIR           FILE is a path in the system under DIR\n"
	       "  -h, --help               show this help and exit\n"
	       "  -V, --version            show the version and exit\n"
	       "\n"
	       "Exit status: 0 done (or nothing to do), 1 bad input, failure or check not met,\n"
	       "2 usage error.\n",
	       prog_name(), prog_name());
	exit(EXIT_OK);
}

struct opts {
	bool in_place, dry_run, check, remove, backup;
	bool kvm, vendor, cpu;		/* what to hide or, with --remove, to take out */
	const char *vendor_id;		/* NULL: keep an existing one, else derive one */
};

/* Where libvirt writes each element, as the names of the siblings it writes after it. */
static const char *const features_before[] = {
	"cpu", "clock", "on_poweroff", "on_reboot", "on_crash", "on_lockfailure", "pm", "perf",
	"devices", "seclabel", "keywrap", "launchSecurity", NULL,
};
static const char *const hyperv_before[] = {
	"kvm", "pvspinlock", "capabilities", "pmu", "vmport", "gic", "smm", "ioapic", "hpt",
	"vmcoreinfo", "htm", "nested-hv", "msrs", "ccf-assist", "xen", "cfpc", "sbbc", "ibs", "tcg",
	"async-teardown", "ras", "ps2", "aia", NULL,
};
static const char *const *const kvm_before = hyperv_before + 1;
static const char *const hidden_before[] = {
	"hint-dedicated", "poll-control", "pv-ipi", "dirty-ring", NULL,
};
static const char *const vendor_before[] = {
	"frequencies", "reenlightenment", "tlbflush", "ipi", "evmcs", "avic", "emsr_bitmap",
	"xmm_input", NULL,
};
static const char *const feature_before[] = { "numa", NULL };

/* One parse of the text being edited. */
struct doc {
	const char *name;	/* for messages */
	struct domxml dom;
	struct xmlsrc src;
	char *text;
	size_t len;
};

/* What one run has noticed so far, across passes. */
struct run {
	bool told_passthrough;
	bool took_from_kvm, took_from_hyperv, took_from_features, took_from_cpu;
};

/* An edit's new text; the edits fail only for want of memory. */
static char *edited(char *text)
{
	if (!text)
		err(EXIT_FAIL, "could not allocate memory");
	return text;
}

/*
 * 12 characters from the domain's UUID (or name), hashed with FNV-1a and
 * mixed with MurmurHash3's finalizer, which spreads short keys over the
 * high bits too.  The same domain always gets the same id, so -n shows
 * what a write will do, and the id is no well-known string a detector
 * could look for.
 */
static void default_vendor_id(xmlNodePtr root, char *buf)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char key[256] = "";
	uint64_t h = 0xcbf29ce484222325u;
	const char *p;
	int i;

	if (!domxml_child_text(root, "uuid", key, sizeof(key)))
		domxml_child_text(root, "name", key, sizeof(key));
	for (p = key; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 0x100000001b3u;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	h ^= h >> 33;
	for (i = 0; i < DOMXML_VENDOR_ID_MAX; i++) {
		buf[i] = digits[h % 36];
		h /= 36;
	}
	buf[DOMXML_VENDOR_ID_MAX] = '\0';
}

static char *insert(struct doc *d, xmlNodePtr parent, const char *name, const char *const *attrs,
		    const char *const *before, size_t *len)
{
	char *markup = xmlsrc_markup(&d->src, name, attrs), *out;

	if (!markup)
		err(EXIT_FAIL, "could not allocate memory");
	out = edited(xmlsrc_insert(&d->src, parent, markup, before, len));
	free(markup);
	return out;
}

/* libvirt refuses CPU features in a <cpu> that names no model and no host mode. */
static bool cpu_takes_features(xmlNodePtr cpu)
{
	return cpu && (domxml_child(cpu, "model") || domxml_attr_is(cpu, "mode", "host-model") ||
		       domxml_attr_is(cpu, "mode", "host-passthrough") ||
		       domxml_attr_is(cpu, "mode", "maximum"));
}

/* The next change that hiding needs, as the new text; NULL when none is left. */
static char *hide_step(const struct opts *o, struct doc *d, struct run *r, size_t *len)
{
	static const char *const state_on[] = { "state", "on", NULL };
	xmlNodePtr root = d->dom.root, features = domxml_child(root, "features");
	xmlNodePtr kvm, hyperv, cpu, el;
	char value[DOMXML_VENDOR_ID_MAX + 1];

	if (o->kvm) {
		if (!features)
			return insert(d, root, "features", NULL, features_before, len);
		kvm = domxml_child(features, "kvm");
		if (!kvm)
			return insert(d, features, "kvm", NULL, kvm_before, len);
		el = domxml_child(kvm, "hidden");
		if (!el)
			return insert(d, kvm, "hidden", state_on, hidden_before, len);
		if (!domxml_attr_is(el, "state", "on"))
			return edited(xmlsrc_set_attr(&d->src, el, "state", "on", len));
	}
	if (o->vendor) {
		hyperv = domxml_child(features, "hyperv");
		if (domxml_hyperv_mode(&d->dom) == HYPERV_PASSTHROUGH) {
			if (!r->told_passthrough && !o->check)
				warnx("'%s' has <hyperv mode='passthrough'>, which takes no <vendor_id> "
				      "(the guest sees KVM's Hyper-V vendor 'Linux KVM Hv'); left as it is",
				      d->name);
			r->told_passthrough = true;
		} else {
			if (!features)
				return insert(d, root, "features", NULL, features_before, len);
			if (!hyperv)
				return insert(d, features, "hyperv", NULL, hyperv_before, len);
			el = domxml_child(hyperv, "vendor_id");
			if (o->vendor_id)
				snprintf(value, sizeof(value), "%s", o->vendor_id);
			else if (!domxml_vendor_id(&d->dom, value, sizeof(value)))
				default_vendor_id(root, value);
			if (!el) {
				const char *attrs[] = { "state", "on", "value", value, NULL };

				return insert(d, hyperv, "vendor_id", attrs, vendor_before, len);
			}
			if (!domxml_attr_is(el, "state", "on"))
				return edited(xmlsrc_set_attr(&d->src, el, "state", "on", len));
			if (!domxml_attr_is(el, "value", value))
				return edited(xmlsrc_set_attr(&d->src, el, "value", value, len));
		}
	}
	if (o->cpu) {
		cpu = domxml_child(root, "cpu");
		if (!cpu_takes_features(cpu)) {
			char name[256] = "DOMAIN";

			domxml_child_text(root, "name", name, sizeof(name));
			errx(EXIT_FAIL, "'%s' has no CPU model or host CPU mode, and libvirt takes CPU "
			     "features only with one; first: virt-xml %s --edit --cpu host-passthrough",
			     d->name, name);
		}
		el = domxml_child_with(cpu, "feature", "name", "hypervisor");
		if (!el) {
			static const char *const attrs[] = { "policy", "disable", "name", "hypervisor", NULL };

			return insert(d, cpu, "feature", attrs, feature_before, len);
		}
		if (!domxml_cpu_hypervisor_off(&d->dom))
			return edited(xmlsrc_set_attr(&d->src, el, "policy", "disable", len));
	}
	return NULL;
}

/*
 * The next change that taking out what hiding puts in needs; NULL when
 * none is left.  A container is taken out (or, for <cpu>, closed up) only
 * when this run emptied it.
 */
static char *remove_step(const struct opts *o, struct doc *d, struct run *r, size_t *len)
{
	xmlNodePtr root = d->dom.root, features = domxml_child(root, "features");
	xmlNodePtr kvm = domxml_child(features, "kvm"), hyperv = domxml_child(features, "hyperv");
	xmlNodePtr cpu = domxml_child(root, "cpu"), el;

	if (o->kvm && (el = domxml_child(kvm, "hidden"))) {
		r->took_from_kvm = true;
		return edited(xmlsrc_remove(&d->src, el, len));
	}
	if (o->vendor && (el = domxml_child(hyperv, "vendor_id"))) {
		r->took_from_hyperv = true;
		return edited(xmlsrc_remove(&d->src, el, len));
	}
	if (o->cpu && (el = domxml_child_with(cpu, "feature", "name", "hypervisor")) &&
	    domxml_attr_is(el, "policy", "disable")) {
		r->took_from_cpu = true;
		return edited(xmlsrc_remove(&d->src, el, len));
	}
	if (r->took_from_kvm && kvm && xmlsrc_is_empty(&d->src, kvm)) {
		r->took_from_features = true;
		return edited(xmlsrc_remove(&d->src, kvm, len));
	}
	if (r->took_from_hyperv && hyperv && xmlsrc_is_empty(&d->src, hyperv)) {
		r->took_from_features = true;
		return edited(xmlsrc_remove(&d->src, hyperv, len));
	}
	if (r->took_from_features && features && xmlsrc_is_empty(&d->src, features)) {
		r->took_from_features = false;
		return edited(xmlsrc_remove(&d->src, features, len));
	}
	if (r->took_from_cpu && cpu && xmlsrc_is_empty(&d->src, cpu)) {
		r->took_from_cpu = false;
		return edited(xmlsrc_collapse(&d->src, cpu, len));
	}
	return NULL;
}

/* The facts the closing message needs, from the final text. */
struct after {
	char name[256];
	size_t hostdevs;
};

/*
 * Apply the changes to TEXT one at a time, parsing again after each, so
 * that every splice works on fresh positions and the result is known to
 * parse.  Exits on bad input; returns the new text (TEXT itself when
 * nothing changes).
 */
static char *transform(const struct opts *o, char *text, size_t len, const char *name,
		       size_t *outlen, struct after *after)
{
	struct run r = { 0 };
	struct doc d = { .name = name, .text = text, .len = len };
	int pass;

	for (pass = 0; ; pass++) {
		char *next;
		size_t nlen = 0;

		if (domxml_parse(&d.dom, d.text, d.len, name) < 0)
			exit(EXIT_FAIL);
		if (xmlsrc_scan(&d.src, d.text, d.len, d.dom.doc) < 0) {
			if (errno == ENOMEM)
				err(EXIT_FAIL, "could not parse '%s'", name);
			errx(EXIT_FAIL, "could not parse '%s': its text and libxml2's reading of it "
			     "disagree", name);
		}
		next = o->remove ? remove_step(o, &d, &r, &nlen) : hide_step(o, &d, &r, &nlen);
		if (!next) {
			domxml_child_text(d.dom.root, "name", after->name, sizeof(after->name));
			after->hostdevs = domxml_hostdev_pci(&d.dom, NULL, 0);
		}
		xmlsrc_free(&d.src);
		domxml_free(&d.dom);
		if (!next)
			break;
		if (d.text != text)
			free(d.text);
		d.text = next;
		d.len = nlen;
		if (pass == MAX_PASSES)
			errx(EXIT_FAIL, "could not edit '%s': it keeps changing", name);
	}
	*outlen = d.len;
	return d.text;
}

/* FILE as an absolute path of the target system. */
static void check_vendor_id(const char *v)
{
	size_t n = strlen(v), i;

	if (n < 1 || n > DOMXML_VENDOR_ID_MAX)
		usage_error("invalid vendor id '%s': 1 to %d characters", v, DOMXML_VENDOR_ID_MAX);
	for (i = 0; i < n; i++) {
		if (v[i] < 0x20 || v[i] > 0x7e)
			usage_error("invalid vendor id '%s': printable ASCII only", v);
		if (v[i] == ',')
			usage_error("invalid vendor id '%s': no comma (libvirt's schema)", v);
	}
}

static void say_next(const struct opts *o, const char *shown, const struct after *a)
{
	printf("Next: virsh define %s, then start the domain%s\n", shown,
	       o->remove ? "" : " and install the GPU driver in it");
	if (!o->remove && a->hostdevs == 0)
		printf("It has no PCI host device yet: give it each function of the GPU with "
		       "virt-xml %s --add-device --hostdev BUS:SLOT.FUNC (vfio-bind --list shows them)\n",
		       a->name[0] ? a->name : "DOMAIN");
}

int main(int argc, char **argv)
{
	struct opts o = { .kvm = true, .vendor = true };
	struct after after = { "", 0 };
	const char *root = NULL, *file = NULL, *shown;
	char *path = NULL, *text, *out;
	size_t len = 0, outlen = 0;
	struct stat st;
	int c, fd, ret = EXIT_OK;

	prog_init();
	while ((c = getopt_long(argc, argv, ":inhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o.in_place = true;
			break;
		case 'n':
			o.dry_run = true;
			break;
		case OPT_CHECK:
			o.check = true;
			break;
		case OPT_REMOVE:
			o.remove = true;
			break;
		case OPT_VENDOR_ID:
			check_vendor_id(optarg);
			o.vendor_id = optarg;
			break;
		case OPT_NO_VENDOR_ID:
			o.vendor = false;
			break;
		case OPT_NO_KVM_HIDDEN:
			o.kvm = false;
			break;
		case OPT_CPU_HYPERVISOR_OFF:
			o.cpu = true;
			break;
		case OPT_BACKUP:
			o.backup = true;
			break;
		case OPT_ROOT:
			root = optarg;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_bad_option(c, argv, longopts);
		}
	}
	if (argc - optind > 1)
		usage_error("one FILE at most");
	if (optind < argc && strcmp(argv[optind], "-"))
		file = argv[optind];
	if (file && !*file)
		usage_error("empty file name");
	if (o.in_place && !file)
		usage_error("--in-place needs a FILE");
	if (o.backup && !o.in_place)
		usage_error("--backup goes with --in-place");
	if (o.dry_run && o.check)
		usage_error("--dry-run and --check do not go together");
	if (o.vendor_id && !o.vendor)
		usage_error("--vendor-id and --no-vendor-id do not go together");
	if (o.vendor_id && o.remove)
		usage_error("--vendor-id and --remove do not go together");
	if (!o.kvm && !o.vendor && !o.cpu)
		usage_error("--no-kvm-hidden and --no-vendor-id leave nothing to do");
	if (root_init(root) < 0)
		err(EXIT_FAIL, "could not open root directory '%s'", root);

	if (file) {
		path = root_file_arg(file);
		shown = root ? root_show(path) : file;
		/* Not blocking on a FIFO, which only a reader may be given. */
		fd = root_open(path, O_RDONLY | (o.in_place ? O_NONBLOCK : 0), 0);
		if (fd < 0)
			err(EXIT_FAIL, "could not open '%s'", shown);
		if (o.in_place && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))
			errx(EXIT_FAIL, "could not edit '%s' in place: not a regular file", shown);
		text = fd_read_all(fd, INPUT_MAX, &len);
		if (!text)
			err(EXIT_FAIL, "could not read '%s'", shown);
		close(fd);
	} else {
		shown = "standard input";
		text = fd_read_all(STDIN_FILENO, INPUT_MAX, &len);
		if (!text)
			err(EXIT_FAIL, "could not read standard input");
	}

	out = transform(&o, text, len, shown, &outlen, &after);

	if (o.in_place) {
		struct edit_opts eo = { o.check ? EDIT_CHECK : o.dry_run ? EDIT_DRY_RUN : EDIT_WRITE,
					o.backup };
		int r = edit_apply(&eo, path, text, len, out, outlen, 0644);

		if (r < 0)
			ret = EXIT_FAIL;
		else if (o.check)
			ret = r ? EXIT_FAIL : EXIT_OK;
		else if (eo.mode == EDIT_WRITE && r) {
			printf("updated '%s'\n", shown);
			say_next(&o, shown, &after);
		} else if (eo.mode == EDIT_WRITE) {
			printf("'%s' already %s; nothing changed\n", shown,
			       o.remove ? "has none of it" : "hides the hypervisor");
		}
	} else if (o.check) {
		ret = outlen == len && !memcmp(out, text, len) ? EXIT_OK : EXIT_FAIL;
	} else if (o.dry_run) {
		diff_unified(stdout, path ? path : "/dev/stdin", text, len, out, outlen);
	} else {
		fwrite(out, 1, outlen, stdout);
	}
	if (out != text)
		free(out);
	free(text);
	free(path);
	return ret;
}
