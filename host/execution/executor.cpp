#include "execution/executor.hpp"

#include "execution/admission.hpp"
#include "jsonschema/json_schema.hpp"
#include "model/model.hpp"
#include "suggest/suggest.hpp"

#include <holon/holon_plugin.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace holon::execution {
namespace {

std::string violations_details(const std::vector<jsonschema::Violation> &violations) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto &v : violations) list.push_back({{"path", v.path}, {"message", v.message}});
    return nlohmann::json{{"violations", list}}.dump();
}

std::string first_violation(const std::string &what, const std::vector<jsonschema::Violation> &violations) {
    const auto &v = violations.front();
    std::string msg = what + ": " + (v.path.empty() ? std::string() : v.path + ": ") + v.message;
    if (violations.size() > 1) msg += " (and " + std::to_string(violations.size() - 1) + " more)";
    return msg;
}

// A plugin that refuses its inputs names the place as {"path": pointer} (holon::fail_params /
// fail_model); the host's own refusals list {"violations": [{"path", "message"}]}. Adding that one
// violation beside the plugin's own keys lets every client (REST problem+json, CLI, batch) read
// both alike.
void add_plugin_violation(runner::TaskOutcome &out) {
    if (out.problem != "invalid-params" && out.problem != "invalid-model") return;
    auto details = nlohmann::json::parse(out.details_json, nullptr, false);
    if (!details.is_object() || details.contains("violations")) return;
    auto path = details.find("path");
    if (path == details.end() || !path->is_string()) return;
    details["violations"] = nlohmann::json::array({{{"path", *path}, {"message", out.message}}});
    out.details_json = details.dump();
}

// A plugin that refuses a name it does not know lists the names it knows as
// {"unknown": name, "candidates": [...]} in its details; the host adds the closest as "did you
// mean", with the helper its own refusals use, and keeps only that one in the details.
void add_plugin_suggestion(runner::TaskOutcome &out) {
    if (out.problem != "invalid-params" && out.problem != "invalid-model") return;
    auto details = nlohmann::json::parse(out.details_json, nullptr, false);
    if (!details.is_object()) return;
    const auto unknown = details.find("unknown");
    const auto candidates = details.find("candidates");
    if (unknown == details.end() || !unknown->is_string() || candidates == details.end() || !candidates->is_array())
        return;
    std::vector<std::string> names;
    for (const auto &c : *candidates)
        if (c.is_string()) names.push_back(c.get<std::string>());
    details.erase("candidates");
    if (auto best = suggest::closest(unknown->get<std::string>(), names)) {
        out.message += suggest::did_you_mean(unknown->get<std::string>(), names);
        details["did_you_mean"] = *best;
    }
    out.details_json = details.dump();
}

} // namespace

runner::Limits ExecutorOptions::max_limits() {
    runner::Limits l;
    l.wall_seconds = 24 * 3600;
    l.cpu_seconds = 24 * 3600;
    l.memory_bytes = 64ull << 30;
    l.output_bytes = 8ull << 30;
    return l;
}

runner::TaskOutcome host_failure(int32_t status, std::string problem, std::string message, std::string details_json) {
    runner::TaskOutcome o;
    o.status = status;
    o.problem = std::move(problem);
    o.message = std::move(message);
    o.details_json = std::move(details_json);
    return o;
}

Executor::Executor(const registry::Registry &registry, runner::RunnerPool &pool, ExecutorOptions options)
    : registry_(registry), pool_(pool), options_(std::move(options)) {}

void Executor::prestart(const std::string &method_id, const registry::LimitOverrides &limits, size_t count,
                        const std::string &workspace) const {
    const registry::MethodEntry *method = registry_.find_method(method_id);
    if (!method || !method->plugin) return;
    pool_.prestart(method->plugin->target(), limits_for(*method, limits), count, workspace);
}

