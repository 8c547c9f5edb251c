// Reading the explore methods' data: an experiments table (one column per uncertainty or lever,
// one row per point) and an outcomes table (one column per outcome, the same rows), each given
// either as a params member or as an input table of that name. A params member is an object of
// columns ({"x1": [..], "x2": [..]}) or an array of row objects ([{"x1": .., "x2": ..}, ..]).
#pragma once

#include <holon/inputs.hpp>
#include <holon/plugin.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace holon_explore::methods {

struct Columns {
    std::vector<std::string> names;
    std::vector<std::vector<double>> values; // values[column][row]
    std::size_t rows() const { return values.empty() ? 0 : values.front().size(); }
    bool empty() const { return names.empty(); }
    int find(const std::string &name) const {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == name) return static_cast<int>(i);
        return -1;
    }
};

// params[key] or the input table named `key`; empty when neither is given. Refuses (invalid
// params, naming the path) a member of the wrong shape, a value that is not a finite number and
// columns of different lengths.
Columns read_columns(const holon::Context &ctx, const nlohmann::json &params, const std::string &key);

// Like read_columns but fails when the data are missing.
Columns require_columns(const holon::Context &ctx, const nlohmann::json &params, const std::string &key);

// The outcome columns params["outcome"] selects (a name or a list of names; when absent every
// column but "point"), failing with the known names when one is unknown.
std::vector<std::size_t> selected_outcomes(const Columns &outcomes, const nlohmann::json &params);

// The experiments' factor columns: params["factors"] (names) when given, else the uncertainties
// of params["design"] (a batch's design.json), else every column but "point" and "policy".
std::vector<std::size_t> selected_factors(const Columns &experiments, const nlohmann::json &params);

// params[key], else the same member of params["design"] (a batch's design.json), else `fallback`.
template <class T> T setting(const nlohmann::json &params, const char *key, T fallback) {
    if (params.contains(key)) return params[key].get<T>();
    const auto design = params.find("design");
    if (design != params.end() && design->is_object() && design->contains(key)) return (*design)[key].get<T>();
    return fallback;
}

// The rows of each policy: a batch with levers writes a "policy" column (0, 1, ...) and one full
// design per policy, rows contiguous. Without that column, or with a single policy, one group of
// every row (policy unset). params["policy"] keeps only that policy's rows.
struct RowGroup {
    std::optional<double> policy;
    std::vector<std::size_t> rows;
};
std::vector<RowGroup> policy_groups(const Columns &experiments, const nlohmann::json &params);

// A policy number as text: "0", "1", ... (or the shortest form of another number).
std::string policy_text(double policy);

// The given rows of every column.
Columns subset(const Columns &table, const std::vector<std::size_t> &rows);

// Fails unless both tables have the same number of rows.
void require_same_rows(const Columns &experiments, const Columns &outcomes);

// "a, b, c"
std::string join(const std::vector<std::string> &names);

// File-name-safe form of an outcome name (letters, digits, '-', '_', '.'; others become '_').
std::string file_stem(const std::string &name);

// A double for the result document: NaN and infinities become null.
nlohmann::json number_or_null(double v);

} // namespace holon_explore::methods
