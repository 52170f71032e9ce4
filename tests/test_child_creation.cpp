// SPDX-License-Identifier: BSD-3-Clause
// How the Linux child is created, observed from outside with ptrace (Linux
// backend only):
//
//   T (this test) ── fork ──> P ── ForkExec ──> G
//
// T attaches to P (PTRACE_SEIZE, following its children) before P calls
// ForkExec, so that both stop the moment G exists: P in the creation event,
// G before its first instruction. Then T reads what the kernel did:
//   - the event: PTRACE_EVENT_FORK, as for any child with exit signal
//     SIGCHLD made without CLONE_VFORK (which would keep P, and ForkLock,
//     in the clone until G's execve);
//   - shared memory (CLONE_VM): T writes a word in P's memory and reads it
//     back through G; a forked G has its own copy and still sees the old one;
//   - G's stack pointer: in the stack of P's calling thread, above P's own
//     stack pointer (in the frame of ForkExec's that keeps it for G), and
//     close to it.
// The fallbacks are forced with a seccomp filter in P: clone3 refused with
// ENOSYS (kernels before 5.3, container profiles), and clone with CLONE_VM
// refused with EINVAL (the library then forks). In those variants T queues
// SIGUSR1 on G (blocked there) whose handler in P reports on a pipe: G, which
// resets handlers itself on the plain-clone path, must die of it.
#include <elf.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/procfs.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include <sys/syscall.h>
#include <sys/wait.h>

#include <cstddef>

#include "exec_helpers.hpp"

using namespace th;

namespace {

// The word T writes in P and reads through G. Same address in both: G is
// P's clone, whatever the flags.
volatile long gMarker = 1;

struct Variant {
  gs::SysProcAttr sys;
  std::string argv0 = kProbe;
  bool refuseClone3 = false;  // seccomp: clone3 fails with ENOSYS
  bool refuseVm = false;      // seccomp: clone with CLONE_VM fails with EINVAL
  bool queueSignal = false;   // T queues SIGUSR1 on G before it runs
  bool measureStack = false;  // T measures how much of its stack G uses
};

struct Seen {
  std::string error;             // the harness failed; empty if not
  int event = -1;                // P's ptrace event at G's creation
  bool shared = false;           // G saw T's write into P's memory
  bool spInCallerStack = false;  // in P's [stack] mapping
  long spAboveCaller = 0;        // G's stack pointer minus P's, at the event
  long stackUsed = -1;           // bytes of its stack G used up to execve
  std::string forkExec;          // what ForkExec in P gave: "ok", or the Errno
  std::string gEnd;              // how G ended, as P's waitpid saw it
  std::string handler;           // what P's SIGUSR1 handler reported
};

// refuse installs, in P, a seccomp filter that makes clone3 fail with ENOSYS
// and, if vm, clone with CLONE_VM fail with EINVAL. Arguments are 64-bit in
// seccomp_data; the flags are in the low word of args[0] (little-endian
// arches only, which are all this port supports).
bool refuse(bool vm) {
  std::vector<sock_filter> f = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
  };
  if (vm) {
    f.insert(f.end(), {
                          BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3),
                          BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[0])),
                          BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_VM, 0, 1),
                          BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL),
                      });
  }
  f.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  sock_fprog prog{(unsigned short)f.size(), f.data()};
  return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
}

// parentSide is P: seccomp and a SIGUSR1 handler as asked, then, on T's
// go, ForkExec; it reports "ok"/the Errno, then how G ended, on result.
[[noreturn]] void parentSide(const Variant& v, Pipe& go, Pipe& report, Pipe& result) {
  go.w.reset();
  report.r.reset();
  result.r.reset();
  if ((v.refuseClone3 || v.refuseVm) && !refuse(v.refuseVm)) _exit(70);
  reportIfHandlerRuns(SIGUSR1, report.w.get());
  char c;
  if (read(go.r.get(), &c, 1) != 1) _exit(71);
  Fd null = devNull();
  gs::ProcAttr attr;
  attr.Files = {null.u(), null.u(), 2};
  gs::SysProcAttr sys = v.sys;
  attr.Sys = &sys;
  auto [pid, err] = gs::ForkExec(v.argv0, {"probe", "exit", "0"}, &attr);
  std::string msg = err ? err.Error() : "ok";
  if (!err) {
    int st = 0;
    waitpid(pid, &st, 0);
    msg += "\n" + describe(st);
  }
  writeAll(result.w.get(), msg + "\n");
  _exit(0);
}

