/* support.h — helpers the roles share: resolving the address to use, one-line failure messages, the fd limit. */
#ifndef SOCKDEMO_SUPPORT_H
#define SOCKDEMO_SUPPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "role.h"

/* Resolves host (NULL: loopback of the family) and port into *ss; false with a message on failure. */
bool sd_resolve(const struct sd_opts *o, bool passive, struct sockaddr_storage *ss, socklen_t *len);
/* One line naming the cause and the fix for a failed bind()/connect(); returns the exit code. */
int sd_explain_failure(const char *what, const struct sockaddr *sa, int err, uint16_t port);
/* Raises the soft limit of open descriptors to the hard one (a server with many clients). */
void sd_raise_nofile(void);

#endif
