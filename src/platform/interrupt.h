/* Being asked to stop: Ctrl-C, SIGTERM, SIGHUP, a closing console. The
 * request only sets a flag; the executor looks at it between steps, lets the
 * running step finish and undoes the steps done. A second request prints
 * the message set with exhv_interrupt_set_message (what stopping now would
 * leave, and what to run); a third ends the process at once, removing the
 * temporary file being written, if any. SIGPIPE is ignored: a closed pipe
 * (exhv ... | head) fails the writes, not the plan. */
#ifndef EXHV_INTERRUPT_H
#define EXHV_INTERRUPT_H

/* Install the handlers (main does, once). */
void exhv_interrupt_install(void);
/* How many times stopping was asked since the last reset (0: never). */
int exhv_interrupt_requested(void);
/* As if Ctrl-C was pressed (tests, the GUI's Cancel). */
void exhv_interrupt_request(void);
void exhv_interrupt_reset(void);
/* The text a second request prints (copied; at most 1 KiB); NULL for a
 * generic one. */
void exhv_interrupt_set_message(const char *msg);

#endif
