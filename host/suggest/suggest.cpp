#include "suggest/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace holon::suggest {
namespace {

char fold(char c) {
    if (c == '_' || c == '-') return ' ';
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::string folded(std::string_view s) {
    std::string out(s.size(), ' ');
    std::transform(s.begin(), s.end(), out.begin(), fold);
    return out;
}

std::size_t threshold(std::size_t length) {
    if (length <= 4) return 1;
    if (length <= 8) return 2;
    return 3;
}

}  // namespace

std::size_t distance(std::string_view a_in, std::string_view b_in) {
    const std::string a = folded(a_in);
    const std::string b = folded(b_in);
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    // Three rows: the one before the previous is needed for swaps.
    std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
    for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[m];
}

std::optional<std::string> closest(std::string_view wrong, const std::vector<std::string>& candidates) {
    const std::size_t limit = threshold(wrong.size());
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (const std::string& c : candidates) {
        if (c == wrong) continue;
        // Cheap bound first: lengths further apart than the limit cannot be close.
        const std::size_t gap = c.size() > wrong.size() ? c.size() - wrong.size() : wrong.size() - c.size();
        if (gap >= best_distance) continue;
        const std::size_t d = distance(wrong, c);
        // Replacing every character of a short name is another name, not a slip.
        if (d < best_distance && d < wrong.size()) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates, std::string_view quote) {
    const auto best = closest(wrong, candidates);
    if (!best) return {};
    return std::string("; did you mean ") + std::string(quote) + *best + std::string(quote) + "?";
}

std::string quoted_list(const std::vector<std::string>& items, std::size_t max_items, std::string_view quote) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < max_items; ++i) {
        if (i > 0) out += ", ";
        out += std::string(quote) + items[i] + std::string(quote);
    }
    if (items.size() > max_items) out += ", ... (" + std::to_string(items.size() - max_items) + " more)";
    return out;
}

}  // namespace holon::suggest
