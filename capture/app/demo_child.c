/* demo_child.c — runs sockdemo's scenarios for --classroom as a child process and stops it on every way out. */
#include "app/demo_child.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The child. Global so every exit path can clean up (atexit). */
static struct demo {
	pid_t pid;          /* the sockdemo process, 0 when none */
	bool done;          /* reaped; status valid */
	int status;         /* its exit status as a shell reports it */
	char dir[128];      /* private temporary directory holding the two files below */
	char events[192];   /* events file sockdemo writes */
	char errs[192];     /* sockdemo's stderr */
	char pace[192];     /* the pace file sockdemo reads before each paced call (--pace-file) */
} demo;

static int wait_status(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
}

/* Reap sockdemo if it ended; true when it has. */
static bool demo_reap_now(void)
{
	if (demo.pid <= 0 || demo.done)
		return demo.done;
	int st;
	if (waitpid(demo.pid, &st, WNOHANG) == demo.pid) {
		demo.done = true;
		demo.status = wait_status(st);
	}
	return demo.done;
}

bool demo_reap(int *status)
{
	if (demo.pid <= 0 || !demo_reap_now())
		return false;
	*status = demo.status;
	return true;
}

bool demo_done(int *status)
{
	if (!demo.done)
		return false;
	*status = demo.status;
	return true;
}

const char *demo_events(void)
{
	return demo.events;
}

void demo_cleanup(void)
{
	if (demo.pid > 0 && !demo_reap_now()) {
		kill(demo.pid, SIGTERM);
		for (int i = 0; i < 100 && !demo_reap_now(); i++) {
			struct timespec d = { 0, 10 * 1000000 };
			nanosleep(&d, NULL);
		}
		if (!demo.done) {
			kill(demo.pid, SIGKILL);
			int st;
			waitpid(demo.pid, &st, 0);
			demo.done = true;
		}
	}
	if (demo.dir[0]) {
		unlink(demo.events);
		unlink(demo.errs);
		unlink(demo.pace);
		rmdir(demo.dir);
		demo.dir[0] = '\0';
	}
}

int demo_find(char *path, size_t n)
{
	char self[PATH_MAX - 16];
	ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
	if (k > 0) {
		self[k] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, n, "%s/sockdemo", self);
			if (access(path, X_OK) == 0)
				return open(path, O_RDONLY | O_CLOEXEC);
		}
	}
	const char *env = getenv("PATH");
	char dirs[4096];
	snprintf(dirs, sizeof dirs, "%s", env ? env : "/usr/local/bin:/usr/bin:/bin");
	for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, n, "%s/sockdemo", *d ? d : ".");
		if (access(path, X_OK) == 0)
			return open(path, O_RDONLY | O_CLOEXEC);
	}
	snprintf(path, n, "sockdemo");
	return -1;
}

/* Whether a socket of this type can be bound to the loopback address of family af at port (SO_REUSEADDR,
   as the scenarios bind: only a socket bound there by another program stops it, not a TIME-WAIT). */
static bool port_bindable(int af, int type, unsigned port)
{
	int fd = socket(af, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return true; /* no such family here: nothing can hold the port in it */
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	socklen_t len;
	if (af == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof *a;
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		a->sin6_addr = in6addr_loopback;
		len = sizeof *a;
	}
	bool ok = bind(fd, (struct sockaddr *)&ss, len) == 0 || errno != EADDRINUSE;
	close(fd);
	return ok;
}

bool demo_port_free(unsigned port)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM };
	static const int afs[] = { AF_INET, AF_INET6 };
	for (size_t t = 0; t < 2; t++)
		for (size_t a = 0; a < 2; a++)
			if (!port_bindable(afs[a], types[t], port))
				return false;
	return true;
}

bool demo_set_pace(double seconds)
{
	if (!demo.pace[0])
		return false;
	/* Written whole to a new name, then renamed: sockdemo never reads half a number. */
	char tmp[200];
	snprintf(tmp, sizeof tmp, "%s.new", demo.pace);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return false;
	bool ok = fprintf(f, "%.3f\n", seconds) > 0;
	ok = fclose(f) == 0 && ok;
	return ok && rename(tmp, demo.pace) == 0;
}

bool demo_start(int exe_fd, const char *exe_path, unsigned port, bool loop, double pace, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(demo.dir, sizeof demo.dir, "%s/synwatch-classroom.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(demo.dir)) {
		snprintf(err, errlen, "cannot create a directory for the events file in %s: %s; fix: set TMPDIR to a writable directory",
			 tmp && *tmp ? tmp : "/tmp", strerror(errno));
		demo.dir[0] = '\0';
		return false;
	}
	snprintf(demo.events, sizeof demo.events, "%s/events.jsonl", demo.dir);
	snprintf(demo.errs, sizeof demo.errs, "%s/sockdemo.err", demo.dir);
	snprintf(demo.pace, sizeof demo.pace, "%s/pace", demo.dir);
	if (!demo_set_pace(pace)) {
		snprintf(err, errlen, "cannot write %s: %s; fix: set TMPDIR to a writable directory", demo.pace, strerror(errno));
		demo.pace[0] = '\0';
		return false;
	}
	int efd = open(demo.events, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int errfd = open(demo.errs, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (efd < 0 || errfd < 0) {
		snprintf(err, errlen, "cannot create files in %s: %s", demo.dir, strerror(errno));
		if (efd >= 0)
			close(efd);
		if (errfd >= 0)
			close(errfd);
		return false;
	}
	close(efd);
	char portbuf[16];
	snprintf(portbuf, sizeof portbuf, "%u", port);
	char *argv[14];
	int a = 0;
	argv[a++] = (char *)"sockdemo";
	argv[a++] = (char *)"scenario";
	argv[a++] = (char *)"all";
	if (loop)
		argv[a++] = (char *)"--loop";
	argv[a++] = (char *)"-p";
	argv[a++] = portbuf;
	argv[a++] = (char *)"--events";
	argv[a++] = demo.events;
	argv[a++] = (char *)"--no-narrate";
	argv[a++] = (char *)"--pace-file";
	argv[a++] = demo.pace;
	argv[a] = NULL;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start sockdemo: %s", strerror(errno));
		close(errfd);
		return false;
	}
	if (pid == 0) {
		/* Ends with us whatever way we end; its own group so a terminal's ^C reaches only us. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(1);
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		int nul = open("/dev/null", O_RDWR);
		if (nul >= 0) {
			dup2(nul, STDIN_FILENO);
			dup2(nul, STDOUT_FILENO);
		}
		dup2(errfd, STDERR_FILENO);
		extern char **environ;
		fexecve(exe_fd, argv, environ);
		dprintf(STDERR_FILENO, "sockdemo: cannot run %s: %s\n", exe_path, strerror(errno));
		_exit(127);
	}
	close(errfd);
	demo.pid = pid;
	return true;
}

void demo_last_error(char *buf, size_t n)
{
	buf[0] = '\0';
	FILE *f = fopen(demo.errs, "r");
	if (!f)
		return;
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0])
			snprintf(buf, n, "%s", line);
	}
	fclose(f);
}
