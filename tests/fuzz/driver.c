/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runs a fuzz target over the files named on the command line, one input
 * each, without libFuzzer: how make check replays the seeds and the inputs
 * that once broke a parser, with the ordinary compiler and sanitizers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "base/root.h"

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		char *data = NULL;
		uint8_t *exact;
		size_t len = 0;

		if (fd >= 0) {
			data = fd_read_all(fd, 64u << 20, &len);
			close(fd);
		}
		if (!data) {
			fprintf(stderr, "%s: could not read '%s': %s\n", argv[0], argv[i], strerror(errno));
			return 1;
		}
		/* Exactly LEN bytes, as libFuzzer gives them: reading past the input is caught. */
		exact = fuzz_nonnull(malloc(len ? len : 1));
		memcpy(exact, data, len);
		free(data);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	return 0;
}
