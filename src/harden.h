/* harden: what the process does so its secrets stay in it: no core dumps and no ptrace peeking
 * by other processes of the user (PR_SET_DUMPABLE 0, RLIMIT_CORE 0), and a terminal put back
 * to normal by the fatal signals (SIGQUIT, SIGSEGV, SIGABRT...) before the process dies. */
#ifndef KT_HARDEN_H
#define KT_HARDEN_H

#include <stdbool.h>

/* Turns core dumps off for the whole process; every command may hold a secret or a KS. */
void harden_process(void);
/* Saves the terminal state of fd (call before curses changes it); from then on a fatal signal
 * restores it, leaves the alternate screen, stops mouse reporting and shows the cursor, then
 * dies of the signal as it would have. */
void harden_guard_terminal(int fd);
/* Normal exit: the guard is no longer needed. */
void harden_unguard_terminal(void);

#endif
