// SPDX-License-Identifier: BSD-3-Clause
// io::Reader and io::Writer (io.hpp).
#include "exec/io.hpp"

#include "exec/os_file.hpp"

namespace go::io {

const error EOF_ = errors::New("EOF");

Reader::Reader(std::shared_ptr<os::File> f)
    : kind_(f ? Kind::File : Kind::Nil), fd_(f ? f->Fd() : -1), file_(std::move(f)) {}

Writer::Writer(std::shared_ptr<os::File> f)
    : kind_(f ? Kind::File : Kind::Nil), fd_(f ? f->Fd() : -1), file_(std::move(f)) {}

bool Writer::same(const Writer& w) const {
  if (kind_ != w.kind_) return false;
  switch (kind_) {
    case Kind::Nil: return true;
    case Kind::File: return fd_ == w.fd_;
    case Kind::String: return s_ == w.s_;
    case Kind::Func: return false;
  }
  return false;
}

}  // namespace go::io
