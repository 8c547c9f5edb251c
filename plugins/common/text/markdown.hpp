// Small text helpers the methodology plugins' reports share (header-only, part of the plugins'
// common library like drawing/svg_png.hpp): a Markdown table cell and a UTF-8-safe shortening.
#pragma once

#include <string>
#include <string_view>

namespace holon_plugins::text {

// `text` fit for one cell of a Markdown table: | escaped, line breaks turned into spaces.
inline std::string markdown_cell(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '|') out += "\\|";
        else if (c == '\n' || c == '\r') out += ' ';
        else out += c;
    }
    return out;
}

// `text` when it has at most `max_bytes` bytes; otherwise its first characters and an ellipsis,
// at most `max_bytes` bytes in all, never cut inside a UTF-8 character.
inline std::string shorten(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return std::string(text);
    constexpr std::string_view ellipsis = "\u2026"; // 3 bytes
    std::size_t n = max_bytes > ellipsis.size() ? max_bytes - ellipsis.size() : 0;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n; // text[n] starts the cut-off part
    return std::string(text.substr(0, n)) + std::string(ellipsis);
}

} // namespace holon_plugins::text
