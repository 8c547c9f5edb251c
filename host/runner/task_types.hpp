// Plain data exchanged between the host and a runner process: what a job gets, what it produces,
// and the limits it runs under. No behaviour here, so that the protocol and the pool share it.
#pragma once

#include "holon/holon_plugin.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace holon::runner {

struct Limits {
    double wall_seconds = 60;             // wall-clock deadline; SIGKILL of the runner's process group
    double cpu_seconds = 60;              // CPU time of one job (all threads), measured by the host
    uint64_t memory_bytes = 2ull << 30;   // RLIMIT_AS of the runner
    uint64_t output_bytes = 256ull << 20; // total bytes of result json + tables + blobs
    uint64_t file_bytes = 64ull << 20;    // RLIMIT_FSIZE
    uint32_t open_files = 256;            // RLIMIT_NOFILE
    // RLIMIT_NPROC: processes and threads of the runner's user. Each runner of a root host has its
    // own uid (and without namespaces all share nobody's count); fork itself is refused by seccomp.
    uint32_t processes = 4096;
};

// A column table of doubles; values[col][row]. labels and units are either empty (the producer
// gave none) or one per column, "" where a column has none (holon_column_t label and units).
struct TableData {
    std::string name;
    std::vector<std::string> columns;
    std::vector<std::vector<double>> values;
    // Default-initialised so that brace initialisers listing only the first three stay warning-free.
    std::vector<std::string> labels = {};
    std::vector<std::string> units = {};

    uint64_t row_count() const { return values.empty() ? 0 : values.front().size(); }
};

struct Blob {
    std::string name, media_type, data;
};

struct LogLine {
    int32_t level = HOLON_LOG_INFO;
    std::string message;
};

// Which plugin a runner loads. plugin_id / plugin_version are what the manifest says; the runner
// refuses a library whose entry reports something else (empty means "do not check").
struct PluginTarget {
    std::string library_path;
    std::string plugin_dir;
    std::string plugin_id;
    std::string plugin_version;
};

struct MethodDescription {
    std::string id, name, description, params_schema, result_schema, formats;
    int32_t kind = HOLON_METHOD_KIND_ANALYSIS;
    uint32_t flags = 0;
};

struct PluginDescription {
    std::string plugin_id, plugin_version;
    uint32_t abi_major = 0, abi_minor = 0, abi_patch = 0;
    std::vector<MethodDescription> methods;
};

struct TaskRequest {
    PluginTarget plugin;
    // The tenant the job runs for. A warm runner serves only jobs of the workspace it first ran
    // for, so that nothing a plugin kept in memory reaches another workspace. "" for the CLI.
    std::string workspace;
    std::string method_id;
    std::string model_json;
    std::string params_json = "{}";
    std::vector<TableData> tables;
    std::string source, source_name, source_dir;
    Limits limits;
    // A sweep chunk: when not empty, the runner runs the method once per params document here
    // (params_json is then unused) and replies with the outcomes that outcomes_json (an
    // OutcomeSpec, outcomes.hpp) asks for: tables "holon.outcomes" and "holon.series" and a
    // result document {"failed": [{"index", "status", "problem"?, "message"}]}.
    std::vector<std::string> point_params;
    std::string outcomes_json;
};

// Stable problem ids for failures (see runner_pool.hpp).
struct TaskOutcome {
    int32_t status = HOLON_OK;
    std::string problem;      // "" on success
    std::string message;      // one line for a person
    std::string details_json; // "" or a JSON object
    std::string result_json;  // "" when the method put none
    std::vector<TableData> tables;
    std::vector<Blob> blobs;
    std::vector<LogLine> logs;
    double wall_seconds = 0, cpu_seconds = 0;
    int term_signal = 0;

    bool ok() const { return status == HOLON_OK && problem.empty(); }
};

// A nested run a plugin asked for through holon.invoke/1. When the plugin passed no model the
// pool fills in the calling run's model, so model_json is always the model to run on.
struct InvokeRequest {
    std::string method_id, model_json, params_json, source, source_name;
    // Turns true when the calling job is cancelled or stopped; pass it as the nested run's
    // TaskCallbacks::cancel so that the nested run follows the caller. Valid during the callback.
    const std::atomic<bool> *cancel = nullptr;
};

} // namespace holon::runner
