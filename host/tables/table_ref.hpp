// A borrowed view of one result table with its column metadata, so that the writers here need
// neither the runner's TableData nor the store's ResultTable (both convert with table_ref()).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace holon::tables {

struct TableRef {
    std::string_view name;
    const std::vector<std::string> &columns;         // ids, unique in the table
    const std::vector<std::vector<double>> &values;  // values[column][row]
    const std::vector<std::string> &labels;          // empty, or one display name per column ("" = none)
    const std::vector<std::string> &units;           // empty, or one per column ("" = none)

    // The column's display name, falling back to its id.
    const std::string &display_name(std::size_t c) const {
        return c < labels.size() && !labels[c].empty() ? labels[c] : columns[c];
    }
    const std::string &units_of(std::size_t c) const {
        static const std::string none;
        return c < units.size() ? units[c] : none;
    }
    // True when some column has a display name or units.
    bool has_metadata() const {
        for (const auto &t : labels) if (!t.empty()) return true;
        for (const auto &t : units) if (!t.empty()) return true;
        return false;
    }
};

// Works for every table type with name, columns, values, labels and units members.
template <class T>
TableRef table_ref(const T &t) {
    return {t.name, t.columns, t.values, t.labels, t.units};
}

} // namespace holon::tables
