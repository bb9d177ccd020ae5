/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The /proc files behind the holders of a card's device nodes: the input
 * is one file, its text given whole to the stat parser and each line to
 * the maps parser (common/pci/holders.c).
 *
 * Properties: a stat text accepted gives a state that is a letter
 * and parses the same again; a maps line accepted gives a path
 * inside the line, or none, and parses the same again.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pci/holders.h"

static void maps(const char *line)
{
	unsigned int maj, min, maj2, min2;
	unsigned long ino, ino2;
	const char *path, *path2;

	if (holders_parse_maps(line, &maj, &min, &ino, &path) < 0)
		return;
	CHECK(!path || (path > line && path < line + strlen(line) && *path != ' '));
	CHECK(holders_parse_maps(line, &maj2, &min2, &ino2, &path2) == 0);
	CHECK(maj == maj2 && min == min2 && ino == ino2 && path == path2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_nonnull(malloc(size + 1)), *line, *next;
	unsigned long long start, start2;
	char state, state2;

	memcpy(text, data, size);
	text[size] = '\0';
	if (holders_parse_stat(text, &state, &start) == 0) {
		CHECK(isalpha((unsigned char)state));
		CHECK(holders_parse_stat(text, &state2, &start2) == 0 && state == state2 && start == start2);
	}
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		maps(line);
	}
	free(text);
	return 0;
}
