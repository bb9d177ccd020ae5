/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The /proc parsers behind the holders of a card's device nodes, on lines
 * as the kernel prints them (fs/proc/array.c do_task_stat, fs/proc/
 * task_mmu.c show_map_vma), and lines they must refuse.
 */
#include <string.h>

#include "pci/holders.h"
#include "tap.h"

static void stat_lines(void)
{
	unsigned long long start;
	char state;

	ok(holders_parse_stat("812 (Xorg) S 640 812 812 1025 812 4194560 20123 0 12 0 4096 1350 0 0 "
			      "20 0 3 0 2215 411574272 19920 18446744073709551615 1 1 0 0 0 0 0 "
			      "4096 1098933991 0 0 0 17 3 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
			      &state, &start) == 0, "stat: Xorg");
	ok(state == 'S' && start == 2215, "stat: the state and field 22, the start time");
	ok(holders_parse_stat("901 (a) b) (c) Z 1 901 901 0 -1 4194316 0 0 0 0 0 0 0 0 20 0 1 0 "
			      "77 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n",
			      &state, &start) == 0 && state == 'Z' && start == 77,
	   "stat: a comm holding ') (' is read to its last ')'");
	ok(holders_parse_stat("812 (Xorg) S 640 812 812 1025 812 4194560 20123 0 12 0 4096 1350",
			      &state, &start) < 0, "stat: cut short before field 22");
	ok(holders_parse_stat("812 Xorg S 640", &state, &start) < 0, "stat: no parentheses");
	ok(holders_parse_stat("812 (Xorg)   640 812 812 1025 812 4194560 20123 0 12 0 4096 1350 0 0 "
			      "20 0 3 0 2215 411574272", &state, &start) < 0, "stat: a state that is no letter");
	ok(holders_parse_stat("812 (Xorg) S 640 812 812 1025 812 4194560 20123 0 12 0 4096 1350 0 0 "
			      "20 0 3 0 x 411574272", &state, &start) < 0, "stat: a start time not a number");
	ok(holders_parse_stat("", &state, &start) < 0, "stat: an empty file");
}

static void maps_lines(void)
{
	unsigned int maj, min;
	unsigned long ino;
	const char *path;

	ok(holders_parse_maps("7f2a1c000000-7f2a1c100000 rw-s 1000a000 00:05 1043                       "
			      "/dev/dri/card1", &maj, &min, &ino, &path) == 0, "maps: a device node");
	ok(maj == 0 && min == 5 && ino == 1043, "maps: device and inode");
	is_str(path, "/dev/dri/card1", "maps: the path after the padding");
	ok(holders_parse_maps("7f60a9000000-7f60a9010000 r--p 00000000 103:0a 401177 /usr/lib/x.so",
			      &maj, &min, &ino, &path) == 0 && maj == 0x103 && min == 0xa,
	   "maps: the device in hexadecimal");
	ok(holders_parse_maps("7ffd1c2e1000-7ffd1c302000 rw-p 00000000 00:00 0 ", &maj, &min, &ino,
			      &path) == 0 && !path, "maps: an anonymous mapping has no path");
	ok(holders_parse_maps("7ffd1c2e1000-7ffd1c302000 rw-p 00000000 00:00 0                          "
			      "[stack]", &maj, &min, &ino, &path) == 0 && !strcmp(path, "[stack]"),
	   "maps: [stack] is no path of a file");
	ok(holders_parse_maps("7ffd1c2e1000-7ffd1c302000 rw-p 00000000", &maj, &min, &ino, &path) < 0,
	   "maps: no device");
	ok(holders_parse_maps("", &maj, &min, &ino, &path) < 0, "maps: an empty line");
}

int main(void)
{
	stat_lines();
	maps_lines();
	return tap_done();
}