// stackPointer is G's stack pointer, read while it is stopped.
unsigned long stackPointer(int pid) {
#if defined(__arm__)
  user_regs regs{};
#elif defined(__x86_64__) || defined(__i386__) || defined(__aarch64__)
  user_regs_struct regs{};
#else
  elf_gregset_t regs{};
#if defined(__riscv)
  constexpr int kSpSlot = 2;  // pc, ra, sp
#elif defined(__powerpc64__)
  constexpr int kSpSlot = 1;  // gpr[1]
#elif defined(__s390x__)
  constexpr int kSpSlot = 2 + 15;  // the psw (mask, address), then gprs[15]
#elif defined(__mips__) && _MIPS_SIM == _ABIO32
  constexpr int kSpSlot = 6 + 29;  // six pad slots (EF_R0 is 6), then $29
#elif defined(__mips__)
  constexpr int kSpSlot = 29;  // $29 (EF_R0 is 0)
#else
#error "stackPointer: unknown arch"
#endif
#endif
  iovec iov{&regs, sizeof regs};
  if (ptrace(PTRACE_GETREGSET, pid, (void*)NT_PRSTATUS, &iov) != 0) fail("PTRACE_GETREGSET");
#if defined(__x86_64__)
  return regs.rsp;
#elif defined(__i386__)
  return (unsigned long)regs.esp;
#elif defined(__aarch64__)
  return regs.sp;
#elif defined(__arm__)
  return regs.uregs[13];
#else
  // The other arches, where this case is skipped today (qemu-user has no
  // ptrace): the NT_PRSTATUS register set's sp slot, as each kernel's
  // elf_gregset_t lays it out.
  return regs[kSpSlot];
#endif
}

// Mapping is one line of /proc/<pid>/maps.
struct Mapping {
  unsigned long from, to;
  std::string perms, name;
};

std::vector<Mapping> maps(int pid) {
  std::vector<Mapping> m;
  std::ifstream f("/proc/" + std::to_string(pid) + "/maps");
  for (std::string l; std::getline(f, l);) {
    std::istringstream in(l);
    Mapping x;
    char dash;
    std::string offset, dev, inode;
    in >> std::hex >> x.from >> dash >> x.to >> x.perms >> offset >> dev >> inode;
    std::getline(in >> std::ws, x.name);
    m.push_back(x);
  }
  return m;
}

// Where G's stack pointer is, against P's memory map and P's own stack
// pointer (P calls ForkExec on its main thread, whose stack is "[stack]").
void placeStack(Seen& s, int p, unsigned long gSp, unsigned long pSp) {
  for (const auto& m : maps(p)) {
    // sp is the top of the stack, one past its last byte when nothing is
    // pushed yet: compare as from < sp <= to.
    if (m.from < gSp && gSp <= m.to && m.name == "[stack]") s.spInCallerStack = true;
  }
  s.spAboveCaller = long(gSp - pSp);
}

// The child's stack (exec_linux.cpp's kChildStackSize), and the most of it
// the child may use: half, so that a child step that grows it shows here
// long before it overflows into the parent's frames below the array.
constexpr unsigned long kChildStack = 16 * 1024;
constexpr long kChildStackBound = kChildStack / 2;

