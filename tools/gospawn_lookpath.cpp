// gospawn's PATH search (see gospawn_lookpath.hpp).
#include "tools/gospawn_lookpath.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "syscall/zerrors.hpp"

namespace gospawn {

namespace gs = go::syscall;

std::string ChildView::operator()(const std::string& path) const {
  if (!path.empty() && path[0] == '/') return root.empty() ? path : root + path;
  // Relative: to the child's working directory, which is dir if given, else
  // gospawn's own (chroot does not change it).
  return dir.empty() ? path : (*this)(dir) + "/" + path;
}

std::pair<std::string, gs::Errno> LookPath(const std::string& file, const std::string& path,
                                           const ChildView& view) {
  if (file.find('/') != std::string::npos) return {file, gs::Errno{}};
  if (file.empty()) return {"", gs::ENOENT_};

  bool sawEacces = false;
  std::string::size_type start = 0;
  for (;;) {
    const auto colon = path.find(':', start);
    const std::string entry = path.substr(start, colon == std::string::npos ? colon : colon - start);
    const std::string candidate = (entry.empty() ? std::string(".") : entry) + "/" + file;
    const std::string seen = view(candidate);

    struct stat st;
    if (stat(seen.c_str(), &st) == 0) {
      if (S_ISREG(st.st_mode) && faccessat(AT_FDCWD, seen.c_str(), X_OK, AT_EACCESS) == 0)
        return {candidate, gs::Errno{}};
      sawEacces = true;  // a directory or a file without permission to execute
    } else if (errno == EACCES) {
      sawEacces = true;  // a directory on the way could not be searched
    }
    // Anything else (ENOENT, ENOTDIR, ELOOP, ...): not here, try the next.

    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return {"", sawEacces ? gs::EACCES_ : gs::ENOENT_};
}

}  // namespace gospawn
