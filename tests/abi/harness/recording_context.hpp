// A minimal host side of one run, built from the CURRENT holon_plugin.h: a holon_context_t whose
// functions record everything the plugin does (error, progress, logs, results), plus an optional
// "holon.invoke/1" extension that runs nested methods through the same factory. Test-only.
#pragma once

#include <holon/holon_plugin.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace holon::abi_test {

struct RecordedTable {
    std::string name;
    uint64_t row_count = 0;
    std::vector<std::string> column_names;
    std::vector<std::vector<double>> columns;
    // What put_table saw of the SDK 1.1 fields ("" for NULL or a 1.0 column); not lent to plugins.
    std::vector<std::string> column_labels = {};
    std::vector<std::string> column_units = {};
};

struct RecordedBlob {
    std::string media_type;
    std::string data;
};

struct RunInputs {
    std::string model_json;
    std::string params_json = "{}";
    std::vector<RecordedTable> tables;
};

class RecordingContext {
public:
    // `factory` serves holon.invoke/1 for nested runs; nullptr makes get_extension return NULL.
    explicit RecordingContext(RunInputs inputs, const holon_method_factory_v1_t *factory = nullptr);
    RecordingContext(const RecordingContext &) = delete;
    RecordingContext &operator=(const RecordingContext &) = delete;

    const holon_context_t *raw() const { return &bridge_.context; }
    // The RecordingContext behind a context this class made.
    static RecordingContext &from(const holon_context_t *c);
    const holon_method_factory_v1_t *factory() const { return factory_; }

    // Runs `method_id` of `factory` with this context and returns its status.
    int32_t run(const holon_method_factory_v1_t *factory, const char *method_id);

    // is_cancelled() answers 1 from its n-th call on (1 = at once); 0 = never.
    void cancel_at_poll(int n) { cancel_at_poll_ = n; }

    // What the plugin did.
    int32_t error_code = HOLON_OK;
    std::string error_message;
    std::string error_details; // "" when the plugin passed NULL
    bool has_error = false;
    std::vector<double> progress;
    std::vector<std::string> stages;
    std::vector<std::pair<int32_t, std::string>> logs;
    std::string json;
    bool has_json = false;
    std::vector<RecordedTable> tables;
    std::map<std::string, RecordedBlob> blobs;
    int polls = 0;
    std::vector<std::string> extension_queries;

private:
    struct Bridge {
        holon_context_t context;
        RecordingContext *self;
    };
    static int32_t set_error(const holon_context_t *c, int32_t code, const char *message, const char *details);
    static void on_progress(const holon_context_t *c, double fraction, const char *stage);
    static int32_t is_cancelled(const holon_context_t *c);
    static void log(const holon_context_t *c, int32_t level, const char *message);
    static int32_t put_json(const holon_context_t *c, const char *data, uint64_t size);
    static int32_t put_table(const holon_context_t *c, const holon_table_t *table);
    static int32_t put_blob(const holon_context_t *c, const char *name, const char *media_type, const void *data,
                            uint64_t size);
    static const void *get_extension(const holon_context_t *c, const char *id);

    RunInputs inputs_;
    std::vector<std::vector<holon_column_t>> input_columns_;
    std::vector<holon_table_t> input_tables_;
    holon_run_inputs_t raw_inputs_{};
    const holon_method_factory_v1_t *factory_;
    int cancel_at_poll_ = 0;
    Bridge bridge_{};
};

// The holon.invoke/1 table served by RecordingContext (nested runs use the caller's factory).
const holon_invoke_v1_t *invoke_extension();

} // namespace holon::abi_test
