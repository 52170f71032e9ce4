// SPDX-License-Identifier: BSD-3-Clause
// Spawn threads (syscall/internal/spawn_thread.hpp; Linux backend only). With
// SysProcAttr::PdeathsigProcessLifetime the child is created from a thread
// of the library's, and must get what the calling thread would have given
// it: Linux keeps credentials, capabilities, no_new_privs, seccomp filters,
// namespaces, cwd/root/umask and the fd table per thread. What the kernel
// shows of the child (/proc/<pid>) is compared with what it shows of the
// calling thread (/proc/thread-self). Also: Ptrace is refused with the
// opt-in, a process forked into a new pid namespace (pid 1 again) still
// spawns, setuid() still returns, a cancelled caller does not abort the
// process, and the thread ends with its child.
//
// Every case runs in a forked helper, so that the sandboxes and threads it
// makes stay out of this process.
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <functional>
#include <initializer_list>
#include <mutex>
#include <shared_mutex>

#include "exec_helpers.hpp"
#include "skip.hpp"

using namespace th;

namespace {

// The raw calls change the calling thread only (glibc's wrappers change
// every thread). The 32-bit arches have a 16-bit form and a 32-bit one.
#ifdef SYS_setresuid32
constexpr long kSetresuid = SYS_setresuid32, kSetresgid = SYS_setresgid32,
               kSetgroups = SYS_setgroups32;
#else
constexpr long kSetresuid = SYS_setresuid, kSetresgid = SYS_setresgid, kSetgroups = SYS_setgroups;
#endif
constexpr long kNobody = 65534;

// startFromHere starts the world-executable `probe wait` with the opt-in
// from this thread and returns once it runs. Pdeathsig: it dies with a
// helper that fails.
Started startFromHere() {
  gs::SysProcAttr sys;
  sys.Pdeathsig = gs::SIGKILL_;
  sys.PdeathsigProcessLifetime = true;
  Started s = startWaiting(sys, worldProbe());
  if (!s.err && readLine(s.out.get()).rfind("ready", 0) != 0) fail("the probe did not start");
  return s;
}

// finish ends a started probe and reaps it: "" if it exited 0.
std::string finish(Started& s) {
  s.in.reset();
  readAll(s.out.get());
  const int st = waitStatus(s.pid);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "" : "probe " + describe(st);
}

std::string errnoText(const std::string& what) { return what + ": " + strerror(errno); }

// statusLines: the lines of <proc>/status that start with one of keys.
std::string statusLines(const std::string& proc, std::initializer_list<const char*> keys) {
  std::ifstream f(proc + "/status");
  std::string got;
  for (std::string l; std::getline(f, l);)
    for (const char* k : keys)
      if (l.rfind(std::string(k) + ":", 0) == 0) got += l + "; ";
  return got;
}

// Aspect is one kind of per-thread state: how a thread puts only itself in
// a sandbox of that kind, and what /proc shows of it for a task.
struct Aspect {
  const char* name;
  std::string (*sandbox)();  // "" or what failed
  std::string (*state)(const std::string& proc);
};

const Aspect kCredentials{"credentials",
                          [] {
  if (syscall(kSetgroups, 0, nullptr) != 0) return errnoText("setgroups");
  if (syscall(kSetresgid, kNobody, kNobody, kNobody) != 0) return errnoText("setresgid");
  if (syscall(kSetresuid, kNobody, kNobody, kNobody) != 0) return errnoText("setresuid");
  return std::string();
                          },
                          [](const std::string& proc) {
  return statusLines(proc, {"Uid", "Gid", "Groups", "CapPrm", "CapEff"});
}};

const Aspect kNetworkNamespace{
    "network namespace",
    [] { return unshare(CLONE_NEWNET) == 0 ? std::string() : errnoText("unshare"); },
    [](const std::string& proc) {
  struct stat st {};
  if (stat((proc + "/ns/net").c_str(), &st) != 0) return errnoText("stat ns/net");
  return "net:[" + std::to_string(st.st_ino) + "]";
    }};

const Aspect kSeccomp{"seccomp filter and no_new_privs",
                      [] {
  // Allows everything: what tells is that the kernel counts it. No
  // SECCOMP_FILTER_FLAG_TSYNC, so it is this thread's only.
  sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
  sock_fprog prog{1, allow};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errnoText("no_new_privs");
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) return errnoText("seccomp");
  return std::string();
                      },
                      [](const std::string& proc) {
  return statusLines(proc, {"NoNewPrivs", "Seccomp", "Seccomp_filters"});
}};

