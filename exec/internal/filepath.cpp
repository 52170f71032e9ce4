// SPDX-License-Identifier: BSD-3-Clause
// Clean, Join, Abs and SplitList (filepath.hpp), over std::filesystem.
#include "exec/internal/filepath.hpp"

#include <filesystem>
#include <system_error>

namespace go::exec::internal {

namespace fs = std::filesystem;

std::string Clean(const std::string& path) {
  std::string s = fs::path(path).lexically_normal().string();
  // What lexically_normal leaves and Go's Clean does not: a leading "//"
  // (POSIX lets an implementation give it a meaning; Go and Linux do not)
  // and a trailing slash.
  while (s.size() > 1 && s[0] == '/' && s[1] == '/') s.erase(0, 1);
  if (s.size() > 1 && s.back() == '/') s.pop_back();
  return s.empty() ? "." : s;
}

std::string Join(const std::string& dir, const std::string& file) {
  if (dir.empty()) return file.empty() ? "" : Clean(file);
  if (file.empty()) return Clean(dir);
  return Clean(dir + "/" + file);
}

std::pair<std::string, error> Abs(const std::string& path) {
  if (IsAbs(path)) return {Clean(path), nullptr};
  std::error_code ec;
  const fs::path wd = fs::current_path(ec);
  if (ec) return {"", syscall::Errno(uintptr_t(ec.value()))};
  return {Join(wd.string(), path), nullptr};
}

std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> parts;
  if (list.empty()) return parts;
  std::string::size_type start = 0;
  for (;;) {
    const auto colon = list.find(':', start);
    parts.push_back(list.substr(start, colon == std::string::npos ? colon : colon - start));
    if (colon == std::string::npos) return parts;
    start = colon + 1;
  }
}

}  // namespace go::exec::internal
