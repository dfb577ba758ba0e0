/* scenario.h — sockdemo's classroom scenarios role. */
#ifndef SOCKDEMO_SCENARIO_H
#define SOCKDEMO_SCENARIO_H

#include "role.h"

/* Runs the scenario called name ("all": each in turn), once or with o->loop again and again; returns an exit code. */
int scenario_run(const char *name, const struct sd_opts *o);
/* Prints the scenarios and what each shows (scenario --list). */
void scenario_list(void);

#endif
