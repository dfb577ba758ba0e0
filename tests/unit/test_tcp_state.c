/* test_tcp_state.c — every cell of the send/receive transition tables, and whole connections through them. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow_fixture.h"
#include "track/tcp_state.h"

/*
 * The expected tables, one line per state: the state after each segment kind, in the column order
 * SYN, SYN-ACK, ACK, ACK-of-FIN, FIN, FIN+ACK-of-FIN, RST, ICMP-unreachable.
 */
static const char *const expect_send[TCPS_COUNT] = {
	"- SYN-SENT SYN-RECEIVED ESTABLISHED CLOSE-WAIT FIN-WAIT-1 LAST-ACK CLOSED -",
	"CLOSED SYN-SENT SYN-RECEIVED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED",
	"LISTEN SYN-RECEIVED SYN-RECEIVED LISTEN LISTEN LISTEN LISTEN CLOSED LISTEN",
	"UNANSWERED SYN-RECEIVED SYN-RECEIVED UNANSWERED UNANSWERED UNANSWERED UNANSWERED CLOSED UNANSWERED",
	"NO-ANSWER SYN-RECEIVED SYN-RECEIVED NO-ANSWER NO-ANSWER NO-ANSWER NO-ANSWER CLOSED NO-ANSWER",
	"SYN-SENT SYN-SENT SYN-RECEIVED ESTABLISHED CLOSE-WAIT FIN-WAIT-1 LAST-ACK CLOSED SYN-SENT",
	"SYN-RECEIVED SYN-RECEIVED SYN-RECEIVED ESTABLISHED CLOSE-WAIT FIN-WAIT-1 LAST-ACK CLOSED SYN-RECEIVED",
	"ESTABLISHED ESTABLISHED ESTABLISHED ESTABLISHED CLOSE-WAIT FIN-WAIT-1 LAST-ACK CLOSED ESTABLISHED",
	"FIN-WAIT-1 FIN-WAIT-1 FIN-WAIT-1 FIN-WAIT-1 CLOSING FIN-WAIT-1 CLOSING CLOSED FIN-WAIT-1",
	"FIN-WAIT-2 FIN-WAIT-2 FIN-WAIT-2 FIN-WAIT-2 TIME-WAIT FIN-WAIT-2 TIME-WAIT CLOSED FIN-WAIT-2",
	"CLOSE-WAIT CLOSE-WAIT CLOSE-WAIT CLOSE-WAIT CLOSE-WAIT CLOSING LAST-ACK CLOSED CLOSE-WAIT",
	"CLOSING CLOSING CLOSING CLOSING CLOSING CLOSING CLOSING CLOSED CLOSING",
	"LAST-ACK LAST-ACK LAST-ACK LAST-ACK LAST-ACK LAST-ACK LAST-ACK CLOSED LAST-ACK",
	"TIME-WAIT TIME-WAIT TIME-WAIT TIME-WAIT TIME-WAIT TIME-WAIT TIME-WAIT CLOSED TIME-WAIT",
};

