/* fuzz_decode.h — the fuzz input format shared by the libFuzzer harness and the seed/regression tool. */
#ifndef SYNWATCH_FUZZ_DECODE_H
#define SYNWATCH_FUZZ_DECODE_H

/*
 * One fuzz input is one captured packet behind a 4-byte header (16 bytes with FZ_WILD_TIME):
 *   byte 0     link-type selector: fuzz_linktypes[byte0 % FUZZ_NLINKTYPES]
 *   byte 1     FZ_* flags below
 *   bytes 2-3  d, big-endian: the on-the-wire length is caplen + d (or caplen - d with FZ_LEN_BELOW,
 *              which a damaged capture file can claim; libpcap passes it through)
 *   [FZ_WILD_TIME: bytes 4-11 ts_sec as a big-endian int64, bytes 12-15 ts_nsec big-endian: any value a
 *              pcapng if_tsoffset or a damaged pcap header can produce]
 *   the rest   the packet bytes (caplen = what is left)
 * Timestamps otherwise rise from one input to the next by the FZ_STEP_* amount, so that the flow table
 * (kept across inputs) sees idle timeouts, evictions and port reuse as in a long capture.
 */
enum {
	FZ_NANO = 1u << 0,        /* views print nanoseconds */
	FZ_STEP_SHIFT = 1,        /* bits 1-2: 0 +1 ms, 1 +1 us, 2 +1 s, 3 +400 s (past every idle timeout) */
	FZ_STEP_MASK = 3u << 1,
	FZ_LEN_BELOW = 1u << 3,   /* wire length = caplen - d (not below 0) */
	FZ_WILD_TIME = 1u << 4,   /* 12 bytes of timestamp follow the header; the clock continues from it */
	FZ_BACKWARDS = 1u << 5,   /* the step goes back in time (captures merged out of order do) */
};

#define FZ_HDR_LEN 4
#define FZ_WILD_LEN 12

/* The link types synwatch decodes (DLT_* values as pcap_datalink() returns them), then one it does not. */
static const int fuzz_linktypes[] = {
	1,   /* EN10MB */
	0,   /* NULL */
	108, /* LOOP */
	113, /* LINUX_SLL */
	276, /* LINUX_SLL2 */
	12,  /* RAW */
	14,  /* RAW (OpenBSD) */
	101, /* LINKTYPE_RAW */
	228, /* IPV4 */
	229, /* IPV6 */
	9,   /* PPP: unsupported, shown as "unsupported link type PPP" */
};
#define FUZZ_NLINKTYPES (sizeof fuzz_linktypes / sizeof fuzz_linktypes[0])

#endif
