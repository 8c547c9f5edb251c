// Reads XMILE 1.0 (and Stella .stmx, which is XMILE) into the model IR.
#pragma once

#include "ir/model.hpp"

#include <string_view>

namespace holon_sd {

// Throws ModelError with line and column on malformed XML, and naming the variable for
// structural problems (e.g. a stock without an initial value).
Model read_xmile(std::string_view document);

} // namespace holon_sd