static const char *const expect_recv[TCPS_COUNT] = {
	"- UNANSWERED ESTABLISHED ESTABLISHED FIN-WAIT-2 CLOSE-WAIT TIME-WAIT CLOSED CLOSED",
	"CLOSED UNANSWERED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED CLOSED",
	"LISTEN LISTEN LISTEN LISTEN LISTEN LISTEN LISTEN LISTEN LISTEN",
	"UNANSWERED UNANSWERED UNANSWERED UNANSWERED UNANSWERED UNANSWERED UNANSWERED UNANSWERED UNANSWERED",
	"NO-ANSWER UNANSWERED NO-ANSWER NO-ANSWER NO-ANSWER NO-ANSWER NO-ANSWER NO-ANSWER NO-ANSWER",
	"SYN-SENT SYN-RECEIVED ESTABLISHED SYN-SENT SYN-SENT SYN-SENT SYN-SENT CLOSED CLOSED",
	"SYN-RECEIVED SYN-RECEIVED ESTABLISHED ESTABLISHED ESTABLISHED CLOSE-WAIT CLOSE-WAIT LISTEN SYN-RECEIVED",
	"ESTABLISHED ESTABLISHED ESTABLISHED ESTABLISHED ESTABLISHED CLOSE-WAIT CLOSE-WAIT CLOSED ESTABLISHED",
	"FIN-WAIT-1 FIN-WAIT-1 FIN-WAIT-1 FIN-WAIT-1 FIN-WAIT-2 CLOSING TIME-WAIT CLOSED FIN-WAIT-1",
	"FIN-WAIT-2 FIN-WAIT-2 FIN-WAIT-2 FIN-WAIT-2 FIN-WAIT-2 TIME-WAIT TIME-WAIT CLOSED FIN-WAIT-2",
	"CLOSE-WAIT CLOSE-WAIT CLOSE-WAIT CLOSE-WAIT CLOSE-WAIT CLOSE-WAIT CLOSE-WAIT CLOSED CLOSE-WAIT",
	"CLOSING CLOSING CLOSING CLOSING TIME-WAIT CLOSING TIME-WAIT CLOSED CLOSING",
	"LAST-ACK LAST-ACK LAST-ACK LAST-ACK CLOSED LAST-ACK CLOSED CLOSED LAST-ACK",
	"TIME-WAIT TIME-WAIT TIME-WAIT TIME-WAIT TIME-WAIT TIME-WAIT TIME-WAIT CLOSED TIME-WAIT",
};

static int state_by_name(const char *name)
{
	for (int s = 0; s < TCPS_COUNT; s++)
		if (strcmp(tcp_state_name((enum tcp_state)s), name) == 0)
			return s;
	return -1;
}

/* Checks every cell of one table against its expected lines; returns the number of cells checked. */
static int check_table(const char *const expect[TCPS_COUNT], enum tcp_state (*fn)(enum tcp_state, enum tcp_seg),
		       const char *what)
{
	int cells = 0;
	for (int s = 0; s < TCPS_COUNT; s++) {
		char line[256];
		snprintf(line, sizeof line, "%s", expect[s]);
		char *save = NULL, *tok = strtok_r(line, " ", &save);
		CU_ASSERT_EQUAL_FATAL(state_by_name(tok), s); /* rows are in enum order, named first */
		for (int k = 0; k < SEG_COUNT; k++) {
			tok = strtok_r(NULL, " ", &save);
			CU_ASSERT_PTR_NOT_NULL_FATAL(tok);
			int want = state_by_name(tok);
			CU_ASSERT_NOT_EQUAL_FATAL(want, -1);
			enum tcp_state got = fn((enum tcp_state)s, (enum tcp_seg)k);
			if ((int)got != want)
				fprintf(stderr, "\n%s table: %s + %s -> %s, expected %s\n", what,
					tcp_state_name((enum tcp_state)s), tcp_seg_name((enum tcp_seg)k),
					tcp_state_name(got), tok);
			CU_ASSERT_EQUAL(got, want);
			cells++;
		}
		CU_ASSERT_PTR_NULL(strtok_r(NULL, " ", &save));
	}
	return cells;
}

static void test_send_table_every_state_and_segment_kind(void)
{
	CU_ASSERT_EQUAL(check_table(expect_send, tcp_state_after_send, "send"), TCPS_COUNT * SEG_COUNT);
}

static void test_receive_table_every_state_and_segment_kind(void)
{
	CU_ASSERT_EQUAL(check_table(expect_recv, tcp_state_after_recv, "receive"), TCPS_COUNT * SEG_COUNT);
}

static void test_out_of_range_inputs_leave_state_unchanged(void)
{
	CU_ASSERT_EQUAL(tcp_state_after_send(TCPS_ESTABLISHED, SEG_COUNT), TCPS_ESTABLISHED);
	CU_ASSERT_EQUAL(tcp_state_after_recv(TCPS_COUNT, SEG_FIN), TCPS_COUNT);
}

