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

static void test_call_sentences(void)
{
	char b[256];
	explain_call(b, sizeof b, "connect", 0, false, NULL);
	CU_ASSERT_STRING_EQUAL(b, "The client calls connect(): its kernel sends SYN (TCP) and waits for SYN-ACK.");
	explain_call(b, sizeof b, "connect", 0, true, "ECONNREFUSED");
	CU_ASSERT_STRING_EQUAL(b, "The client's connect() failed with ECONNREFUSED: the kernel reports what the network said.");
	explain_call(b, sizeof b, "close", -1, false, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(b, "The traced process calls close(): "));
	explain_call(b, sizeof b, "getsockopt", 1, false, NULL);
	CU_ASSERT_STRING_EQUAL(b, "The server calls getsockopt().");
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
	return 0;
}
