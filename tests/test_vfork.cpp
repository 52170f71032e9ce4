// SPDX-License-Identifier: BSD-3-Clause
// How the Linux child is created, observed from outside with ptrace (Linux
// backend only):
//
//   T (this test) ── fork ──> P ── ForkExec ──> G
//
// T attaches to P (PTRACE_SEIZE, following its children) before P calls
// ForkExec, so that both stop the moment G exists: P in the creation event,
// G before its first instruction. Then T reads what the kernel did:
//   - the event: PTRACE_EVENT_VFORK if and only if CLONE_VFORK was used;
//   - shared memory (CLONE_VM): T writes a word in P's memory and reads it
//     back through G; a forked G has its own copy and still sees the old one;
//   - G's stack pointer: outside P's stack, in the library's child stack,
//     just above a guard page (PROT_NONE).
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
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

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
};

struct Seen {
  std::string error;    // the harness failed; empty if not
  int event = -1;       // P's ptrace event at G's creation
  bool shared = false;  // G saw T's write into P's memory
  bool spInParentStack = true, spAboveGuard = false;
  std::string forkExec;  // what ForkExec in P gave: "ok", or the Errno
  std::string gEnd;      // how G ended, as P's waitpid saw it
  std::string handler;   // what P's SIGUSR1 handler reported
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
#else
  user_regs_struct regs{};
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
#error "stackPointer: unknown arch"
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

// Where G's stack pointer is, against P's memory map: not in P's own stack
// ("[stack]"), and in a mapping right above a PROT_NONE page (the guard).
void placeStack(Seen& s, int p, unsigned long sp) {
  const auto m = maps(p);
  s.spInParentStack = false;
  for (size_t i = 0; i < m.size(); i++) {
    // sp is the top of the stack, one past its last byte when nothing is
    // pushed yet: compare as from < sp <= to.
    if (!(m[i].from < sp && sp <= m[i].to)) continue;
    if (m[i].name == "[stack]") s.spInParentStack = true;
    s.spAboveGuard = i > 0 && m[i - 1].to == m[i].from && m[i - 1].perms.compare(0, 3, "---") == 0;
  }
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

    placeStack(s, p, stackPointer(g));

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

std::string describeSeen(const Seen& s) {
  return "event " + std::to_string(s.event) + ", shared " + std::to_string(s.shared) +
         ", sp in P's stack " + std::to_string(s.spInParentStack) + ", above a guard " +
         std::to_string(s.spAboveGuard) + ", ForkExec " + s.forkExec + ", G " + s.gEnd +
         (s.error.empty() ? "" : ", error: " + s.error);
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
      BOOST_TEST(s.event == PTRACE_EVENT_VFORK);  // CLONE_VFORK
      BOOST_TEST(s.shared);                       // CLONE_VM
      BOOST_TEST(!s.spInParentStack);
      BOOST_TEST(s.spAboveGuard);
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
  BOOST_TEST(s.event == PTRACE_EVENT_VFORK);
  BOOST_TEST(s.shared);
  BOOST_TEST(!s.spInParentStack);
  BOOST_TEST(s.spAboveGuard);
  BOOST_TEST(s.forkExec == "ok");
  BOOST_TEST(s.gEnd == "exited 0");

  // A signal pending in G meets the default action once G unblocks it.
  v.queueSignal = true;
  s = catchCreation(v);
  BOOST_TEST_INFO(describeSeen(s));
  BOOST_TEST_REQUIRE(s.error == "");
  BOOST_TEST(s.event == PTRACE_EVENT_VFORK);
  BOOST_TEST(s.handler == "");
  BOOST_TEST(s.gEnd == "killed by signal " + std::to_string(SIGUSR1));
  BOOST_TEST(noChildren());
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
  BOOST_TEST(!s.spInParentStack);            // still on the child stack (its copy)
  BOOST_TEST(s.spAboveGuard);
  BOOST_TEST(s.forkExec == "ok");
  BOOST_TEST(s.gEnd == "exited 0");

  v.queueSignal = true;
  s = catchCreation(v);
  BOOST_TEST_INFO(describeSeen(s));
  BOOST_TEST_REQUIRE(s.error == "");
  BOOST_TEST(s.event == PTRACE_EVENT_FORK);
  BOOST_TEST(s.handler == "");
  BOOST_TEST(s.gEnd == "killed by signal " + std::to_string(SIGUSR1));
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_SUITE_END()
