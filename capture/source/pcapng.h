/* pcapng.h — the pcapng block parser over the capture-file buffer (capbuf.h): sections, interfaces, packets, statistics. */
#ifndef SYNWATCH_PCAPNG_H
#define SYNWATCH_PCAPNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source/capbuf.h"
#include "packet.h"

/* Bits of pcapng_stats.have: which counters the interface's last statistics block gave. */
enum {
	PCAPNG_ISB_IFRECV = 1u << 0,       /* isb_ifrecv: packets the interface received */
	PCAPNG_ISB_IFDROP = 1u << 1,       /* isb_ifdrop: dropped by the interface for lack of resources */
	PCAPNG_ISB_FILTERACCEPT = 1u << 2, /* isb_filteraccept: accepted by the capture filter */
	PCAPNG_ISB_OSDROP = 1u << 3,       /* isb_osdrop: dropped by the operating system */
	PCAPNG_ISB_USRDELIV = 1u << 4,     /* isb_usrdeliv: delivered to the capturing program */
};

/* An interface's counters from its last interface statistics block (pcapng §4.6; they are cumulative). */
struct pcapng_stats {
	uint32_t blocks;          /* statistics blocks read for the interface */
	uint32_t have;            /* PCAPNG_ISB_* bits */
	uint64_t ifrecv, ifdrop, filteraccept, osdrop, usrdeliv;
};

/* An interface as the file describes it (pcapng §4.2), and what was read of it. */
struct pcapng_iface {
	struct pkt_iface pub;     /* what its packets point at (section-local index, link type, name) */
	char *name;               /* pub.name's storage (owned) */
	uint32_t section;         /* the section describing it, from 0 */
	uint32_t snaplen;         /* the block's snapshot length; 0: none */
	uint64_t packets;         /* packet blocks read for it so far */
	struct pcapng_stats stats;
	/* Its clock (if_tsresol, if_tsoffset): a timestamp t is t / div seconds and the rest times mul (or
	   divided by ndiv) nanoseconds; pow2: 2^-exp units (div = 0 when a second is beyond 64 bits). */
	bool pow2;
	uint8_t exp;              /* the resolution's exponent: 10^-exp or 2^-exp seconds */
	uint64_t div, ndiv;
	uint32_t mul;
	int64_t tsoffset;         /* seconds added to every timestamp */
};

/* Outcomes of pcapng_next besides 1 (a record) and 0 (the clean end of the file). */
enum {
	PCAPNG_FULL = CAPBUF_FULL,   /* the records held leave no room: release some, then ask again */
	PCAPNG_BAD = -2,             /* the file is damaged, cut short or unreadable: pcapng_error() */
	PCAPNG_AGAIN = CAPBUF_AGAIN, /* a pipe has no bytes yet */
};

/* What went wrong (PCAPNG_BAD). */
enum pcapng_fault {
	PCAPNG_DAMAGED = 1, /* a block breaks the format */
	PCAPNG_CUT,         /* the file ends inside a block */
	PCAPNG_UNREADABLE,  /* a read failed */
};

/* A packet block's largest captured length (libpcap's and tshark's limit for ordinary link types). */
#define PCAPNG_MAX_CAPLEN 262144u
/* The largest block read whole (every other block type is passed over, whatever its length). */
#define PCAPNG_MAX_BLOCK (2u << 20)
/* The most interfaces a file may describe (each costs memory). */
#define PCAPNG_MAX_IFACES 65536u

/*
 * synwatch's own custom blocks (pcapng §4.8, type 0x00000BAD or 0x40000BAD): a lesson's socket calls and
 * socket-table changes (capture/calls/lesson.h says what their data holds). synwatch has no Private
 * Enterprise Number of its own: it uses 32473, which RFC 5612 reserves for examples and documentation,
 * and its data starts with a tag of its own. The reader keeps the data of those it meets, in file order,
 * until they are taken (pcapng_custom_next) or it is told nobody will (pcapng_custom_off).
 */
#define PCAPNG_PEN_SYNWATCH 32473u
#define PCAPNG_CUSTOM_MAX 65536u        /* the longest custom data kept (a longer block is passed over) */
#define PCAPNG_CUSTOM_HELD (4u << 20)   /* custom data held at most; blocks past that are left out (counted) */

struct pcapng;

/*
 * Read the pcapng file whose first bytes (from offset 0) *b holds; *b is taken over (also on failure).
 * The section header must be sound: else NULL with the reason in err (e.g. "section header block at
 * offset 0: version 2.0, not 1.0"). The blocks before the first packet are read now (so the interfaces
 * described up front are known); a problem among them is reported by the first pcapng_next().
 */
struct pcapng *pcapng_attach(struct capbuf *b, char *err, size_t errlen);

/* The next packet (EPB, SPB or the obsolete PB): 1 with *r filled (ts_frac in nanoseconds), 0 at the end,
   else PCAPNG_FULL, PCAPNG_BAD (and on every call after) or PCAPNG_AGAIN. */
int pcapng_next(struct pcapng *ng, struct caprec *r);

uint64_t pcapng_offset(const struct pcapng *ng);   /* of the next block */
void pcapng_release(struct pcapng *ng, uint64_t upto); /* as capbuf_release */

/* The interfaces described so far, over all sections, in file order (pointers stay valid until close). */
size_t pcapng_ifaces(const struct pcapng *ng);
const struct pcapng_iface *pcapng_iface(const struct pcapng *ng, size_t i);
uint32_t pcapng_sections(const struct pcapng *ng);

/* The oldest custom block of synwatch's PEN read and not yet taken: its custom data (after the PEN) in
   *data (len bytes, valid until the next call of pcapng_next or pcapng_custom_next) and its file offset.
   false when none waits. */
bool pcapng_custom_next(struct pcapng *ng, const uint8_t **data, size_t *len, uint64_t *offset);
/* Nobody takes them: drop those held and keep none from here on. */
void pcapng_custom_off(struct pcapng *ng);
/* Blocks left out because PCAPNG_CUSTOM_HELD bytes were waiting to be taken. */
uint64_t pcapng_custom_dropped(const struct pcapng *ng);

/* After PCAPNG_BAD: what is wrong, one line naming the block and its offset
   ("enhanced packet block at offset 1234: captured length 300 runs past the block's end (64 bytes)"). */
const char *pcapng_error(const struct pcapng *ng);
enum pcapng_fault pcapng_fault(const struct pcapng *ng);

/* At the end of the file, wait for more (PCAPNG_AGAIN) instead of ending: the file is still being written. */
void pcapng_follow(struct pcapng *ng);

void pcapng_close(struct pcapng *ng);

/* A LINKTYPE_* value as a file holds it, as the DLT_* value libpcap gives for it (pcap-linktype(7)), and back. */
int pcapng_linktype_to_dlt(int linktype);
int pcapng_dlt_to_linktype(int dlt);

#endif