static void test_classify_by_flags_and_fin_acknowledgement(void)
{
	CU_ASSERT_EQUAL(tcp_seg_classify(TCP_SYN, false), SEG_SYN);
	CU_ASSERT_EQUAL(tcp_seg_classify(TCP_SYN | TCP_ECE | TCP_CWR, false), SEG_SYN);
	CU_ASSERT_EQUAL(tcp_seg_classify(TCP_SYN | TCP_ACK, false), SEG_SYNACK);
	CU_ASSERT_EQUAL(tcp_seg_classify(TCP_ACK | TCP_PSH, false), SEG_ACK);
	CU_ASSERT_EQUAL(tcp_seg_classify(TCP_ACK, true), SEG_ACKFIN);
	CU_ASSERT_EQUAL(tcp_seg_classify(TCP_FIN | TCP_ACK, false), SEG_FIN);
	CU_ASSERT_EQUAL(tcp_seg_classify(TCP_FIN | TCP_ACK, true), SEG_FINACKFIN);
	CU_ASSERT_EQUAL(tcp_seg_classify(TCP_RST | TCP_ACK | TCP_FIN, true), SEG_RST);
	CU_ASSERT_EQUAL(tcp_seg_classify(TCP_RST | TCP_SYN, false), SEG_RST);
	CU_ASSERT_EQUAL(tcp_seg_classify(0, false), SEG_ACK);
}

/* ---- whole connections --------------------------------------------------------------------------- */

static struct flow_table *T;
static struct conn C;

static int setup(void)
{
	T = flowtab_new(64);
	return T ? 0 : 1;
}

static int teardown(void)
{
	flowtab_free(T);
	return 0;
}

static void fresh(uint16_t cport)
{
	conn_init(&C, T, 0, cport, 8080);
}

#define STATES(cs, ss)                                         \
	do {                                                   \
		CU_ASSERT_PTR_NOT_NULL_FATAL(C.r.flow);        \
		CU_ASSERT_EQUAL(C.r.after[DIR_C2S], (cs));     \
		CU_ASSERT_EQUAL(C.r.after[DIR_S2C], (ss));     \
	} while (0)

static void handshake(void)
{
	syn(&C, 1, 0, 7, 0);
	STATES(TCPS_SYN_SENT, TCPS_UNANSWERED);
	syn(&C, 0, 1, 7, 100);
	STATES(TCPS_ESTABLISHED, TCPS_SYN_RECEIVED);
	seg(&C, 1, TCP_ACK, 1, 1, 0, 512, 100);
	STATES(TCPS_ESTABLISHED, TCPS_ESTABLISHED);
}

static void test_normal_open_and_close_walks_rfc9293_states(void)
{
	fresh(40001);
	handshake();
	const struct flow *f = C.r.flow;
	CU_ASSERT_FALSE(f->client_guessed);
	CU_ASSERT_FALSE(f->state_inferred);
	CU_ASSERT_EQUAL(f->client.port, 40001);
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 5, 512, 100);
	seg(&C, 0, TCP_ACK, 1, 6, 0, 512, 100);
	STATES(TCPS_ESTABLISHED, TCPS_ESTABLISHED);
	seg(&C, 1, TCP_FIN | TCP_ACK, 6, 1, 0, 512, 100); /* active close */
	STATES(TCPS_FIN_WAIT_1, TCPS_CLOSE_WAIT);
	CU_ASSERT_EQUAL(f->closed_first, DIR_C2S);
	seg(&C, 0, TCP_ACK, 1, 7, 0, 512, 100); /* acknowledges the FIN */
	STATES(TCPS_FIN_WAIT_2, TCPS_CLOSE_WAIT);
	seg(&C, 0, TCP_FIN | TCP_ACK, 1, 7, 0, 512, 100);
	STATES(TCPS_TIME_WAIT, TCPS_LAST_ACK);
	seg(&C, 1, TCP_ACK, 7, 2, 0, 512, 100);
	STATES(TCPS_TIME_WAIT, TCPS_CLOSED);
	CU_ASSERT_EQUAL(f->end, END_FIN);
	CU_ASSERT_EQUAL(f->synack_ns - f->syn_ns, 100000);
	CU_ASSERT_EQUAL(f->ack_ns - f->synack_ns, 100000);
	CU_ASSERT_EQUAL(f->pkts[DIR_C2S], 5);
	CU_ASSERT_EQUAL(f->pkts[DIR_S2C], 4);
	CU_ASSERT_EQUAL(f->bytes[DIR_C2S], 5);
}

