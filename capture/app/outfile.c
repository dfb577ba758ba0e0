/* outfile.c — a temp file renamed over the target when complete; the rename done by a root helper forked before privileges go, when there are privileges to give up. */
#include "app/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/count.h"
#include "exit_codes.h"

static int open_fail(char *err, size_t errlen, const char *path, int e)
{
	if (e == EISDIR)
		snprintf(err, errlen, "cannot write '%s': it is a directory; name a file in it", path);
	else
		snprintf(err, errlen, "cannot write '%s': %s; check that its directory exists and is writable", path,
			 strerror(e));
	return EXIT_OUTPUT;
}

/* The helper: one command ('c' rename, 'a' remove) on the socket, its errno back; EOF removes. */
static void helper_run(int sock, const char *tmp, const char *path)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGPIPE };
	for (size_t i = 0; i < COUNT(sigs); i++)
		signal(sigs[i], SIG_IGN);
	char cmd = 0;
	ssize_t n;
	while ((n = read(sock, &cmd, 1)) < 0 && errno == EINTR)
		;
	int e = 0;
	if (n == 1 && cmd == 'c')
		e = rename(tmp, path) == 0 ? 0 : errno;
	else
		e = unlink(tmp) == 0 ? 0 : errno;
	if (e && n == 1 && cmd == 'c')
		unlink(tmp);
	if (write(sock, &e, sizeof e) < 0) {
		/* synwatch is gone: nothing to tell */
	}
	_exit(0);
}

int outfile_open(struct outfile *o, const char *path, char *err, size_t errlen)
{
	memset(o, 0, sizeof *o);
	o->helper = -1;
	o->path = path;
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return open_fail(err, errlen, path, EISDIR);
	char d[PATH_MAX], b[PATH_MAX];
	snprintf(d, sizeof d, "%s", path);
	snprintf(b, sizeof b, "%s", path);
	int w = snprintf(o->tmp, sizeof o->tmp, "%s/.%s.XXXXXX", dirname(d), basename(b));
	if (w < 0 || (size_t)w >= sizeof o->tmp)
		return open_fail(err, errlen, path, ENAMETOOLONG);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		int e = errno;
		o->tmp[0] = '\0';
		return open_fail(err, errlen, path, e);
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	/* The permissions a new file gets (mkstemp makes 0600), now: after privileges go it may not be ours. */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0) {
		int e = errno;
		close(fd);
		unlink(o->tmp);
		o->tmp[0] = '\0';
		return open_fail(err, errlen, path, e);
	}
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int e = errno;
		close(fd);
		unlink(o->tmp);
		o->tmp[0] = '\0';
		return open_fail(err, errlen, path, e);
	}
	if (geteuid() != 0)
		return EXIT_OK;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		int e = errno;
		outfile_abort(o);
		return open_fail(err, errlen, path, e);
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(sv[0]);
		close(sv[1]);
		outfile_abort(o);
		return open_fail(err, errlen, path, e);
	}
	if (pid == 0) {
		/* Nothing of synwatch's but the socket: not the capture, not -w, not the temp file. */
		if (sv[1] != 3 && dup2(sv[1], 3) != 3)
			_exit(1); /* synwatch reads EOF: its commit fails, naming the file */
		close_range(4, ~0u, 0);
		helper_run(3, o->tmp, o->path);
	}
	close(sv[1]);
	o->helper = sv[0];
	o->helper_pid = pid;
	return EXIT_OK;
}

/* Tell the helper (or do it ourselves): 'c' rename, 'a' remove. Returns the errno, 0 on success. */
static int finish(struct outfile *o, char cmd)
{
	int e = 0;
	if (o->helper >= 0) {
		ssize_t n = write(o->helper, &cmd, 1);
		if (n != 1 || read(o->helper, &e, sizeof e) != (ssize_t)sizeof e)
			e = n != 1 ? errno : EIO;
		close(o->helper);
		o->helper = -1;
		int st;
		while (waitpid(o->helper_pid, &st, 0) < 0 && errno == EINTR)
			;
		o->helper_pid = 0;
	} else if (cmd == 'c') {
		e = rename(o->tmp, o->path) == 0 ? 0 : errno;
		if (e)
			unlink(o->tmp);
	} else {
		e = unlink(o->tmp) == 0 ? 0 : errno;
	}
	o->tmp[0] = '\0';
	return e;
}

bool outfile_commit(struct outfile *o, char *err, size_t errlen)
{
	if (!o->tmp[0]) {
		snprintf(err, errlen, "cannot write '%s': it was not opened", o->path);
		return false;
	}
	int e = 0;
	if (fflush(o->f) != 0 || ferror(o->f))
		e = errno ? errno : EIO;
	else if (fsync(fileno(o->f)) != 0)
		e = errno;
	if (fclose(o->f) != 0 && !e)
		e = errno;
	o->f = NULL;
	if (e) {
		finish(o, 'a');
		snprintf(err, errlen, "cannot write '%s': %s; nothing was written", o->path, strerror(e));
		return false;
	}
	e = finish(o, 'c');
	if (e) {
		snprintf(err, errlen, "cannot write '%s': %s; nothing was written", o->path, strerror(e));
		return false;
	}
	return true;
}

void outfile_abort(struct outfile *o)
{
	if (o->f) {
		fclose(o->f);
		o->f = NULL;
	}
	if (o->tmp[0])
		finish(o, 'a');
}
