/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "pci/holders.h"
#include "base/dirlist.h"
#include "base/macros.h"
#include "base/root.h"
#include "base/strlist.h"
#include "base/xalloc.h"
#include "base/banned.h"

/* The classes of device below a function that a desktop or sound server opens. */
static const char *const node_classes[] = { "drm", "sound", "graphics" };

/*
 * Display managers by their comm (15 characters at most: the kernel's
 * TASK_COMM_LEN), for a host whose display-manager.service alias is
 * missing or which starts one otherwise.
 */
static const char *const dm_names[] = {
	"gdm", "gdm3", "gdm-x-session", "gdm-wayland-session", "sddm", "sddm-greeter",
	"lightdm", "xdm", "lxdm", "lxdm-binary", "greetd", "ly", "slim", "nodm", "entrance",
};

struct node {
	size_t fn;			/* index of its function in the scan */
	char path[64];			/* "/dev/dri/card1", "" when sysfs names none */
	unsigned int major, minor;
	bool have_inode;		/* the node itself is there to stat */
	bool by_path;			/* no node at its path: match the path itself */
	dev_t st_dev;
	ino_t st_ino;
};

struct nodes {
	struct node *v;
	size_t n, cap;
};

int holders_parse_stat(const char *line, char *state, unsigned long long *start)
{
	const char *p = strrchr(line, ')');
	char *end;
	int i;

	/* "PID (COMM) S PPID ...": the comm may hold spaces and ')' itself */
	if (!p || p[1] != ' ' || !isalpha((unsigned char)p[2]) || p[3] != ' ')
		return -1;
	*state = p[2];
	p += 3;
	/* fields 4 to 21, then the start time, field 22 */
	for (i = 4; i < 22; i++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -1;
	}
	if (!isdigit((unsigned char)p[1]))
		return -1;
	errno = 0;
	*start = strtoull(p + 1, &end, 10);
	if (errno || (*end && *end != ' ' && *end != '\n'))
		return -1;
	return 0;
}

int holders_parse_maps(const char *line, unsigned int *major, unsigned int *minor,
		       unsigned long *ino, const char **path)
{
	const char *p = line;
	int i, n = 0;

	/* address perms offset dev inode [path] */
	for (i = 0; i < 3; i++) {
		p = strchr(p, ' ');
		if (!p)
			return -1;
		p++;
	}
	if (sscanf(p, "%x:%x %lu%n", major, minor, ino, &n) != 3)
		return -1;
	p += n;
	while (*p == ' ')
		p++;
	*path = *p ? p : NULL;
	return 0;
}

int holder_proc_start(pid_t pid, unsigned long long *start, bool *zombie)
{
	char path[64], state;
	char *text;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	text = root_read_file(path, NULL);
	if (!text)
		return -1;
	if (holders_parse_stat(text, &state, start) < 0) {
		free(text);
		errno = EINVAL;
		return -1;
	}
	free(text);
	*zombie = state == 'Z' || state == 'X';
	return 0;
}

