// Bounds shared by module instantiation and macro expansion, which both add variables to the one
// flat model: a small hostile document must not make them build millions of copies.
#pragma once

#include <cstddef>

namespace holon_sd {

// Far above real models (the largest in the conformance suite have a few thousand variables).
inline constexpr size_t max_model_variables = 1'000'000;

} // namespace holon_sd