// stackUse fills G's stack below top (where G is about to start) with a
// pattern, runs G to the entry of execve, and returns how many bytes from
// top down G changed: the depth its steps reached. G must be stopped at
// its creation and traced by us.
long stackUse(int g, unsigned long top) {
  constexpr unsigned long kPattern = 0x5a5a5a5aUL;
  const unsigned long base = top - kChildStack;
  for (unsigned long a = base; a < top; a += sizeof(long))
    if (ptrace(PTRACE_POKEDATA, g, (void*)a, (void*)kPattern) != 0) fail("PTRACE_POKEDATA G");
  if (ptrace(PTRACE_SETOPTIONS, g, nullptr, (void*)long(PTRACE_O_TRACESYSGOOD)) != 0)
    fail("PTRACE_SETOPTIONS G");
  for (int sig = 0;;) {
    if (ptrace(PTRACE_SYSCALL, g, nullptr, (void*)long(sig)) != 0) fail("PTRACE_SYSCALL G");
    int st = 0;
    if (waitpid(g, &st, __WALL) != g || !WIFSTOPPED(st)) fail("G: " + describe(st));
    sig = 0;
    if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
      __ptrace_syscall_info info{};
      if (ptrace(PTRACE_GET_SYSCALL_INFO, g, (void*)sizeof info, &info) <= 0)
        fail("PTRACE_GET_SYSCALL_INFO");
      if (info.op == PTRACE_SYSCALL_INFO_ENTRY && long(info.entry.nr) == SYS_execve) break;
    } else if (WSTOPSIG(st) != SIGTRAP && (st >> 16) == 0) {
      sig = WSTOPSIG(st);  // a signal for G: deliver it
    }
  }
  for (unsigned long a = base; a < top; a += sizeof(long)) {
    errno = 0;
    const unsigned long w = (unsigned long)ptrace(PTRACE_PEEKDATA, g, (void*)a, nullptr);
    if (errno != 0) fail("PTRACE_PEEKDATA G");
    if (w != kPattern) return long(top - a);
  }
  return 0;
}

// catchCreation plays T for one variant.
Seen catchCreation(const Variant& v) {
  Seen s;
  Pipe go, report, result;
  (void)worldProbe();  // made here, not in P
  const pid_t p = fork();
  if (p < 0) fail("fork");
  if (p == 0) parentSide(v, go, report, result);
  go.r.reset();
  report.w.reset();
  result.w.reset();
  int g = 0;
  try {
    if (ptrace(PTRACE_SEIZE, p, nullptr,
               (void*)long(PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE)) != 0)
      fail("PTRACE_SEIZE");
    writeAll(go.w.get(), "g");
    bool created = false, gStopped = false;
    while (!(created && gStopped)) {
      int st;
      const int pid = waitAny(&st);
      if (pid == p) {
        if (!WIFSTOPPED(st)) fail("P ended early: " + describe(st));
        const int event = st >> 16;
        if (event != 0) {
          unsigned long msg = 0;
          ptrace(PTRACE_GETEVENTMSG, p, nullptr, &msg);
          if (g != 0 && g != int(msg)) fail("the event names another child");
          g = int(msg);
          s.event = event;
          created = true;  // P stays stopped in the event
        } else {
          ptrace(PTRACE_CONT, p, nullptr, (void*)long(WSTOPSIG(st)));
        }
      } else if (pid > 0) {
        if (g != 0 && pid != g) fail("an unexpected child stopped");
        if (!WIFSTOPPED(st)) fail("G ended early: " + describe(st));
        g = pid;  // its stop may come before P's event
        gStopped = true;
      }
    }

    // Shared memory: write P's word, read it through G.
    const long mark = gMarker + 1;
    if (ptrace(PTRACE_POKEDATA, p, (void*)&gMarker, (void*)mark) != 0) fail("PTRACE_POKEDATA P");
    errno = 0;
    const long seen = ptrace(PTRACE_PEEKDATA, g, (void*)&gMarker, nullptr);
    if (errno != 0) fail("PTRACE_PEEKDATA G");
    s.shared = seen == mark;

    const unsigned long gSp = stackPointer(g);
    placeStack(s, p, gSp, stackPointer(p));
    if (v.measureStack) s.stackUsed = stackUse(g, gSp);

    if (v.queueSignal && kill(g, SIGUSR1) != 0) fail("kill G");
    if (ptrace(PTRACE_DETACH, g, nullptr, nullptr) != 0) fail("PTRACE_DETACH G");
    if (ptrace(PTRACE_DETACH, p, nullptr, nullptr) != 0) fail("PTRACE_DETACH P");
    const auto l = lines(readAll(result.r.get()));
    s.forkExec = l.size() > 0 ? l[0] : "";
    s.gEnd = l.size() > 1 ? l[1] : "";
    s.handler = readAll(report.r.get());
    const int st = waitStatus(p);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) fail("P: " + describe(st));
  } catch (const std::exception& e) {
    s.error = e.what();
    kill(p, SIGKILL);
    if (g > 0) kill(g, SIGKILL);
    while (!noChildren()) {
      int st;
      if (waitAny(&st) < 0) break;
    }
  }
  return s;
}

