/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtxml-hide - hide the hypervisor in a libvirt domain: KVM's CPUID
 * signature, the Hyper-V vendor id and optionally the CPUID hypervisor bit
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/command.h"
#include "base/diff.h"
#include "virt/hide.h"
#include "virt/domain.h"
#include "base/edit.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/shquote.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "base/banned.h"

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
	{ "json",		no_argument,		NULL, 'J' },
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
	       "standard output:\n"
	       "  virsh dumpxml --inactive win10 | %s | virsh define /dev/stdin\n"
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
	       "  -J, --json               with -i: print what was done as JSON\n"
	       "      --root DIR           FILE is a path in the system under DIR\n"
	       "  -h, --help               show this help and exit\n"
	       "  -V, --version            show the version and exit\n"
	       "\n"
	       "Exit status:\n"
	       "  0  done, or nothing to change; --check: nothing needs to change\n"
	       "  1  --check: something needs to change\n"
	       "  2  usage error\n"
	       "  3  not a libvirt domain, a file could not be read or written: nothing\n"
	       "     written\n",
	       prog_name(), prog_name());
	exit(EXIT_OK);
}

struct opts {
	bool in_place, dry_run, backup, json;
	struct hide_opts h;
};

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

/*
 * SHOWN is the file as the messages name it; PATH its path in the system,
 * which under --root is where that system's virsh finds it: the domain is
 * defined there, through chroot, never in the running system's libvirt.
 */
static void say_next(const struct opts *o, const char *shown, const char *path,
		     const struct hide_after *a)
{
	char q[SHQUOTE_SIZE(4096 + 256)], qn[SHQUOTE_SIZE(sizeof(a->name))];
	const char *file = shquote(*root_prefix() ? path : shown, q, sizeof(q));

	printf("Next: %svirsh define %s, then start the domain%s\n", cmd_chroot(),
	       file ? file : "FILE", o->h.remove ? "" : " and install the GPU driver in it");
	if (file && report_active()) {
		char *line = xasprintf("%svirsh define %s", cmd_chroot(), file);

		report_command(line);
		free(line);
	}
	if (!o->h.remove && a->hostdevs == 0)
		printf("It has no PCI host device yet: give it each function of the GPU with "
		       "%svirt-xml %s --add-device --hostdev BUS:SLOT.FUNC (vfio-bind --list shows them)\n",
		       cmd_chroot(), a->name[0] ? shquote(a->name, qn, sizeof(qn)) : "DOMAIN");
}

/* FILE may name a domain: the pipeline with virsh, with the options that reach the edit. */
static noreturn void open_failed(const struct opts *o, const char *file, const char *shown)
{
	char q[SHQUOTE_SIZE(DOMXML_VENDOR_ID_MAX + 1)];
	struct strbuf tail = STRBUF_INIT;
	int e = errno;

	strbuf_addstr(&tail, "virtxml-hide");
	if (o->h.remove)
		strbuf_addstr(&tail, " --remove");
	if (o->h.vendor_id)
		strbuf_addf(&tail, " --vendor-id %s", shquote(o->h.vendor_id, q, sizeof(q)));
	if (!o->h.vendor)
		strbuf_addstr(&tail, " --no-vendor-id");
	if (!o->h.kvm)
		strbuf_addstr(&tail, " --no-kvm-hidden");
	if (o->h.cpu)
		strbuf_addstr(&tail, " --cpu-hypervisor-off");
	if (o->dry_run)
		strbuf_addstr(&tail, " -n");
	else if (o->h.check)
		strbuf_addstr(&tail, " --check");
	else
		strbuf_addstr(&tail, " | virsh define /dev/stdin");
	errno = e;
	domain_open_failed(file, shown, o->dry_run || o->h.check ? "check" : "edit", tail.buf);
}

