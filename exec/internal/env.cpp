// dedupEnvCase (env.hpp).
#include "exec/internal/env.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_set>

namespace go::exec::internal {

std::pair<std::vector<std::string>, error> dedupEnvCase(bool caseInsensitive, bool nulOK,
                                                        const std::vector<std::string>& env) {
  // Built from the end, so that the last entry of each key is the one seen
  // first, then put back in order.
  error err;
  std::vector<std::string> out;
  std::unordered_set<std::string> saw;
  for (auto it = env.rbegin(); it != env.rend(); ++it) {
    const std::string& kv = *it;
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
      if (!kv.empty()) out.push_back(kv);  // not key=value: kept as it is
      continue;
    }
    std::string key = kv.substr(0, i);
    if (caseInsensitive)
      std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!saw.insert(key).second) continue;
    out.push_back(kv);
  }
  std::reverse(out.begin(), out.end());
  return {out, err};
}

}  // namespace go::exec::internal