// expectStackInCallersFrame: G runs on the calling thread's stack, above
// P's stack pointer, where the clone's callers keep G's stack, and within
// 64 KiB of it (forkAndExec's frame, not some other memory).
void expectStackInCallersFrame(const Seen& s) {
  BOOST_TEST(s.spInCallerStack);
  BOOST_TEST(s.spAboveCaller > 0);
  BOOST_TEST(s.spAboveCaller < 64 * 1024);
}

std::string describeSeen(const Seen& s) {
  return "event " + std::to_string(s.event) + ", shared " + std::to_string(s.shared) +
         ", sp in P's stack " + std::to_string(s.spInCallerStack) + ", above P's by " +
         std::to_string(s.spAboveCaller) + ", stack used " + std::to_string(s.stackUsed) +
         ", ForkExec " + s.forkExec + ", G " + s.gEnd +
         (s.error.empty() ? "" : ", error: " + s.error);
}

// expectQueuedSignalMeetsDefault: in a child whose handlers the child
// itself resets (the clone fallbacks), a SIGUSR1 queued on G before it runs
// meets the default action once G unblocks it; P's handler never runs.
void expectQueuedSignalMeetsDefault(Variant v) {
  v.queueSignal = true;
  const Seen s = catchCreation(v);
  BOOST_TEST_INFO(describeSeen(s));
  BOOST_TEST_REQUIRE(s.error == "");
  BOOST_TEST(s.event == PTRACE_EVENT_FORK);
  BOOST_TEST(s.handler == "");
  BOOST_TEST(s.gEnd == "killed by signal " + std::to_string(SIGUSR1));
  BOOST_TEST(noChildren());
}

// ptrace must work here (qemu-user does not emulate it; a seccomp profile
// may forbid it): probed in a forked child.
struct PtraceWorks {
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
    const pid_t pid = fork();
    if (pid == 0) _exit(ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) == 0 ? 0 : 1);
    int st = waitStatus(pid);
    boost::test_tools::assertion_result r(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    if (!r) r.message() << "ptrace(PTRACE_TRACEME) fails here (qemu-user does not emulate ptrace)";
    return r;
  }
};

