// Writing a run's outputs: result.json, one CSV per table, one file per blob.
#pragma once

#include "runner/runner_pool.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace holon::cli {

// RFC 4180 CSV of a table: a header row of column names, then one row per table row. Numbers are
// written in shortest round-trip form; NaN as "NaN".
void write_csv(std::ostream &out, const runner::TableData &table);

// Writes everything a run produced into `dir` (created if needed) and returns the files written.
std::vector<std::filesystem::path> write_outputs(const std::filesystem::path &dir, const runner::TaskOutcome &outcome);

// A file name safe to create inside a folder: no separators, no leading dots.
std::string safe_file_name(const std::string &name);

} // namespace holon::cli
