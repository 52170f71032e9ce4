// SPDX-License-Identifier: BSD-3-Clause
// os::File, Pipe and the standard Files (os_file.hpp).
#include "exec/os_file.hpp"

#include "exec/internal/nosigpipe.hpp"
#include "exec/io.hpp"
#include "syscall/syscall_linux.hpp"

namespace go::os {

namespace sc = go::syscall;

const error ErrClosed = errors::New("file already closed");

namespace {

// A standard File: never closed by its destructor, which runs at exit,
// when other code may still write to 1 and 2.
std::shared_ptr<File> standard(int fd, const char* name) {
  return std::shared_ptr<File>(new File(fd, name), [](File*) {});
}

}  // namespace

const std::shared_ptr<File> Stdin = standard(0, "/dev/stdin");
const std::shared_ptr<File> Stdout = standard(1, "/dev/stdout");
const std::shared_ptr<File> Stderr = standard(2, "/dev/stderr");

File::~File() {
  const int fd = fd_.exchange(-1);
  if (fd >= 0) (void)sc::Close(fd);
}

std::pair<size_t, error> File::Read(char* p, size_t n) {
  const int fd = Fd();
  if (fd < 0) return {0, MakeError<PathError>("read", name_, ErrClosed)};
  for (;;) {
    auto [got, err] = sc::Read(fd, p, n);
    if (err == sc::EINTR_) continue;
    if (err) return {0, MakeError<PathError>("read", name_, err)};
    if (got == 0 && n > 0) return {0, io::EOF_};
    return {size_t(got), nullptr};
  }
}

std::pair<size_t, error> File::Write(std::string_view p) {
  const int fd = Fd();
  if (fd < 0) return {0, MakeError<PathError>("write", name_, ErrClosed)};
  size_t done = 0;
  while (done < p.size()) {
    auto [n, err] = exec::internal::writeNoSigpipe(fd, p.data() + done, p.size() - done);
    if (err) return {done, MakeError<PathError>("write", name_, err)};
    done += size_t(n);
  }
  return {done, nullptr};
}

error File::Close() {
  const int fd = fd_.exchange(-1);
  if (fd < 0) return MakeError<PathError>("close", name_, ErrClosed);
  // Linux releases the descriptor even when close reports an error: never
  // retry it, another thread may already have the number.
  if (sc::Errno err = sc::Close(fd)) return MakeError<PathError>("close", name_, err);
  return nullptr;
}

std::shared_ptr<File> NewFile(int fd, std::string name) {
  return std::make_shared<File>(fd, std::move(name));
}

std::tuple<std::shared_ptr<File>, std::shared_ptr<File>, error> Pipe() {
  int p[2];
  if (sc::Errno err = sc::Pipe2(p, int(sc::O_CLOEXEC_)))
    return {nullptr, nullptr, MakeError<SyscallError>("pipe2", err)};
  return {NewFile(p[0], "|0"), NewFile(p[1], "|1"), nullptr};
}

}  // namespace go::os
