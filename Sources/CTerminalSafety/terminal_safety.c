#include "terminal_safety.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved_modes;
static int saved_fd = -1;
static char reset_sequence[256];
static size_t reset_length;
static volatile sig_atomic_t quit_requested;

int descent_terminal_save_modes(int fd) {
    if (tcgetattr(fd, &saved_modes) != 0) return -1;
    saved_fd = fd;
    return 0;
}

void descent_terminal_set_reset_sequence(const char *bytes, size_t length) {
    if (length >= sizeof reset_sequence) length = sizeof reset_sequence - 1;
    memcpy(reset_sequence, bytes, length);
    reset_length = length;
}

void descent_terminal_restore_now(void) {
    if (saved_fd >= 0) tcsetattr(saved_fd, TCSANOW, &saved_modes);
    size_t done = 0;
    while (done < reset_length) {
        ssize_t n = write(STDOUT_FILENO, reset_sequence + done, reset_length - done);
        if (n <= 0) break;
        done += (size_t)n;
    }
}

static void write_all(const char *text) {
    size_t length = strlen(text), done = 0;
    while (done < length) {
        ssize_t n = write(STDERR_FILENO, text + done, length - done);
        if (n <= 0) break;
        done += (size_t)n;
    }
}

static const char *signal_name(int number) {
    switch (number) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGABRT: return "SIGABRT";
    case SIGTRAP: return "SIGTRAP";
    default: return "a signal";
    }
}

static void on_crash(int number) {
    descent_terminal_restore_now();
    write_all("descent stopped on ");
    write_all(signal_name(number));
    write_all(": a bug in Descent, not in what you typed. The terminal is restored and your "
              "commands are in ~/.descent_history.\n");
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(number, &fallback, NULL);
    raise(number);
}

static void on_quit(int number) {
    (void)number;
    quit_requested = 1;
}

void descent_terminal_install_handlers(void) {
    // A stack overflow's SIGSEGV cannot run on the overflowed stack.
    static char alternate[1 << 16];
    stack_t stack = { .ss_sp = alternate, .ss_size = sizeof alternate, .ss_flags = 0 };
    sigaltstack(&stack, NULL);

    struct sigaction crash;
    memset(&crash, 0, sizeof crash);
    crash.sa_handler = on_crash;
    crash.sa_flags = SA_ONSTACK | SA_NODEFER;
    sigemptyset(&crash.sa_mask);
    const int crashes[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
    for (size_t i = 0; i < sizeof crashes / sizeof crashes[0]; i++) sigaction(crashes[i], &crash, NULL);

    struct sigaction quit;
    memset(&quit, 0, sizeof quit);
    quit.sa_handler = on_quit;
    quit.sa_flags = SA_RESTART;
    sigemptyset(&quit.sa_mask);
    const int quits[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };
    for (size_t i = 0; i < sizeof quits / sizeof quits[0]; i++) sigaction(quits[i], &quit, NULL);
}

int descent_terminal_quit_requested(void) { return quit_requested; }
void descent_terminal_request_quit(void) { quit_requested = 1; }
