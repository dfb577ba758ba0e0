/* floor.c — libpcap's floor for reading a capture: pcap_open_offline + pcap_loop with a callback that only counts. */
/*
 * Usage: floor FILE
 * Prints "N packets" on standard output. Exit codes: 0 read to the end, 1 read error, 2 bad command
 * line, 3 the file cannot be opened as a capture.
 */
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>

static void floor_count(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	(void)h;
	(void)bytes;
	(*(uint64_t *)(void *)user)++;
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	uint64_t n = 0;
	if (argc != 2) {
		fprintf(stderr, "usage: floor FILE (a pcap or pcapng capture to read)\n");
		return 2;
	}
	pcap_t *p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "floor: cannot read '%s': %s; give a pcap or pcapng file\n", argv[1], err);
		return 3;
	}
	int rc = pcap_loop(p, -1, floor_count, (u_char *)&n);
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "floor: reading '%s' failed after %" PRIu64 " packets: %s\n", argv[1], n, pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	printf("%" PRIu64 " packets\n", n);
	return 0;
}
