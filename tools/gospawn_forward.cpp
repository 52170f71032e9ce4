// SPDX-License-Identifier: BSD-3-Clause
// gospawn's signal forwarding (see gospawn_forward.hpp).
#include "tools/gospawn_forward.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstring>

#include "syscall/internal/sigset.hpp"
#include "syscall/syscall.hpp"

namespace gospawn {

namespace gs = go::syscall;

namespace {

// The child's pid: 0 while not yet known, -1 once forwarding has stopped.
std::atomic<int> child{0};
// How many of each signal arrived while child == 0 (real-time signals
// queue, so each one counts).
std::atomic<unsigned> pending[gs::NSIG_];
// The signals whose handler is installed.
sigset_t installed;
// gospawn's pid, read once: the handler tells its own signals by it.
pid_t self;

static_assert(std::atomic<int>::is_always_lock_free && std::atomic<unsigned>::is_always_lock_free,
              "the handler needs lock-free atomics to be async-signal-safe");

// The signals the kernel raises for a fault of the thread itself.
bool isFault(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP ||
         sig == SIGSYS;
}

// own tells a signal that is gospawn's own business, not PROGRAM's: a fault
// (si_code > 0: the kernel's, where kill and sigqueue give SI_USER or a
// negative code) or one gospawn sent itself (si_pid is valid for those).
bool own(int sig, const siginfo_t& info) {
  if (isFault(sig) && info.si_code > 0) return true;
  return info.si_code <= 0 && info.si_pid == self;
}

// onSignal runs as the handler. Everything in it is async-signal-safe:
// gs::Kill is one raw system call that leaves errno alone, sigaction and
// raise are on POSIX's list, the atomics are lock-free.
void onSignal(int sig, siginfo_t* info, void*) {
  if (info != nullptr && own(sig, *info)) {
    if (sig == SIGPIPE) return;  // the write that raised it fails with EPIPE instead
    // Take the default action, once the handler returns (sig is blocked
    // until then): a fault crashes gospawn, abort's SIGABRT ends it.
    struct sigaction dfl = {};
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, nullptr);
    raise(sig);
    return;
  }
  if (!Forwarded(sig)) return;  // SIGTTIN, SIGTTOU: caught only so that they cannot stop gospawn
  const int pid = child.load();
  if (pid > 0)
    (void)gs::Kill(pid, gs::Signal{sig});
  else if (pid == 0)
    pending[sig].fetch_add(1);
}

// The kernel's sigset_t, which begins glibc's (both are arrays of unsigned
// long, signal n at bit n-1; glibc's is longer).
gs::detail::Sigset kernelSet(const sigset_t& set) {
  gs::detail::Sigset bits;
  static_assert(sizeof bits <= sizeof set);
  std::memcpy(&bits, &set, sizeof bits);
  return bits;
}

// setMask is rt_sigprocmask itself. glibc's sigprocmask drops 32 and 33
// from any set it is given: restoring a mask through it would unblock the
// two that HoldOwnSignals blocks.
gs::detail::Sigset setMask(gs::uintptr how, const gs::detail::Sigset& bits) {
  gs::detail::Sigset old{};
  gs::RawSyscall6(gs::SYS_RT_SIGPROCMASK, how, gs::uintptr(&bits), gs::uintptr(&old),
                  gs::detail::kSigsetSize, 0, 0);
  return old;
}

// Blocked blocks the installed signals for its lifetime.
class Blocked {
 public:
  Blocked() : old_(setMask(gs::SIG_BLOCK_, kernelSet(installed))) {}
  ~Blocked() { setMask(gs::SIG_SETMASK_, old_); }
  Blocked(const Blocked&) = delete;
  Blocked& operator=(const Blocked&) = delete;

 private:
  gs::detail::Sigset old_;
};

}  // namespace

bool Forwarded(int sig) {
  return sig > 0 && sig < int(gs::NSIG_) && sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD &&
         sig != SIGTTIN && sig != SIGTTOU;
}

void InstallForwarding() {
  self = getpid();
  // Every catchable signal but SIGCHLD: those Forwarded names, and SIGTTIN
  // and SIGTTOU, which are caught to be dropped. sigaction refuses glibc's
  // 32 and 33, which are skipped so.
  sigemptyset(&installed);
  struct sigaction old;
  for (int sig = 1; sig < int(gs::NSIG_); sig++) {
    if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD) continue;
    if (sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) continue;
    sigaddset(&installed, sig);
  }
  struct sigaction sa = {};
  sa.sa_sigaction = onSignal;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sa.sa_mask = installed;  // no nesting: a handler runs to its end first
  for (int sig = 1; sig < int(gs::NSIG_); sig++)
    if (sigismember(&installed, sig) == 1) sigaction(sig, &sa, nullptr);
}

void BlockForwarded(sigset_t* old) { sigprocmask(SIG_BLOCK, &installed, old); }

void ForwardTo(int pid) {
  Blocked blocked;
  child.store(pid);
  for (int sig = 1; sig < int(gs::NSIG_); sig++)
    for (unsigned n = pending[sig].exchange(0); n > 0; n--) (void)gs::Kill(pid, gs::Signal{sig});
}

void HoldOwnSignals(const sigset_t& mask) {
  gs::detail::Sigset bits = kernelSet(mask);
  for (int sig : {SIGTTIN, SIGTTOU, 32, 33}) gs::detail::sigsetAdd(bits, sig);
  setMask(gs::SIG_SETMASK_, bits);
}

void StopForwarding() {
  Blocked blocked;
  child.store(-1);
}

}  // namespace gospawn