void Executor::prestart_chunks(const std::string &method_id, const registry::LimitOverrides &limits, size_t count,
                               const std::string &workspace) const {
    const registry::MethodEntry *method = registry_.find_method(method_id);
    if (!method || !method->plugin) return;
    pool_.prestart(method->plugin->target(), chunk_limits(*method, limits), count, workspace);
}

runner::Limits Executor::chunk_limits(const registry::MethodEntry &method, const registry::LimitOverrides &call) const {
    runner::Limits l = limits_for(method, call);
    const auto n = static_cast<double>(kChunkRuns);
    l.wall_seconds = std::min(l.wall_seconds * n, options_.maxima.wall_seconds);
    l.cpu_seconds = std::min(l.cpu_seconds * n, options_.maxima.cpu_seconds);
    return l;
}

runner::Limits Executor::limits_for(const registry::MethodEntry &method, const registry::LimitOverrides &call) const {
    runner::Limits l = options_.defaults;
    auto apply = [&l](const registry::LimitOverrides &o) {
        if (o.wall_seconds) l.wall_seconds = *o.wall_seconds;
        if (o.cpu_seconds) l.cpu_seconds = *o.cpu_seconds;
        if (o.memory_bytes) l.memory_bytes = *o.memory_bytes;
        if (o.output_bytes) l.output_bytes = *o.output_bytes;
    };
    const auto &manifest_limits = method.plugin->manifest.limits;
    if (auto it = manifest_limits.find(method.description.id); it != manifest_limits.end()) apply(it->second);
    apply(call);
    const auto &m = options_.maxima;
    l.wall_seconds = std::min(l.wall_seconds, m.wall_seconds);
    l.cpu_seconds = std::min(l.cpu_seconds, m.cpu_seconds);
    l.memory_bytes = std::min(l.memory_bytes, m.memory_bytes);
    l.output_bytes = std::min(l.output_bytes, m.output_bytes);
    return l;
}

namespace {
constexpr size_t remembered_models = 4;
constexpr size_t remembered_model_bytes = size_t{1} << 20;  // larger models are validated every time
} // namespace

bool Executor::known_valid(const std::string &model_json) const {
    if (model_json.size() > remembered_model_bytes) return false;
    std::lock_guard lock(valid_models_mutex_);
    return std::find(valid_models_.begin(), valid_models_.end(), model_json) != valid_models_.end();
}

void Executor::remember_valid(const std::string &model_json) const {
    if (model_json.size() > remembered_model_bytes) return;
    std::lock_guard lock(valid_models_mutex_);
    if (std::find(valid_models_.begin(), valid_models_.end(), model_json) != valid_models_.end()) return;
    valid_models_.push_back(model_json);
    if (valid_models_.size() > remembered_models) valid_models_.pop_front();
}

namespace {

// The names runner_pool gives a method's own failure statuses.
std::string chunk_problem(int32_t status) {
    switch (status) {
    case HOLON_ERR_INVALID_PARAMS: return "invalid-params";
    case HOLON_ERR_INVALID_MODEL: return "invalid-model";
    case HOLON_ERR_CANCELLED: return "cancelled";
    default: return "method-failed";
    }
}

const runner::TableData *table_named(const runner::TaskOutcome &out, const std::string &name) {
    for (const auto &t : out.tables)
        if (t.name == name) return &t;
    return nullptr;
}

} // namespace

std::optional<runner::TaskOutcome> Executor::refuse_model(const std::string &method_id,
                                                          const std::string &model_json) const {
    if (model_json.empty()) return host_failure(HOLON_ERR_INVALID_MODEL, "invalid-model", missing_model_message(method_id));
    if (known_valid(model_json)) return std::nullopt;
    try {
        auto doc = model::parse(model_json, "model");
        if (auto issues = model::validate(doc); !issues.empty()) {
            std::vector<jsonschema::Violation> v;
            for (const auto &i : issues) v.push_back({i.path, i.message});
            return host_failure(HOLON_ERR_INVALID_MODEL, "invalid-model", first_violation("model", v), violations_details(v));
        }
    } catch (const model::ModelError &e) {
        return host_failure(HOLON_ERR_INVALID_MODEL, "invalid-model", e.what());
    }
    remember_valid(model_json);
    return std::nullopt;
}

