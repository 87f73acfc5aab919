#include "harden.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

void harden_process(void)
{
	struct rlimit none = {0, 0};
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

static const int fatal[] = {SIGQUIT, SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS};
static struct termios saved;
static int guard_fd = -1;

/* Only async-signal-safe calls: tcsetattr, write, sigaction, raise. */
static void on_fatal(int sig)
{
	/* mouse reporting off, leave the alternate screen, attributes off, cursor on */
	static const char reset[] = "\033[?1000l\033[?1002l\033[?1003l\033[?1006l\033[?2004l"
				    "\033[?1049l\033[0m\033[?25h\r\n";
	if (guard_fd >= 0) {
		tcsetattr(guard_fd, TCSAFLUSH, &saved);
		ssize_t n = write(guard_fd, reset, sizeof reset - 1);
		(void)n;
	}
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL);
	raise(sig);
}

void harden_guard_terminal(int fd)
{
	if (tcgetattr(fd, &saved))
		return;
	guard_fd = fd;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
}

void harden_unguard_terminal(void)
{
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &dfl, NULL);
	guard_fd = -1;
}
