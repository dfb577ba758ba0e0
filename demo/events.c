/* events.c — the --events file: opened for appending, one write() per JSON line so processes can share it. */
#include "events.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int events_open(const char *path)
{
	if (strcmp(path, "-") == 0)
		return STDOUT_FILENO;
	/* O_APPEND: every write() lands at the current end, so the server and client processes of a
	 * scenario (or two separate runs) can append to one file without overwriting each other. */
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "sockdemo: cannot open events file '%s': %s; fix: give a writable path, or - for "
				"standard output\n", path, strerror(errno));
		return -1;
	}
	/* Move it out of the way so the sockets of the demo get the small numbers (3, 4, ...) of the books. */
	int high = fcntl(fd, F_DUPFD_CLOEXEC, 64);
	if (high >= 0) {
		close(fd);
		fd = high;
	}
	return fd;
}

bool events_write(int fd, const char *line, size_t len)
{
	for (;;) {
		ssize_t w = write(fd, line, len);
		if (w == (ssize_t)len)
			return true;
		if (w < 0 && errno == EINTR)
			continue;
		/* A short write would split a line between processes; report it instead of retrying. */
		fprintf(stderr, "sockdemo: cannot write to the events file: %s; fix: free disk space or choose "
				"another --events path\n", w < 0 ? strerror(errno) : "short write");
		return false;
	}
}
