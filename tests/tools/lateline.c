/* lateline.c — test program: an events-file writer whose line for a returned call comes late, as when a process is descheduled between a call's return and its line. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * Usage: lateline EVENTS_FILE PORT. Appends a listen() line for 127.0.0.1:PORT, prints "ready", notes the
 * time an accept() returns, stops itself (SIGSTOP: runnable again only when the test sends SIGCONT, as a
 * descheduled process), then appends that accept() line stamped with the noted time and prints "done".
 * Exit 0, or 1 with a message when the file cannot be written.
 */

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int put(int fd, long long ts, long long dur, const char *call, int ret, const char *args, unsigned port)
{
	char line[512];
	int n = snprintf(line, sizeof line,
			 "{\"ts\":%lld,\"dur\":%lld,\"pid\":%d,\"role\":\"server\",\"call\":\"%s\",\"fd\":3,\"args\":\"%s\","
			 "\"ret\":%d,\"errno\":null,\"local\":\"127.0.0.1:%u\",\"remote\":null}\n",
			 ts, dur, (int)getpid(), call, args, ret, port);
	return n > 0 && write(fd, line, (size_t)n) == n ? 0 : -1;
}

int main(int argc, char **argv)
{
	unsigned port;
	if (argc != 3 || sscanf(argv[2], "%u", &port) != 1) {
		fprintf(stderr, "usage: lateline EVENTS_FILE PORT\n");
		return 2;
	}
	int fd = open(argv[1], O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 || put(fd, now_us(), 2, "listen", 0, "3, 1", port) != 0) {
		perror("lateline");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	long long returned = now_us(); /* accept() returns here; its line is written only after the stop */
	raise(SIGSTOP);
	if (put(fd, returned, 1000, "accept", 4, "3, NULL, NULL", port) != 0) {
		perror("lateline");
		return 1;
	}
	printf("done\n");
	return 0;
}
