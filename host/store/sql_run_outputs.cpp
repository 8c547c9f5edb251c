// Run events (for server-sent events) and run outputs (result JSON, tables, blobs).
#include "store/sql_store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>
#include <set>

namespace holon::store {

namespace {

// Tables are stored column after column, each value as 8 little-endian bytes of its IEEE 754
// representation, so that the BLOB means the same on every host that reads the database.
std::string encode_values(const ResultTable& table) {
    std::string bytes;
    std::size_t count = 0;
    for (const auto& column : table.values) count += column.size();
    bytes.reserve(count * 8);
    for (const auto& column : table.values) {
        for (const double value : column) {
            const auto bits = std::bit_cast<std::uint64_t>(value);
            for (int shift = 0; shift < 64; shift += 8) bytes += static_cast<char>((bits >> shift) & 0xFFu);
        }
    }
    return bytes;
}

std::vector<std::vector<double>> decode_values(const std::string& bytes, std::size_t columns, std::size_t rows) {
    if (bytes.size() != columns * rows * 8) throw StoreError("stored result table has the wrong size");
    std::vector<std::vector<double>> values(columns, std::vector<double>(rows));
    std::size_t at = 0;
    for (auto& column : values) {
        for (double& value : column) {
            std::uint64_t bits = 0;
            for (int shift = 0; shift < 64; shift += 8, ++at)
                bits |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at])) << shift;
            value = std::bit_cast<double>(bits);
        }
    }
    return values;
}

// labels_json / units_json: NULL when no column has one (and for tables stored before they existed).
std::optional<std::string> texts_json(const std::vector<std::string>& texts) {
    if (std::all_of(texts.begin(), texts.end(), [](const std::string& t) { return t.empty(); })) return std::nullopt;
    return nlohmann::json(texts).dump();
}

std::vector<std::string> texts_from(const Statement& row, int column, std::size_t count) {
    if (row.is_null(column)) return {};
    auto texts = nlohmann::json::parse(row.column_text(column)).get<std::vector<std::string>>();
    if (texts.size() != count) throw StoreError("stored result table has labels or units that do not match its columns");
    return texts;
}

// Columns: name, columns_json, row_count, data, labels_json, units_json.
constexpr const char* kTableColumns = "name, columns_json, row_count, data, labels_json, units_json";

ResultTable read_table(const Statement& row) {
    ResultTable table;
    table.name = row.column_text(0);
    table.columns = nlohmann::json::parse(row.column_text(1)).get<std::vector<std::string>>();
    const auto rows = static_cast<std::size_t>(row.column_int(2));
    table.values = decode_values(row.column_blob(3), table.columns.size(), rows);
    table.labels = texts_from(row, 4, table.columns.size());
    table.units = texts_from(row, 5, table.columns.size());
    return table;
}

void require_run_in_workspace(Connection& db, const std::string& workspace_id, const std::string& run_id) {
    auto row = db.prepare("SELECT 1 FROM runs WHERE id = ?1 AND workspace_id = ?2");
    row.bind_text(1, run_id).bind_text(2, workspace_id);
    if (!row.step()) throw NotFound("run not found");
}

}  // namespace

void validate_outputs(const RunOutputs& outputs) {
    std::set<std::string> names;
    for (const ResultTable& table : outputs.tables) {
        if (!names.insert(table.name).second) throw InvalidArgument("duplicate result table '" + table.name + "'");
        if (table.columns.size() != table.values.size())
            throw InvalidArgument("result table '" + table.name + "' has " + std::to_string(table.columns.size()) +
                                  " column names for " + std::to_string(table.values.size()) + " columns");
        const std::size_t rows = table.values.empty() ? 0 : table.values.front().size();
        for (const auto& column : table.values)
            if (column.size() != rows) throw InvalidArgument("result table '" + table.name + "' has ragged columns");
        if ((!table.labels.empty() && table.labels.size() != table.columns.size()) ||
            (!table.units.empty() && table.units.size() != table.columns.size()))
            throw InvalidArgument("result table '" + table.name + "' has labels or units that do not match its columns");
    }
    names.clear();
    for (const ResultBlob& blob : outputs.blobs)
        if (!names.insert(blob.name).second) throw InvalidArgument("duplicate result blob '" + blob.name + "'");
}

// --------------------------------------------------------------------------------------------
// Events

