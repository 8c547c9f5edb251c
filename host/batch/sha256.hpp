#pragma once

#include <string>
#include <string_view>

namespace holon::batch {

// 64 lower-case hex digits.
std::string sha256_hex(std::string_view data);

} // namespace holon::batch