// The directory of the world-executable probe: not this process's cwd.
std::string otherDir() { return std::filesystem::path(worldProbe()).parent_path(); }

const Aspect kFs{"cwd and umask (unshare(CLONE_FS))",
                 [] {
  if (unshare(CLONE_FS) != 0) return errnoText("unshare");
  if (chdir(otherDir().c_str()) != 0) return errnoText("chdir");
  umask(077);
  return std::string();
                 },
                 [](const std::string& proc) {
  char buf[4096];
  const ssize_t n = readlink((proc + "/cwd").c_str(), buf, sizeof buf);
  if (n < 0) return errnoText("readlink cwd");
  return std::string(buf, size_t(n)) + "; " + statusLines(proc, {"Umask"});
}};

// The fd table: after unshare(CLONE_FILES) the thread's fd 2, which the
// child gets (Files names it), is another file than the process's.
const Aspect kFdTable{"fd table (unshare(CLONE_FILES))",
                      [] {
  if (unshare(CLONE_FILES) != 0) return errnoText("unshare");
  const int fd = open(worldProbe().c_str(), O_RDONLY);
  if (fd < 0 || dup2(fd, 2) != 2) return errnoText("open and dup2");
  close(fd);
  return std::string();
                      },
                      [](const std::string& proc) {
  char buf[4096];
  const ssize_t n = readlink((proc + "/fd/2").c_str(), buf, sizeof buf);
  return n < 0 ? errnoText("readlink fd/2") : std::string(buf, size_t(n));
}};

// Seen is what one caller saw: its own state, its child's, or an error.
struct Seen {
  std::string caller, child, err;
};

Seen spawnAndLook(const Aspect& a) {
  Seen s;
  s.caller = a.state("/proc/thread-self");
  Started c = startFromHere();
  if (c.err) {
    s.err = "ForkExec: " + c.err.Error();
    return s;
  }
  s.child = a.state("/proc/" + std::to_string(c.pid));
  s.err = finish(c);
  return s;
}

std::string differs(const Seen& s) {
  return "shows [" + s.child + "], its caller [" + s.caller + "]";
}

// sandboxedAndPlain runs, in this (helper) process, a spawn from a thread
// that put itself in the sandbox and one from the main thread, which did
// not, in the given order: each child must show its own caller's state.
// Both orders, because a library thread started by the first caller would
// carry that caller's state to the second.
std::string sandboxedAndPlain(const Aspect& a, bool sandboxedFirst) {
  Seen plain, boxed;
  std::string why;
  auto fromSandbox = [&] {
    std::thread t([&] {
      why = a.sandbox();
      if (why.empty()) boxed = spawnAndLook(a);
    });
    t.join();
  };
  if (sandboxedFirst) fromSandbox();
  plain = spawnAndLook(a);
  if (!sandboxedFirst) fromSandbox();
  if (!why.empty()) return "sandbox: " + why;
  if (!boxed.err.empty()) return "sandboxed caller: " + boxed.err;
  if (!plain.err.empty()) return "plain caller: " + plain.err;
  if (boxed.caller == plain.caller) return "the sandbox changed nothing in /proc: " + plain.caller;
  if (boxed.child != boxed.caller) return "the sandboxed caller's child " + differs(boxed);
  if (plain.child != plain.caller) return "the plain caller's child " + differs(plain);
  return "";
}

void checkAspect(const Aspect& a) {
  worldProbe();  // made here, so that this process removes it
  for (bool sandboxedFirst : {false, true}) {
    const std::string msg = inHelper([&] { return sandboxedAndPlain(a, sandboxedFirst); });
    BOOST_TEST(msg == "",
               a.name << (sandboxedFirst ? ", sandboxed caller first: " : ", plain caller first: ")
                      << msg);
  }
}

// Reasons to skip, probed in a child as tests/skip.hpp does.

// glibc 2.34+ starts threads with clone3 and falls back to clone only on
// ENOSYS: where a seccomp profile answers clone3 with EPERM (older
// container runtimes) no thread starts, the library's neither.
std::string noThreads() {
  if (skip::inChild([] {
        pthread_t t;
        auto nothing = [](void*) -> void* { return nullptr; };
        if (pthread_create(&t, nullptr, nothing, nullptr) != 0) return false;
        return pthread_join(t, nullptr) == 0;
      }))
    return "";
  return "pthread_create fails here (clone3 is refused with EPERM, and glibc then starts no "
         "thread)";
}