int main(int argc, char **argv)
{
	struct opts o = { .h = { .kvm = true, .vendor = true } };
	struct hide_after after = { "", 0 };
	const char *root = NULL, *file = NULL, *shown;
	char *path = NULL, *text, *out;
	size_t len = 0, outlen = 0;
	struct stat st;
	int c, fd, ret = EXIT_OK;

	prog_init();
	while ((c = getopt_long(argc, argv, ":inJhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o.in_place = true;
			break;
		case 'n':
			o.dry_run = true;
			break;
		case OPT_CHECK:
			o.h.check = true;
			break;
		case OPT_REMOVE:
			o.h.remove = true;
			break;
		case OPT_VENDOR_ID:
			check_vendor_id(optarg);
			o.h.vendor_id = optarg;
			break;
		case OPT_NO_VENDOR_ID:
			o.h.vendor = false;
			break;
		case OPT_NO_KVM_HIDDEN:
			o.h.kvm = false;
			break;
		case OPT_CPU_HYPERVISOR_OFF:
			o.h.cpu = true;
			break;
		case OPT_BACKUP:
			o.backup = true;
			break;
		case 'J':
			o.json = true;
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
	if (o.json && !o.in_place)
		usage_error("-J needs -i: standard output is the XML");
	if (o.dry_run && o.h.check)
		usage_error("--dry-run and --check do not go together");
	if (o.h.vendor_id && !o.h.vendor)
		usage_error("--vendor-id and --no-vendor-id do not go together");
	if (o.h.vendor_id && o.h.remove)
		usage_error("--vendor-id and --remove do not go together");
	if (!o.h.kvm && !o.h.vendor && !o.h.cpu)
		usage_error("--no-kvm-hidden and --no-vendor-id leave nothing to do");
	report_init(o.json, root, o.h.check ? REPORT_CHECK : o.dry_run ? REPORT_DRY_RUN :
		    REPORT_WRITE);
	if (root_init(root) < 0)
		err(EXIT_FAIL, "could not open root directory '%s'", root);

	if (file) {
		path = root_file_arg(file);
		shown = root ? root_show(path) : file;
		if (o.in_place && !o.dry_run && !o.h.check && edit_lock(path) < 0) {
			free(path);
			return EXIT_FAIL;
		}
		/* Not blocking on a FIFO, which only a reader may be given. */
		fd = root_open(path, O_RDONLY | (o.in_place ? O_NONBLOCK : 0), 0);
		if (fd < 0)
			open_failed(&o, file, shown);
		if (o.in_place && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))
			errx(EXIT_FAIL, "could not edit '%s' in place: not a regular file", shown);
		text = fd_read_all(fd, ROOT_FILE_MAX, &len);
		if (!text)
			err(EXIT_FAIL, "could not read '%s'", shown);
		close(fd);
	} else {
		shown = "standard input";
		text = fd_read_all(STDIN_FILENO, ROOT_FILE_MAX, &len);
		if (!text)
			err(EXIT_FAIL, "could not read standard input");
	}

	out = hide_edit(&o.h, text, len, shown, &outlen, &after);
	if (!out) {
		free(text);
		free(path);
		return EXIT_FAIL;
	}

	if (o.in_place) {
		struct edit_opts eo = { o.h.check ? EDIT_CHECK : o.dry_run ? EDIT_DRY_RUN : EDIT_WRITE,
					o.backup };
		int r = edit_apply(&eo, path, text, len, out, outlen, 0644);

		if (r < 0)
			ret = EXIT_FAIL;
		else if (o.h.check)
			ret = r ? EXIT_NOTMET : EXIT_OK;
		else if (eo.mode == EDIT_WRITE && r) {
			printf("updated '%s'\n", shown);
			say_next(&o, shown, path, &after);
		} else if (eo.mode == EDIT_WRITE) {
			printf("'%s' already %s; nothing changed\n", shown,
			       o.h.remove ? "has none of it" : "hides the hypervisor");
		}
	} else if (o.h.check) {
		ret = outlen == len && !memcmp(out, text, len) ? EXIT_OK : EXIT_NOTMET;
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
