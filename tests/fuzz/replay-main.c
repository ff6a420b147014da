/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * replay-main.c - the main() that replaces libFuzzer for make check: it runs every file named on
 * the command line, or in the directories named, once through the target's
 * LLVMFuzzerTestOneInput (each in a heap block of its exact size), so that the committed corpus
 * and every crash once found (tests/fuzz/crashes/TARGET/) stay regression tests under the
 * normal build, with or without sanitizers.  A directory that does not exist is no error: a
 * target may have no crashes.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f) {
		perror(path);
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return -1;
	}
	buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int files = 0, failed = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *de;

		if (stat(argv[i], &st) < 0) {
			if (errno == ENOENT)
				continue;
			perror(argv[i]);
			failed++;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			failed += run_file(argv[i]) < 0;
			files++;
			continue;
		}
		d = opendir(argv[i]);
		while (d && (de = readdir(d))) {
			char path[4096];

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
				failed += run_file(path) < 0;
				files++;
			}
		}
		if (d)
			closedir(d);
	}
	printf("replayed %d inputs, %d unreadable\n", files, failed);
	return failed ? 1 : 0;
}