static void test_fin_ack_answering_fin_goes_straight_to_time_wait(void)
{
	fresh(40002);
	handshake();
	seg(&C, 1, TCP_FIN | TCP_ACK, 1, 1, 0, 512, 100);
	seg(&C, 0, TCP_FIN | TCP_ACK, 1, 2, 0, 512, 100); /* FIN that also acknowledges the client's FIN */
	STATES(TCPS_TIME_WAIT, TCPS_LAST_ACK);
	seg(&C, 1, TCP_ACK, 2, 2, 0, 512, 100);
	STATES(TCPS_TIME_WAIT, TCPS_CLOSED);
}

static void test_simultaneous_open_both_pass_syn_received(void)
{
	fresh(40003);
	syn(&C, 1, 0, -1, 0);
	STATES(TCPS_SYN_SENT, TCPS_UNANSWERED);
	syn(&C, 0, 0, -1, 10); /* the other end's own SYN crosses ours */
	STATES(TCPS_SYN_RECEIVED, TCPS_SYN_RECEIVED);
	CU_ASSERT_FALSE(C.r.events & EV_NEW_FLOW);
	syn(&C, 1, 1, -1, 10);
	STATES(TCPS_SYN_RECEIVED, TCPS_ESTABLISHED);
	syn(&C, 0, 1, -1, 10);
	STATES(TCPS_ESTABLISHED, TCPS_ESTABLISHED);
	CU_ASSERT_EQUAL(C.r.flow->client.port, 40003); /* the first SYN's sender */
}

static void test_simultaneous_close_both_pass_closing_to_time_wait(void)
{
	fresh(40004);
	handshake();
	seg(&C, 1, TCP_FIN | TCP_ACK, 1, 1, 0, 512, 100);
	STATES(TCPS_FIN_WAIT_1, TCPS_CLOSE_WAIT);
	seg(&C, 0, TCP_FIN | TCP_ACK, 1, 1, 0, 512, 1); /* does not acknowledge the client's FIN: crossed */
	STATES(TCPS_CLOSING, TCPS_CLOSING);
	seg(&C, 1, TCP_ACK, 2, 2, 0, 512, 100);
	STATES(TCPS_CLOSING, TCPS_TIME_WAIT);
	seg(&C, 0, TCP_ACK, 2, 2, 0, 512, 1);
	STATES(TCPS_TIME_WAIT, TCPS_TIME_WAIT);
	CU_ASSERT_EQUAL(C.r.flow->end, END_FIN);
}

/* Drive a fresh connection until the client is in `want` (or the server, for server-side states). */
static void drive_to(enum tcp_state want, int *client_side)
{
	*client_side = 1;
	syn(&C, 1, 0, -1, 10);
	if (want == TCPS_SYN_SENT)
		return;
	if (want == TCPS_UNANSWERED) {
		*client_side = 0;
		return;
	}
	syn(&C, 0, 1, -1, 10);
	if (want == TCPS_SYN_RECEIVED) {
		*client_side = 0;
		return;
	}
	if (want == TCPS_LISTEN) { /* the client's RST sends the passive open back to LISTEN */
		seg(&C, 1, TCP_RST, 1, 0, 0, 0, 10);
		*client_side = 0;
		return;
	}
	seg(&C, 1, TCP_ACK, 1, 1, 0, 512, 10);
	if (want == TCPS_ESTABLISHED)
		return;
	seg(&C, 1, TCP_FIN | TCP_ACK, 1, 1, 0, 512, 10);
	if (want == TCPS_FIN_WAIT_1)
		return;
	if (want == TCPS_CLOSE_WAIT) {
		*client_side = 0;
		return;
	}
	if (want == TCPS_CLOSING) {
		seg(&C, 0, TCP_FIN | TCP_ACK, 1, 1, 0, 512, 10);
		return;
	}
	seg(&C, 0, TCP_ACK, 1, 2, 0, 512, 10);
	if (want == TCPS_FIN_WAIT_2)
		return;
	seg(&C, 0, TCP_FIN | TCP_ACK, 1, 2, 0, 512, 10);
	if (want == TCPS_LAST_ACK) {
		*client_side = 0;
		return;
	}
	/* TIME-WAIT: the client is there now */
}

