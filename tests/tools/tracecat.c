/* tracecat.c — test driver for trace.c: runs a command under the tracer, prints one strace-form line per socket call. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls/events.h"
#include "calls/trace.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: tracecat [-p] [-e] [-o FILE] -- COMMAND [ARGS]\n"
		   "  -p       prefix each line with the thread id, as strace -f does\n"
		   "  -e       add the endpoints: \"  # local=ADDR:PORT remote=ADDR:PORT\"\n"
		   "  -o FILE  write the lines to FILE instead of standard output\n"
		   "exit status: the command's (128+N when killed by signal N); 2 bad usage; 3 cannot trace\n");
}

int main(int argc, char **argv)
{
	bool with_pid = false, with_ep = false;
	const char *outpath = NULL;
	int c;
	while ((c = getopt(argc, argv, "+peo:h")) != -1) {
		switch (c) {
		case 'p': with_pid = true; break;
		case 'e': with_ep = true; break;
		case 'o': outpath = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "tracecat: no command given; fix: tracecat -- COMMAND [ARGS]\n");
		return 2;
	}
	FILE *out = stdout;
	if (outpath && !(out = fopen(outpath, "we"))) { /* "e": not inherited by the command */
		fprintf(stderr, "tracecat: cannot write '%s'; fix: give a writable path\n", outpath);
		return 2;
	}
	char err[256];
	struct tracer *t = trace_start(argv + optind, err, sizeof err);
	if (!t) {
		fprintf(stderr, "tracecat: %s\n", err);
		return 3;
	}
	struct sock_event ev[16];
	int status = 0;
	while (!trace_done(t, &status)) {
		int n = trace_poll(t, ev, 16, -1);
		if (n < 0) {
			fprintf(stderr, "tracecat: %s\n", trace_error(t));
			trace_free(t);
			return 3;
		}
		for (int i = 0; i < n; i++) {
			char line[1024];
			events_format_strace(&ev[i], line, sizeof line);
			if (with_pid)
				fprintf(out, "%d  ", (int)ev[i].pid);
			fputs(line, out);
			if (with_ep) {
				char l[64], r[64];
				events_format_endpoint(&ev[i].local, l, sizeof l);
				events_format_endpoint(&ev[i].remote, r, sizeof r);
				fprintf(out, "  # local=%s remote=%s", l, r);
			}
			fputc('\n', out);
		}
		fflush(out);
	}
	trace_free(t);
	if (out != stdout)
		fclose(out);
	return status;
}
