// Moving an installation from the embedded SQLite store to PostgreSQL (`holon store migrate`):
// every row of every table copied through the SQL layer (sql.hpp) with its ids, in one target
// transaction, then both sides compared table by table (row count and a hash of the rows).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace holon::store {

struct TableDigest {
    std::string table;
    std::int64_t rows = 0;
    std::string sha256;  // of the sorted hashes of the rows (so the engines' sort orders do not matter)
};

struct CopyReport {
    std::vector<TableDigest> source;  // the SQLite side, in copy order
    std::vector<TableDigest> target;  // the PostgreSQL side after the copy
};

// Copies the SQLite database of data_dir into the PostgreSQL database `conninfo` (its schema is
// created or brought up to date first) and verifies the copy. Throws StoreError (nothing written
// to the target) when data_dir has no database, the target already holds any row, the source has
// a table this version does not know, or the verification differs (the copy is then rolled back).
// No server may write to data_dir meanwhile (the source is read in one snapshot regardless).
CopyReport copy_sqlite_to_postgres(const std::filesystem::path& data_dir, const std::string& conninfo);

}  // namespace holon::store
