/* batch.h — the batch mode: packets to text or JSON lines (or only counters, flows, ladders) as fast as they come. */
#ifndef SYNWATCH_BATCH_H
#define SYNWATCH_BATCH_H

#include "app/cli.h"
#include "app/handout.h"
#include "source/pipeline.h"
#include "view/obuf.h"

/* Read the pipeline to its end (or a stop signal, or a closed stdout), one line per packet to out unless
   --stats or a picture replaces them (cli_per_packet), each packet to the handout h (may be NULL), then
   what report_end() prints and writes. Returns an exit code. */
int batch_run(struct pipeline *pl, const struct config *c, struct obuf *out, struct handout *h);

#endif