ChunkOutcome Executor::run_chunk(const ChunkRequest &request, const runner::TaskCallbacks &callbacks) const {
    ChunkOutcome result;
    const auto *method = registry_.find_method(request.method_id);
    if (!method) {
        result.task = host_failure(HOLON_ERR_NOT_FOUND, "unknown-method", unknown_method_message(registry_, request.method_id));
        return result;
    }
    const auto &d = method->description;
    if (needs_model(d)) {
        if (auto refused = refuse_model(d.id, request.model_json)) {
            result.task = std::move(*refused);
            return result;
        }
    }

    // Params the schema refuses fail their own run here; the rest go to the runner.
    result.points.resize(request.params_json.size());
    std::vector<size_t> sent;
    runner::TaskRequest job;
    for (size_t i = 0; i < request.params_json.size(); ++i) {
        if (auto v = method->params_schema->validate_text(request.params_json[i]); !v.empty()) {
            result.points[i].problem = "invalid-params";
            result.points[i].message = first_violation("params for " + d.id, v);
            continue;
        }
        sent.push_back(i);
        job.point_params.push_back(request.params_json[i]);
    }
    if (sent.empty()) return result;
    job.plugin = method->plugin->target();
    job.method_id = d.id;
    job.model_json = needs_model(d) ? request.model_json : std::string();
    job.outcomes_json = request.outcomes.to_json().dump();
    job.workspace = request.workspace;
    job.limits = chunk_limits(*method, request.limits);
    runner::TaskCallbacks cb = callbacks;
    cb.on_invoke = nullptr; // nested invokes need a caller's model; a chunk's runs answer UNSUPPORTED

    result.task = pool_.run(job, cb);
    if (!result.task.ok()) {
        result.points.clear();
        return result;
    }
    const runner::TableData *scalars = table_named(result.task, "holon.outcomes");
    const runner::TableData *series = table_named(result.task, "holon.series");
    auto failed = nlohmann::json::parse(result.task.result_json.empty() ? "{}" : result.task.result_json, nullptr, false);
    if (!scalars || (!scalars->columns.empty() && scalars->row_count() != sent.size()) || !failed.is_object()) {
        result.task = host_failure(HOLON_ERR_FAILED, "protocol-error", "the runner's chunk reply is incomplete");
        result.points.clear();
        return result;
    }
    for (size_t k = 0; k < sent.size(); ++k) {
        ChunkPoint &p = result.points[sent[k]];
        p.ok = true;
        for (const auto &column : scalars->values) p.scalars.push_back(column[k]);
    }
    for (const auto &f : failed.value("failed", nlohmann::json::array())) {
        const auto k = f.value("index", size_t{0});
        if (k >= sent.size()) continue;
        ChunkPoint &p = result.points[sent[k]];
        p.ok = false;
        p.scalars.clear();
        p.problem = f.contains("problem") ? f["problem"].get<std::string>() : chunk_problem(f.value("status", HOLON_ERR_FAILED));
        p.message = f.value("message", "");
    }
    // holon.series: long form, columns point, time, then one per series outcome.
    if (series && series->columns.size() >= 2) {
        const auto &point = series->values[0];
        for (size_t row = 0; row < point.size(); ++row) {
            const auto k = static_cast<size_t>(point[row]);
            if (k >= sent.size()) continue;
            ChunkPoint &p = result.points[sent[k]];
            if (!p.ok) continue;
            p.series_time.push_back(series->values[1][row]);
            p.series.resize(series->columns.size() - 2);
            for (size_t c = 2; c < series->columns.size(); ++c) p.series[c - 2].push_back(series->values[c][row]);
        }
    }
    return result;
}

runner::TaskOutcome Executor::run(const RunRequest &request, const runner::TaskCallbacks &callbacks) const {
    return run_at_depth(request, callbacks, 0);
}

