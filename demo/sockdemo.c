/* sockdemo.c — sockdemo's command line: parses it, then runs the server, the client or a scenario. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"
#include "events.h"
#include "narrate.h"
#include "role.h"
#include "scenario.h"
#include "server.h"

static void ignore_sigpipe(void)
{
	/* A send to a peer that reset would otherwise kill us; with SIG_IGN (and MSG_NOSIGNAL) it is EPIPE. */
	signal(SIGPIPE, SIG_IGN);
}

static void usage(FILE *f)
{
	fputs("usage: sockdemo server   [--tcp|--udp] [-4|-6] [-b ADDR] [-p PORT] [--echo|--print|--discard]\n"
	      "       sockdemo client   [--tcp|--udp] [-4|-6] [-m TEXT] [--shutdown] [HOST [PORT]]\n"
	      "       sockdemo scenario NAME|all [-p PORT] [-6] [--loop] [--pause SECONDS]\n"
	      "       sockdemo scenario --list\n"
	      "common options: --narrate | --no-narrate (default: narrate when stderr is a terminal),\n"
	      "                --events FILE|- (one JSON line per socket call),\n"
	      "                --pace SECONDS (wait before each call that changes a socket or sends),\n"
	      "                --pace-file FILE (the wait read again from FILE, which may change)\n"
	      "defaults: TCP, 127.0.0.1 (::1 with -6), port 8888. See sockdemo(1).\n", f);
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("sockdemo: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("; see sockdemo --help\n", stderr);
	return SD_EXIT_USAGE;
}

static bool parse_port(const char *s, uint16_t *port)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

static bool parse_seconds(const char *s, double *v)
{
	char *end;
	errno = 0;
	*v = strtod(s, &end);
	return !errno && end != s && !*end && *v >= 0 && *v <= 3600;
}

enum role { ROLE_SERVER = 1, ROLE_CLIENT = 2, ROLE_SCENARIO = 4, ROLE_ALL = 7 };

enum {
	OPT_TCP = 256, OPT_UDP, OPT_NARRATE, OPT_NO_NARRATE, OPT_EVENTS, OPT_ECHO, OPT_PRINT, OPT_DISCARD,
	OPT_SHUTDOWN, OPT_LIST, OPT_LOOP, OPT_PAUSE, OPT_PACE, OPT_PACE_FILE,
};

/* Which roles accept each option (by getopt value). */
static int option_roles(int c)
{
	switch (c) {
	case 'b': case OPT_ECHO: case OPT_PRINT: case OPT_DISCARD: return ROLE_SERVER;
	case 'm': case OPT_SHUTDOWN: return ROLE_CLIENT;
	case OPT_LIST: case OPT_LOOP: case OPT_PAUSE: return ROLE_SCENARIO;
	case OPT_TCP: case OPT_UDP: case '4': return ROLE_SERVER | ROLE_CLIENT;
	default: return ROLE_ALL;
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tcp", no_argument, NULL, OPT_TCP },
		{ "udp", no_argument, NULL, OPT_UDP },
		{ "port", required_argument, NULL, 'p' },
		{ "bind", required_argument, NULL, 'b' },
		{ "message", required_argument, NULL, 'm' },
		{ "narrate", no_argument, NULL, OPT_NARRATE },
		{ "no-narrate", no_argument, NULL, OPT_NO_NARRATE },
		{ "events", required_argument, NULL, OPT_EVENTS },
		{ "echo", no_argument, NULL, OPT_ECHO },
		{ "print", no_argument, NULL, OPT_PRINT },
		{ "discard", no_argument, NULL, OPT_DISCARD },
		{ "shutdown", no_argument, NULL, OPT_SHUTDOWN },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "loop", no_argument, NULL, OPT_LOOP },
		{ "pause", required_argument, NULL, OPT_PAUSE },
		{ "pace", required_argument, NULL, OPT_PACE },
		{ "pace-file", required_argument, NULL, OPT_PACE_FILE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	if (argc < 2) {
		usage(stderr);
		return SD_EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return SD_EXIT_OK;
	}
	enum role role;
	if (strcmp(argv[1], "server") == 0)
		role = ROLE_SERVER;
	else if (strcmp(argv[1], "client") == 0)
		role = ROLE_CLIENT;
	else if (strcmp(argv[1], "scenario") == 0)
		role = ROLE_SCENARIO;
	else
		return usage_error("unknown command '%s' (want server, client or scenario)", argv[1]);

	struct sd_opts o = { .type = SOCK_STREAM, .family = AF_INET, .port = SD_DEFAULT_PORT, .mode = SD_ECHO };
	int narrate = isatty(STDERR_FILENO);
	const char *events = NULL;
	bool list = false, pause_set = false, port_set = false;
	double pace = 0;
	const char *pace_file = NULL;
	opterr = 0;
	optind = 2;
	int c;
	while ((c = getopt_long(argc, argv, ":46p:b:m:h", longopts, NULL)) != -1) {
		if (c == '?') {
			if (optopt)
				fprintf(stderr, "sockdemo: unknown option '-%c'; see sockdemo --help\n", optopt);
			else
				fprintf(stderr, "sockdemo: unknown option '%s'; see sockdemo --help\n", argv[optind - 1]);
			return SD_EXIT_USAGE;
		}
		if (c == ':')
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		if (!(option_roles(c) & role)) {
			const char *name = NULL;
			for (const struct option *lo = longopts; lo->name && !name; lo++)
				if (lo->val == c)
					name = lo->name;
			if (c < 256)
				fprintf(stderr, "sockdemo: option '-%c' does not apply to '%s'; see sockdemo --help\n", c,
					argv[1]);
			else
				fprintf(stderr, "sockdemo: option '--%s' does not apply to '%s'; see sockdemo --help\n",
					name ? name : "?", argv[1]);
			return SD_EXIT_USAGE;
		}
		switch (c) {
		case '4': o.family = AF_INET; o.family_set = true; break;
		case '6': o.family = AF_INET6; o.family_set = true; break;
		case OPT_TCP: o.type = SOCK_STREAM; break;
		case OPT_UDP: o.type = SOCK_DGRAM; break;
		case 'p':
			if (!parse_port(optarg, &o.port))
				return usage_error("port '%s' is not a number from 1 to 65535; fix: e.g. -p 8888", optarg);
			port_set = true;
			break;
		case 'b': o.host = optarg; break;
		case 'm': o.message = optarg; break;
		case OPT_NARRATE: narrate = 1; break;
		case OPT_NO_NARRATE: narrate = 0; break;
		case OPT_EVENTS: events = optarg; break;
		case OPT_ECHO: o.mode = SD_ECHO; break;
		case OPT_PRINT: o.mode = SD_PRINT; break;
		case OPT_DISCARD: o.mode = SD_DISCARD; break;
		case OPT_SHUTDOWN: o.half_close = true; break;
		case OPT_LIST: list = true; break;
		case OPT_LOOP: o.loop = true; break;
		case OPT_PAUSE:
			if (!parse_seconds(optarg, &o.pause))
				return usage_error("pause '%s' is not a number of seconds from 0 to 3600; fix: e.g. "
						   "--pause 2", optarg);
			pause_set = true;
			break;
		case OPT_PACE:
			if (!parse_seconds(optarg, &pace))
				return usage_error("pace '%s' is not a number of seconds from 0 to 3600; fix: e.g. "
						   "--pace 1", optarg);
			break;
		case OPT_PACE_FILE: pace_file = optarg; break;
		case 'h': usage(stdout); return SD_EXIT_OK;
		}
	}
	int npos = argc - optind;
	char **pos = argv + optind;
	const char *scenario = NULL;
	if (role == ROLE_SERVER && npos > 0)
		return usage_error("unexpected argument '%s' for server (use -b ADDR and -p PORT)", pos[0]);
	if (role == ROLE_CLIENT) {
		if (npos > 2)
			return usage_error("unexpected argument '%s' (client takes HOST [PORT])", pos[2]);
		if (npos >= 1)
			o.host = pos[0];
		if (npos == 2) {
			if (port_set)
				return usage_error("port given twice ('%s' and -p)", pos[1]);
			if (!parse_port(pos[1], &o.port))
				return usage_error("port '%s' is not a number from 1 to 65535; fix: e.g. 8888", pos[1]);
		}
	}
	if (role == ROLE_SCENARIO) {
		if (list) {
			scenario_list();
			return SD_EXIT_OK;
		}
		if (npos != 1)
			return usage_error("%s", npos ? "give one scenario name (sockdemo scenario --list shows them)"
						      : "which scenario? (sockdemo scenario --list shows them)");
		scenario = pos[0];
		if (!pause_set)
			o.pause = o.loop ? 3 : 1;
	}

	int events_fd = -1;
	if (events && (events_fd = events_open(events)) < 0)
		return SD_EXIT_USAGE;
	ignore_sigpipe();
	narrate_pace(pace, pace_file);
	switch (role) {
	case ROLE_SERVER:
		narrate_init("server", narrate, events_fd);
		return server_run(&o);
	case ROLE_CLIENT:
		narrate_init("client", narrate, events_fd);
		return client_run(&o);
	default:
		narrate_init("scenario", narrate, events_fd);
		return scenario_run(scenario, &o);
	}
}
