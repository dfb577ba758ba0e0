/* main.c — synwatch: command line, capture source, pipeline loop (skeleton, being written). */
#include <stdio.h>

int main(void)
{
	fputs("synwatch: not built yet\n", stderr);
	return 1;
}
