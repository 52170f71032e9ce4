// SPDX-License-Identifier: BSD-3-Clause
// gospawn's PATH search (see gospawn_path.hpp).
#include "tools/gospawn_path.hpp"

#include "exec/exec.hpp"
#include "syscall/zerrors.hpp"

namespace gospawn {

namespace gs = go::syscall;

std::string ChildView::operator()(const std::string& path) const {
  if (!path.empty() && path[0] == '/') return root.empty() ? path : root + path;
  // Relative: to the child's working directory, which is dir if given, else
  // gospawn's own (chroot does not change it).
  return dir.empty() ? path : (*this)(dir) + "/" + path;
}

std::pair<std::string, gs::Errno> FindProgram(const std::string& file, const std::string& path,
                                              const ChildView& view) {
  if (file.find('/') != std::string::npos) return {file, gs::Errno{}};
  if (file.empty()) return {"", gs::ENOENT_};

  bool denied = false;
  std::string::size_type start = 0;
  for (;;) {
    const auto colon = path.find(':', start);
    const std::string entry =
        path.substr(start, colon == std::string::npos ? colon : colon - start);
    const std::string candidate = (entry.empty() ? std::string(".") : entry) + "/" + file;
    // With a slash in it, LookPath checks just that file, by Go's rule.
    const go::error err = go::exec::LookPath(view(candidate)).second;
    if (!err) return {candidate, gs::Errno{}};
    // Found but refused (a directory, no execute permission, a directory
    // on the way that cannot be searched), or not there at all.
    if (go::errors::Is(err, gs::EACCES_) || go::errors::Is(err, gs::EISDIR_)) denied = true;

    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return {"", denied ? gs::EACCES_ : gs::ENOENT_};
}

}  // namespace gospawn
