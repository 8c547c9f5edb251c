#include "store/cursor.hpp"

#include "store/crypto.hpp"
#include "store/store.hpp"

#include <charconv>

namespace holon::store {

std::string encode_cursor(const CursorKey& key) {
    return base64url_encode(std::to_string(key.number) + "." + key.id);
}

CursorKey decode_cursor(std::string_view cursor) {
    const auto text = base64url_decode(cursor);
    if (!text) throw InvalidArgument("invalid pagination cursor");
    const auto dot = text->find('.');
    if (dot == std::string::npos || dot == 0) throw InvalidArgument("invalid pagination cursor");
    CursorKey key;
    const char* first = text->data();
    const char* last = text->data() + dot;
    const auto [end, error] = std::from_chars(first, last, key.number);
    if (error != std::errc() || end != last) throw InvalidArgument("invalid pagination cursor");
    key.id = text->substr(dot + 1);
    return key;
}

}  // namespace holon::store
