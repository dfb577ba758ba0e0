/* scenario_lossy.h — the lossy scenario (a bulk transfer through segment loss), run from scenario.c's table. */
#ifndef SOCKDEMO_SCENARIO_LOSSY_H
#define SOCKDEMO_SCENARIO_LOSSY_H

#include "scenario_kit.h"

/* The client sends 16 MiB to the server, whose socket filter drops 1% of the data segments. */
int scenario_lossy(struct scen_ctx *x);

#endif
