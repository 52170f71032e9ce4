// SPDX-License-Identifier: BSD-3-Clause
// The copiers (copy.hpp).
#include "exec/internal/copy.hpp"

#include "exec/internal/nosigpipe.hpp"
#include "syscall/syscall_linux.hpp"

namespace go::exec::internal {

namespace sc = go::syscall;

namespace {

constexpr size_t kChunk = 32 * 1024;  // io.Copy's buffer

class ToChild : public Copier {
 public:
  ToChild(const io::Reader& source, std::shared_ptr<os::File> w)
      : Copier(std::move(w)), source_(source) {
    if (source_.kind() == io::Reader::Kind::String) pending_ = source_.str();
  }

  short events() const override { return POLLOUT; }

  void step() override {
    for (;;) {
      if (off_ == pending_.size() && !refill()) return;
      auto [n, err] = writeNoSigpipe(pipe_->Fd(), pending_.data() + off_, pending_.size() - off_);
      if (err == sc::EAGAIN_) return;                 // the pipe is full: poll again
      if (err == sc::EPIPE_) return finish(nullptr);  // the child stopped reading
      if (err) return finish(MakeError<os::PathError>("write", pipe_->Name(), err));
      off_ += size_t(n);
    }
  }

 private:
  // refill gets the next chunk from a ReadFunc; false when there is no
  // more (the copying is then finished).
  bool refill() {
    if (source_.kind() != io::Reader::Kind::Func || eof_) {
      finish(nullptr);
      return false;
    }
    pending_.resize(kChunk);
    off_ = 0;
    auto [n, err] = source_.func()(pending_.data(), pending_.size());
    pending_.resize(n);
    if (err) {
      eof_ = true;
      if (!errors::Is(err, io::EOF_)) {
        finish(err);
        return false;
      }
    }
    if (n == 0 && eof_) {
      finish(nullptr);
      return false;
    }
    return true;
  }

  io::Reader source_;
  std::string pending_;  // what is to be written, from off_
  size_t off_ = 0;
  bool eof_ = false;  // the ReadFunc has said it has no more
};

class FromChild : public Copier {
 public:
  FromChild(std::shared_ptr<os::File> r, const io::Writer& sink)
      : Copier(std::move(r)), sink_(sink) {}

  short events() const override { return POLLIN; }

  void step() override {
    char buf[kChunk];
    for (;;) {
      auto [n, err] = sc::Read(pipe_->Fd(), buf, sizeof buf);
      if (err == sc::EINTR_) continue;
      if (err == sc::EAGAIN_) return;
      if (err) return finish(MakeError<os::PathError>("read", pipe_->Name(), err));
      if (n == 0) return finish(nullptr);  // every write end is closed
      if (error werr = deliver(std::string_view(buf, size_t(n)))) return finish(werr);
    }
  }

 private:
  error deliver(std::string_view p) {
    if (sink_.kind() == io::Writer::Kind::String) {
      sink_.str()->append(p);
      return nullptr;
    }
    auto [n, err] = sink_.func()(p);
    if (!err && n < p.size()) err = errShortWrite;
    return err;
  }

  static const error errShortWrite;
  io::Writer sink_;
};

const error FromChild::errShortWrite = errors::New("short write");

}  // namespace

void Copier::abandon() {
  if (done_) return;
  done_ = true;
  pipe_->Close();
}

void Copier::finish(error err) {
  done_ = true;
  err_ = std::move(err);
  pipe_->Close();
}

std::unique_ptr<Copier> toChild(const io::Reader& source, std::shared_ptr<os::File> w) {
  return std::make_unique<ToChild>(source, std::move(w));
}

std::unique_ptr<Copier> fromChild(std::shared_ptr<os::File> r, const io::Writer& sink) {
  return std::make_unique<FromChild>(r, sink);
}

}  // namespace go::exec::internal
