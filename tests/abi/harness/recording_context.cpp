#include "recording_context.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <set>
#include <utility>

// The opaque handle of holon.invoke/1: defined by the host, here the test.
struct holon_invoke_result {
    int32_t status = HOLON_OK;
    std::string error;
    std::string json = "null";
    std::vector<holon::abi_test::RecordedTable> tables;
    std::vector<std::vector<holon_column_t>> columns;
    std::vector<holon_table_t> raw_tables;
};

namespace holon::abi_test {
namespace {

holon_table_t lend(const RecordedTable &t, std::vector<holon_column_t> &columns) {
    columns.clear();
    for (size_t i = 0; i < t.columns.size(); ++i)
        columns.push_back({sizeof(holon_column_t), t.column_names[i].c_str(), t.columns[i].data(), nullptr, nullptr});
    return {sizeof(holon_table_t), t.name.c_str(), t.row_count, static_cast<uint32_t>(columns.size()),
            columns.data()};
}

bool method_exists(const holon_method_factory_v1_t *factory, const char *id) {
    for (uint32_t i = 0; i < factory->count(factory); ++i)
        if (std::strcmp(factory->get(factory, i)->id, id) == 0) return true;
    return false;
}

} // namespace

RecordingContext::RecordingContext(RunInputs inputs, const holon_method_factory_v1_t *factory)
    : inputs_(std::move(inputs)), factory_(factory) {
    input_columns_.resize(inputs_.tables.size());
    for (size_t i = 0; i < inputs_.tables.size(); ++i) input_tables_.push_back(lend(inputs_.tables[i], input_columns_[i]));
    raw_inputs_.struct_size = sizeof(holon_run_inputs_t);
    raw_inputs_.model_json = inputs_.model_json.data();
    raw_inputs_.model_json_size = inputs_.model_json.size();
    raw_inputs_.params_json = inputs_.params_json.data();
    raw_inputs_.params_json_size = inputs_.params_json.size();
    raw_inputs_.table_count = static_cast<uint32_t>(input_tables_.size());
    raw_inputs_.tables = input_tables_.empty() ? nullptr : input_tables_.data();
    raw_inputs_.source = "";
    raw_inputs_.source_name = "";
    raw_inputs_.source_dir = "";
    raw_inputs_.scratch_dir = "";

    holon_context_t &c = bridge_.context;
    c.struct_size = sizeof(holon_context_t);
    c.inputs = &raw_inputs_;
    c.set_error = &RecordingContext::set_error;
    c.progress = &RecordingContext::on_progress;
    c.is_cancelled = &RecordingContext::is_cancelled;
    c.log = &RecordingContext::log;
    c.put_json = &RecordingContext::put_json;
    c.put_table = &RecordingContext::put_table;
    c.put_blob = &RecordingContext::put_blob;
    c.get_extension = &RecordingContext::get_extension;
    bridge_.self = this;
}

int32_t RecordingContext::run(const holon_method_factory_v1_t *factory, const char *method_id) {
    return factory->run(factory, method_id, raw());
}

RecordingContext &RecordingContext::from(const holon_context_t *c) {
    // The context is the first member of a standard-layout Bridge, so the pointers convert.
    return *reinterpret_cast<const Bridge *>(c)->self;
}

int32_t RecordingContext::set_error(const holon_context_t *c, int32_t code, const char *message, const char *details) {
    auto &s = from(c);
    s.has_error = true;
    s.error_code = code;
    s.error_message = message ? message : "";
    s.error_details = details ? details : "";
    return code;
}

void RecordingContext::on_progress(const holon_context_t *c, double fraction, const char *stage) {
    if (std::isnan(fraction)) return;
    auto &s = from(c);
    s.progress.push_back(fraction < 0 ? 0 : fraction > 1 ? 1 : fraction);
    s.stages.emplace_back(stage ? stage : "");
}

int32_t RecordingContext::is_cancelled(const holon_context_t *c) {
    auto &s = from(c);
    ++s.polls;
    return s.cancel_at_poll_ > 0 && s.polls >= s.cancel_at_poll_ ? 1 : 0;
}

void RecordingContext::log(const holon_context_t *c, int32_t level, const char *message) {
    from(c).logs.emplace_back(level, message ? message : "");
}

int32_t RecordingContext::put_json(const holon_context_t *c, const char *data, uint64_t size) {
    if (!data) return HOLON_ERR_BAD_ARGUMENT;
    std::string text(data, static_cast<size_t>(size));
    if (!nlohmann::json::accept(text)) return HOLON_ERR_BAD_ARGUMENT;
    auto &s = from(c);
    s.json = std::move(text);
    s.has_json = true;
    return HOLON_OK;
}

int32_t RecordingContext::put_table(const holon_context_t *c, const holon_table_t *table) {
    if (!table || !table->name || (table->column_count > 0 && !table->columns)) return HOLON_ERR_BAD_ARGUMENT;
    RecordedTable copy;
    copy.name = table->name;
    copy.row_count = table->row_count;
    std::set<std::string> seen;
    for (uint32_t i = 0; i < table->column_count; ++i) {
        // Stepped by the plugin's own struct_size: a 1.0 plugin's columns are smaller than ours.
        const holon_column_t *column = HOLON_TABLE_COLUMN(table, i);
        const holon_column_t &col = *column;
        if (!col.name || !seen.insert(col.name).second) return HOLON_ERR_BAD_ARGUMENT;
        copy.column_names.emplace_back(col.name);
        const bool labelled = HOLON_HAS_FIELD(column, holon_column_t, units);
        copy.column_labels.emplace_back(labelled && col.label ? col.label : "");
        copy.column_units.emplace_back(labelled && col.units ? col.units : "");
        copy.columns.emplace_back(col.values, col.values + table->row_count);
    }
    auto &s = from(c);
    for (auto &existing : s.tables) {
        if (existing.name != copy.name) continue;
        if (existing.column_names != copy.column_names) return HOLON_ERR_BAD_ARGUMENT;
        for (size_t i = 0; i < copy.columns.size(); ++i)
            existing.columns[i].insert(existing.columns[i].end(), copy.columns[i].begin(), copy.columns[i].end());
        existing.row_count += copy.row_count;
        return HOLON_OK;
    }
    s.tables.push_back(std::move(copy));
    return HOLON_OK;
}

int32_t RecordingContext::put_blob(const holon_context_t *c, const char *name, const char *media_type, const void *data,
                                   uint64_t size) {
    if (!name || !media_type || (!data && size > 0)) return HOLON_ERR_BAD_ARGUMENT;
    from(c).blobs[name] = {media_type, std::string(static_cast<const char *>(data), static_cast<size_t>(size))};
    return HOLON_OK;
}

const void *RecordingContext::get_extension(const holon_context_t *c, const char *id) {
    auto &s = from(c);
    s.extension_queries.emplace_back(id ? id : "");
    if (s.factory_ && id && std::strcmp(id, HOLON_EXT_INVOKE) == 0) return invoke_extension();
    return nullptr;
}

namespace {

int32_t invoke(const holon_context_t *c, const holon_invoke_request_t *request, holon_invoke_result_t **out) {
    if (!out) return HOLON_ERR_BAD_ARGUMENT;
    *out = new holon_invoke_result;
    holon_invoke_result &result = **out;
    auto fail = [&](int32_t code, const char *why) {
        result.status = code;
        result.error = why;
        return code;
    };
    if (!request || !request->method_id || !HOLON_HAS_FIELD(request, holon_invoke_request_t, source_name))
        return fail(HOLON_ERR_BAD_ARGUMENT, "malformed request");
    // The nested run uses the factory of the caller's context.
    const holon_method_factory_v1_t *factory = RecordingContext::from(c).factory();
    if (!method_exists(factory, request->method_id)) return fail(HOLON_ERR_NOT_FOUND, "no such method");

    const holon_run_inputs_t *parent = c->inputs;
    RunInputs inputs;
    inputs.model_json = request->model_json
                            ? std::string(request->model_json, static_cast<size_t>(request->model_json_size))
                            : std::string(parent->model_json, static_cast<size_t>(parent->model_json_size));
    if (request->params_json)
        inputs.params_json.assign(request->params_json, static_cast<size_t>(request->params_json_size));
    RecordingContext nested(std::move(inputs), factory);
    result.status = nested.run(factory, request->method_id);
    result.error = nested.error_message;
    if (nested.has_json) result.json = nested.json;
    result.tables = nested.tables;
    result.columns.resize(result.tables.size());
    for (size_t i = 0; i < result.tables.size(); ++i)
        result.raw_tables.push_back(lend(result.tables[i], result.columns[i]));
    return result.status;
}

int32_t status(const holon_invoke_result_t *r) { return r->status; }
const char *error_message(const holon_invoke_result_t *r) { return r->error.c_str(); }
const char *result_json(const holon_invoke_result_t *r, uint64_t *size) {
    if (size) *size = r->json.size();
    return r->json.data();
}
uint32_t table_count(const holon_invoke_result_t *r) { return static_cast<uint32_t>(r->raw_tables.size()); }
const holon_table_t *table(const holon_invoke_result_t *r, uint32_t i) {
    return i < r->raw_tables.size() ? &r->raw_tables[i] : nullptr;
}
void release(holon_invoke_result_t *r) { delete r; }

} // namespace

const holon_invoke_v1_t *invoke_extension() {
    static const holon_invoke_v1_t table_v1{sizeof(holon_invoke_v1_t), &invoke, &status, &error_message,
                                            &result_json, &table_count, &table, &release};
    return &table_v1;
}

} // namespace holon::abi_test
