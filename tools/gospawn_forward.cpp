// gospawn's signal forwarding (see gospawn_forward.hpp).
#include "tools/gospawn_forward.hpp"

#include <signal.h>

#include <atomic>

#include "syscall/syscall_linux.hpp"

namespace gospawn {

namespace gs = go::syscall;

namespace {

constexpr int kForwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};

// The child's pid: 0 while not yet known, -1 once forwarding has stopped.
std::atomic<int> child{0};
// Signals received while child == 0, one bit per signal number.
std::atomic<unsigned> pending{0};
// The forwarded signals whose handler is installed.
sigset_t installed;

static_assert(std::atomic<int>::is_always_lock_free && std::atomic<unsigned>::is_always_lock_free,
              "the handler needs lock-free atomics to be async-signal-safe");
static_assert(SIGTERM < 32 && SIGINT < 32 && SIGHUP < 32 && SIGQUIT < 32, "one bit per signal");

// onSignal runs as the handler. gs::Kill is one raw system call and leaves
// errno alone, so it is async-signal-safe.
void onSignal(int sig) {
  const int pid = child.load();
  if (pid > 0)
    gs::Kill(pid, gs::Signal{sig});
  else if (pid == 0)
    pending.fetch_or(1u << sig);
}

// Blocked blocks the installed signals for its lifetime.
class Blocked {
 public:
  Blocked() { sigprocmask(SIG_BLOCK, &installed, &old_); }
  ~Blocked() { sigprocmask(SIG_SETMASK, &old_, nullptr); }
  Blocked(const Blocked&) = delete;
  Blocked& operator=(const Blocked&) = delete;

 private:
  sigset_t old_;
};

}  // namespace

void InstallForwarding() {
  sigemptyset(&installed);
  struct sigaction sa = {};
  sa.sa_handler = onSignal;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (int sig : kForwarded) sigaddset(&sa.sa_mask, sig);  // no nesting

  for (int sig : kForwarded) {
    struct sigaction old;
    sigaction(sig, nullptr, &old);
    if (old.sa_handler == SIG_IGN) continue;
    sigaction(sig, &sa, nullptr);
    sigaddset(&installed, sig);
  }
}

void ForwardTo(int pid) {
  Blocked blocked;
  child.store(pid);
  const unsigned sigs = pending.exchange(0);
  for (int sig : kForwarded)
    if (sigs & (1u << sig)) gs::Kill(pid, gs::Signal{sig});
}

void StopForwarding() {
  Blocked blocked;
  child.store(-1);
}

}  // namespace gospawn