static void test_rst_in_every_state_closes_sender_and_receiver(void)
{
	static const enum tcp_state states[] = { TCPS_LISTEN, TCPS_UNANSWERED, TCPS_SYN_SENT, TCPS_SYN_RECEIVED,
						  TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2, TCPS_CLOSE_WAIT, TCPS_CLOSING,
						  TCPS_LAST_ACK, TCPS_TIME_WAIT };
	uint16_t port = 41000;
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
		for (int sender_is_target = 0; sender_is_target < 2; sender_is_target++) {
			fresh(port++);
			int cside;
			drive_to(states[i], &cside);
			enum flow_dir d = cside ? DIR_C2S : DIR_S2C;
			CU_ASSERT_EQUAL_FATAL(C.r.after[d], states[i]);
			/* RST sent by the end in states[i], or received by it */
			int from_client = sender_is_target ? cside : !cside;
			seg(&C, from_client, TCP_RST | TCP_ACK, 50, 50, 0, 0, 10);
			CU_ASSERT_TRUE(C.r.events & EV_RST);
			enum tcp_state want = TCPS_CLOSED;
			if (!sender_is_target && states[i] == TCPS_LISTEN)
				want = TCPS_LISTEN; /* RFC 9293 §3.10.7.2: a listener ignores RST */
			if (!sender_is_target && states[i] == TCPS_SYN_RECEIVED)
				want = TCPS_LISTEN; /* §3.10.7.4: a passive open returns to LISTEN */
			if (!sender_is_target && states[i] == TCPS_UNANSWERED)
				want = TCPS_UNANSWERED; /* the asker's RST is no answer from this end */
			if (C.r.after[d] != want)
				fprintf(stderr, "\nRST %s %s: got %s\n", sender_is_target ? "sent in" : "received in",
					tcp_state_name(states[i]), tcp_state_name(C.r.after[d]));
			CU_ASSERT_EQUAL(C.r.after[d], want);
			CU_ASSERT_EQUAL(C.r.after[from_client ? DIR_C2S : DIR_S2C], TCPS_CLOSED); /* the sender */
		}
	}
}

static void test_refused_syn_answered_by_rst_ack(void)
{
	fresh(40005);
	syn(&C, 1, 0, 7, 0);
	seg(&C, 0, TCP_RST | TCP_ACK, 0, 1, 0, 0, 50);
	CU_ASSERT_TRUE(C.r.events & EV_RST);
	CU_ASSERT_TRUE(C.r.events & EV_REFUSED);
	STATES(TCPS_CLOSED, TCPS_CLOSED);
	CU_ASSERT_EQUAL(C.r.flow->end, END_REFUSED);
	CU_ASSERT_EQUAL(C.r.flow->closed_first, DIR_S2C);
	CU_ASSERT_EQUAL(C.r.rack, 1);
}

static void test_mid_connection_start_is_inferred_established(void)
{
	fresh(40006); /* ephemeral client port, server 8080: first packet from the server */
	seg(&C, 0, TCP_ACK | TCP_PSH, 101, 201, 10, 512, 0);
	const struct flow *f = C.r.flow;
	CU_ASSERT_TRUE(f->state_inferred);
	CU_ASSERT_TRUE(f->client_guessed);
	CU_ASSERT_EQUAL(f->client.port, 40006); /* guessed: the ephemeral port is the client */
	CU_ASSERT_EQUAL(C.r.dir, DIR_S2C);
	STATES(TCPS_ESTABLISHED, TCPS_ESTABLISHED);
	CU_ASSERT_EQUAL(C.r.rseq, 1); /* Wireshark numbers the first segment seen 1 */
	CU_ASSERT_EQUAL(C.r.rack, 1);
	seg(&C, 0, TCP_FIN | TCP_ACK, 111, 201, 0, 512, 10);
	STATES(TCPS_CLOSE_WAIT, TCPS_FIN_WAIT_1);
}

static void test_mid_connection_syn_ack_infers_client_from_it(void)
{
	fresh(40007);
	syn(&C, 0, 1, -1, 0); /* the SYN was not captured */
	const struct flow *f = C.r.flow;
	CU_ASSERT_FALSE(f->client_guessed);
	CU_ASSERT_TRUE(f->state_inferred);
	CU_ASSERT_EQUAL(f->client.port, 40007);
	STATES(TCPS_ESTABLISHED, TCPS_SYN_RECEIVED);
}