std::int64_t SqlStore::append_event_in(Connection& db, const std::string& run_id, const std::string& workspace_id,
                                          const std::string& type, const std::string& data_json) {
    std::int64_t id = 0;
    {
        auto row = db.prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM run_events WHERE run_id = ?1");
        row.bind_text(1, run_id);
        row.step();
        id = row.column_int(0);
    }
    db.prepare("INSERT INTO run_events (run_id, seq, workspace_id, type, data_json, created_at)"
               " VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind_text(1, run_id)
        .bind_int(2, id)
        .bind_text(3, workspace_id)
        .bind_text(4, type)
        .bind_text(5, data_json)
        .bind_int(6, now())
        .run();
    return id;
}

void SqlStore::append_state_event_in(Connection& db, const std::string& run_id, const std::string& workspace_id,
                                        RunState state) {
    append_event_in(db, run_id, workspace_id, "state", nlohmann::json{{"state", to_string(state)}}.dump());
}

std::int64_t SqlStore::append_event(const std::string& run_id, const std::string& type, const std::string& data_json) {
    if (type.empty()) throw InvalidArgument("event type must not be empty");
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    const Run run = load_run_in(*db, run_id);
    const std::int64_t id = append_event_in(*db, run_id, run.workspace_id, type, data_json);
    transaction.commit();
    return id;
}

std::vector<RunEvent> SqlStore::list_events(const std::string& workspace_id, const std::string& run_id,
                                               std::int64_t after_id, std::size_t limit) {
    const std::size_t clamped = std::clamp<std::size_t>(limit, 1, options_.max_page_size);
    auto db = pool_->read();
    Transaction snapshot(*db, Transaction::Kind::read);
    require_run_in_workspace(*db, workspace_id, run_id);
    std::vector<RunEvent> events;
    auto rows = db->prepare(
        "SELECT seq, type, data_json, created_at FROM run_events"
        " WHERE run_id = ?1 AND workspace_id = ?2 AND seq > ?3 ORDER BY seq LIMIT ?4");
    rows.bind_text(1, run_id).bind_text(2, workspace_id).bind_int(3, after_id).bind_int(4, static_cast<std::int64_t>(clamped));
    while (rows.step()) events.push_back({rows.column_int(0), rows.column_text(1), rows.column_text(2), rows.column_int(3)});
    return events;
}

// --------------------------------------------------------------------------------------------
// Outputs

void SqlStore::store_outputs_in(Connection& db, const std::string& run_id, const std::string& workspace_id,
                                   const RunOutputs& outputs) {
    if (!outputs.result_json.empty()) {
        db.prepare("INSERT INTO run_results (run_id, workspace_id, result_json) VALUES (?1, ?2, ?3)")
            .bind_text(1, run_id)
            .bind_text(2, workspace_id)
            .bind_text(3, outputs.result_json)
            .run();
    }
    std::int64_t position = 0;
    for (const ResultTable& table : outputs.tables) {
        const std::size_t rows = table.values.empty() ? 0 : table.values.front().size();
        auto insert = db.prepare(
            "INSERT INTO run_tables (run_id, name, workspace_id, position, columns_json, row_count, data,"
            " labels_json, units_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
        insert.bind_text(1, run_id)
            .bind_text(2, table.name)
            .bind_text(3, workspace_id)
            .bind_int(4, position++)
            .bind_text(5, nlohmann::json(table.columns).dump())
            .bind_int(6, static_cast<std::int64_t>(rows))
            .bind_blob(7, encode_values(table));
        insert.bind_optional_text(8, texts_json(table.labels));
        insert.bind_optional_text(9, texts_json(table.units));
        insert.run();
    }
    position = 0;
    for (const ResultBlob& blob : outputs.blobs) {
        db.prepare("INSERT INTO run_blobs (run_id, name, workspace_id, position, media_type, bytes, data)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .bind_text(1, run_id)
            .bind_text(2, blob.name)
            .bind_text(3, workspace_id)
            .bind_int(4, position++)
            .bind_text(5, blob.media_type)
            .bind_int(6, static_cast<std::int64_t>(blob.data.size()))
            .bind_blob(7, blob.data)
            .run();
    }
}

RunOutputs SqlStore::get_outputs(const std::string& workspace_id, const std::string& run_id) {
    auto db = pool_->read();
    Transaction snapshot(*db, Transaction::Kind::read);
    require_run_in_workspace(*db, workspace_id, run_id);
    RunOutputs outputs;
    {
        auto row = db->prepare("SELECT result_json FROM run_results WHERE run_id = ?1 AND workspace_id = ?2");
        row.bind_text(1, run_id).bind_text(2, workspace_id);
        if (row.step()) outputs.result_json = row.column_text(0);
    }
    {
        auto rows = db->prepare(std::string("SELECT ") + kTableColumns +
                                " FROM run_tables WHERE run_id = ?1 AND workspace_id = ?2 ORDER BY position");
        rows.bind_text(1, run_id).bind_text(2, workspace_id);
        while (rows.step()) outputs.tables.push_back(read_table(rows));
    }
    {
        auto rows = db->prepare("SELECT name, media_type, data FROM run_blobs"
                                " WHERE run_id = ?1 AND workspace_id = ?2 ORDER BY position");
        rows.bind_text(1, run_id).bind_text(2, workspace_id);
        while (rows.step()) outputs.blobs.push_back({rows.column_text(0), rows.column_text(1), rows.column_blob(2)});
    }
    return outputs;
}

ResultTable SqlStore::get_result_table(const std::string& workspace_id, const std::string& run_id,
                                          const std::string& name) {
    auto db = pool_->read();
    auto row = db->prepare(std::string("SELECT ") + kTableColumns +
                           " FROM run_tables WHERE run_id = ?1 AND workspace_id = ?2 AND name = ?3");
    row.bind_text(1, run_id).bind_text(2, workspace_id).bind_text(3, name);
    if (!row.step()) throw NotFound("result table not found");
    return read_table(row);
}

ResultBlob SqlStore::get_result_blob(const std::string& workspace_id, const std::string& run_id,
                                        const std::string& name) {
    auto db = pool_->read();
    auto row = db->prepare("SELECT name, media_type, data FROM run_blobs"
                           " WHERE run_id = ?1 AND workspace_id = ?2 AND name = ?3");
    row.bind_text(1, run_id).bind_text(2, workspace_id).bind_text(3, name);
    if (!row.step()) throw NotFound("result blob not found");
    return {row.column_text(0), row.column_text(1), row.column_blob(2)};
}

}  // namespace holon::store
