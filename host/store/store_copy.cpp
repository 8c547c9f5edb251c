#include "store/store_copy.hpp"

#include "store/crypto.hpp"
#include "store/postgres_db.hpp"
#include "store/sqlite_db.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <memory>

namespace holon::store {

namespace {

// Every table of the schema, parents before children (the foreign keys). A table the source has
// and this list lacks stops the copy: a newer schema must not be copied in part.
const std::vector<std::string>& copy_order() {
    static const std::vector<std::string> tables = {"workspaces", "tokens",      "models",     "model_revisions",
                                                    "runs",       "run_events",  "run_results", "run_tables",
                                                    "run_blobs"};
    return tables;
}

enum class Kind { integer, real, text, blob };

struct Column {
    std::string name;
    Kind kind;
};

// The columns of a table as the SQLite schema declares them (the migrations are the same SQL
// for both engines, so the names and kinds hold for PostgreSQL too).
std::vector<Column> columns_of(Connection& sqlite, const std::string& table) {
    std::vector<Column> out;
    auto info = sqlite.prepare("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid");
    info.bind_text(1, table);
    while (info.step()) {
        std::string type = info.column_text(1);
        std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::toupper(c); });
        Kind kind = Kind::text;
        if (type.find("INT") != std::string::npos) kind = Kind::integer;
        else if (type.find("DOUBLE") != std::string::npos || type.find("REAL") != std::string::npos) kind = Kind::real;
        else if (type.find("BLOB") != std::string::npos) kind = Kind::blob;
        out.push_back({info.column_text(0), kind});
    }
    if (out.empty()) throw StoreError("the source database has no table " + table);
    return out;
}

std::string select_all(const std::string& table, const std::vector<Column>& columns) {
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + columns[i].name;
    // Child runs reference their parent run: parents first.
    return sql + " FROM " + table + (table == "runs" ? " ORDER BY parent_id IS NOT NULL" : "");
}

// One value in a form both engines give alike: a kind tag, then the value.
void append_value(std::string& row, const Statement& statement, int column, Kind kind) {
    if (statement.is_null(column)) {
        row += "N;";
        return;
    }
    switch (kind) {
        case Kind::integer:
            row += "I" + std::to_string(statement.column_int(column)) + ";";
            return;
        case Kind::real: {
            char bits[32];
            std::snprintf(bits, sizeof bits, "D%016llx;",
                          static_cast<unsigned long long>(std::bit_cast<std::uint64_t>(statement.column_double(column))));
            row += bits;
            return;
        }
        case Kind::text: {
            const std::string text = statement.column_text(column);
            row += "T" + std::to_string(text.size()) + ":" + text;
            return;
        }
        case Kind::blob: {
            const std::string bytes = statement.column_blob(column);
            row += "B" + std::to_string(bytes.size()) + ":" + bytes;
            return;
        }
    }
}

TableDigest digest_table(Connection& db, const std::string& table, const std::vector<Column>& columns) {
    TableDigest digest{table, 0, ""};
    std::vector<std::string> rows;
    auto statement = db.prepare(select_all(table, columns));
    while (statement.step()) {
        std::string row;
        for (std::size_t c = 0; c < columns.size(); ++c) append_value(row, statement, static_cast<int>(c), columns[c].kind);
        rows.push_back(sha256_hex(row));
    }
    std::sort(rows.begin(), rows.end());
    std::string all;
    for (const auto& r : rows) all += r;
    digest.rows = static_cast<std::int64_t>(rows.size());
    digest.sha256 = sha256_hex(all);
    return digest;
}

std::int64_t copy_table(Connection& from, Connection& to, const std::string& table, const std::vector<Column>& columns) {
    std::string insert = "INSERT INTO " + table + " (";
    std::string values;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        insert += (i ? ", " : "") + columns[i].name;
        values += (i ? ", ?" : "?") + std::to_string(i + 1);
    }
    insert += ") VALUES (" + values + ")";
    auto rows = from.prepare(select_all(table, columns));
    std::int64_t copied = 0;
    while (rows.step()) {
        auto out = to.prepare(insert);
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const int column = static_cast<int>(c), index = static_cast<int>(c + 1);
            if (rows.is_null(column)) {
                out.bind_null(index);
                continue;
            }
            switch (columns[c].kind) {
                case Kind::integer: out.bind_int(index, rows.column_int(column)); break;
                case Kind::real: out.bind_double(index, rows.column_double(column)); break;
                case Kind::text: out.bind_text(index, rows.column_text(column)); break;
                case Kind::blob: out.bind_blob(index, rows.column_blob(column)); break;
            }
        }
        out.run();
        ++copied;
    }
    return copied;
}

void refuse_unknown_tables(Connection& sqlite) {
    auto tables = sqlite.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'");
    while (tables.step()) {
        const std::string name = tables.column_text(0);
        if (std::find(copy_order().begin(), copy_order().end(), name) == copy_order().end())
            throw StoreError("the source database has a table this Holon does not know (" + name +
                             "); migrate with the Holon version that created it");
    }
}

std::unique_ptr<SqliteConnection> open_source(const std::filesystem::path& data_dir) {
    const auto file = database_path(data_dir);
    if (!std::filesystem::exists(file)) throw StoreError("no Holon database in " + data_dir.string() + " (" + file.string() + ")");
    // Opening it as a store first brings an older schema up to the version this Holon copies.
    open_sqlite_store(data_dir).reset();
    return std::make_unique<SqliteConnection>(file, SqliteConnection::Mode::read_only, 5000);
}

}  // namespace

CopyReport copy_sqlite_to_postgres(const std::filesystem::path& data_dir, const std::string& conninfo) {
    auto source = open_source(data_dir);
    refuse_unknown_tables(*source);
    // Opening the target as a store creates its schema (or checks it is this version's).
    open_postgres_store(conninfo).reset();
    PostgresConnection target(conninfo, "");
    if (source->query_text("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") !=
        target.query_text("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))
        throw StoreError("the source and target schemas are at different versions");

    CopyReport report;
    {
        Transaction read(*source, Transaction::Kind::read);
        Transaction write(target, Transaction::Kind::write);
        for (const auto& table : copy_order()) {
            const std::string rows = target.query_text("SELECT COUNT(*) FROM " + table);
            if (rows != "0")
                throw StoreError("the target database already holds data (" + rows + " rows in " + table +
                                 "); migrate into an empty database");
        }
        for (const auto& table : copy_order()) copy_table(*source, target, table, columns_of(*source, table));
        report.source.clear();
        for (const auto& table : copy_order()) {
            const auto columns = columns_of(*source, table);
            report.source.push_back(digest_table(*source, table, columns));
            report.target.push_back(digest_table(target, table, columns));
            const auto& s = report.source.back();
            const auto& t = report.target.back();
            if (s.rows != t.rows || s.sha256 != t.sha256)
                throw StoreError("verification failed for table " + table + ": " + std::to_string(s.rows) +
                                 " rows (sha256 " + s.sha256 + ") in SQLite, " + std::to_string(t.rows) +
                                 " rows (sha256 " + t.sha256 + ") in PostgreSQL; nothing was committed");
        }
        write.commit();
        read.commit();
    }
    return report;
}

}  // namespace holon::store
