// SPDX-License-Identifier: BSD-3-Clause
// Which file gospawn's PROGRAM names: go::exec::LookPath, asked about each
// PATH entry as the child will see it.
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

// FindProgram finds file as execvp does. A file with a slash is returned as
// it is (execve will say what is wrong with it). Otherwise each entry of
// path (colon-separated; an empty entry is the current directory, whose
// result is run: gospawn is a shell's kind of tool, so Go's ErrDot does not
// apply) is tried in order; a candidate is taken when go::exec::LookPath
// finds it executable in the child's view. None: EACCES if some candidate
// exists but is a directory or not executable (or could not be searched),
// else ENOENT, as a shell tells 126 from 127.
//
// Go's LookPath alone does not do: it sees the caller's file system, not
// the child's, and says ErrNotFound for both kinds of failure.
std::pair<std::string, go::syscall::Errno> FindProgram(const std::string& file,
                                                       const std::string& path,
                                                       const ChildView& view);

}  // namespace gospawn