static void test_port_reuse_after_close_starts_new_flow(void)
{
	fresh(40008);
	handshake();
	seg(&C, 0, TCP_RST | TCP_ACK, 1, 1, 0, 0, 100);
	uint64_t old = C.r.flow->id;
	CU_ASSERT_EQUAL(C.r.flow->end, END_RST);
	syn(&C, 1, 0, -1, 100); /* same ISN: a retransmitted SYN, still the old flow */
	CU_ASSERT_EQUAL(C.r.flow->id, old);
	CU_ASSERT_FALSE(C.r.events & EV_PORT_REUSE);
	C.ciss += 777777; /* a new connection: new ISN */
	syn(&C, 1, 0, -1, 100);
	CU_ASSERT_TRUE(C.r.events & EV_PORT_REUSE);
	CU_ASSERT_TRUE(C.r.events & EV_NEW_FLOW);
	CU_ASSERT_NOT_EQUAL(C.r.flow->id, old);
	STATES(TCPS_SYN_SENT, TCPS_UNANSWERED);
	CU_ASSERT_PTR_NOT_NULL(flowtab_find(T, old)); /* the old flow is still listed */
	CU_ASSERT_EQUAL(flowtab_find(T, old)->end, END_RST);
	syn(&C, 0, 1, -1, 100);
	CU_ASSERT_NOT_EQUAL(C.r.flow->id, old); /* and packets now go to the new one */
	CU_ASSERT_EQUAL(C.r.flow->pkts[DIR_S2C], 1);
}

static void test_icmp_port_unreachable_closes_syn_sent(void)
{
	fresh(40009);
	syn(&C, 1, 0, -1, 0);
	icmp_err(&C, 1, 3, 3, 10);
	CU_ASSERT_TRUE(C.r.events & EV_ICMP_ERROR);
	CU_ASSERT_TRUE(C.r.events & EV_REFUSED);
	CU_ASSERT_EQUAL(C.r.dir, DIR_S2C);
	STATES(TCPS_CLOSED, TCPS_UNANSWERED); /* the ICMP error is not the server's own answer */
	CU_ASSERT_EQUAL(C.r.flow->end, END_REFUSED);
}

int register_test_tcp_state(void)
{
	CU_pSuite s = CU_add_suite("tcp_state", setup, teardown);
	if (!s)
		return 1;
	if (!CU_add_test(s, "send table: every state x segment kind", test_send_table_every_state_and_segment_kind) ||
	    !CU_add_test(s, "receive table: every state x segment kind",
			 test_receive_table_every_state_and_segment_kind) ||
	    !CU_add_test(s, "out-of-range inputs leave the state", test_out_of_range_inputs_leave_state_unchanged) ||
	    !CU_add_test(s, "segment kinds from flags and FIN acks", test_classify_by_flags_and_fin_acknowledgement) ||
	    !CU_add_test(s, "normal open and close", test_normal_open_and_close_walks_rfc9293_states) ||
	    !CU_add_test(s, "FIN+ACK of FIN to TIME-WAIT", test_fin_ack_answering_fin_goes_straight_to_time_wait) ||
	    !CU_add_test(s, "simultaneous open", test_simultaneous_open_both_pass_syn_received) ||
	    !CU_add_test(s, "simultaneous close", test_simultaneous_close_both_pass_closing_to_time_wait) ||
	    !CU_add_test(s, "RST sent and received in every state", test_rst_in_every_state_closes_sender_and_receiver) ||
	    !CU_add_test(s, "refused: SYN answered by RST/ACK", test_refused_syn_answered_by_rst_ack) ||
	    !CU_add_test(s, "mid-connection start", test_mid_connection_start_is_inferred_established) ||
	    !CU_add_test(s, "missed SYN: SYN-ACK names the client", test_mid_connection_syn_ack_infers_client_from_it) ||
	    !CU_add_test(s, "port reuse after close", test_port_reuse_after_close_starts_new_flow) ||
	    !CU_add_test(s, "ICMP port unreachable closes SYN-SENT", test_icmp_port_unreachable_closes_syn_sent))
		return 1;
	return 0;
}
