/* test_zeek.c — Zeek's conn_state, one generated connection per state of its table, and the history letters' rules (case, once, repeats, 1/10/100). */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "flow_fixture.h"
#include "track/zeek.h"

static struct conn C;

/* A fresh TCP conversation 127.0.0.1:40000 -> 127.0.0.1:8888 (client port ephemeral, server's not). */
static void fresh(void)
{
	static uint16_t port = 40000;
	conn_init(&C, fixture_table(), 0, port++, 8888);
}

/* The flow's conn_state and history are what Zeek's documentation says; prints both when they differ. */
static void expect(const char *state, const char *history)
{
	const struct flow *f = C.r.flow;
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	char h[ZEEK_HISTORY_MAX + 1];
	zeek_history(&f->zeek, h, NULL);
	const char *s = zeek_conn_state(f);
	if (strcmp(s, state) != 0 || strcmp(h, history) != 0)
		printf("\nflow %llu: conn_state %s history \"%s\", want %s \"%s\"\n", (unsigned long long)f->id, s, h,
		       state, history);
	CU_ASSERT_STRING_EQUAL(s, state);
	CU_ASSERT_STRING_EQUAL(h, history);
}

/* SYN, SYN-ACK, ACK. */
static void handshake(void)
{
	syn(&C, 1, 0, 7, 0);
	syn(&C, 0, 1, 7, 100);
	seg(&C, 1, TCP_ACK, 1, 1, 0, 512, 100);
}

/* ---- one case per conn_state, in the order of Zeek's table ---- */

/* S0: "Connection attempt seen, no reply." */
static void test_s0_attempt_without_reply(void)
{
	fresh();
	syn(&C, 1, 0, 7, 0);
	syn(&C, 1, 0, 7, 1000000); /* its retransmission: the same sequence number, no second S */
	expect("S0", "S");
}

/* S1: "Connection established, not terminated." */
static void test_s1_established_not_terminated(void)
{
	fresh();
	handshake();
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 10, 512, 100);
	seg(&C, 0, TCP_ACK, 1, 11, 0, 512, 100);
	expect("S1", "ShADa");
}

/* SF: "Normal establishment and termination." */
static void test_sf_normal_establishment_and_termination(void)
{
	fresh();
	handshake();
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 10, 512, 100);
	seg(&C, 0, TCP_ACK, 1, 11, 0, 512, 100);
	seg(&C, 0, TCP_ACK | TCP_PSH, 1, 11, 5, 512, 100);
	seg(&C, 1, TCP_ACK, 11, 6, 0, 512, 100);
	seg(&C, 1, TCP_FIN | TCP_ACK, 11, 6, 0, 512, 100);
	seg(&C, 0, TCP_FIN | TCP_ACK, 6, 12, 0, 512, 100);
	seg(&C, 1, TCP_ACK, 12, 7, 0, 512, 100);
	expect("SF", "ShADadFf");
}

/* REJ: "Connection attempt rejected." */
static void test_rej_attempt_rejected(void)
{
	fresh();
	syn(&C, 1, 0, 7, 0);
	seg(&C, 0, TCP_RST | TCP_ACK, 0, 1, 0, 0, 100);
	expect("REJ", "Sr");
}

/* S2: "Connection established and close attempt by originator seen (but no reply from responder)." */
static void test_s2_originator_closes_responder_does_not(void)
{
	fresh();
	handshake();
	seg(&C, 1, TCP_FIN | TCP_ACK, 1, 1, 0, 512, 100);
	seg(&C, 0, TCP_ACK, 1, 2, 0, 512, 100); /* the FIN is acknowledged, not answered with one */
	expect("S2", "ShAFa");
}

/* S3: "Connection established and close attempt by responder seen (but no reply from originator)." */
static void test_s3_responder_closes_originator_does_not(void)
{
	fresh();
	handshake();
	seg(&C, 0, TCP_FIN | TCP_ACK, 1, 1, 0, 512, 100);
	expect("S3", "ShAf");
}

/* RSTO: "Connection established, originator aborted (sent a RST)." */
static void test_rsto_originator_aborts(void)
{
	fresh();
	handshake();
	seg(&C, 1, TCP_RST | TCP_ACK, 1, 1, 0, 0, 100);
	expect("RSTO", "ShAR");
}

/* RSTR: "Responder sent a RST." */
static void test_rstr_responder_resets(void)
{
	fresh();
	handshake();
	seg(&C, 0, TCP_RST | TCP_ACK, 1, 1, 0, 0, 100);
	expect("RSTR", "ShAr");
}

/* RSTOS0: "Originator sent a SYN followed by a RST, we never saw a SYN-ACK from the responder." */
static void test_rstos0_syn_then_rst_without_syn_ack(void)
{
	fresh();
	syn(&C, 1, 0, 7, 0);
	seg(&C, 1, TCP_RST, 1, 0, 0, 0, 100);
	expect("RSTOS0", "SR");
}

/* RSTRH: "Responder sent a SYN ACK followed by a RST, we never saw a SYN from the (purported) originator."
   The SYN-ACK's receiver is the originator; the first packet came from the responder: '^'. */
