// Greedy word wrap for the methodology plugins' drawings (header-only, part of the plugins' common
// library like markdown.hpp): text split at spaces into lines of at most `width` bytes (a word
// longer than that stays whole on its own line). Callers size `width` from the box and the font.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace holon_plugins::text {

inline std::vector<std::string> wrap_words(const std::string &text, std::size_t width) {
    std::vector<std::string> lines;
    std::string line, word;
    std::istringstream in(text);
    while (in >> word) {
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            lines.push_back(line);
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

} // namespace holon_plugins::text
