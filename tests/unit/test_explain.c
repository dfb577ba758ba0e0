/* test_explain.c — the teaching sentence names the direction, the packet, the call that caused it and the new states. */
#include <CUnit/CUnit.h>
#include <string.h>

#include "calls/explain.h"
#include "track/flow.h"
#include "packet.h"

static struct explain_in tcp(uint8_t dir, uint16_t flags, uint8_t cb, uint8_t sb, uint8_t ca, uint8_t sa)
{
	struct explain_in in;
	memset(&in, 0, sizeof in);
	in.proto = 6;
	in.dir = dir;
	in.tcpflags = flags;
	in.before[0] = cb;
	in.before[1] = sb;
	in.after[0] = ca;
	in.after[1] = sa;
	return in;
}

static void test_syn_from_connect_names_the_call_and_the_new_state(void)
{
	char b[256];
	struct explain_in in = tcp(0, TCP_SYN, TCPS_NONE, TCPS_NONE, TCPS_SYN_SENT, TCPS_UNANSWERED);
	in.call = "connect";
	explain_packet(b, sizeof b, &in);
	/* the server has only been asked: no state is claimed for it, no LISTEN */
	CU_ASSERT_STRING_EQUAL(b, "Client \u2192 server: SYN. The client called connect(); it is now SYN-SENT. The server "
				  "has not answered yet (SYN-ACK: it listens; RST: nothing listens).");
	CU_ASSERT_PTR_NULL(strstr(b, "LISTEN"));
	/* a retransmitted SYN: still no answer */
	in = tcp(0, TCP_SYN, TCPS_SYN_SENT, TCPS_UNANSWERED, TCPS_SYN_SENT, TCPS_UNANSWERED);
	in.events = EV_RETRANSMISSION;
	explain_packet(b, sizeof b, &in);
	CU_ASSERT_STRING_EQUAL(b, "Client \u2192 server: SYN. Sent by the client's kernel. The server still has not answered.");
	in = tcp(0, TCP_SYN, TCPS_NONE, TCPS_NONE, TCPS_SYN_SENT, TCPS_UNANSWERED);
	in.call = "connect";
	in.after[1] = TCPS_SYN_RECEIVED; /* (not what a SYN does; checks the receiver's change is told) */
	explain_packet(b, sizeof b, &in);
	CU_ASSERT_STRING_EQUAL(b, "Client \u2192 server: SYN. The client called connect(); it is now SYN-SENT and the server is now SYN-RECEIVED.");
}

static void test_syn_ack_is_the_kernels_answer_with_both_states(void)
{
	char b[256];
	struct explain_in in = tcp(1, TCP_SYN | TCP_ACK, TCPS_SYN_SENT, TCPS_UNANSWERED, TCPS_ESTABLISHED, TCPS_SYN_RECEIVED);
	explain_packet(b, sizeof b, &in);
	CU_ASSERT_STRING_EQUAL(b, "Server \u2192 client: SYN-ACK. The server's kernel answers for the listening socket, "
				  "before any accept(); the server is now SYN-RECEIVED, the client ESTABLISHED.");
}

static void test_fin_from_close_and_refusing_rst(void)
{
	char b[256];
	struct explain_in in = tcp(0, TCP_FIN | TCP_ACK, TCPS_ESTABLISHED, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, TCPS_CLOSE_WAIT);
	in.call = "close";
	explain_packet(b, sizeof b, &in);
	CU_ASSERT_STRING_EQUAL(b, "Client \u2192 server: FIN. The client called close(); it is now FIN-WAIT-1 and the server is now CLOSE-WAIT.");
	in = tcp(1, TCP_RST | TCP_ACK, TCPS_SYN_SENT, TCPS_UNANSWERED, TCPS_CLOSED, TCPS_CLOSED);
	in.events = EV_RST | EV_REFUSED;
	explain_packet(b, sizeof b, &in);
	CU_ASSERT_STRING_EQUAL(b, "Server \u2192 client: RST-ACK. Nothing listens on that port: the server's kernel refuses "
				  "the connection; the server is now CLOSED, the client CLOSED.");
}

static void test_data_udp_and_icmp_error(void)
{
	char b[256];
	struct explain_in in = tcp(0, TCP_PSH | TCP_ACK, TCPS_ESTABLISHED, TCPS_ESTABLISHED, TCPS_ESTABLISHED, TCPS_ESTABLISHED);
	in.payload = 18;
	in.call = "send";
	explain_packet(b, sizeof b, &in);
	CU_ASSERT_STRING_EQUAL(b, "Client \u2192 server: 18 bytes of data. The client called send().");
	memset(&in, 0, sizeof in);
	in.proto = 17;
	in.payload = 7;
	in.call = "sendto";
	explain_packet(b, sizeof b, &in);
	CU_ASSERT_STRING_EQUAL(b, "Client \u2192 server: UDP datagram, 7 bytes. The client called sendto().");
	memset(&in, 0, sizeof in);
	in.proto = 17;
	in.dir = 1;
	in.icmp_err = true;
	in.icmp_what = "port unreachable";
	explain_packet(b, sizeof b, &in);
	CU_ASSERT_STRING_EQUAL(b, "Server \u2192 client: ICMP port unreachable. The server's kernel reports that the client's "
				  "datagram could not be delivered.");
}

