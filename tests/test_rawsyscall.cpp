// SPDX-License-Identifier: BSD-3-Clause
// RawSyscall, RawSyscall6, Syscall, Syscall6 and the hooks, checked against
// what the kernel did (libc is the independent observer).
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <ostream>
#include <string>
#include <thread>

#include "pipe.hpp"
#include "syscall/hooks.hpp"
#include "syscall/rawsyscall.hpp"
#include "syscall/zerrors.hpp"
#include "syscall/zsysnum.hpp"

namespace go::syscall {
// How Boost prints an Errno in a failed check (found by ADL). static: each
// test file has its own copy, so linking them together is fine.
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os, Errno e) {
  return os << "Errno(" << e.value() << ")";
}
}  // namespace go::syscall

namespace {

using namespace go::syscall;

uintptr ptr(const void* p) { return reinterpret_cast<uintptr>(p); }

using th::Pipe;  // pipe.hpp

}  // namespace

BOOST_AUTO_TEST_SUITE(rawsyscall)

BOOST_AUTO_TEST_CASE(getpid_matches_libc) {
  auto [r1, r2, err] = RawSyscall(SYS_GETPID, 0, 0, 0);
  BOOST_TEST(!err);
  BOOST_TEST(r1 == uintptr(::getpid()));
  (void)r2;
}

BOOST_AUTO_TEST_CASE(error_is_negated_return_and_errno_untouched) {
  errno = 12345;  // a sentinel no call sets
  auto [r1, r2, err] = RawSyscall(SYS_CLOSE, uintptr(-1), 0, 0);
  BOOST_TEST(errno == 12345);
  BOOST_TEST(err == EBADF_);
  BOOST_TEST(r1 == uintptr(-1));
  BOOST_TEST(r2 == 0u);

  errno = 12345;
  auto r6 = RawSyscall6(SYS_CLOSE, uintptr(-1), 0, 0, 0, 0, 0);
  BOOST_TEST(errno == 12345);
  BOOST_TEST(r6.err == EBADF_);
  BOOST_TEST(r6.r1 == uintptr(-1));

  // A successful call leaves errno alone as well.
  errno = 12345;
  BOOST_TEST(!RawSyscall(SYS_GETPID, 0, 0, 0).err);
  BOOST_TEST(errno == 12345);
}

// The [-4095, -1] rule at its edges, on the conversion itself: the kernel
// cannot be made to return -4096 on demand (a mapping at the top of a 32-bit
// address space would, which is why the rule is not "any negative").
BOOST_AUTO_TEST_CASE(error_range_edges) {
  SyscallResult e = detail::toResult({uintptr(-4095), 7});
  BOOST_TEST(e.err == Errno(4095));
  BOOST_TEST(e.r1 == uintptr(-1));
  BOOST_TEST(e.r2 == 0u);
  SyscallResult one = detail::toResult({uintptr(-1), 7});
  BOOST_TEST(one.err == Errno(1));
  SyscallResult ok = detail::toResult({uintptr(-4096), 7});
  BOOST_TEST(!ok.err);
  BOOST_TEST(ok.r1 == uintptr(-4096));
  BOOST_TEST(ok.r2 == 7u);
}

// All three arguments reach the kernel: a write of part of a buffer.
BOOST_AUTO_TEST_CASE(three_arguments_reach_the_kernel) {
  Pipe p;
  const char msg[] = "abcdef";
  auto [n, r2, err] = RawSyscall(SYS_WRITE, uintptr(p.w.get()), ptr(msg), 4);
  BOOST_TEST(!err);
  BOOST_TEST(n == 4u);
  BOOST_TEST(p.drain() == "abcd");
  (void)r2;
}

// r2 is the arch's second result register, which the kernel leaves as it was:
// rdx/edx (the third argument) on amd64/386, r1/x1 (the second) on arm/arm64,
// a1 (the second) on riscv64 and r3 (the second) on s390x, as Go's
// asm_linux_<arch>.s return them. ppc64 has none: Go returns its zero
// register R0 as r2, and r4 (a2) has no defined value after `sc`, so r2 is
// always 0 there. On mips it is v1 ($3), which is no argument register, but
// a real second result: the legacy pipe call (sysm_pipe, o32 and n64 alike)
// returns the read end in v0 and the write end in v1, as Go's
// asm_linux_mips*.s return it.
BOOST_AUTO_TEST_CASE(r2_is_the_second_result_register) {
#if defined(__mips__)
  auto [r1, r2, err] = RawSyscall(SYS_PIPE, 0, 0, 0);
  BOOST_REQUIRE(!err);
  BOOST_TEST(r1 != r2);
  BOOST_TEST(::fcntl(int(r1), F_GETFD) != -1);
  BOOST_TEST(::fcntl(int(r2), F_GETFD) != -1);
  // Both ends of one pipe: what goes into r2 comes out of r1.
  BOOST_TEST(::write(int(r2), "r2", 2) == 2);
  char buf[2] = {};
  BOOST_TEST(::read(int(r1), buf, 2) == 2);
  BOOST_TEST(std::string(buf, 2) == "r2");
  ::close(int(r1));
  ::close(int(r2));
#else
  auto [r1, r2, err] = RawSyscall(SYS_GETPID, 0, 0x1234, 0x5678);
  BOOST_TEST(!err);
  (void)r1;
#if defined(__x86_64__) || defined(__i386__)
  BOOST_TEST(r2 == 0x5678u);
#elif defined(__powerpc64__)
  BOOST_TEST(r2 == 0u);
#else
  BOOST_TEST(r2 == 0x1234u);
#endif
#endif
}

