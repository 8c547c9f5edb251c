#include "runner_child/sweep_chunk.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

namespace holon::runner {
namespace {

const holon_column_t &column_at(const holon_table_t &table, uint32_t c) {
#ifdef HOLON_TABLE_COLUMN
    return *HOLON_TABLE_COLUMN(&table, c);
#else
    return table.columns[c];
#endif
}

} // namespace

void ChunkCapture::on_table(const holon_table_t &table) {
    const bool first = !table_seen;
    table_seen = true;
    if (computed || !is_outcome_table(*spec, table.name, first)) return;
    TableView view;
    view.name = table.name;
    for (uint32_t c = 0; c < table.column_count; ++c) {
        const holon_column_t &column = column_at(table, c);
        view.columns.emplace_back(column.name);
        view.values.emplace_back(column.values, static_cast<size_t>(table.row_count));
    }
    error = compute_outcomes(*spec, {view}, scalars, series_time, series);
    computed = error.empty();
}

void run_sweep_chunk(const protocol::TaskMessage &task, const ChunkHooks &hooks) {
    protocol::DoneMessage done;
    OutcomeSpec spec;
    try {
        spec = OutcomeSpec::from_json(nlohmann::json::parse(task.outcomes_json));
    } catch (const std::exception &e) {
        done.status = HOLON_ERR_BAD_ARGUMENT;
        done.message = std::string("the chunk's outcome spec cannot be read: ") + e.what();
        hooks.send(protocol::MessageType::Done, protocol::encode(done));
        return;
    }
    const size_t n = task.point_params.size();
    TableData scalars, series;
    scalars.name = "holon.outcomes";
    series.name = "holon.series";
    series.columns = {"point", "time"};
    series.values.resize(2);
    for (const auto &o : spec.outcomes) {
        if (o.kind == OutcomeKind::series) {
            series.columns.push_back(o.name);
            series.values.emplace_back();
        } else {
            scalars.columns.push_back(o.name);
            scalars.values.emplace_back(n, std::numeric_limits<double>::quiet_NaN());
        }
    }
    const bool with_series = series.columns.size() > 2;
    nlohmann::json failed = nlohmann::json::array();
    for (size_t k = 0; k < n; ++k) {
        if (hooks.cancelled()) {
            done.status = HOLON_ERR_CANCELLED;
            done.message = "cancelled";
            hooks.send(protocol::MessageType::Done, protocol::encode(done));
            return;
        }
        ChunkCapture capture;
        capture.spec = &spec;
        protocol::DoneMessage one = hooks.run_one(task.point_params[k], capture);
        if (one.status != HOLON_OK) {
            nlohmann::json f{{"index", k}, {"status", one.status}, {"message", one.message}};
            if (!one.problem.empty()) f["problem"] = one.problem;
            failed.push_back(std::move(f));
            continue;
        }
        if (!capture.computed) {
            failed.push_back({{"index", k},
                              {"status", HOLON_ERR_FAILED},
                              {"problem", "missing-outcome"},
                              {"message", capture.error.empty() ? "the method put no table" : capture.error}});
            continue;
        }
        for (size_t c = 0; c < capture.scalars.size(); ++c) scalars.values[c][k] = capture.scalars[c];
        if (with_series)
            for (size_t row = 0; row < capture.series_time.size(); ++row) {
                bool any = false;
                for (const auto &s : capture.series) any = any || !std::isnan(s[row]);
                if (!any) continue; // outside every series outcome's window
                series.values[0].push_back(static_cast<double>(k));
                series.values[1].push_back(capture.series_time[row]);
                for (size_t c = 0; c < capture.series.size(); ++c) series.values[2 + c].push_back(capture.series[c][row]);
            }
    }
    hooks.send(protocol::MessageType::ResultTable, protocol::encode_table(scalars));
    if (with_series) hooks.send(protocol::MessageType::ResultTable, protocol::encode_table(series));
    hooks.send(protocol::MessageType::ResultJson, nlohmann::json{{"failed", failed}}.dump());
    hooks.send(protocol::MessageType::Done, protocol::encode(done));
}

} // namespace holon::runner