static void test_short_buffer_is_cut_and_terminated(void)
{
	char b[12];
	struct explain_in in = tcp(0, TCP_SYN, TCPS_NONE, TCPS_NONE, TCPS_SYN_SENT, TCPS_NONE);
	int len = explain_packet(b, sizeof b, &in);
	CU_ASSERT_TRUE(len > (int)sizeof b);
	CU_ASSERT_EQUAL(strlen(b), sizeof b - 1);
}

static int call_text(char *b, size_t n, const char *call, int side, bool failed, const char *err, bool peer, uint8_t proto,
		     uint8_t state)
{
	struct explain_call_in in = { call, side, failed, err, peer, proto, state };
	return explain_call(b, n, &in);
}

static void test_call_sentences(void)
{
	char b[320];
	call_text(b, sizeof b, "connect", 0, false, NULL, true, 0, 0);
	CU_ASSERT_STRING_EQUAL(b, "The client calls connect(): its kernel sends SYN (TCP) and waits for SYN-ACK.");
	call_text(b, sizeof b, "close", -1, false, NULL, true, 0, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "The traced process calls close(): "));
	call_text(b, sizeof b, "getsockopt", 1, false, NULL, true, 0, 0);
	CU_ASSERT_STRING_EQUAL(b, "The server calls getsockopt().");
}

/* What the footer says agrees with sockdemo's narration for each kind of ending (issue: the close of a
   listener was said to send FIN; a refused client's close too). */
static void test_call_sentences_agree_with_the_state_tables(void)
{
	char b[320];
	/* A refused connect: RST, nothing listens. */
	call_text(b, sizeof b, "connect", 0, true, "ECONNREFUSED", false, 0, 0);
	CU_ASSERT_STRING_EQUAL(b, "The client's connect() failed with ECONNREFUSED: its SYN was answered by RST (or the "
				  "datagram by ICMP port unreachable): nothing listens on that port.");
	/* The refused client then closes its socket: matched to its flow (CLOSED) or not (no peer): no FIN. */
	call_text(b, sizeof b, "close", 0, false, NULL, false, 6, TCPS_CLOSED);
	CU_ASSERT_STRING_EQUAL(b, "The client calls close(): its end of the connection is already CLOSED, so nothing is "
				  "sent; the socket is freed.");
	CU_ASSERT_PTR_NULL(strstr(b, "FIN"));
	call_text(b, sizeof b, "close", 0, false, NULL, false, 0, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "on a socket with no connection"));
	CU_ASSERT_PTR_NULL(strstr(b, "sends FIN"));
	/* The close of a listener: no peer, no flow: nothing sent, new SYNs get RST. */
	call_text(b, sizeof b, "close", 1, false, NULL, false, 0, 0);
	CU_ASSERT_STRING_EQUAL(b, "The server calls close() on a socket with no connection (a listener, or one never "
				  "connected or refused): nothing is sent; a listener's unaccepted connections are reset, "
				  "and new SYNs to its port are answered with RST.");
	/* An established end's close sends FIN; one in TIME-WAIT sends nothing. */
	call_text(b, sizeof b, "close", 0, false, NULL, true, 6, TCPS_ESTABLISHED);
	CU_ASSERT_STRING_EQUAL(b, "The client calls close(): its kernel sends FIN (or RST with unread data or SO_LINGER 0).");
	call_text(b, sizeof b, "close", 0, false, NULL, true, 6, TCPS_TIME_WAIT);
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "already TIME-WAIT, so nothing is sent"));
	/* A half-close: shutdown in ESTABLISHED sends FIN; after the peer's RST, send fails with EPIPE. */
	call_text(b, sizeof b, "shutdown", 0, false, NULL, true, 6, TCPS_ESTABLISHED);
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "sends FIN; the socket stays open for reading"));
	call_text(b, sizeof b, "send", 0, true, "EPIPE", true, 6, TCPS_CLOSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "failed with EPIPE: the connection is closed for sending"));
	/* UDP to a closed port: the error comes back on the next call. */
	call_text(b, sizeof b, "recvfrom", 0, true, "ECONNREFUSED", true, 17, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "ICMP port unreachable"));
	/* listen and accept put nothing on the wire. */
	call_text(b, sizeof b, "listen", 1, false, NULL, false, 0, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "no packet"));
	call_text(b, sizeof b, "accept4", 1, false, NULL, true, 6, TCPS_ESTABLISHED);
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "already completed, no packet"));
}

int register_test_explain(void)
{
	CU_pSuite s = CU_add_suite("explain", NULL, NULL);
	if (!s)
		return -1;
	CU_add_test(s, "SYN from connect names the call and the new state", test_syn_from_connect_names_the_call_and_the_new_state);
	CU_add_test(s, "SYN-ACK is the kernel's answer, with both states", test_syn_ack_is_the_kernels_answer_with_both_states);
	CU_add_test(s, "FIN from close, and the refusing RST", test_fin_from_close_and_refusing_rst);
	CU_add_test(s, "data, UDP and ICMP error", test_data_udp_and_icmp_error);
	CU_add_test(s, "a short buffer is cut and terminated", test_short_buffer_is_cut_and_terminated);
	CU_add_test(s, "call sentences", test_call_sentences);
	CU_add_test(s, "call sentences agree with the state tables", test_call_sentences_agree_with_the_state_tables);
	return 0;
}