runner::TaskOutcome Executor::run_at_depth(const RunRequest &request, const runner::TaskCallbacks &callbacks,
                                          int depth) const {
    const auto *method = registry_.find_method(request.method_id);
    if (!method) return host_failure(HOLON_ERR_NOT_FOUND, "unknown-method", unknown_method_message(registry_, request.method_id));

    // Params: well-formed JSON that the method's schema accepts, before any plugin code runs.
    const std::string params = request.params_json.empty() ? std::string("{}") : request.params_json;
    if (auto v = method->params_schema->validate_text(params); !v.empty())
        return host_failure(HOLON_ERR_INVALID_PARAMS, "invalid-params",
                            first_violation("params for " + method->description.id, v), violations_details(v));

    const auto &d = method->description;
    const bool with_model = needs_model(d);
    if (with_model) {
        if (auto refused = refuse_model(d.id, request.model_json)) return std::move(*refused);
    }
    if (d.kind == HOLON_METHOD_KIND_IMPORTER && request.source.empty())
        return host_failure(HOLON_ERR_INVALID_MODEL, "invalid-model", "importer '" + d.id + "' got an empty document");

    runner::TaskRequest job;
    job.plugin = method->plugin->target();
    job.method_id = d.id;
    job.model_json = with_model ? request.model_json : std::string();
    job.params_json = params;
    job.tables = request.tables;
    job.source = request.source;
    job.source_name = request.source_name;
    job.source_dir = request.source_dir;
    job.workspace = request.workspace;
    job.limits = limits_for(*method, request.limits);

    runner::TaskCallbacks cb = callbacks;
    cb.on_invoke = [this, &request, &callbacks, depth](const runner::InvokeRequest &nested) {
        if (depth + 1 > options_.max_invoke_depth)
            return host_failure(HOLON_ERR_INVOKE, "invoke-depth",
                                "nested holon.invoke/1 calls deeper than " + std::to_string(options_.max_invoke_depth));
        RunRequest child;
        child.method_id = nested.method_id;
        child.model_json = nested.model_json.empty() ? request.model_json : nested.model_json;
        child.params_json = nested.params_json.empty() ? std::string("{}") : nested.params_json;
        child.source = nested.source;
        child.source_name = nested.source_name;
        child.source_dir = request.source_dir;
        child.workspace = request.workspace;
        runner::TaskCallbacks child_cb;
        // The pool's flag covers both a cancelled parent and a parent that died or hit a limit.
        child_cb.cancel = nested.cancel ? nested.cancel : callbacks.cancel;
        child_cb.on_log = callbacks.on_log;
        return run_at_depth(child, child_cb, depth + 1);
    };

    runner::TaskOutcome out = pool_.run(job, cb);
    if (!out.ok()) {
        add_plugin_suggestion(out);
        add_plugin_violation(out);
        return out;
    }

    // Results: the method promised a schema; hold it to it. Importers must also produce a valid model.
    const std::string result = out.result_json.empty() ? std::string("null") : out.result_json;
    if (auto v = method->result_schema->validate_text(result); !v.empty()) {
        auto bad = host_failure(HOLON_ERR_FAILED, "invalid-result",
                                first_violation("result of " + d.id + " breaks its schema", v), violations_details(v));
        bad.wall_seconds = out.wall_seconds;
        bad.cpu_seconds = out.cpu_seconds;
        return bad;
    }
    if (d.kind == HOLON_METHOD_KIND_IMPORTER) {
        try {
            auto doc = model::parse(result, d.id);
            if (auto issues = model::validate(doc); !issues.empty()) {
                std::vector<jsonschema::Violation> v;
                for (const auto &i : issues) v.push_back({i.path, i.message});
                return host_failure(HOLON_ERR_FAILED, "invalid-result",
                                    first_violation("model imported by " + d.id + " is not valid", v),
                                    violations_details(v));
            }
        } catch (const model::ModelError &e) {
            return host_failure(HOLON_ERR_FAILED, "invalid-result", e.what());
        }
    }
    return out;
}

} // namespace holon::execution
