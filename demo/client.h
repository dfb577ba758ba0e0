/* client.h — sockdemo's client role. */
#ifndef SOCKDEMO_CLIENT_H
#define SOCKDEMO_CLIENT_H

#include "role.h"

/* Connects to o->host:o->port, sends -m TEXT or stdin and prints the replies; returns an exit code (role.h). */
int client_run(const struct sd_opts *o);

#endif