std::string noRawSetresuid() {
  if (skip::inChild([] { return syscall(kSetresuid, kNobody, kNobody, kNobody) == 0; })) return "";
  return "setresuid(65534) fails here (not root, or no CAP_SETUID)";
}

std::string noNetUnshare() {
  if (skip::inChild([] { return unshare(CLONE_NEWNET) == 0; })) return "";
  return "unshare(CLONE_NEWNET) fails here (no CAP_SYS_ADMIN, or denied by a seccomp profile)";
}

std::string noPidUnshare() {
  if (skip::inChild([] { return unshare(CLONE_NEWPID) == 0; })) return "";
  return "unshare(CLONE_NEWPID) fails here (no CAP_SYS_ADMIN, or denied by a seccomp profile)";
}

// A process forked after unshare(CLONE_NEWPID) is pid 1 of the new
// namespace and can start threads there (under qemu-user the emulator's
// own threads need that too).
std::string noPidNamespaceFork() {
  if (skip::inChild([] {
        if (unshare(CLONE_NEWPID) != 0) return false;
        const pid_t pid = fork();
        if (pid == 0) {
          bool ran = false;
          std::thread([&] { ran = true; }).join();
          _exit(getpid() == 1 && ran ? 0 : 1);
        }
        int st = 0;
        return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
      }))
    return "";
  return "a process forked into a new pid namespace cannot run here (no CAP_SYS_ADMIN, or the "
         "emulator cannot start its threads there)";
}

// asInitOfNewPidNamespace runs fn in a child that is pid 1 of a new pid
// namespace and returns what fn reported. Bounded: after timeoutMs the
// child is killed, and with the namespace's init everything in it.
std::string asInitOfNewPidNamespace(const std::function<std::string()>& fn, int timeoutMs) {
  if (unshare(CLONE_NEWPID) != 0) return errnoText("unshare(CLONE_NEWPID)");
  Pipe report;
  const pid_t pid = fork();
  if (pid < 0) return errnoText("fork");
  if (pid == 0) {
    report.r.reset();
    std::string msg;
    try {
      msg = getpid() == 1 ? fn() : "not pid 1 but " + std::to_string(getpid());
    } catch (const std::exception& e) {
      msg = std::string("exception: ") + e.what();
    }
    ssize_t ignored = write(report.w.get(), msg.data(), msg.size());
    (void)ignored;
    _exit(0);
  }
  report.w.reset();
  std::string msg;
  try {
    msg = readAll(report.r.get(), timeoutMs);
  } catch (const std::exception& e) {
    msg = std::string("gave no answer: ") + e.what();
    kill(pid, SIGKILL);
  }
  waitpid(pid, nullptr, 0);
  return msg;
}

// spawnOnce runs `probe exit 0` with the opt-in: "" if it did.
std::string spawnOnce() {
  gs::SysProcAttr sys;
  sys.Pdeathsig = gs::SIGKILL_;
  sys.PdeathsigProcessLifetime = true;
  Run r = runProbe({"exit", "0"}, &sys);
  if (r.err) return "ForkExec: " + r.err.Error();
  return r.exited && r.status == 0 ? "" : "probe ended with " + std::to_string(r.status);
}

// waitThreads lists this process's threads named "gosyscall-wait".
std::vector<int> waitThreads() {
  std::vector<int> tids;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream f(e.path() / "comm");
    std::string comm;
    std::getline(f, comm);
    if (comm == "gosyscall-wait") tids.push_back(std::stoi(e.path().filename()));
  }
  return tids;
}

// PIDFD_THREAD (Linux 6.9): a pidfd of one thread, readable once it exits.
constexpr unsigned kPidfdThread = O_EXCL;

std::string noThreadPidfd() {
  const long fd = syscall(SYS_pidfd_open, long(syscall(SYS_gettid)), kPidfdThread);
  if (fd >= 0) {
    close(int(fd));
    return "";
  }
  return "pidfd_open(PIDFD_THREAD) fails here (Linux < 6.9, or denied by a seccomp profile)";
}

