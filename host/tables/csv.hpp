// The host's one way to write a table as CSV: the REST API, `holon run`/`holon simulate` and the
// batch runner all write result tables through here, so the same run gives the same file whichever
// way it was fetched.
#pragma once

#include "tables/table_ref.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holon::tables {

// The field as is, or quoted (RFC 4180) when it holds a comma, a quote or a line break.
std::string csv_field(std::string_view text);

// The shortest text that reads back to the same double; NaN, Infinity and -Infinity otherwise
// (spellings that strtod, Python, pandas and JavaScript all read).
std::string number_text(double value);

// Reads number_text's output back; also "inf"/"-inf" (written by Holon before 2026-12). Empty
// text and anything that is not a whole number are nullopt.
std::optional<double> parse_number(std::string_view text);

// A header line of column names, then one line per row. A column shorter than the longest one
// is padded with NaN. `line_end` is "\r\n" over HTTP (RFC 4180), "\n" in files.
std::string csv(const std::vector<std::string> &columns, const std::vector<std::vector<double>> &values,
                std::string_view line_end = "\n");

// A result table as a person downloads it: one header line of display names (the id where a
// column has none), then the numbers. No units row and no comment lines, so that pandas and
// Excel read every cell below the header as a number; the units are in columns_csv.
std::string csv(const TableRef &table, std::string_view line_end = "\n");

// The table's column metadata, one line per column: "column,label,units" (id, display name,
// units; empty when none). Written next to the table as <table>.columns.csv.
std::string columns_csv(const TableRef &table, std::string_view line_end = "\n");

} // namespace holon::tables