/* The node whose sysfs directory is DIR, when it has a dev attribute. */
static bool add_node(struct nodes *ns, size_t fn, const char *dir)
{
	char buf[512], *name;
	struct node *nd;
	struct stat st;
	unsigned int maj, min;
	size_t k;
	int fd, n = 0;

	fd = root_open(dir, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return false;
	if (attr_read(fd, "dev", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%u:%u%n", &maj, &min, &n) != 2 || buf[n]) {
		close(fd);
		return false;
	}
	/* the same node again: DRM's controlD64 is a link to its card0, kept for libdrm */
	for (k = 0; k < ns->n; k++)
		if (ns->v[k].fn == fn && ns->v[k].major == maj && ns->v[k].minor == min) {
			close(fd);
			return true;
		}
	XGROW(ns->v, ns->n + 1, ns->cap);
	nd = &ns->v[ns->n++];
	memset(nd, 0, sizeof(*nd));
	nd->fn = fn;
	nd->major = maj;
	nd->minor = min;
	/* udev names the node as the kernel's uevent says: DEVNAME=dri/card1 */
	if (attr_read(fd, "uevent", buf, sizeof(buf)) > 0) {
		for (name = buf; name; name = strchr(name, '\n') ? strchr(name, '\n') + 1 : NULL)
			if (!strncmp(name, "DEVNAME=", 8)) {
				name += 8;
				snprintf(nd->path, sizeof(nd->path), "/dev/%.*s",
					 (int)strcspn(name, "\n"), name);
				break;
			}
	}
	close(fd);
	/*
	 * Another device at the path (a tree's stand-in) matches neither by
	 * inode nor by path; a path with nothing there (a tree without /dev)
	 * matches by the path.
	 */
	if (nd->path[0] && root_stat(nd->path, &st) < 0) {
		nd->by_path = errno == ENOENT;
	} else if (nd->path[0] && S_ISCHR(st.st_mode) && major(st.st_rdev) == maj &&
		   minor(st.st_rdev) == min) {
		nd->have_inode = true;
		nd->st_dev = st.st_dev;
		nd->st_ino = st.st_ino;
	}
	return true;
}

/*
 * The nodes below function NAME: drm/card1, graphics/fb0, and a level
 * down where the entry is no node itself: sound/card1/controlC1.
 */
static void function_nodes(struct nodes *ns, size_t fn, const char *name)
{
	struct strlist ents = STRLIST_INIT, subs = STRLIST_INIT;
	char dir[256], sub[512], leaf[768];
	size_t c, i, k;

	for (c = 0; c < ARRAY_SIZE(node_classes); c++) {
		snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s/%s", name, node_classes[c]);
		if (dir_list(dir, NULL, DIRLIST_DIRS, &ents) < 0)
			continue;
		for (i = 0; i < ents.n; i++) {
			snprintf(sub, sizeof(sub), "%s/%s", dir, ents.v[i]);
			if (add_node(ns, fn, sub))
				continue;
			dir_list(sub, NULL, DIRLIST_DIRS, &subs);
			for (k = 0; k < subs.n; k++) {
				snprintf(leaf, sizeof(leaf), "%s/%s", sub, subs.v[k]);
				add_node(ns, fn, leaf);
			}
			strlist_free(&subs);
		}
		strlist_free(&ents);
	}
}

/* One process's matches, before they are known to belong to a live one. */
struct proc {
	pid_t pid;
	bool *hit;			/* per node: held through a descriptor */
	bool *map;			/* per node: mapped */
	bool any;
};

static bool is_pid(const char *s)
{
	return *s && *s != '0' && strspn(s, "0123456789") == strlen(s) && strlen(s) < 10;
}

/* The descriptors of P: -1 when it could not be read (EACCES), 0 otherwise. */
static int scan_fds(struct proc *p, const struct nodes *ns)
{
	struct strlist fds = STRLIST_INIT;
	char dir[64], path[96], target[4096];
	struct stat st;
	size_t i, k;
	int dfd;

	snprintf(dir, sizeof(dir), "/proc/%ld/fd", (long)p->pid);
	dfd = root_open(dir, O_PATH | O_DIRECTORY, 0);
	if (dfd < 0)
		return errno == EACCES ? -1 : 0;
	if (dir_list(dir, NULL, 0, &fds) < 0 && errno == EACCES) {
		close(dfd);
		return -1;
	}
	for (i = 0; i < fds.n; i++) {
		bool have_stat;

		/* pipes, sockets, anon_inode:[...] have no path */
		if (link_read(dfd, fds.v[i], target, sizeof(target)) < 0 || target[0] != '/')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, fds.v[i]);
		/* through the link: the node's own number, whatever its path in the holder's namespace */
		have_stat = root_stat(path, &st) == 0;
		if (have_stat && !S_ISCHR(st.st_mode))
			continue;
		for (k = 0; k < ns->n; k++) {
			const struct node *nd = &ns->v[k];

			if (have_stat ? major(st.st_rdev) == nd->major && minor(st.st_rdev) == nd->minor :
			    nd->by_path && !strcmp(target, nd->path))
				p->hit[k] = p->any = true;
		}
	}
	strlist_free(&fds);
	close(dfd);
	return 0;
}

/* The mappings of P: -1 when they could not be read (EACCES), 0 otherwise. */
static int scan_maps(struct proc *p, const struct nodes *ns)
{
	char path[64], *text, *line, *next;
	const char *file;
	unsigned int maj, min;
	unsigned long ino;
	size_t k;

	snprintf(path, sizeof(path), "/proc/%ld/maps", (long)p->pid);
	text = root_read_file(path, NULL);
	if (!text)
		return errno == EACCES ? -1 : 0;
	for (line = text; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if (holders_parse_maps(line, &maj, &min, &ino, &file) < 0 || !file || *file != '/')
			continue;
		for (k = 0; k < ns->n; k++) {
			const struct node *nd = &ns->v[k];

			if (p->hit[k] || p->map[k])
				continue;
			if (nd->have_inode ? makedev(maj, min) == nd->st_dev && ino == nd->st_ino :
			    nd->by_path && !strcmp(file, nd->path))
				p->map[k] = p->any = true;
		}
	}
	free(text);
	return 0;
}

/* The display manager's unit, as the display-manager.service alias names it; "" without. */
static void dm_unit(char *unit, size_t size)
{
	int fd = root_open("/etc/systemd/system", O_PATH | O_DIRECTORY, 0);

	unit[0] = '\0';
	if (fd < 0)
		return;
	if (link_base(fd, "display-manager.service", unit, size) < 0)
		unit[0] = '\0';
	close(fd);
}

/* Whether PID is in UNIT's control group: "0::/system.slice/lightdm.service". */
static bool in_unit(pid_t pid, const char *unit)
{
	char path[64], *text, *line, *next;
	size_t len = strlen(unit), l;
	bool found = false;

	snprintf(path, sizeof(path), "/proc/%ld/cgroup", (long)pid);
	text = root_read_file(path, NULL);
	for (line = text; line && *line && !found; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		l = strlen(line);
		found = l > len && line[l - len - 1] == '/' && !strcmp(line + l - len, unit);
	}
	free(text);
	return found;
}

static bool dm_by_name(const char *comm)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dm_names); i++)
		if (!strncmp(comm, dm_names[i], 15) && strlen(comm) == strnlen(dm_names[i], 15))
			return true;
	return false;
}

