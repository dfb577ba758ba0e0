/* errnames.h — the one errno table: Linux errno values and their symbolic names, both ways. */
#ifndef SYNWATCH_ERRNAMES_H
#define SYNWATCH_ERRNAMES_H

#define ERRNO_NAME_MAX 24 /* room for any name ("ERESTART_RESTARTBLOCK") or "E<number>" ("E-2147483648") */

/*
 * The symbolic name of an errno value ("ECONNREFUSED"), or NULL when unknown. Knows every Linux errno
 * (asm-generic numbering) and the kernel-internal restart values a tracer sees (ERESTARTSYS = 512...).
 */
const char *errno_name(int err);

/* errno_name(err), or "E<number>" written into buf for a value without a name; returns the text. */
const char *errno_name_or_number(int err, char buf[ERRNO_NAME_MAX]);

/* The errno value for a symbolic name (aliases EWOULDBLOCK, EDEADLOCK, ENOTSUP too), or 0 when unknown. */
int errno_value(const char *name);

#endif