static void test_rstrh_syn_ack_then_rst_without_syn(void)
{
	fresh();
	syn(&C, 0, 1, 7, 0);
	seg(&C, 0, TCP_RST, 1, 0, 0, 0, 100);
	expect("RSTRH", "^hr");
}

/* SH: "Originator sent a SYN followed by a FIN, we never saw a SYN ACK from the responder (hence the
   connection was 'half' open)." */
static void test_sh_syn_then_fin_without_syn_ack(void)
{
	fresh();
	syn(&C, 1, 0, 7, 0);
	seg(&C, 1, TCP_FIN, 1, 0, 0, 512, 100);
	expect("SH", "SF");
}

/* SHR: "Responder sent a SYN ACK followed by a FIN, we never saw a SYN from the originator." */
static void test_shr_syn_ack_then_fin_without_syn(void)
{
	fresh();
	syn(&C, 0, 1, 7, 0);
	seg(&C, 0, TCP_FIN | TCP_ACK, 1, 1, 0, 512, 100);
	expect("SHR", "^hf");
}

/* OTH: "No SYN seen, just midstream traffic (one example of this is a 'partial connection' that was not
   later closed)." Once from the client's side, once with the server's packet first. */
static void test_oth_midstream_without_syn(void)
{
	fresh();
	seg(&C, 1, TCP_ACK | TCP_PSH, 100, 100, 10, 512, 0);
	seg(&C, 0, TCP_ACK, 100, 110, 0, 512, 100);
	expect("OTH", "Da");
	CU_ASSERT_TRUE(C.r.flow->client_guessed);
	fresh();
	seg(&C, 0, TCP_ACK | TCP_PSH, 100, 100, 10, 512, 0);
	seg(&C, 1, TCP_ACK, 100, 110, 0, 512, 100);
	expect("OTH", "^dA");
}

/* UDP: both ends sent (SF), only the originator (S0); D/d once per end. ICMP: OTH, no history. */
static void test_udp_and_icmp_states(void)
{
	fresh();
	udp(&C, 1, 20, 0);
	udp(&C, 1, 20, 10);
	expect("S0", "D");
	udp(&C, 0, 40, 10);
	udp(&C, 0, 40, 10);
	expect("SF", "Dd");
	fresh();
	echo(&C, 1, 5, 1, 0);
	echo(&C, 0, 5, 1, 100);
	expect("OTH", "");
}

/* ---- the history's rules ---- */

/* Upper case for the originator, lower for the responder; a, d (and A, D) once per end however many. */
static void test_history_case_and_letters_recorded_once(void)
{
	fresh();
	handshake();
	for (uint32_t i = 0; i < 5; i++) {
		seg(&C, 1, TCP_ACK | TCP_PSH, 1 + 10 * i, 1 + 20 * i, 10, 512, 100);
		seg(&C, 0, TCP_ACK | TCP_PSH, 1 + 20 * i, 11 + 10 * i, 20, 512, 100);
		seg(&C, 1, TCP_ACK, 11 + 10 * i, 21 + 20 * i, 0, 512, 100);
		seg(&C, 0, TCP_ACK, 21 + 20 * i, 11 + 10 * i, 0, 512, 100);
	}
	expect("S1", "ShADda");
}

/* t/T: a retransmission is recorded at its 1st, 10th and 100th occurrence ("ttt" means 100 to 999). */
static void test_retransmissions_are_recorded_at_1_10_and_100(void)
{
	fresh();
	handshake();
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 10, 512, 100);
	static const struct {
		int upto;
		const char *history;
	} steps[] = { { 1, "ShADT" }, { 9, "ShADT" }, { 10, "ShADTT" }, { 99, "ShADTT" }, { 100, "ShADTTT" },
		      { 300, "ShADTTT" } };
	int sent = 0;
	for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
		for (; sent < steps[k].upto; sent++)
			seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 10, 512, 1000);
		expect("S1", steps[k].history);
	}
}

/* w/W: a zero window at its 1st and 10th occurrence; not counted after the peer's FIN. */
static void test_zero_windows_recorded_at_1_and_10_not_after_peer_fin(void)
{
	fresh();
	handshake();
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 10, 512, 100);
	seg(&C, 0, TCP_ACK, 1, 11, 0, 0, 100);
	expect("S1", "ShADaw");
	for (int i = 0; i < 9; i++)
		seg(&C, 0, TCP_ACK, 1, 11, 0, 0, 100);
	expect("S1", "ShADaww");
	seg(&C, 1, TCP_FIN | TCP_ACK, 11, 1, 0, 512, 100);
	for (int i = 0; i < 100; i++)
		seg(&C, 0, TCP_ACK, 1, 12, 0, 0, 100);
	expect("S2", "ShADawwF");
}

/* F repeats only when the FIN's sequence number (after its data) changes; a resent FIN adds nothing. */
static void test_fin_repeats_only_with_a_new_sequence_number(void)
{
	fresh();
	handshake();
	seg(&C, 1, TCP_FIN | TCP_ACK, 1, 1, 0, 512, 100);
	seg(&C, 1, TCP_FIN | TCP_ACK, 1, 1, 0, 512, 100);
	expect("S2", "ShAF");
	seg(&C, 1, TCP_FIN | TCP_ACK | TCP_PSH, 1, 1, 4, 512, 100);
	expect("S2", "ShAFF");
}

