/* signals.h — the text and JSON modes' signals: handlers only set the flags their loops read. */
#ifndef SYNWATCH_SIGNALS_H
#define SYNWATCH_SIGNALS_H

#include <signal.h>

extern volatile sig_atomic_t signals_stop; /* SIGINT, SIGTERM or SIGHUP arrived: the signal's number */
extern volatile sig_atomic_t signals_usr1; /* SIGUSR1 arrived: print the flow table now (the loop clears it) */

/* SIGINT, SIGTERM, SIGHUP set signals_stop (without SA_RESTART, so a waiting poll() returns), SIGUSR1 sets
   signals_usr1, SIGPIPE is ignored (a closed stdout shows as EPIPE), SIGXFSZ too (a file past ulimit -f
   fails with EFBIG). The panel installs its own while it runs. */
void signals_install(void);

#endif
