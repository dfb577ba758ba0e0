/* fuzz_decode.h — the fuzz input format shared by the libFuzzer harness and the seed/regression tool. */
#ifndef SYNWATCH_FUZZ_DECODE_H
#define SYNWATCH_FUZZ_DECODE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * One fuzz input is one captured packet behind a 4-byte header (16 bytes with FZ_WILD_TIME):
 *   byte 0     link-type selector: fuzz_linktypes[byte0 % FUZZ_NLINKTYPES]
 *   byte 1     FZ_* flags below
 *   bytes 2-3  d, big-endian: the on-the-wire length is caplen + d (or caplen - d with FZ_LEN_BELOW,
 *              which a damaged capture file can claim; libpcap passes it through)
 *   [FZ_WILD_TIME: bytes 4-11 ts_sec as a big-endian int64, bytes 12-15 ts_nsec big-endian: any value a
 *              pcapng if_tsoffset or a damaged pcap header can produce]
 *   the rest   the packet bytes (caplen = what is left), or with FZ_MULTI several length-prefixed packets
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
	FZ_MULTI = 1u << 6,       /* the rest is several packets (the harness takes the first 64), each as a
	                             big-endian 16-bit length and its bytes, one clock step apart */
};

#define FZ_HDR_LEN 4
#define FZ_WILD_LEN 12
#define FZ_MULTI_MAX 64 /* packets taken from one FZ_MULTI input; the rest is ignored */

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

#define FZ_CLOCK_START 1700000000 /* the clock's first second (before the first step) */

/* Advance (or take back) the capture clock by FZ_STEP_* class `step`, wrapping in unsigned arithmetic. */
static inline void fz_clock_step(int64_t *sec, uint32_t *nsec, unsigned step, bool backwards)
{
	static const uint64_t step_ns[4] = { 1000000ull, 1000ull, 1000000000ull, 400000000000ull };
	uint64_t ns = step_ns[step & 3];
	uint64_t s = ns / 1000000000ull, frac = ns % 1000000000ull;
	uint64_t n = *nsec % 1000000000u;
	if (!backwards) {
		n += frac;
		s += n / 1000000000ull;
		*nsec = (uint32_t)(n % 1000000000ull);
		*sec = (int64_t)((uint64_t)*sec + s);
	} else {
		if (n < frac) {
			n += 1000000000ull;
			s++;
		}
		*nsec = (uint32_t)(n - frac);
		*sec = (int64_t)((uint64_t)*sec - s);
	}
}

#endif
