// "Did you mean": the closest of the names a user could have meant, by edit distance. One helper
// for every message that refuses a name (methods, params and model properties, enum values,
// variables), so that all of them suggest alike.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holon::suggest {

// Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions and
// swaps of two neighbours each cost 1), ignoring ASCII case and treating '_', '-' and ' ' alike,
// so that "Birth_Rate" is 0 from "birth rate".
std::size_t distance(std::string_view a, std::string_view b);

// The candidate closest to `wrong`, when it is close enough to be a slip rather than another
// name: at most 1 edit for names of up to 4 characters, 2 up to 8, then 3; never the name itself.
// Ties go to the earlier candidate.
std::optional<std::string> closest(std::string_view wrong, const std::vector<std::string>& candidates);

// "; did you mean 'simulate'?" (the suggestion in `quote` marks), or "" when nothing is close.
std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates,
                         std::string_view quote = "'");

// "'a', 'b', 'c'" — at most `max_items`, then ", ... (N more)".
std::string quoted_list(const std::vector<std::string>& items, std::size_t max_items = 30,
                        std::string_view quote = "'");

}  // namespace holon::suggest
