// gospawn's PATH search: which file the child's execve will run.
#pragma once

#include <string>
#include <utility>

#include "syscall/types.hpp"

namespace gospawn {

// ChildView maps a path as the child will resolve it (after chroot to root
// and chdir to dir, either "" for none) to the same file as gospawn sees it.
// Symbolic links inside root that point to absolute paths are followed in
// gospawn's view, not the child's: the one case this mapping gets wrong.
struct ChildView {
  std::string root;
  std::string dir;
  std::string operator()(const std::string& path) const;
};

// LookPath finds file as execvp does. A file with a slash is returned as it
// is. Otherwise each entry of path (colon-separated; an empty entry is the
// current directory) is tried in order, in the child's view: the first
// executable regular file wins. None: EACCES if some candidate existed but
// was not executable (or could not be searched), else ENOENT.
std::pair<std::string, go::syscall::Errno> LookPath(const std::string& file, const std::string& path,
                                                    const ChildView& view);

}  // namespace gospawn