// threadEndsWithChild: the thread that created a child ends once the child
// has exited, reaped by us or (SIGCHLD ignored) by the kernel.
std::string threadEndsWithChild(bool ignoreSigchld) {
  if (ignoreSigchld) signal(SIGCHLD, SIG_IGN);
  Started c = startFromHere();
  if (c.err) return "ForkExec: " + c.err.Error();
  const std::vector<int> tids = waitThreads();
  if (tids.size() != 1) return std::to_string(tids.size()) + " gosyscall-wait threads, not 1";
  const long fd = syscall(SYS_pidfd_open, long(tids[0]), kPidfdThread);
  if (fd < 0) return errnoText("pidfd_open(PIDFD_THREAD)");
  Fd thread{int(fd)};
  if (pollIn(thread.get(), 0)) return "the thread ended while its child ran";
  c.in.reset();
  const std::string said = readAll(c.out.get());  // EOF: the probe has exited
  if (!ignoreSigchld) {
    const int st = waitStatus(c.pid);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return "probe " + describe(st);
  }
  if (!pollIn(thread.get(), kTimeoutMs)) return "the thread lives on after its child";
  return said == "eof\n" ? "" : "probe said " + said;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(spawn_thread)

// The caller's state, one aspect at a time (each failed with the one
// long-lived library thread that spawn threads replaced: the child had
// that thread's state, or its fd table lacked the caller's pipes).

BOOST_AUTO_TEST_CASE(child_has_the_callers_credentials,
                     *skip::when(skip::all<noThreads, noRawSetresuid>)) {
  checkAspect(kCredentials);
}

BOOST_AUTO_TEST_CASE(child_has_the_callers_network_namespace,
                     *skip::when(skip::all<noThreads, noNetUnshare>)) {
  checkAspect(kNetworkNamespace);
}

BOOST_AUTO_TEST_CASE(child_has_the_callers_seccomp_filter,
                     *skip::when(skip::all<noThreads, skip::noSeccompFilter>)) {
  checkAspect(kSeccomp);
}

BOOST_AUTO_TEST_CASE(child_has_the_callers_cwd_and_umask, *skip::when(noThreads)) {
  checkAspect(kFs);
}

BOOST_AUTO_TEST_CASE(child_has_the_callers_fd_table, *skip::when(noThreads)) {
  checkAspect(kFdTable);
}

BOOST_AUTO_TEST_CASE(caller_with_a_pid_namespace_for_children_is_refused,
                     *skip::when(skip::all<noThreads, noPidUnshare>)) {
  // The kernel gives no thread to a thread whose pid_for_children is not
  // its own namespace: EINVAL, and no child in the wrong namespace. (The
  // main thread spawns first: a library thread it started would be in the
  // process's namespace.)
  worldProbe();
  const std::string msg = inHelper([]() -> std::string {
    if (std::string why = spawnOnce(); !why.empty()) return "from the main thread: " + why;
    std::string got;
    std::thread t([&] {
      if (unshare(CLONE_NEWPID) != 0) {
        got = errnoText("unshare");
        return;
      }
      Started c = startFromHere();
      if (c.err == gs::EINVAL_) return;
      got = c.err ? "ForkExec: " + c.err.Error() : "a child, pid " + std::to_string(c.pid);
      if (!c.err) finish(c);
    });
    t.join();
    if (got.empty() && !noChildren()) got = "a child is left";
    return got;
  });
  BOOST_TEST(msg == "");
}

BOOST_AUTO_TEST_CASE(ptrace_with_process_lifetime_is_einval) {
  // The library's thread would be the tracer: the caller could never
  // continue the child. Refused before anything exists.
  gs::SysProcAttr sys;
  sys.Ptrace = true;
  sys.Pdeathsig = gs::SIGKILL_;
  sys.PdeathsigProcessLifetime = true;
  int pidfd = 12345;
  sys.PidFD = &pidfd;
  gs::ProcAttr attr;
  attr.Sys = &sys;
  const std::set<int> before = openFds();
  auto [pid, err] = gs::ForkExec(kProbe, {"probe", "exit", "0"}, &attr);
  if (pid > 0) {
    kill(pid, SIGKILL);
    waitStatus(pid);
  }
  if (pidfd >= 0 && pidfd != 12345) close(pidfd);
  BOOST_TEST(err == gs::EINVAL_);
  BOOST_TEST(pid == 0);
  BOOST_TEST(pidfd == -1);
  BOOST_TEST(noChildren());
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(spawns_in_a_pid_namespace_forked_from_one,
                     *skip::when(skip::all<noThreads, noPidNamespaceFork>)) {
  // A, pid 1 of a new namespace, spawns with the opt-in, then forks B,
  // pid 1 of another: same pid number, same memory, not the same threads.
  // B must spawn as well (the long-lived thread was known by its pid, and
  // B waited forever for A's).
  const std::string msg = inHelper(
      [] {
    return asInitOfNewPidNamespace(
        [] {
      if (std::string why = spawnOnce(); !why.empty()) return "in A: " + why;
      const std::string inB = asInitOfNewPidNamespace([] { return spawnOnce(); }, kTimeoutMs);
      return inB.empty() ? "" : "in B: " + inB;
        },
        2 * kTimeoutMs);
      },
      3 * kTimeoutMs);
  BOOST_TEST(msg == "");
}

BOOST_AUTO_TEST_CASE(cancelling_a_waiting_caller_does_not_abort, *skip::when(noThreads)) {
  // The caller's cancellation is pending when it comes to wait for the
  // library's thread (pthread_cond_wait, a cancellation point): it must
  // finish ForkExec and be cancelled after. Deterministic: we hold
  // ForkLock until the cancel is sent, so the library's thread cannot
  // create the child before it, and the caller meets no cancellation
  // point between its "ready" and that wait.
  const std::string msg = inHelper([]() -> std::string {
    // An abort must end the helper: Boost.Test's handler would go on
    // running the suite in it.
    signal(SIGABRT, SIG_DFL);
    struct Call {
      Pipe ready;
      int pid = 0;
      gs::Errno err;
      bool returned = false;
    } call;
    std::unique_lock<std::shared_mutex> held(gs::ForkLock);
    pthread_t t;
    auto caller = [](void* p) -> void* {
      auto* c = static_cast<Call*>(p);
      gs::SysProcAttr sys;
      sys.PdeathsigProcessLifetime = true;
      gs::ProcAttr attr;
      attr.Sys = &sys;
      // write() is a cancellation point, and glibc before 2.41 may act on
      // a cancel that comes just after the write is done (BZ 12683).
      int state;
      pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &state);
      writeAll(c->ready.w.get(), "ready\n");
      pthread_setcancelstate(state, nullptr);
      std::tie(c->pid, c->err) = gs::ForkExec(kProbe, {"probe", "exit", "0"}, &attr);
      c->returned = true;
      pthread_testcancel();
      return nullptr;
    };
    if (pthread_create(&t, nullptr, caller, &call) != 0) return "pthread_create";
    readLine(call.ready.r.get());
    pthread_cancel(t);
    held.unlock();
    void* ret = nullptr;
    pthread_join(t, &ret);
    if (!call.returned) return "ForkExec did not return";
    if (call.err) return "ForkExec: " + call.err.Error();
    const int st = waitStatus(call.pid);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return "probe " + describe(st);
    return ret == PTHREAD_CANCELED ? "" : "the caller was not cancelled";
  });
  BOOST_TEST(msg == "");
}

BOOST_AUTO_TEST_CASE(setuid_returns_while_a_child_runs, *skip::when(noThreads)) {
  // glibc's setuid() signals every thread and waits for each (SIGSETXID);
  // the library's thread must take that signal, also while it waits for
  // its child. A hang ends at the alarm (a safety bound): the helper dies.
  worldProbe();
  const std::string msg = inHelper([]() -> std::string {
    Started c = startFromHere();
    if (c.err) return "ForkExec: " + c.err.Error();
    alarm(unsigned(kTimeoutMs / 2000));
    if (setuid(getuid()) != 0) return errnoText("setuid");
    alarm(0);
    return finish(c);
  });
  BOOST_TEST(msg == "");
}

BOOST_AUTO_TEST_CASE(the_thread_ends_with_its_child,
                     *skip::when(skip::all<noThreads, noThreadPidfd>)) {
  worldProbe();
  for (bool ignoreSigchld : {false, true}) {
    const std::string msg = inHelper([&] { return threadEndsWithChild(ignoreSigchld); });
    BOOST_TEST(msg == "", (ignoreSigchld ? "SIGCHLD ignored: " : "") << msg);
  }
}

BOOST_AUTO_TEST_SUITE_END()