// And seccomp filters, for the fallback variants.
struct SeccompWorks {
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
    const pid_t pid = fork();
    if (pid == 0) _exit(refuse(true) ? 0 : 1);
    int st = waitStatus(pid);
    boost::test_tools::assertion_result r(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    if (!r) r.message() << "a seccomp filter cannot be installed here";
    return r;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(child_creation)

BOOST_AUTO_TEST_CASE(child_shares_memory_on_its_own_stack_with_every_attribute,
                     *boost::unit_test::precondition(PtraceWorks())) {
  // Every attribute runs in a shared-memory child: none needs fork.
  gs::Credential cred{65534, 65534, {65534}};
  std::vector<std::pair<std::string, Variant>> variants(6);
  variants[0].first = "no SysProcAttr fields";
  variants[1].first = "Pdeathsig";
  variants[1].second.sys.Pdeathsig = gs::SIGKILL_;
  variants[2].first = "Credential";
  variants[2].second.sys.Credential = &cred;
  variants[2].second.argv0 = worldProbe();
  variants[3].first = "Setsid";
  variants[3].second.sys.Setsid = true;
  variants[4].first = "Setpgid";
  variants[4].second.sys.Setpgid = true;
  variants[5].first = "Chroot /";
  variants[5].second.sys.Chroot = "/";
  for (const auto& [name, v] : variants) {
    BOOST_TEST_CONTEXT(name) {
      const Seen s = catchCreation(v);
      BOOST_TEST_INFO(describeSeen(s));
      BOOST_TEST_REQUIRE(s.error == "");
      BOOST_TEST(s.event == PTRACE_EVENT_FORK);  // not CLONE_VFORK
      BOOST_TEST(s.shared);                      // CLONE_VM
      expectStackInCallersFrame(s);
      BOOST_TEST(s.forkExec == "ok");
      BOOST_TEST(s.gEnd == "exited 0");
    }
  }
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(the_child_uses_at_most_half_its_stack,
                     *boost::unit_test::precondition(PtraceWorks()) *
                         boost::unit_test::precondition(SeccompWorks())) {
  // The child's stack is a local array of the parent's frame, with no
  // guard page below it (exec_linux.cpp): this bound is what keeps it
  // there, measured on the child itself in every build that runs this.
  gs::Credential cred{65534, 65534, {65534}};
  std::vector<std::pair<std::string, Variant>> variants(3);
  variants[0].first = "no SysProcAttr fields";
  variants[1].first = "Pdeathsig, Credential, Setsid, Chroot, Sigdefault, CloseFds";
  gs::SysProcAttr& all = variants[1].second.sys;
  all.Pdeathsig = gs::SIGKILL_;
  all.Credential = &cred;
  all.Setsid = true;
  all.Chroot = "/";
  all.Sigdefault = {gs::SIGUSR1_};
  all.CloseFds = true;
  variants[1].second.argv0 = worldProbe();
  variants[2].first = "clone without clone3 (the child resets every handler)";
  variants[2].second.refuseClone3 = true;
  for (auto& [name, v] : variants) {
    v.measureStack = true;
    BOOST_TEST_CONTEXT(name) {
      const Seen s = catchCreation(v);
      BOOST_TEST_INFO(describeSeen(s));
      BOOST_TEST_REQUIRE(s.error == "");
      BOOST_TEST_MESSAGE(name << ": the child used " << s.stackUsed << " bytes of its "
                              << kChildStack << "-byte stack");
      BOOST_TEST(s.stackUsed > 0);  // else the measurement saw nothing
      BOOST_TEST(s.stackUsed <= kChildStackBound);
      BOOST_TEST(s.forkExec == "ok");
      BOOST_TEST(s.gEnd == "exited 0");
    }
  }
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(without_clone3_clone_shares_memory_and_the_child_resets_handlers,
                     *boost::unit_test::precondition(PtraceWorks()) *
                         boost::unit_test::precondition(SeccompWorks())) {
  Variant v;
  v.refuseClone3 = true;
  Seen s = catchCreation(v);
  BOOST_TEST_INFO(describeSeen(s));
  BOOST_TEST_REQUIRE(s.error == "");
  BOOST_TEST(s.event == PTRACE_EVENT_FORK);
  BOOST_TEST(s.shared);
  expectStackInCallersFrame(s);
  BOOST_TEST(s.forkExec == "ok");
  BOOST_TEST(s.gEnd == "exited 0");

  expectQueuedSignalMeetsDefault(v);
}

BOOST_AUTO_TEST_CASE(where_clone_vm_is_refused_the_child_is_forked,
                     *boost::unit_test::precondition(PtraceWorks()) *
                         boost::unit_test::precondition(SeccompWorks())) {
  Variant v;
  v.refuseClone3 = true;
  v.refuseVm = true;
  Seen s = catchCreation(v);
  BOOST_TEST_INFO(describeSeen(s));
  BOOST_TEST_REQUIRE(s.error == "");
  BOOST_TEST(s.event == PTRACE_EVENT_FORK);  // no CLONE_VFORK, exit signal SIGCHLD
  BOOST_TEST(!s.shared);                     // its own copy
  expectStackInCallersFrame(s);              // on its copy of it
  BOOST_TEST(s.forkExec == "ok");
  BOOST_TEST(s.gEnd == "exited 0");

  expectQueuedSignalMeetsDefault(v);
}

BOOST_AUTO_TEST_SUITE_END()
