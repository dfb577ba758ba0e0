/* explain.c — one teaching sentence about a packet, from the flow tracker's states and the call that caused it. */
#include "calls/explain.h"

#include <stdio.h>
#include <string.h>

#include "common/count.h"
#include "track/flow.h"
#include "packet.h"

/* Appends with snprintf semantics; *len counts what would have been written. */
static void put(char *buf, size_t n, int *len, const char *fmt, const char *a, const char *b)
{
	size_t at = (size_t)*len < n ? (size_t)*len : n;
	int w = snprintf(buf + at, n - at, fmt, a, b);
	if (w > 0)
		*len += w;
}

/* "SYN", "SYN-ACK", "ACK", "FIN-ACK", "RST", "data (18 bytes)"... */
static void tcp_what(char *w, size_t n, uint16_t fl, uint32_t payload)
{
	if (fl & TCP_RST)
		snprintf(w, n, "%s", fl & TCP_ACK ? "RST-ACK" : "RST");
	else if ((fl & TCP_SYN) && (fl & TCP_ACK))
		snprintf(w, n, "SYN-ACK");
	else if (fl & TCP_SYN)
		snprintf(w, n, "SYN");
	else if (fl & TCP_FIN)
		snprintf(w, n, payload ? "FIN with %u bytes of data" : "FIN", payload);
	else if (payload)
		snprintf(w, n, "%u bytes of data", payload);
	else
		snprintf(w, n, "ACK");
}

static const char *state_of(uint8_t s)
{
	return tcp_state_name((enum tcp_state)s);
}

int explain_packet(char *buf, size_t n, const struct explain_in *in)
{
	int len = 0;
	if (n)
		buf[0] = '\0';
	int snd = in->dir ? 1 : 0, rcv = 1 - snd;
	static const char *const who[2] = { "client", "server" };
	static const char *const Who[2] = { "Client", "Server" };
	char what[96];
	if (in->icmp_err)
		snprintf(what, sizeof what, "ICMP %s", in->icmp_what ? in->icmp_what : "error");
	else if (in->proto == 6)
		tcp_what(what, sizeof what, in->tcpflags, in->payload);
	else if (in->proto == 17)
		snprintf(what, sizeof what, "UDP datagram, %u bytes", in->payload);
	else
		snprintf(what, sizeof what, "ICMP");
	put(buf, n, &len, "%s \u2192 %s: ", Who[snd], who[rcv]);
	put(buf, n, &len, "%s.", what, NULL);
	bool snd_changed = in->proto == 6 && in->after[snd] != in->before[snd] && in->after[snd] != TCPS_NONE;
	/* A SYN's receiver has not answered yet: told in a sentence of its own, not as a state it is "now" in. */
	bool asked = in->proto == 6 && in->after[rcv] == TCPS_UNANSWERED && (in->tcpflags & TCP_SYN) &&
		     !(in->tcpflags & (TCP_ACK | TCP_RST));
	bool rcv_changed = in->proto == 6 && in->after[rcv] != in->before[rcv] && in->after[rcv] != TCPS_NONE && !asked;
	if (in->call) {
		put(buf, n, &len, " The %s called %s()", who[snd], in->call);
		if (snd_changed)
			put(buf, n, &len, "; it is now %s", state_of(in->after[snd]), NULL);
		if (rcv_changed)
			put(buf, n, &len, "%s the %s", snd_changed ? " and" : ";", who[rcv]);
	} else if (in->icmp_err) {
		put(buf, n, &len, " The %s's kernel reports that the %s's datagram could not be delivered", who[snd], who[rcv]);
	} else if (in->proto == 6 && (in->tcpflags & TCP_SYN) && (in->tcpflags & TCP_ACK)) {
		put(buf, n, &len, " The %s's kernel answers for the listening socket, before any accept()", who[snd], NULL);
	} else if (in->proto == 6 && (in->tcpflags & TCP_RST) && (in->events & EV_REFUSED)) {
		put(buf, n, &len, " Nothing listens on that port: the %s's kernel refuses the connection", who[snd], NULL);
	} else if (in->proto == 6 && !in->payload && !(in->tcpflags & (TCP_SYN | TCP_FIN | TCP_RST))) {
		put(buf, n, &len, " The %s's kernel acknowledges what it received, without a call", who[snd], NULL);
	} else {
		put(buf, n, &len, " Sent by the %s's kernel", who[snd], NULL);
	}
	if (!in->call) {
		if (snd_changed && rcv_changed)
			put(buf, n, &len, "; the %s is now %s", who[snd], state_of(in->after[snd]));
		else if (snd_changed)
			put(buf, n, &len, "; the %s is now %s", who[snd], state_of(in->after[snd]));
		if (rcv_changed)
			put(buf, n, &len, snd_changed ? ", the %s %s" : "; the %s is now %s", who[rcv], state_of(in->after[rcv]));
	} else if (rcv_changed) {
		put(buf, n, &len, " is now %s", state_of(in->after[rcv]), NULL);
	}
	put(buf, n, &len, ".", NULL, NULL);
	if (asked && in->before[rcv] == TCPS_UNANSWERED)
		put(buf, n, &len, " The %s still has not answered.", who[rcv], NULL);
	else if (asked)
		put(buf, n, &len, " The %s has not answered yet (SYN-ACK: it listens; RST: nothing listens).", who[rcv], NULL);
	return len;
}