// A real six-argument call whose every argument matters: mmap of a memfd
// holding page 0 = 'A', page 1 = 'B', at a chosen address (MAP_FIXED over a
// reservation) and a non-zero offset. 386, arm and mips (o32) have mmap2,
// whose offset is in 4096-byte units; amd64, arm64, riscv64, ppc64 and
// mips64 (n64) have mmap, in bytes. On o32 the fifth and sixth arguments
// travel on the stack. s390x's mmap takes one pointer to its six arguments
// (old_mmap, as Go's syscall_linux_s390x.go calls it): recvfrom stands in
// for it below.
#if !defined(__s390x__)
BOOST_AUTO_TEST_CASE(six_arguments_mmap_at_offset) {
  const long pg = ::sysconf(_SC_PAGESIZE);
  auto [fd, r2, err] = RawSyscall(SYS_MEMFD_CREATE, ptr("rawsyscall"), 0, 0);
  (void)r2;
  BOOST_REQUIRE(!err);
  std::string data(size_t(pg), 'A');
  data.append(size_t(pg), 'B');
  BOOST_REQUIRE_EQUAL(::write(int(fd), data.data(), data.size()), ssize_t(data.size()));

#if defined(__i386__) || defined(__arm__) || (defined(__mips__) && _MIPS_SIM == _ABIO32)
  const uintptr nr = SYS_MMAP2;
  const uintptr page1 = uintptr(pg) / 4096;
#else
  const uintptr nr = SYS_MMAP;
  const uintptr page1 = uintptr(pg);
#endif
  void* base = ::mmap(nullptr, size_t(3 * pg), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  BOOST_REQUIRE(base != MAP_FAILED);
  const uintptr want = ptr(base) + uintptr(pg);

  SyscallResult m =
      RawSyscall6(nr, want, uintptr(pg), PROT_READ, MAP_SHARED | MAP_FIXED, fd, page1);
  BOOST_REQUIRE(!m.err);
  BOOST_TEST(m.r1 == want);
  BOOST_TEST(reinterpret_cast<const char*>(m.r1)[0] == 'B');
  BOOST_TEST(reinterpret_cast<const char*>(m.r1)[pg - 1] == 'B');

  SyscallResult m0 = RawSyscall6(nr, want, uintptr(pg), PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
  BOOST_REQUIRE(!m0.err);
  BOOST_TEST(reinterpret_cast<const char*>(m0.r1)[0] == 'A');

  errno = 777;
  SyscallResult bad = RawSyscall6(nr, 0, uintptr(pg), PROT_READ, MAP_SHARED, uintptr(-1), 0);
  BOOST_TEST(bad.err == EBADF_);
  BOOST_TEST(errno == 777);

  ::munmap(base, size_t(3 * pg));
  ::close(int(fd));
}
#else
// s390x: recvfrom(fd, buf, len, flags, src_addr, addrlen), each argument
// seen in what it does. B sends "abcdef" to A (both bound AF_UNIX datagram
// sockets with abstract names); A's raw recvfrom with len 4 and MSG_PEEK
// must fill 4 bytes, leave the datagram queued (a second read gets all 6),
// and write B's name through src_addr and its length through addrlen.
BOOST_AUTO_TEST_CASE(six_arguments_recvfrom) {
  auto named = [](const std::string& name, socklen_t* len) {
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::memcpy(sa.sun_path + 1, name.data(), name.size());  // abstract: sun_path[0] is 0
    *len = socklen_t(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    return sa;
  };
  const std::string tag = std::to_string(::getpid());
  socklen_t alen = 0, blen = 0;
  const sockaddr_un aAddr = named("gosyscall-rawsyscall-a-" + tag, &alen);
  const sockaddr_un bAddr = named("gosyscall-rawsyscall-b-" + tag, &blen);
  const int a = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  const int b = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  BOOST_REQUIRE(a >= 0 && b >= 0);
  BOOST_REQUIRE_EQUAL(::bind(a, reinterpret_cast<const sockaddr*>(&aAddr), alen), 0);
  BOOST_REQUIRE_EQUAL(::bind(b, reinterpret_cast<const sockaddr*>(&bAddr), blen), 0);
  BOOST_REQUIRE_EQUAL(::sendto(b, "abcdef", 6, 0, reinterpret_cast<const sockaddr*>(&aAddr), alen),
                      6);

  char buf[8] = {};
  sockaddr_un from{};
  socklen_t fromLen = sizeof from;
  SyscallResult r =
      RawSyscall6(SYS_RECVFROM, uintptr(a), ptr(buf), 4, MSG_PEEK, ptr(&from), ptr(&fromLen));
  BOOST_REQUIRE(!r.err);
  BOOST_TEST(r.r1 == 4u);
  BOOST_TEST(std::string(buf) == "abcd");
  BOOST_TEST(fromLen == blen);
  BOOST_TEST(std::memcmp(&from, &bAddr, blen) == 0);
  char all[8] = {};
  BOOST_TEST(::recv(a, all, sizeof all, MSG_DONTWAIT) == 6);  // still queued: MSG_PEEK
  BOOST_TEST(std::string(all) == "abcdef");

  errno = 777;
  SyscallResult bad = RawSyscall6(SYS_RECVFROM, uintptr(-1), ptr(buf), 4, 0, 0, 0);
  BOOST_TEST(bad.err == EBADF_);
  BOOST_TEST(errno == 777);
  ::close(a);
  ::close(b);
}
#endif

// The point of the layer: it works in a child made by
// clone(CLONE_VM|CLONE_VFORK), which shares the parent's memory, errno
// included. The child reports getpid/getppid through a pipe and makes a
// failing call; the parent's errno must still hold its sentinel.
// (qemu-user turns CLONE_VFORK|CLONE_VM into a plain fork: the test still
// passes there, it just proves less.)
namespace {
struct CloneArg {
  int wfd;
};
int cloneChild(void* a) {
  const int wfd = static_cast<CloneArg*>(a)->wfd;
  uintptr ids[2] = {RawSyscall(SYS_GETPID, 0, 0, 0).r1, RawSyscall(SYS_GETPPID, 0, 0, 0).r1};
  RawSyscall(SYS_CLOSE, uintptr(-1), 0, 0);  // fails: must not touch errno
  RawSyscall(SYS_WRITE, uintptr(wfd), ptr(ids), sizeof ids);
  RawSyscall(SYS_EXIT, 0, 0, 0);
  return 0;
}
}  // namespace

BOOST_AUTO_TEST_CASE(usable_in_a_vfork_child, *boost::unit_test::timeout(60)) {
  Pipe p;
  alignas(16) static char stack[64 * 1024];
  CloneArg arg{p.w.get()};
  errno = 4242;
  int pid = ::clone(cloneChild, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &arg);
  const int errnoAfter = errno;
  BOOST_REQUIRE(pid > 0);
  BOOST_TEST(errnoAfter == 4242);
  int status = 0;
  BOOST_REQUIRE_EQUAL(::waitpid(pid, &status, 0), pid);
  BOOST_TEST(WIFEXITED(status));
  std::string s = p.drain();
  BOOST_REQUIRE_EQUAL(s.size(), 2 * sizeof(uintptr));
  uintptr ids[2];
  std::memcpy(ids, s.data(), sizeof ids);
  BOOST_TEST(ids[0] == uintptr(pid));
  BOOST_TEST(ids[1] == uintptr(::getpid()));
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------

namespace {

// Counting hooks. Enter and Exit write 'E' and 'X' to a pipe with RawSyscall
// (allowed in a hook), so the pipe shows their order relative to the call.
std::atomic<int> enters{0}, exits{0};
int orderFd = -1;
void countEnter() noexcept {
  enters.fetch_add(1);
  if (orderFd >= 0) RawSyscall(SYS_WRITE, uintptr(orderFd), ptr("E"), 1);
}
void countExit() noexcept {
  exits.fetch_add(1);
  if (orderFd >= 0) RawSyscall(SYS_WRITE, uintptr(orderFd), ptr("X"), 1);
}
const SyscallHooks counting{countEnter, countExit};

struct HooksInstalled {
  HooksInstalled() {
    enters = 0;
    exits = 0;
    SetSyscallHooks(&counting);
  }
  ~HooksInstalled() {
    SetSyscallHooks(nullptr);
    orderFd = -1;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(syscall_hooks)

BOOST_AUTO_TEST_CASE(none_installed_by_default) {
  BOOST_TEST(GetSyscallHooks() == nullptr);
  auto [r1, r2, err] = Syscall(SYS_GETPID, 0, 0, 0);
  BOOST_TEST(!err);
  BOOST_TEST(r1 == uintptr(::getpid()));
  (void)r2;
}

BOOST_FIXTURE_TEST_CASE(syscall_calls_each_hook_once, HooksInstalled) {
  BOOST_TEST(GetSyscallHooks() == &counting);
  BOOST_TEST(Syscall(SYS_GETPID, 0, 0, 0).r1 == uintptr(::getpid()));
  BOOST_TEST(enters.load() == 1);
  BOOST_TEST(exits.load() == 1);
  BOOST_TEST(Syscall6(SYS_GETPID, 0, 0, 0, 0, 0, 0).r1 == uintptr(::getpid()));
  BOOST_TEST(enters.load() == 2);
  BOOST_TEST(exits.load() == 2);
}

BOOST_FIXTURE_TEST_CASE(raw_never_calls_hooks, HooksInstalled) {
  RawSyscall(SYS_GETPID, 0, 0, 0);
  RawSyscall6(SYS_GETPID, 0, 0, 0, 0, 0, 0);
  RawSyscall(SYS_CLOSE, uintptr(-1), 0, 0);
  BOOST_TEST(enters.load() == 0);
  BOOST_TEST(exits.load() == 0);
}

// Enter runs before the trap and Exit after it: the hooked call writes 'S' to
// the same pipe the hooks write to.
BOOST_FIXTURE_TEST_CASE(enter_before_exit_after, HooksInstalled) {
  Pipe p;
  orderFd = p.w.get();
  Syscall(SYS_WRITE, uintptr(p.w.get()), ptr("S"), 1);
  Syscall6(SYS_WRITE, uintptr(p.w.get()), ptr("6"), 1, 0, 0, 0);
  orderFd = -1;
  BOOST_TEST(p.drain() == "ESXE6X");
}

BOOST_FIXTURE_TEST_CASE(errors_and_errno_as_raw, HooksInstalled) {
  errno = 12345;
  auto [r1, r2, err] = Syscall(SYS_CLOSE, uintptr(-1), 0, 0);
  BOOST_TEST(err == EBADF_);
  BOOST_TEST(r1 == uintptr(-1));
  BOOST_TEST(r2 == 0u);
  BOOST_TEST(errno == 12345);
  BOOST_TEST(exits.load() == 1);  // Exit runs on failure too
}

BOOST_AUTO_TEST_CASE(null_members_are_skipped) {
  static const SyscallHooks onlyEnter{countEnter, nullptr};
  enters = 0;
  exits = 0;
  SetSyscallHooks(&onlyEnter);
  BOOST_TEST(!Syscall(SYS_GETPID, 0, 0, 0).err);
  SetSyscallHooks(nullptr);
  BOOST_TEST(enters.load() == 1);
  BOOST_TEST(exits.load() == 0);
}

// Installation is atomic per pair: while one thread keeps switching between
// two pairs and none, every Syscall on another thread pairs Enter and Exit
// from the same pair, so each pair's counts balance.
namespace {
std::atomic<long> aIn{0}, aOut{0}, bIn{0}, bOut{0};
const SyscallHooks pairA{[]() noexcept { aIn.fetch_add(1); }, []() noexcept { aOut.fetch_add(1); }};
const SyscallHooks pairB{[]() noexcept { bIn.fetch_add(1); }, []() noexcept { bOut.fetch_add(1); }};
}  // namespace

BOOST_AUTO_TEST_CASE(switching_hooks_concurrently_keeps_pairs, *boost::unit_test::timeout(120)) {
  std::atomic<bool> stop{false};
  std::thread switcher([&] {
    const SyscallHooks* seq[] = {&pairA, &pairB, nullptr};
    for (unsigned i = 0; !stop.load(); ++i) SetSyscallHooks(seq[i % 3]);
  });
  // Until both pairs have run often (the switcher needs a moment to start);
  // the timeout above only guards against a hang.
  while (aIn.load() < 2000 || bIn.load() < 2000) Syscall(SYS_GETPID, 0, 0, 0);
  stop = true;
  switcher.join();
  SetSyscallHooks(nullptr);
  BOOST_TEST(aIn.load() == aOut.load());
  BOOST_TEST(bIn.load() == bOut.load());
  BOOST_TEST_MESSAGE("pair A ran " << aIn.load() << " times, pair B " << bIn.load());
}

BOOST_AUTO_TEST_SUITE_END()
