// A minimal host for plugin-boundary tests: loads a built plugin .so exactly as the real host does
// (dlopen, the one exported entry point, init, the method factory) and runs methods through a C
// context that records what the method hands back (result JSON, tables, blobs, logs, the error it
// sets) and can report cancellation after a number of polls. Results can be checked against the
// method's own result schema (valijson). Header-only; a test links HolonSDK::sdk, valijson,
// GTest and ${CMAKE_DL_LIBS}.
//
//     holon_test::LoadedPlugin plugin(CSH_PLUGIN_PATH, "csh-test");
//     holon_test::TestRun run(model_json, R"({"report": false})");
//     ASSERT_EQ(plugin.run("csh.critique", run), HOLON_OK) << run.error_message;
//     holon_test::expect_valid(plugin.descriptor("csh.critique")->result_schema, run.result);
#pragma once

#include <holon/holon_plugin.h>

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace holon_test {

// One run's host side. The C context is the first member so the callbacks find the run from it.
struct TestRun {
    holon_context_t ctx{};
    holon_run_inputs_t inputs{};
    std::string model, params, source, source_name;
    int cancel_after_polls = -1; // -1: never cancelled; n: is_cancelled() turns true after n polls
    int polls = 0;
    int32_t error_code = HOLON_OK;
    std::string error_message, error_details, result;
    std::map<std::string, std::pair<std::string, std::string>> blobs; // name -> (media type, bytes)
    std::map<std::string, std::vector<std::string>> tables;           // name -> column names
    std::vector<std::pair<int32_t, std::string>> logs;                // (level, message)
    std::map<std::string, const void *> extensions;                   // what get_extension offers

    TestRun(std::string model_json, std::string params_json, std::string source_text = {}, std::string name = {})
        : model(std::move(model_json)), params(std::move(params_json)), source(std::move(source_text)),
          source_name(std::move(name)) {
        inputs.struct_size = sizeof inputs;
        inputs.model_json = model.data();
        inputs.model_json_size = model.size();
        inputs.params_json = params.data();
        inputs.params_json_size = params.size();
        inputs.source = source.data();
        inputs.source_size = source.size();
        inputs.source_name = source_name.c_str();
        inputs.source_dir = "";
        inputs.scratch_dir = "";
        ctx.struct_size = sizeof ctx;
        ctx.inputs = &inputs;
        ctx.set_error = [](const holon_context_t *c, int32_t code, const char *message, const char *details) {
            TestRun *run = self(c);
            run->error_code = code;
            run->error_message = message ? message : "";
            run->error_details = details ? details : "";
            return code;
        };
        ctx.progress = [](const holon_context_t *, double, const char *) {};
        ctx.is_cancelled = [](const holon_context_t *c) {
            TestRun *run = self(c);
            ++run->polls;
            return static_cast<int32_t>(run->cancel_after_polls >= 0 && run->polls > run->cancel_after_polls);
        };
        ctx.log = [](const holon_context_t *c, int32_t level, const char *message) {
            self(c)->logs.emplace_back(level, message ? message : "");
        };
        ctx.put_json = [](const holon_context_t *c, const char *data, uint64_t size) {
            self(c)->result.assign(data, size);
            return HOLON_OK;
        };
        ctx.put_table = [](const holon_context_t *c, const holon_table_t *t) {
            std::vector<std::string> &columns = self(c)->tables[t->name];
            columns.clear();
            for (uint32_t i = 0; i < t->column_count; ++i) columns.emplace_back(t->columns[i].name);
            return HOLON_OK;
        };
        ctx.put_blob = [](const holon_context_t *c, const char *name, const char *media_type, const void *data, uint64_t size) {
            self(c)->blobs[name] = {media_type ? media_type : "", std::string(static_cast<const char *>(data), size)};
            return HOLON_OK;
        };
        ctx.get_extension = [](const holon_context_t *c, const char *name) -> const void * {
            const auto &offered = self(c)->extensions;
            const auto it = offered.find(name ? name : "");
            return it == offered.end() ? nullptr : it->second;
        };
    }
    TestRun(const TestRun &) = delete;
    TestRun &operator=(const TestRun &) = delete;

    nlohmann::json result_json() const { return nlohmann::json::parse(result); }
    nlohmann::json details_json() const { return error_details.empty() ? nlohmann::json() : nlohmann::json::parse(error_details); }

    static TestRun *self(const holon_context_t *c) { return reinterpret_cast<TestRun *>(const_cast<holon_context_t *>(c)); }
};

// A plugin loaded for the lifetime of the object (keep one per test suite). Throws
// std::runtime_error when the library cannot be loaded or initialised.
class LoadedPlugin {
public:
    LoadedPlugin(const std::string &path, const char *host_name) : path_(path) {
        handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle_ == nullptr) throw std::runtime_error(std::string("dlopen: ") + dlerror());
        auto entry_fn = reinterpret_cast<holon_plugin_entry_fn>(dlsym(handle_, HOLON_PLUGIN_ENTRY_SYMBOL));
        if (entry_fn == nullptr) throw std::runtime_error(path + " exports no " HOLON_PLUGIN_ENTRY_SYMBOL);
        const holon_version_t host_version{HOLON_ABI_MAJOR, HOLON_ABI_MINOR, HOLON_ABI_PATCH};
        entry_ = entry_fn(&host_version);
        if (entry_ == nullptr) throw std::runtime_error(path + " refused the host's ABI version");
        holon_host_t host{};
        host.struct_size = sizeof host;
        host.version = host_version;
        host.name = host_name;
        host.host_version = "0";
        if (entry_->init(&host, folder().c_str()) != HOLON_OK) throw std::runtime_error(path + ": init failed");
        factory_ = static_cast<const holon_method_factory_v1_t *>(entry_->get_factory(HOLON_FACTORY_METHODS));
        if (factory_ == nullptr) throw std::runtime_error(path + " has no method factory");
    }
    ~LoadedPlugin() {
        if (entry_) entry_->deinit();
        // HOLON_TEST_KEEP_LOADED=1 keeps the plugin mapped so LeakSanitizer can symbolise its frames.
        if (handle_ && !std::getenv("HOLON_TEST_KEEP_LOADED")) dlclose(handle_);
    }
    LoadedPlugin(const LoadedPlugin &) = delete;
    LoadedPlugin &operator=(const LoadedPlugin &) = delete;

    const holon_plugin_entry_t &entry() const { return *entry_; }
    std::filesystem::path folder() const { return std::filesystem::path(path_).parent_path(); }

    std::vector<std::string> method_ids() const {
        std::vector<std::string> ids;
        for (uint32_t i = 0; i < factory_->count(factory_); ++i) ids.emplace_back(factory_->get(factory_, i)->id);
        return ids;
    }
    // nullptr when the plugin has no such method.
    const holon_method_descriptor_t *descriptor(const std::string &id) const {
        for (uint32_t i = 0; i < factory_->count(factory_); ++i)
            if (id == factory_->get(factory_, i)->id) return factory_->get(factory_, i);
        return nullptr;
    }
    int32_t run(const std::string &method, TestRun &r) const { return factory_->run(factory_, method.c_str(), &r.ctx); }

    // The plugin.json next to the library.
    nlohmann::json manifest() const {
        std::ifstream in(folder() / "plugin.json");
        if (!in) throw std::runtime_error("plugin.json must sit next to " + path_);
        return nlohmann::json::parse(in);
    }

private:
    std::string path_;
    void *handle_ = nullptr;
    const holon_plugin_entry_t *entry_ = nullptr;
    const holon_method_factory_v1_t *factory_ = nullptr;
};

