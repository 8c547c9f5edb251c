// Writes the model IR as an XMILE 1.0 document that read_xmile reads back to the same IR.
#pragma once

#include "ir/model.hpp"

#include <string>

namespace holon_sd {

std::string write_xmile(const Model &model);

} // namespace holon_sd
