// Writing the output folder safely: whole files appear atomically (temp file + rename), so a
// batch killed at any moment leaves either the old or the new file, never half of one.
#pragma once

#include "runner/task_types.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace holon::batch {

// Writes `content` to `file` through a temporary sibling and rename(). Throws std::runtime_error.
void write_file_atomically(const std::filesystem::path &file, const std::string &content);

// Writes `content` to `file` in place (create or truncate). Only for files whose completeness is
// vouched for by something written after them, like a point's files by its journal line: it
// saves the rename, one metadata operation per file, which adds up over thousands of points.
void write_file(const std::filesystem::path &file, const std::string &content);

// RFC 4180 CSV: a header of column names, then one row per table row; numbers in shortest
// round-trip form, NaN as "NaN".
std::string table_csv(const runner::TableData &table);

// The table's column ids, display names and units ("column,label,units"); "" when the table has
// neither names nor units.
std::string table_columns_csv(const runner::TableData &table);

// Reads a CSV written by table_csv back (header + numeric cells). Throws std::runtime_error.
runner::TableData read_table_csv(const std::filesystem::path &file);

// A CSV field, quoted when it needs to be.
std::string csv_field(const std::string &text);
// A number in shortest round-trip form ("NaN" for NaN, "" when `empty_for_nan`).
std::string number_text(double value, bool empty_for_nan = false);

// A name usable as one file name: letters, digits, '-', '_' and '.' kept, the rest '_'.
std::string file_stem(const std::string &name);

} // namespace holon::batch
