// Opaque pagination cursors: the sort key of the last item of a page, base64url-encoded so that
// clients treat it as a token rather than something to construct.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace holon::store {

// The keyset position (created_at, id) after which the next page starts.
struct CursorKey {
    std::int64_t number = 0;
    std::string id;
};

std::string encode_cursor(const CursorKey& key);
// Throws InvalidArgument for anything encode_cursor did not produce.
CursorKey decode_cursor(std::string_view cursor);

}  // namespace holon::store
