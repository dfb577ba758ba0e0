/* signals.c — SIGINT/SIGTERM/SIGHUP stop, SIGUSR1 asks for the flow table, SIGPIPE and SIGXFSZ ignored; handlers only set flags. */
#include "app/signals.h"

#include <string.h>

volatile sig_atomic_t signals_stop;
volatile sig_atomic_t signals_usr1;

static void on_stop(int sig)
{
	signals_stop = sig;
}

static void on_usr1(int sig)
{
	(void)sig;
	signals_usr1 = 1;
}

void signals_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop; /* no SA_RESTART: poll() returns EINTR and the loop sees the flag */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN; /* a closed stdout shows up as EPIPE from write() */
	sigaction(SIGPIPE, &sa, NULL);
	/* A write past the file-size limit (ulimit -f) fails with EFBIG and is reported, instead of killing
	   synwatch half-way through an output file. */
	sigaction(SIGXFSZ, &sa, NULL);
}
