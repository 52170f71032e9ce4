// SPDX-License-Identifier: BSD-3-Clause
// dedupEnvCase (env.hpp).
#include "exec/internal/env.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_set>

namespace go::exec::internal {

std::pair<std::vector<std::string>, error> dedupEnvCase(bool caseInsensitive, bool nulOK,
                                                        std::vector<std::string> env) {
  // Walked from the end, so that the last entry of each key is the one seen
  // first; the entries kept are then moved out in their order.
  error err;
  std::vector<bool> keep(env.size());
  std::unordered_set<std::string> lowered;  // the keys, when case does not count
  std::unordered_set<std::string_view> saw;
  saw.reserve(env.size());
  for (size_t n = env.size(); n > 0; n--) {
    const std::string& kv = env[n - 1];
    if (!nulOK && kv.find('\0') != std::string::npos) {
      err = errors::New("exec: environment variable contains NUL");
      continue;
    }
    // A key may start with '=' (Windows has such keys): the key then ends
    // at the next '=', or is "" if there is none, as in Go.
    auto i = kv.find('=');
    if (i == 0) {
      const auto j = kv.find('=', 1);
      i = j == std::string::npos ? 0 : j;
    }
    if (i == std::string::npos) {
      keep[n - 1] = !kv.empty();  // not key=value: kept as it is
      continue;
    }
    std::string_view key(kv.data(), i);
    if (caseInsensitive) {
      std::string k(key);
      std::transform(k.begin(), k.end(), k.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      key = *lowered.insert(std::move(k)).first;
    }
    keep[n - 1] = saw.insert(key).second;
  }
  std::vector<std::string> out;
  out.reserve(env.size());
  for (size_t n = 0; n < env.size(); n++)
    if (keep[n]) out.push_back(std::move(env[n]));
  return {std::move(out), err};
}

}  // namespace go::exec::internal
