/* scenario_kit.h — what a scenario's processes are made of (scenario.c): its context, one-byte gates between processes, narrated listeners and connections, and starting and waiting for the processes. */
#ifndef SOCKDEMO_SCENARIO_KIT_H
#define SOCKDEMO_SCENARIO_KIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#define GATE_TIMEOUT 10000 /* ms to wait for the other process of a scenario */

/* What every process of one scenario run knows. */
struct scen_ctx {
	const char *name;            /* the scenario */
	int family;                  /* AF_INET or AF_INET6 (-6) */
	uint16_t port;               /* the server's port (-p) */
	struct sockaddr_storage srv; /* loopback:port */
	socklen_t srvlen;
};

/* A one-byte signal between processes: one side writes, the other waits (with a time limit). */
struct gate {
	int fd[2]; /* pipe: [0] read, [1] write */
};

bool gate_make(struct gate *g);
void gate_free(struct gate *g);
void gate_open(struct gate *g);
bool gate_wait(struct gate *g, int ms);

/* A scenario step went differently from the textbook: say so (cause and fix) and give the exit code. */
int unexpected(const struct scen_ctx *x, int code, const char *what);
/* The first failure of two exit codes. */
int worst(int a, int b);

/* A scenario process: fn(x, arg) in a child named role (narrated as such), pinned to cpu (-1: any),
   killed by SIGALRM when stuck for CHILD_TIMEOUT seconds; -1 after a message when it cannot start. */
typedef int (*child_fn)(struct scen_ctx *x, void *arg);
pid_t child_start(const char *role, child_fn fn, struct scen_ctx *x, void *arg, int cpu);
/* Waits for a scenario process; its exit code, or 1 (with a message) if a signal ended it. */
int child_wait(const struct scen_ctx *x, pid_t pid, const char *role);

/* socket, SO_REUSEADDR, bind, listen, all narrated; the fd, or -1 after a message (*code set). */
int tcp_listener(struct scen_ctx *x, int backlog, int *code);
/* The server's one connection: tcp_listener with a backlog of 1, ready opened once it listens, then accept(),
   narrated; the connection's fd (*lfd the listener's), or -1 after a message (*code set). */
int tcp_accepted(struct scen_ctx *x, struct gate *ready, int *lfd, int *code);
/* socket and connect to the server, narrated; the fd, or -1 after a message (*code set). */
int tcp_connected(struct scen_ctx *x, int *code);

#endif
