/* trace.h — runs a command under ptrace and reports its socket system calls as sock_events, as strace prints them. */
#ifndef SYNWATCH_TRACE_H
#define SYNWATCH_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "calls/events.h"

/*
 * Architectures: x86-64 only (64-bit tracees; calls made through the 32-bit or x32 ABIs are not
 * decoded). On any other architecture this compiles, trace_supported() is false and trace_start fails
 * with "tracing system calls is supported on x86-64 only". Linux 5.3 or later (PTRACE_GET_SYSCALL_INFO).
 *
 * Decoded at entry and exit, each as one sock_event with role "traced", pid = thread id, ts at the
 * syscall's exit, args exactly as `strace -s 32` prints them (strings 32 bytes then "..."):
 *   socket, bind, listen, accept, accept4, connect, sendto, recvfrom, sendmsg, recvmsg, shutdown,
 *   setsockopt, getsockopt; read, write and close only when the fd is a socket (checked at entry
 *   through /proc/TID/fd/N, so dup/dup2/fcntl/inheritance need no bookkeeping); poll when one of its
 *   fds is a socket. select/pselect6/ppoll/epoll, readv/writev, sendmmsg/recvmmsg are not decoded.
 * Endpoints: remote from the sockaddr argument (connect, sendto, accept, recvfrom...), and local and
 * remote of the socket itself through pidfd_getfd + getsockname/getpeername when the kernel allows
 * (Linux 5.6+); af 0 where unknown. close() carries the endpoints the socket had before it closed.
 *
 * Process model: fork + PTRACE_TRACEME + exec. Children, vfork children and threads are followed
 * (PTRACE_O_TRACEFORK|TRACEVFORK|TRACECLONE|TRACEEXEC|TRACESYSGOOD|EXITKILL). The command inherits
 * stdin/stdout/stderr (unless trace_start_as gives it a terminal) and the caller's signal mask as it was before trace_start. Signals sent to the
 * command are passed on; job-control stops (SIGTSTP...) are not honoured while traced.
 *
 * trace_start blocks SIGCHLD in the calling thread and reads it through a signalfd (trace_fd). Call it
 * before creating other threads (or block SIGCHLD in them), and do not set SIGCHLD to SIG_IGN. Only
 * the traced processes are waited for (waitpid on their ids), so the caller's other children are left
 * alone. No signal handlers are installed.
 */

struct tracer;

/* False on architectures the tracer does not support. */
bool trace_supported(void);

/*
 * Starts argv[0] (searched in PATH, as execvp) with argv under the tracer and returns once it has
 * exec'd. NULL with a one-line message in err when it cannot run ("cannot run 'x': No such file or
 * directory; fix: ..."), when ptrace is not permitted, or on an unsupported architecture.
 */
struct tracer *trace_start(char *const argv[], char *err, size_t errlen);

/* trace_start, with the command running as uid/gid (its only group gid) when uid is not (uid_t)-1: the
   child switches before it becomes traceable, so a root tracer runs the command with a user's rights.
   tty not NULL: the path of a pseudo-terminal's slave (progtty.h) that becomes the command's stdin,
   stdout, stderr and controlling terminal, in a session of its own (set up before the user changes). */
struct tracer *trace_start_as(char *const argv[], uid_t uid, gid_t gid, const char *tty, char *err, size_t errlen);

/* A descriptor that becomes readable when a traced process stopped or exited (poll it for POLLIN,
   then call trace_poll with timeout 0). */
int trace_fd(const struct tracer *t);

/*
 * Steps the traced processes: handles every stop that is pending, resuming each process, and stores
 * the socket calls that completed into out[0..max). Waits up to timeout_ms (-1: until at least one
 * event or the end; 0: never waits) for the first event. Returns the number of events stored (0 when
 * none came in time or all processes ended), or -1 on an internal error (message from trace_error).
 */
int trace_poll(struct tracer *t, struct sock_event *out, size_t max, int timeout_ms);

/*
 * True when every traced process has exited; then *exit_status (if not NULL) holds the command's
 * status as a shell reports it: its exit code, or 128 + the signal that killed it.
 */
bool trace_done(const struct tracer *t, int *exit_status);

/* The pid of the command itself (its first process). */
int trace_pid(const struct tracer *t);

/* The last internal error trace_poll met, or "". */
const char *trace_error(const struct tracer *t);

/* Kills (SIGKILL) and reaps the traced processes that are still running, restores the signal mask and
   frees t. NULL is allowed. */
void trace_free(struct tracer *t);

#endif
