// Randomness, hashing and encodings for ids, token secrets and ETags.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "digest/sha256.hpp"

namespace holon::store {

// Bytes from the kernel's CSPRNG (getrandom); throws StoreError if it fails.
std::string random_bytes(std::size_t count);

// RFC 4648 §5 alphabet, no padding.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

// Lower-case hex SHA-256 of the bytes (the host's one implementation, in host/digest).
using holon::digest::sha256_hex;

// Compares without an early exit, so the time taken does not reveal where strings differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// An opaque, URL-safe, random id: prefix + "_" + 22 base64url chars (128 bits).
std::string new_id(std::string_view prefix);

// A token secret: "hol_" + 32 random bytes in base64url.
std::string new_token_secret();

}  // namespace holon::store
