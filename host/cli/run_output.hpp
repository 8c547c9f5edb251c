// Writing a run's outputs: result.json, one CSV per table (with its columns' ids, display names and
// units beside it when it has them), optionally one workbook of every table, one file per blob.
#pragma once

#include "runner/runner_pool.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace holon::cli {

// RFC 4180 CSV of a table: a header row of display names (column ids where none), then one row
// per table row. Numbers are written in shortest round-trip form; NaN as "NaN".
void write_csv(std::ostream &out, const runner::TableData &table);

// Writes everything a run produced into `dir` (created if needed) and returns the files written:
// result.json, <table>.csv, <table>.columns.csv for tables with display names or units, with
// `xlsx` every table in tables.xlsx, and each blob.
std::vector<std::filesystem::path> write_outputs(const std::filesystem::path &dir, const runner::TaskOutcome &outcome,
                                                 bool xlsx = false);

// Writes one table to `file`: an Excel workbook when it ends in .xlsx, else CSV plus, when the
// table has display names or units, <stem>.columns.csv beside it. Returns the files written.
std::vector<std::filesystem::path> write_table_file(const std::filesystem::path &file, const runner::TableData &table);

// A file name safe to create inside a folder: no separators, no leading dots.
std::string safe_file_name(const std::string &name);

} // namespace holon::cli
