/* main.c — synwatch: parses the command line, opens the capture and the call sources, and hands over to the panel, batch or classroom mode. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/batch.h"
#include "app/classroom.h"
#include "app/cli.h"
#include "app/handout.h"
#include "app/privs.h"
#include "app/report.h"
#include "app/signals.h"
#include "decode/decode.h"
#include "source/pipeline.h"
#include "tui/tui.h"
#include "view/obuf.h"

/* A pcapng -w's section header: synwatch, the host, and what the file holds. */
static void main_write_section(struct config *c, char *comment, size_t n)
{
	char host[256] = "";
	if (gethostname(host, sizeof host - 1) != 0 || !host[0])
		snprintf(host, sizeof host, "an unnamed host");
	if (c->merged)
		snprintf(comment, n,
			 "synwatch lesson recorded on %s: socket calls and socket-table changes are in custom blocks "
			 "(PEN 32473, data tagged SWL1), each packet's comment names the call that caused it; "
			 "replay it with synwatch -r FILE",
			 host);
	else if (c->p.file)
		snprintf(comment, n, "written by synwatch on %s from %s", host, c->p.file);
	else
		snprintf(comment, n, "captured by synwatch on %s", host);
	c->p.write_appl = "synwatch " SYNWATCH_VERSION;
	c->p.write_comment = comment;
}

int main(int argc, char **argv)
{
	static struct config cfg;
	static struct classroom room;
	static struct obuf out;
	static struct handout ho;
	char err[2048];
	switch (cli_parse(argc, argv, &cfg, err, sizeof err)) {
	case CLI_OK:
		break;
	case CLI_SHOW_HELP:
		cli_usage(stdout);
		return EXIT_OK;
	case CLI_SHOW_VERSION:
		printf("synwatch %s (%s)\n", SYNWATCH_VERSION, pcap_lib_version());
		return EXIT_OK;
	case CLI_ERROR:
		fprintf(stderr, "synwatch: %s\n", err);
		return EXIT_USAGE;
	}
	cli_settle(&cfg, isatty(STDOUT_FILENO), getenv("COLUMNS"));
	signals_install();

	static char section[1024];
	if (cfg.p.pcapng)
		main_write_section(&cfg, section, sizeof section);
	int code;
	char notice[320];
	if ((code = classroom_pick_port(&cfg, notice, sizeof notice, err, sizeof err)) != EXIT_OK) {
		fprintf(stderr, "synwatch: %s\n", err);
		return code;
	}
	if (notice[0] && cfg.view != VIEW_TUI)
		fprintf(stderr, "synwatch: %s\n", notice);
	cfg.tui.notice = notice;
	if (cfg.merged && (code = classroom_open(&room, &cfg, err, sizeof err)) != EXIT_OK) {
		fprintf(stderr, "synwatch: %s\n", err);
		return code;
	}
	struct pipeline *pl = pipeline_open(&cfg.p, err, sizeof err, &code);
	if (!pl) {
		fprintf(stderr, "synwatch: %s\n", err);
		return code;
	}
	/* A lesson read (its calls start the classroom mode) or recorded (the session's items go to -w). */
	if ((cfg.p.file && (code = classroom_replay(&room, &cfg, pl, err, sizeof err)) != EXIT_OK) ||
	    (cfg.merged && (code = classroom_record(&room, &cfg, pl, err, sizeof err)) != EXIT_OK)) {
		fprintf(stderr, "synwatch: %s\n", err);
		classroom_close(&room);
		pipeline_close(pl);
		return code;
	}
	/* Zeek's conn_state and history cost tracking time; keep them only where something shows them. */
	flowtab_set_conn_history(pipeline_flows(pl), cfg.flows || cfg.view == VIEW_TUI || cfg.html);
	/* --svg and --html: their files are made now, as -w's is, and written whole at the end. */
	if ((code = handout_open(&ho, &cfg, err, sizeof err)) != EXIT_OK) {
		fprintf(stderr, "synwatch: %s\n", err);
		pipeline_close(pl);
		return code;
	}
	room.handout = &ho;
	if (cfg.merged && (code = classroom_start_tracer(&room, &cfg, err, sizeof err)) != EXIT_OK) {
		fprintf(stderr, "synwatch: %s\n", err);
		handout_free(&ho);
		pipeline_close(pl);
		return code;
	}
	/* Everything that needs privileges is open: give them up (tcpdump's -Z). */
	if (!privs_drop(cfg.user, err, sizeof err)) {
		fprintf(stderr, "synwatch: %s\n", err);
		handout_free(&ho);
		classroom_close(&room);
		pipeline_close(pl);
		return EXIT_FAILURE_RUNTIME;
	}
	if (pipeline_live(pl))
		fprintf(stderr, "synwatch: listening on %s, link type %s, filter '%s'\n", pipeline_source_name(pl),
			linktype_name(pipeline_linktype(pl)) ? linktype_name(pipeline_linktype(pl)) : "?",
			pipeline_filter(pl));
	if (cfg.merged && (code = classroom_start_demo(&room, &cfg, err, sizeof err)) != EXIT_OK) {
		fprintf(stderr, "synwatch: %s\n", err);
		handout_free(&ho);
		classroom_close(&room);
		pipeline_close(pl);
		return code;
	}

	obuf_init(&out, STDOUT_FILENO);
	int cmd_status = -1;
	code = TUI_FALLBACK_TEXT;
	if (cfg.merged && cfg.view == VIEW_TUI) {
		cfg.tui.session = classroom_session(&room);
		cfg.tui.program = classroom_program(&room);
	}
	if (cfg.view == VIEW_TUI) {
		code = tui_run(pl, &cfg.tui);
		if (code == TUI_FALLBACK_TEXT) {
			fprintf(stderr, "synwatch: this terminal cannot show the panel (TERM=%s); showing text instead\n",
				getenv("TERM") ? getenv("TERM") : "unset");
			cfg.view = VIEW_TEXT;
		}
	}
	if (code == TUI_FALLBACK_TEXT)
		code = cfg.merged ? classroom_run(&room, pl, &cfg, &out, &cmd_status) : batch_run(pl, &cfg, &out, &ho);
	if (out.error) {
		fprintf(stderr, "synwatch: cannot write output: %s\n", strerror(out.error));
		code = EXIT_FAILURE_RUNTIME;
	}
	if (cfg.merged)
		classroom_record_end(&room); /* what the session still holds goes into -w before it is counted */
	if (!out.closed || signals_stop)
		report_summary(pl, cfg.p.write);
	int werr = pipeline_flush(pl) ? 0 : pipeline_write_error(pl);
	if (werr) {
		fprintf(stderr, "synwatch: cannot write '%s': %s; it holds the whole blocks written before; "
			"free some room or choose another -w FILE\n", cfg.p.write, strerror(werr));
		if (code == EXIT_OK)
			code = EXIT_OUTPUT;
	}
	if (cfg.merged)
		code = classroom_finish(&room, &cfg, code, cmd_status);
	handout_free(&ho); /* written by now, unless the panel ran */
	pipeline_close(pl);
	return code;
}