/* R repeats only when the RST's sequence number changes. */
static void test_rst_repeats_only_with_a_new_sequence_number(void)
{
	fresh();
	handshake();
	seg(&C, 0, TCP_RST, 1, 0, 0, 0, 100);
	seg(&C, 0, TCP_RST, 1, 0, 0, 0, 100);
	expect("RSTR", "ShAr");
	seg(&C, 0, TCP_RST, 2, 0, 0, 0, 100);
	expect("RSTR", "ShArr");
}

/* I: FIN and RST together; Q: SYN with FIN (or RST). */
static void test_fin_rst_is_i_and_syn_fin_is_q(void)
{
	fresh();
	handshake();
	seg(&C, 1, TCP_FIN | TCP_RST | TCP_ACK, 1, 1, 0, 0, 100);
	expect("RSTO", "ShAI");
	fresh();
	seg(&C, 1, TCP_SYN | TCP_FIN, 0, 0, 0, 512, 0);
	expect("SH", "Q");
}

/* g/G: an ACK for data the capture never saw is a content gap in the sender's data: its letter. */
static void test_content_gap_is_the_data_senders_letter(void)
{
	fresh();
	handshake();
	seg(&C, 1, TCP_ACK | TCP_PSH, 1, 1, 100, 512, 100);
	seg(&C, 0, TCP_ACK, 1, 201, 0, 512, 100); /* bytes 101..200 passed the capture point unseen */
	seg(&C, 0, TCP_ACK, 1, 201, 0, 512, 100); /* the same ACK again reveals nothing new */
	expect("S1", "ShADaG");
}

/* At most 16 letters are kept: later ones are dropped and the loss is reported. */
static void test_history_keeps_its_first_16_letters(void)
{
	fresh();
	handshake();
	for (uint32_t i = 1; i <= 20; i++)
		seg(&C, 1, TCP_RST, i, 0, 0, 0, 100);
	char h[ZEEK_HISTORY_MAX + 1];
	bool lost = false;
	CU_ASSERT_EQUAL(zeek_history(&C.r.flow->zeek, h, &lost), 16);
	CU_ASSERT_STRING_EQUAL(h, "ShARRRRRRRRRRRRR");
	CU_ASSERT_TRUE(lost);
	CU_ASSERT_STRING_EQUAL(zeek_conn_state(C.r.flow), "RSTO");
}

int register_test_zeek(void)
{
	CU_pSuite s = CU_add_suite("zeek", fixture_table_setup, fixture_table_teardown);
	if (!s)
		return 1;
	if (!CU_add_test(s, "S0", test_s0_attempt_without_reply) ||
	    !CU_add_test(s, "S1", test_s1_established_not_terminated) ||
	    !CU_add_test(s, "SF", test_sf_normal_establishment_and_termination) ||
	    !CU_add_test(s, "REJ", test_rej_attempt_rejected) ||
	    !CU_add_test(s, "S2", test_s2_originator_closes_responder_does_not) ||
	    !CU_add_test(s, "S3", test_s3_responder_closes_originator_does_not) ||
	    !CU_add_test(s, "RSTO", test_rsto_originator_aborts) ||
	    !CU_add_test(s, "RSTR", test_rstr_responder_resets) ||
	    !CU_add_test(s, "RSTOS0", test_rstos0_syn_then_rst_without_syn_ack) ||
	    !CU_add_test(s, "RSTRH", test_rstrh_syn_ack_then_rst_without_syn) ||
	    !CU_add_test(s, "SH", test_sh_syn_then_fin_without_syn_ack) ||
	    !CU_add_test(s, "SHR", test_shr_syn_ack_then_fin_without_syn) ||
	    !CU_add_test(s, "OTH", test_oth_midstream_without_syn) ||
	    !CU_add_test(s, "UDP SF/S0, ICMP OTH", test_udp_and_icmp_states) ||
	    !CU_add_test(s, "case, once per end", test_history_case_and_letters_recorded_once) ||
	    !CU_add_test(s, "t at 1, 10, 100", test_retransmissions_are_recorded_at_1_10_and_100) ||
	    !CU_add_test(s, "w at 1, 10, not after FIN", test_zero_windows_recorded_at_1_and_10_not_after_peer_fin) ||
	    !CU_add_test(s, "F repeats with a new seq", test_fin_repeats_only_with_a_new_sequence_number) ||
	    !CU_add_test(s, "R repeats with a new seq", test_rst_repeats_only_with_a_new_sequence_number) ||
	    !CU_add_test(s, "I and Q", test_fin_rst_is_i_and_syn_fin_is_q) ||
	    !CU_add_test(s, "gap: the sender's letter", test_content_gap_is_the_data_senders_letter) ||
	    !CU_add_test(s, "16 letters kept", test_history_keeps_its_first_16_letters))
		return 1;
	return 0;
}
