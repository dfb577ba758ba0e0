/* pcapwrite.c — the one pcap file writer (libpcap's dumper behind a buffer flushed between records). */
#include "source/pcapwrite.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCAPW_BUF (1u << 20) /* the file's stdio buffer */

struct pcapw {
	pcap_dumper_t *dumper;
	pcap_t *dead;             /* the handle the header came from, when the writer made it (pcapw_open) */
	char *buf;                /* the stdio buffer (PCAPW_BUF bytes), NULL for standard output */
	size_t pending;           /* bytes written into it since the last flush */
};

struct pcapw *pcapw_open_like(struct pcap *like, const char *path, char *why, size_t whylen)
{
	struct pcapw *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(why, whylen, "%s", strerror(ENOMEM));
		return NULL;
	}
	if (strcmp(path, "-") == 0) {
		w->dumper = pcap_dump_open(like, path);
	} else {
		FILE *f = fopen(path, "wb");
		w->buf = f ? malloc(PCAPW_BUF) : NULL;
		if (f && (!w->buf || setvbuf(f, w->buf, _IOFBF, PCAPW_BUF) != 0)) {
			fclose(f);
			unlink(path);
			f = NULL;
			errno = ENOMEM;
		}
		if (!f) {
			snprintf(why, whylen, "%s", strerror(errno));
			free(w->buf);
			free(w);
			return NULL;
		}
		w->dumper = pcap_dump_fopen(like, f);
		if (!w->dumper) {
			fclose(f);
			unlink(path);
		}
	}
	if (!w->dumper) {
		snprintf(why, whylen, "%s", pcap_geterr(like));
		free(w->buf);
		free(w);
		return NULL;
	}
	pcap_dump_flush(w->dumper);
	return w;
}

struct pcapw *pcapw_open(const char *path, int linktype, int snaplen, bool nano, char *why, size_t whylen)
{
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(linktype, snaplen,
							    nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
	if (!dead) {
		snprintf(why, whylen, "%s", strerror(ENOMEM));
		return NULL;
	}
	struct pcapw *w = pcapw_open_like(dead, path, why, whylen);
	if (!w) {
		pcap_close(dead);
		return NULL;
	}
	w->dead = dead;
	return w;
}

void pcapw_write(struct pcapw *w, int64_t ts_sec, int64_t ts_frac, uint32_t caplen, uint32_t len,
		 const uint8_t *data)
{
	size_t rec = 16 + (size_t)caplen; /* record header and bytes, as the file holds them */
	if (w->buf && w->pending + rec > PCAPW_BUF)
		pcapw_flush(w);
	struct pcap_pkthdr h;
	memset(&h, 0, sizeof h);
	h.ts.tv_sec = (time_t)ts_sec;
	h.ts.tv_usec = (suseconds_t)ts_frac;
	h.caplen = caplen;
	h.len = len;
	pcap_dump((u_char *)w->dumper, &h, data);
	w->pending += rec;
}

bool pcapw_flush(struct pcapw *w)
{
	w->pending = 0;
	return pcap_dump_flush(w->dumper) == 0;
}

bool pcapw_close(struct pcapw *w)
{
	if (!w)
		return true;
	/* A failed flush on the way (the buffer filling) left the stream's error indicator set. */
	bool ok = pcapw_flush(w) && !ferror(pcap_dump_file(w->dumper));
	pcap_dump_close(w->dumper);
	free(w->buf); /* after the close that used it */
	if (w->dead)
		pcap_close(w->dead);
	free(w);
	return ok;
}
