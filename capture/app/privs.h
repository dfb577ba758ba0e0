/* privs.h — giving up root and every capability once the capture handle and -w file are open. */
#ifndef SYNWATCH_PRIVS_H
#define SYNWATCH_PRIVS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * When running as root, switch to `user` (its uid, gid and only its primary group); NULL means the user
 * who ran sudo (SUDO_USER, when it matches SUDO_UID), else "nobody". In every case clear all capabilities
 * (effective, permitted, inheritable, so also ambient). user "root" keeps root (as tcpdump's -Z root).
 * Returns false with a one-line message in err when the switch cannot be made.
 */
bool privs_drop(const char *user, char *err, size_t errlen);

#endif
