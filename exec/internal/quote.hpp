// SPDX-License-Identifier: BSD-3-Clause
// Internal; not installed. Go's strconv.Quote, for error messages.
#pragma once

#include <string>

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::exec::internal {

// Quote returns s in double quotes with Go's escapes: \" and \\, \a \b \f
// \n \r \t \v, \xNN for other control bytes and for bytes that are not
// UTF-8, \u00NN for the C1 controls; other UTF-8 is kept as it is.
std::string Quote(const std::string& s);

}  // namespace go::exec::internal

#pragma GCC visibility pop
