/* progtty.c — the traced program's pseudo-terminal: the master kept by synwatch, the slave given to the child, output split into lines. */
#include "calls/progtty.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

bool progtty_open(struct progtty *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	p->fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->fd < 0) {
		snprintf(err, errlen, "cannot open a pseudo-terminal for the traced command: %s; fix: mount devpts "
				      "on /dev/pts (or run in a container that has one)", strerror(errno));
		return false;
	}
	if (grantpt(p->fd) != 0 || unlockpt(p->fd) != 0 || ptsname_r(p->fd, p->slave, sizeof p->slave) != 0) {
		snprintf(err, errlen, "cannot set up the pseudo-terminal for the traced command: %s", strerror(errno));
		progtty_close(p);
		return false;
	}
	/* No echo: what synwatch types is the program's input, not its output. */
	struct termios tio;
	if (tcgetattr(p->fd, &tio) == 0) {
		tio.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		tcsetattr(p->fd, TCSANOW, &tio);
	}
	p->rows = p->cols = 0;
	progtty_resize(p, 24, 80);
	fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK);
	snprintf(p->name, sizeof p->name, "program");
	return true;
}

void progtty_resize(struct progtty *p, int rows, int cols)
{
	rows = rows < 2 ? 2 : rows > 999 ? 999 : rows;
	cols = cols < 20 ? 20 : cols > 999 ? 999 : cols;
	if (p->fd < 0 || (p->rows == rows && p->cols == cols))
		return;
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	if (ioctl(p->fd, TIOCSWINSZ, &ws) == 0) {
		p->rows = (unsigned short)rows;
		p->cols = (unsigned short)cols;
	}
}

int progtty_text_cols(const struct progtty *p, int width)
{
	return width - (int)strlen(p->name) - 2;
}

bool progtty_child(const char *slave)
{
	if (setsid() < 0)
		return false;
	int fd = open(slave, O_RDWR);
	if (fd < 0)
		return false;
	ioctl(fd, TIOCSCTTY, 0); /* Linux made it the controlling terminal on open already; BSDs need this */
	for (int i = 0; i < 3; i++)
		if (dup2(fd, i) < 0)
			return false;
	if (fd > 2)
		close(fd);
	return true;
}

void progtty_name(struct progtty *p, const char *argv0, int pid)
{
	const char *base = strrchr(argv0, '/');
	snprintf(p->name, sizeof p->name, "%.40s %d", base ? base + 1 : argv0, pid);
}

/* The unfinished line becomes line number total. */
static void progtty_complete(struct progtty *p, void (*line)(void *arg, const char *text), void *arg)
{
	char *dst = p->lines[p->total % PROGTTY_LINES];
	size_t n = p->npart;
	while (n && p->part[n - 1] == '\r')
		n--;
	memcpy(dst, p->part, n);
	dst[n] = '\0';
	p->npart = 0;
	p->total++;
	if (line)
		line(arg, dst);
}

size_t progtty_pump(struct progtty *p, int64_t now_ns, void (*line)(void *arg, const char *text), void *arg)
{
	uint64_t before = p->total;
	char buf[4096];
	for (int rounds = 0; p->fd >= 0 && !p->ended && rounds < 16; rounds++) {
		ssize_t k = read(p->fd, buf, sizeof buf);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			/* EIO: no process holds the slave any more; EAGAIN: nothing for now. */
			if (k == 0 || errno != EAGAIN)
				p->ended = true;
			break;
		}
		for (ssize_t i = 0; i < k; i++) {
			char c = buf[i];
			if (c == '\n') {
				progtty_complete(p, line, arg);
				continue;
			}
			if (p->npart == 0)
				p->part_since = now_ns;
			p->part[p->npart++] = (unsigned char)c < 32 && c != '\t' && c != '\r' ? '?' : c;
			if (p->npart == PROGTTY_LINE - 1)
				progtty_complete(p, line, arg);
		}
	}
	if (p->npart && (p->ended || now_ns - p->part_since >= PROGTTY_HOLD_NS))
		progtty_complete(p, line, arg);
	return (size_t)(p->total - before);
}

const char *progtty_line(const struct progtty *p, uint64_t k)
{
	if (k >= p->total || p->total - k > PROGTTY_LINES)
		return NULL;
	return p->lines[k % PROGTTY_LINES];
}

bool progtty_send(struct progtty *p, const void *buf, size_t len)
{
	const char *b = buf;
	for (int waits = 0; len && p->fd >= 0;) {
		ssize_t w = write(p->fd, b, len);
		if (w > 0) {
			b += w;
			len -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		/* The program reads slower than we type: wait for room, a second at most. */
		if (w < 0 && errno == EAGAIN && waits++ < 10) {
			struct pollfd pfd = { p->fd, POLLOUT, 0 };
			poll(&pfd, 1, 100);
			continue;
		}
		return false;
	}
	return len == 0;
}

bool progtty_send_line(struct progtty *p, const char *text)
{
	return progtty_send(p, text, strlen(text)) && progtty_send(p, "\n", 1);
}

bool progtty_send_eof(struct progtty *p)
{
	struct termios tio;
	char eof = 4; /* Ctrl-D, the default */
	if (p->fd >= 0 && tcgetattr(p->fd, &tio) == 0 && tio.c_cc[VEOF])
		eof = (char)tio.c_cc[VEOF];
	return progtty_send(p, &eof, 1);
}

void progtty_close(struct progtty *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}
