#include "tables/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace holon::tables {

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::string number_text(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
    char buf[32];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, res.ptr);
}

std::optional<double> parse_number(std::string_view text) {
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity" || text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity" || text == "-inf") return -std::numeric_limits<double>::infinity();
    double value = 0;
    const auto res = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string csv(const std::vector<std::string> &columns, const std::vector<std::vector<double>> &values,
                std::string_view line_end) {
    std::string out;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        if (c) out += ',';
        out += csv_field(columns[c]);
    }
    out += line_end;
    std::size_t rows = 0;
    for (const auto &column : values) rows = std::max(rows, column.size());
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < values.size(); ++c) {
            if (c) out += ',';
            out += number_text(r < values[c].size() ? values[c][r] : std::numeric_limits<double>::quiet_NaN());
        }
        out += line_end;
    }
    return out;
}

std::string csv(const TableRef &table, std::string_view line_end) {
    std::vector<std::string> header;
    for (std::size_t c = 0; c < table.columns.size(); ++c) header.push_back(table.display_name(c));
    return csv(header, table.values, line_end);
}

std::string columns_csv(const TableRef &table, std::string_view line_end) {
    std::string out = "column,label,units";
    out += line_end;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        out += csv_field(table.columns[c]) + ',';
        out += csv_field(c < table.labels.size() ? table.labels[c] : std::string()) + ',';
        out += csv_field(table.units_of(c));
        out += line_end;
    }
    return out;
}

} // namespace holon::tables