bool explain_call_sends(const char *c, uint8_t proto, uint16_t tcpflags, uint32_t payload)
{
	if (tcpflags & TCP_SYN)
		return strcmp(c, "connect") == 0;
	if (tcpflags & (TCP_FIN | TCP_RST))
		return strcmp(c, "close") == 0 || strcmp(c, "shutdown") == 0;
	if (payload)
		return strcmp(c, "send") == 0 || strcmp(c, "sendto") == 0 || strcmp(c, "write") == 0 ||
		       strcmp(c, "sendmsg") == 0 || (proto == 17 && strcmp(c, "connect") == 0);
	return false;
}

bool explain_same_kind(uint16_t flags_a, uint32_t payload_a, uint16_t flags_b, uint32_t payload_b)
{
	const uint16_t ends = TCP_SYN | TCP_FIN | TCP_RST;
	return (flags_a & flags_b & ends) || (payload_a && payload_b && !(flags_b & ends));
}

/* What a failed call's errno says happened on the wire (as sockdemo's narration says it), or NULL. */
static const char *explain_errno(const char *call, const char *errname)
{
	static const struct {
		const char *err, *why;
	} whys[] = {
		{ "ECONNREFUSED", "its SYN was answered by RST (or the datagram by ICMP port unreachable): nothing listens on that port" },
		{ "ETIMEDOUT", "no answer came to its SYNs (or the peer stopped acknowledging) before the kernel gave up" },
		{ "ECONNRESET", "the peer's RST ended the connection" },
		{ "EPIPE", "the connection is closed for sending (the peer's RST, or our own shutdown)" },
		{ "EADDRINUSE", "another socket has that port (or a connection on it is in TIME-WAIT); nothing on the wire" },
		{ "EADDRNOTAVAIL", "the address is not one of this machine's; nothing on the wire" },
		{ "EACCES", "ports below 1024 need privileges; nothing on the wire" },
		{ "EAGAIN", "nothing was ready and the socket does not block" },
		{ "EINPROGRESS", "its SYN is sent and the handshake goes on without waiting" },
	};
	(void)call;
	if (!errname)
		return NULL;
	for (size_t i = 0; i < COUNT(whys); i++)
		if (strcmp(whys[i].err, errname) == 0)
			return whys[i].why;
	return NULL;
}

/* close() and shutdown() by an end whose state says the connection already ended: nothing is sent. */
static bool explain_over(uint8_t state)
{
	return state == TCPS_CLOSED || state == TCPS_TIME_WAIT || state == TCPS_LAST_ACK || state == TCPS_CLOSING ||
	       state == TCPS_FIN_WAIT_2 || state == TCPS_NO_ANSWER;
}

int explain_call(char *buf, size_t n, const struct explain_call_in *in)
{
	static const struct {
		const char *call, *effect;
	} effects[] = {
		{ "socket", "a new socket, no packet yet" },
		{ "bind", "the socket gets its local address and port, no packet" },
		{ "listen", "the socket now accepts connections (LISTEN): the kernel answers SYNs by itself, no packet" },
		{ "connect", "its kernel sends SYN (TCP) and waits for SYN-ACK" },
		{ "accept", "it takes a connection whose handshake the kernel already completed, no packet" },
		{ "accept4", "it takes a connection whose handshake the kernel already completed, no packet" },
		{ "send", "the data goes to the kernel, which sends it in segments" },
		{ "sendto", "the data goes to the kernel, which sends it" },
		{ "write", "the data goes to the kernel, which sends it" },
		{ "recv", "it reads what the kernel received (0 means the peer's FIN)" },
		{ "recvfrom", "it reads a datagram the kernel received" },
		{ "read", "it reads what the kernel received (0 means the peer's FIN)" },
		{ "shutdown", "with SHUT_WR its kernel sends FIN; the socket stays open for reading" },
		{ "close", "its kernel sends FIN (or RST with unread data or SO_LINGER 0)" },
		{ "poll", "it waits until a socket is ready" },
		{ "setsockopt", "a socket option changes, no packet" },
	};
	static const char *const who[2] = { "client", "server" };
	const char *call = in->call ? in->call : "?";
	const char *effect = NULL;
	for (size_t i = 0; i < COUNT(effects); i++)
		if (strcmp(effects[i].call, call) == 0)
			effect = effects[i].effect;
	const char *w = in->side < 0 ? "traced process" : in->side ? who[1] : who[0];
	if (in->failed) {
		const char *why = explain_errno(call, in->errname);
		if (why)
			return snprintf(buf, n, "The %s's %s() failed with %s: %s.", w, call, in->errname, why);
		return snprintf(buf, n, "The %s's %s() failed with %s.", w, call,
				in->errname && *in->errname ? in->errname : "an error");
	}
	bool ends = strcmp(call, "close") == 0 || strcmp(call, "shutdown") == 0;
	if (ends && in->proto == 6 && explain_over(in->state))
		return snprintf(buf, n, "The %s calls %s(): its end of the connection is already %s, so nothing is sent%s.", w,
				call, tcp_state_name((enum tcp_state)in->state),
				strcmp(call, "close") == 0 ? "; the socket is freed" : "");
	if (ends && !in->proto && !in->peer)
		return snprintf(buf, n, "The %s calls %s() on a socket with no connection (a listener, or one never "
					"connected or refused): nothing is sent%s.", w, call,
				strcmp(call, "close") == 0 ? "; a listener's unaccepted connections are reset, and new SYNs "
							     "to its port are answered with RST"
							   : "");
	if (!effect)
		return snprintf(buf, n, "The %s calls %s().", w, call);
	return snprintf(buf, n, "The %s calls %s(): %s.", w, call, effect);
}
