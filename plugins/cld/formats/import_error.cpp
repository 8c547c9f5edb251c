#include "formats/import_error.hpp"

namespace holon_cld {

std::string ImportError::located(const std::string &message, std::uint64_t line, std::uint64_t column) {
    if (line == 0) return message;
    std::string text("line ");
    text.append(std::to_string(line)).append(", column ").append(std::to_string(column)).append(": ").append(message);
    return text;
}

std::string numbered_id(const char *prefix, std::size_t number) {
    std::string id(prefix);
    id.append(std::to_string(number));
    return id;
}

std::string id_from_label(const std::string &label) {
    std::string id;
    bool dash = false;
    for (unsigned char c : label) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            id += static_cast<char>(c);
            dash = false;
        } else if (c >= 'A' && c <= 'Z') {
            id += static_cast<char>(c - 'A' + 'a');
            dash = false;
        } else if (!id.empty() && !dash) {
            id += '-';
            dash = true;
        }
    }
    while (!id.empty() && id.back() == '-') id.pop_back();
    return id.empty() ? "v" : id;
}

} // namespace holon_cld
