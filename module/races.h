/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flag-race detector: probes on the non-atomic writes of page flags
 * words that the site table's inventory lists ("race" lines).
 *   echo races=on > control    arm them (a table must be staged)
 *   echo races=all > control   the atomic writers too: a lost update then
 *                              names the writer it lost (costs more)
 *   echo races=off > control   disarm
 *   cat races                  every writer, its state and its counts
 * At a write (one instruction, or a pair's store): "flag-race" when the
 * folio can be reached by other CPUs (mapped, on the LRU, or referenced
 * beyond its writer), once per site per arming.  At a pair's store:
 * "flag-lost" when a bit another CPU changed since the load is stored back.
 */
#ifndef MAPSHADOW_RACES_H
#define MAPSHADOW_RACES_H

#include <linux/seq_file.h>
#include <linux/types.h>

int ms_races_arm(bool all);
/*
 * widen=US: every non-atomic writer holds its window open US microseconds
 * (a pair between its load and store); a foreign change in it is reported.
 * replay=on (test mode): the writers of PG_partially_mapped become the
 * plain load and store that 6.12.0-6.12.6 shipped.
 */
void ms_races_set_widen(unsigned int us);
unsigned int ms_races_widen_us(void);
int ms_races_replay(bool on);
void ms_races_disarm(void);
bool ms_races_armed(void);
void ms_races_show(struct seq_file *m);
void ms_races_exit(void);

#endif /* MAPSHADOW_RACES_H */