/* Add P's matches to H once it is known to be a live process. */
static void add_proc(struct holders *h, size_t *cap, const struct proc *p, const struct nodes *ns,
		     const struct pcidevs *l, const char *unit)
{
	char path[64], comm[32], dmu[80] = "";
	unsigned long long start;
	bool zombie;
	size_t k;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld", (long)p->pid);
	fd = root_open(path, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return;
	if (attr_read(fd, "comm", comm, sizeof(comm)) < 0)
		comm[0] = '\0';
	close(fd);
	/* gone meanwhile, or ended: a zombie holds nothing */
	if (holder_proc_start(p->pid, &start, &zombie) < 0 || zombie)
		return;
	if (unit[0] && in_unit(p->pid, unit))
		snprintf(dmu, sizeof(dmu), "%s", unit);
	for (k = 0; k < ns->n; k++) {
		struct holder *it;

		if (!p->hit[k] && !p->map[k])
			continue;
		XGROW(h->v, h->n + 1, *cap);
		it = &h->v[h->n++];
		memset(it, 0, sizeof(*it));
		snprintf(it->dev, sizeof(it->dev), "%s", l->dev[ns->v[k].fn].name);
		it->pid = p->pid;
		snprintf(it->comm, sizeof(it->comm), "%s", comm);
		if (ns->v[k].path[0])
			snprintf(it->node, sizeof(it->node), "%s", ns->v[k].path);
		else
			snprintf(it->node, sizeof(it->node), "char device %u:%u", ns->v[k].major,
				 ns->v[k].minor);
		it->mapped = !p->hit[k];
		it->start = start;
		snprintf(it->dm, sizeof(it->dm), "%s", dmu);
		it->dm_by_name = dm_by_name(comm);
	}
}

static int cmp_holder(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;
	int c = strcmp(x->dev, y->dev);

	if (c)
		return c;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return strcmp(x->node, y->node);
}

void holders_scan(struct holders *h, const struct pcidevs *l, const bool *take)
{
	struct strlist pids = STRLIST_INIT;
	struct nodes ns = { NULL, 0, 0 };
	struct proc p;
	char unit[80];
	size_t cap = 0, i;
	/* the tool itself, on the running system only: a tree's PIDs are not this system's */
	pid_t self = *root_prefix() ? 0 : getpid();

	memset(h, 0, sizeof(*h));
	for (i = 0; i < l->n; i++)
		if (take[i])
			function_nodes(&ns, i, l->dev[i].name);
	h->nodes = ns.n;
	if (!ns.n)
		return;
	dm_unit(unit, sizeof(unit));
	p.hit = xcalloc(ns.n, sizeof(*p.hit));
	p.map = xcalloc(ns.n, sizeof(*p.map));
	dir_list("/proc", NULL, 0, &pids);
	for (i = 0; i < pids.n; i++) {
		if (!is_pid(pids.v[i]))
			continue;
		p.pid = (pid_t)atol(pids.v[i]);
		if (p.pid == self)
			continue;
		memset(p.hit, 0, ns.n * sizeof(*p.hit));
		memset(p.map, 0, ns.n * sizeof(*p.map));
		p.any = false;
		if (scan_fds(&p, &ns) < 0 || scan_maps(&p, &ns) < 0) {
			h->unreadable++;
			continue;
		}
		if (p.any)
			add_proc(h, &cap, &p, &ns, l, unit);
	}
	strlist_free(&pids);
	free(p.hit);
	free(p.map);
	free(ns.v);
	if (h->n)
		qsort(h->v, h->n, sizeof(*h->v), cmp_holder);
}

void holders_free(struct holders *h)
{
	free(h->v);
	memset(h, 0, sizeof(*h));
}

void holder_describe(const struct holder *it, char *buf, size_t size)
{
	char dm[128] = "";

	if (it->dm[0] && it->dm_by_name)
		snprintf(dm, sizeof(dm), ", the display manager (%s)", it->dm);
	else if (it->dm[0])
		snprintf(dm, sizeof(dm), ", run by the display manager (%s)", it->dm);
	else if (it->dm_by_name)
		snprintf(dm, sizeof(dm), ", a display manager");
	snprintf(buf, size, "PID %ld (%s) %s %s%s%s", (long)it->pid, it->comm,
		 it->mapped ? "has" : "holds", it->node, it->mapped ? " mapped" : "", dm);
}
