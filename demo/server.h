/* server.h — sockdemo's server role. */
#ifndef SOCKDEMO_SERVER_H
#define SOCKDEMO_SERVER_H

#include "role.h"

/* Serves on o->host:o->port until SIGINT/SIGTERM; returns an exit code (role.h). */
int server_run(const struct sd_opts *o);

#endif