// Validation errors of `document` against the JSON Schema `schema_text`, one a line ("" = valid).
inline std::string schema_errors(const std::string &schema_text, const std::string &document) {
    const nlohmann::json schema_doc = nlohmann::json::parse(schema_text);
    const nlohmann::json doc = nlohmann::json::parse(document);
    valijson::Schema schema;
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
    parser.populateSchema(schema_adapter, schema);
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter doc_adapter(doc);
    if (validator.validate(schema, doc_adapter, &results)) return {};
    std::string why;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        std::string where;
        for (const std::string &step : error.context) where += step;
        why += where + ": " + error.description + "\n";
    }
    return why.empty() ? "invalid\n" : why;
}

inline void expect_valid(const std::string &schema_text, const std::string &document) {
    const std::string why = schema_errors(schema_text, document);
    EXPECT_TRUE(why.empty()) << why << document.substr(0, 2000);
}

// The manifest beside the library names the plugin, its version and its methods in factory order;
// every method's params schema accepts "{}" (all params have defaults) and its result schema is JSON.
inline void expect_descriptors_match_manifest(const LoadedPlugin &plugin) {
    const nlohmann::json manifest = plugin.manifest();
    EXPECT_EQ(manifest.at("id"), plugin.entry().plugin_id);
    EXPECT_EQ(manifest.at("version"), plugin.entry().plugin_version);
    EXPECT_EQ(manifest.at("methods").get<std::vector<std::string>>(), plugin.method_ids());
    for (const std::string &id : plugin.method_ids()) {
        const holon_method_descriptor_t *d = plugin.descriptor(id);
        SCOPED_TRACE(id);
        expect_valid(d->params_schema, "{}");
        EXPECT_TRUE(nlohmann::json::accept(d->result_schema));
    }
}

inline std::string read_text(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// A gtest fixture that loads one plugin for the whole suite (dlopen once, as a host keeps a
// plugin loaded). Derive with the plugin's own fixture name:
//     class CldPlugin : public holon_test::PluginSuite<CldPlugin> {
//     public:
//         static constexpr const char *plugin_path = CLD_PLUGIN_PATH;
//         static constexpr const char *scratch_name = "cld-test";
//     };
template <class Suite>
class PluginSuite : public ::testing::Test {
protected:
    static void SetUpTestSuite() { plugin_ = std::make_unique<LoadedPlugin>(Suite::plugin_path, Suite::scratch_name); }
    static void TearDownTestSuite() { plugin_.reset(); }

    static const holon_method_descriptor_t *descriptor(const std::string &id) { return plugin_->descriptor(id); }
    static int32_t run(const std::string &method, TestRun &r) { return plugin_->run(method, r); }

    static inline std::unique_ptr<LoadedPlugin> plugin_;
};

} // namespace holon_test
