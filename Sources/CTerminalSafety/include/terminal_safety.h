#ifndef DESCENT_TERMINAL_SAFETY_H
#define DESCENT_TERMINAL_SAFETY_H

#include <stddef.h>

// Gives the terminal back when the workbench dies of a signal, using only async-signal-safe
// calls (POSIX.1-2017 §2.4.3: tcsetattr, write, sigaction, raise): the terminal modes saved
// before ncurses changed them are written back, then the reset sequences the terminal's own
// terminfo entry gave at start-up, then the signal is re-raised with its default action.
// ncurses' endwin() is not async-signal-safe (it takes locks and allocates), so the crash
// path never calls it. SIGTERM, SIGHUP, SIGINT and SIGQUIT only set a flag the main loop reads.

/// Saves the terminal modes of `fd` (before ncurses starts). Returns 0, or -1 if `fd` is not a terminal.
int descent_terminal_save_modes(int fd);

/// The bytes written to the terminal on a crash (exit the alternate screen, show the cursor,
/// plain attributes...). Copied; at most 255 bytes are kept.
void descent_terminal_set_reset_sequence(const char *bytes, size_t length);

/// Installs the handlers: crashes (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP) restore the
/// terminal and re-raise, on an alternate stack so a stack overflow is handled too; SIGTERM,
/// SIGHUP, SIGINT and SIGQUIT request a clean quit.
void descent_terminal_install_handlers(void);

/// True once SIGTERM, SIGHUP, SIGINT or SIGQUIT arrived (or `descent_terminal_request_quit`).
int descent_terminal_quit_requested(void);
void descent_terminal_request_quit(void);

/// What a crash does first, callable outside a signal handler (tests): modes back, sequence written.
void descent_terminal_restore_now(void);

#endif
