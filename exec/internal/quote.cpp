// SPDX-License-Identifier: BSD-3-Clause
// Quote (quote.hpp).
#include "exec/internal/quote.hpp"

#include <cstdio>

namespace go::exec::internal {

namespace {

// utf8Len is the length of the valid UTF-8 sequence at s[i], or 0.
size_t utf8Len(const std::string& s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t n;
  unsigned min;
  unsigned cp;
  if (b >= 0xC2 && b <= 0xDF)
    n = 2, min = 0x80, cp = b & 0x1F;
  else if (b >= 0xE0 && b <= 0xEF)
    n = 3, min = 0x800, cp = b & 0x0F;
  else if (b >= 0xF0 && b <= 0xF4)
    n = 4, min = 0x10000, cp = b & 0x07;
  else
    return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; k++) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

std::string hex(const char* format, unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

std::string Quote(const std::string& s) {
  std::string q = "\"";
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = utf8Len(s, i);
      if (n == 0) {
        q += hex("\\x%02x", c);
        i++;
      } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
        q += hex("\\u%04x", static_cast<unsigned char>(s[i + 1]));  // U+0080..U+009F
        i += 2;
      } else {
        q.append(s, i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': q += "\\\""; break;
      case '\\': q += "\\\\"; break;
      case '\a': q += "\\a"; break;
      case '\b': q += "\\b"; break;
      case '\f': q += "\\f"; break;
      case '\n': q += "\\n"; break;
      case '\r': q += "\\r"; break;
      case '\t': q += "\\t"; break;
      case '\v': q += "\\v"; break;
      default:
        if (c < 0x20 || c == 0x7F)
          q += hex("\\x%02x", c);
        else
          q += char(c);
    }
    i++;
  }
  return q + "\"";
}

}  // namespace go::exec::internal
