// The host's one SHA-256: model hashes (ETags), token hashes, batch job and input digests.
#pragma once

#include <string>
#include <string_view>

namespace holon::digest {

// Lower-case hex SHA-256 of the bytes (64 characters).
std::string sha256_hex(std::string_view bytes);

} // namespace holon::digest
