// SPDX-License-Identifier: BSD-3-Clause
// PrefixSuffixSaver (prefix_suffix_saver.hpp).
#include "exec/internal/prefix_suffix_saver.hpp"

#include <algorithm>

namespace go::exec::internal {

std::string_view PrefixSuffixSaver::fill(std::string& dst, std::string_view p) const {
  if (dst.size() < n_) {
    const size_t add = std::min(p.size(), n_ - dst.size());
    dst.append(p.substr(0, add));
    p.remove_prefix(add);
  }
  return p;
}

void PrefixSuffixSaver::Write(std::string_view p) {
  p = fill(prefix_, p);
  // Only the last N bytes can end up in the suffix.
  if (p.size() > n_) {
    skipped_ += (long long)(p.size() - n_);
    p.remove_prefix(p.size() - n_);
  }
  p = fill(suffix_, p);
  // The suffix is full if anything is left: overwrite it in a circle.
  while (!p.empty()) {
    const size_t k = std::min(p.size(), n_ - suffixOff_);
    suffix_.replace(suffixOff_, k, p.substr(0, k));
    p.remove_prefix(k);
    skipped_ += (long long)k;
    suffixOff_ = (suffixOff_ + k) % n_;
  }
}

std::string PrefixSuffixSaver::Bytes() const {
  if (skipped_ == 0) return prefix_ + suffix_;
  return prefix_ + "\n... omitting " + std::to_string(skipped_) + " bytes ...\n" +
         suffix_.substr(suffixOff_) + suffix_.substr(0, suffixOff_);
}

}  // namespace go::exec::internal
