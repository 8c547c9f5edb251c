// Loads the built scenarios.so as a host would (dlopen, the one entry point, the method factory)
// and runs methods through a minimal host context; results are checked against their schemas.
#include <holon/holon_plugin.h>

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace {

using nlohmann::json;

std::string read_file(const std::string &path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// One run's host side. The C context is the first member so callbacks can find the run.
struct TestRun {
    holon_context_t ctx{};
    holon_run_inputs_t inputs{};
    std::string model, params, source, source_name;
    int32_t error_code = HOLON_OK;
    std::string error_message, result;
    std::map<std::string, std::string> blobs;
    std::map<std::string, std::vector<std::string>> tables; // name -> column names

    TestRun(std::string model_json, std::string params_json, std::string source_text = {}, std::string name = {})
        : model(std::move(model_json)), params(std::move(params_json)), source(std::move(source_text)), source_name(std::move(name)) {
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
        ctx.set_error = [](const holon_context_t *c, int32_t code, const char *message, const char *) {
            self(c)->error_code = code;
            self(c)->error_message = message ? message : "";
            return code;
        };
        ctx.progress = [](const holon_context_t *, double, const char *) {};
        ctx.is_cancelled = [](const holon_context_t *) { return int32_t{0}; };
        ctx.log = [](const holon_context_t *, int32_t, const char *) {};
        ctx.put_json = [](const holon_context_t *c, const char *data, uint64_t size) {
            self(c)->result.assign(data, size);
            return HOLON_OK;
        };
        ctx.put_table = [](const holon_context_t *c, const holon_table_t *t) {
            auto &cols = self(c)->tables[t->name];
            for (uint32_t i = 0; i < t->column_count; ++i) cols.emplace_back(t->columns[i].name);
            return HOLON_OK;
        };
        ctx.put_blob = [](const holon_context_t *c, const char *name, const char *, const void *data, uint64_t size) {
            self(c)->blobs[name] = std::string(static_cast<const char *>(data), size);
            return HOLON_OK;
        };
        ctx.get_extension = [](const holon_context_t *, const char *) -> const void * { return nullptr; };
    }
    TestRun(const TestRun &) = delete;
    static TestRun *self(const holon_context_t *c) { return reinterpret_cast<TestRun *>(const_cast<holon_context_t *>(c)); }
};

class ScenariosPlugin : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        handle_ = dlopen(SCENARIOS_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
        ASSERT_NE(handle_, nullptr) << dlerror();
        auto entry_fn = reinterpret_cast<holon_plugin_entry_fn>(dlsym(handle_, HOLON_PLUGIN_ENTRY_SYMBOL));
        ASSERT_NE(entry_fn, nullptr);
        const holon_version_t v{HOLON_ABI_MAJOR, HOLON_ABI_MINOR, HOLON_ABI_PATCH};
        entry_ = entry_fn(&v);
        ASSERT_NE(entry_, nullptr);
        holon_host_t host{};
        host.struct_size = sizeof host;
        host.version = v;
        host.name = "scenarios-test";
        host.host_version = "0";
        ASSERT_EQ(entry_->init(&host, std::filesystem::path(SCENARIOS_PLUGIN_PATH).parent_path().c_str()), HOLON_OK);
        factory_ = static_cast<const holon_method_factory_v1_t *>(entry_->get_factory(HOLON_FACTORY_METHODS));
        ASSERT_NE(factory_, nullptr);
    }
    static void TearDownTestSuite() {
        if (entry_) entry_->deinit();
        if (handle_) dlclose(handle_);
        handle_ = nullptr;
        entry_ = nullptr;
    }
    static const holon_method_descriptor_t *descriptor(const std::string &id) {
        for (uint32_t i = 0; i < factory_->count(factory_); ++i)
            if (id == factory_->get(factory_, i)->id) return factory_->get(factory_, i);
        return nullptr;
    }
    static int32_t run(const std::string &method, TestRun &r) { return factory_->run(factory_, method.c_str(), &r.ctx); }
    static void expect_valid(const std::string &schema_text, const std::string &document) {
        const json schema_doc = json::parse(schema_text);
        const json doc = json::parse(document);
        valijson::Schema schema;
        valijson::SchemaParser parser;
        valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
        parser.populateSchema(schema_adapter, schema);
        valijson::Validator validator;
        valijson::ValidationResults results;
        valijson::adapters::NlohmannJsonAdapter doc_adapter(doc);
        std::string why;
        const bool ok = validator.validate(schema, doc_adapter, &results);
        valijson::ValidationResults::Error error;
        while (results.popError(error)) why += error.description + "\n";
        EXPECT_TRUE(ok) << why;
    }
    static inline void *handle_ = nullptr;
    static inline const holon_plugin_entry_t *entry_ = nullptr;
    static inline const holon_method_factory_v1_t *factory_ = nullptr;
};

TEST_F(ScenariosPlugin, SomewherelandThroughTheCibMethod) {
    const std::string model = read_file(SCENARIOS_EXAMPLES "/somewhereland.model.json");
    expect_valid(read_file(SCENARIOS_MODEL_SCHEMA), model);
    TestRun r(model, R"({"histogram": true, "succession": {"mode": "global", "tie_rule": "keep-else-first"}})");
    ASSERT_EQ(run("scenarios.cib", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("scenarios.cib")->result_schema, r.result);
    const json out = json::parse(r.result);
    EXPECT_EQ(out["count"], 10);
    EXPECT_EQ(out["truncated"], false);
    EXPECT_EQ(out["scenarios"][0]["variants"], (json{{"A", "A1"}, {"B", "B3"}, {"C", "C1"}, {"D", "D2"}, {"E", "E3"}, {"F", "F3"}}));
    EXPECT_EQ(out["scenarios"][0]["total_impact_score"], 21);
    EXPECT_EQ(out["scenarios"][9]["total_impact_score"], 8);
    EXPECT_EQ(out["histogram"][0], (json{{"inconsistency", 0}, {"count", 10}}));
    EXPECT_EQ(out["histogram"].size(), 20u);
    EXPECT_EQ(out["succession"]["tie_rule"], "keep-else-first");
    EXPECT_EQ(out["succession"]["attractors"][0]["basin"], 178);
    EXPECT_EQ(out["succession"]["attractors"].size(), 10u);
}

TEST_F(ScenariosPlugin, ToleranceAndBadParams) {
    const std::string model = read_file(SCENARIOS_EXAMPLES "/somewhereland.model.json");
    TestRun ok(model, R"({"tolerance": 1, "cap": 0})");
    ASSERT_EQ(run("scenarios.cib", ok), HOLON_OK) << ok.error_message;
    EXPECT_EQ(json::parse(ok.result)["count"], 15);
    EXPECT_EQ(json::parse(ok.result)["truncated"], true);
    TestRun bad(model, R"({"fixed": {"Z": "Z1"}})");
    EXPECT_EQ(run("scenarios.cib", bad), HOLON_ERR_INVALID_PARAMS);
    TestRun missing(model, R"({"set": "nope"})");
    EXPECT_EQ(run("scenarios.cib", missing), HOLON_ERR_INVALID_MODEL);
}

TEST_F(ScenariosPlugin, Matrix2x2PlausibilityOfSomewherelandQuadrants) {
    const std::string model = read_file(SCENARIOS_EXAMPLES "/somewhereland.model.json");
    const std::string axes = R"("axes": [{"descriptor": "D", "poles": ["D1", "D2"]}, {"descriptor": "F", "poles": ["F1", "F2"]}])";
    for (const auto &[semantics, expected] :
         std::vector<std::pair<std::string, std::vector<int>>>{{"filter", {0, 4, 4, 0}}, {"intervention", {3, 4, 6, 5}}}) {
        TestRun r(model, "{" + axes + R"(, "semantics": ")" + semantics + "\"}");
        ASSERT_EQ(run("scenarios.matrix2x2", r), HOLON_OK) << r.error_message;
        expect_valid(descriptor("scenarios.matrix2x2")->result_schema, r.result);
        const json out = json::parse(r.result);
        std::vector<int> counts;
        for (const json &q : out["quadrants"]) counts.push_back(q["plausibility"]["consistent"].get<int>());
        EXPECT_EQ(counts, expected) << semantics;
        EXPECT_EQ(out["quadrants"][0]["label"], "D1/F1");
        EXPECT_EQ(out["warnings"].size(), 1u); // D and F impact each other with |3|
    }
}

TEST_F(ScenariosPlugin, ScwImportExportRoundTrip) {
    const std::string model = read_file(SCENARIOS_EXAMPLES "/somewhereland.model.json");
    TestRun exported(model, "{}");
    ASSERT_EQ(run("scenarios.export-scw", exported), HOLON_OK) << exported.error_message;
    ASSERT_EQ(exported.blobs.count("somewhereland.scw"), 1u);
    TestRun imported("", "{}", exported.blobs["somewhereland.scw"], "somewhereland.scw");
    ASSERT_EQ(run("scenarios.import-scw", imported), HOLON_OK) << imported.error_message;
    expect_valid(read_file(SCENARIOS_MODEL_SCHEMA), imported.result);
    EXPECT_EQ(descriptor("scenarios.import-scw")->kind, HOLON_METHOD_KIND_IMPORTER);
    EXPECT_STREQ(descriptor("scenarios.import-scw")->formats, "scw");
    // The imported set gives the same consistent scenarios (variant ids now come from the names).
    TestRun again(imported.result, "{}");
    ASSERT_EQ(run("scenarios.cib", again), HOLON_OK) << again.error_message;
    const json out = json::parse(again.result);
    EXPECT_EQ(out["count"], 10);
    EXPECT_EQ(out["scenarios"][0]["total_impact_score"], 21);
    EXPECT_EQ(out["scenarios"][0]["variants"]["Government"], "Patriots_party");
}

TEST_F(ScenariosPlugin, MorphologicalFromTheModel) {
    const json model = {
        {"format", "holon-model/1"}, {"id", "m"}, {"name", "field"},
        {"scenario_sets", {{{"id", "f"}, {"name", "Field"}, {"kind", "morphological"},
          {"descriptors", {{{"id", "P"}, {"name", "P"}, {"variants", {{{"id", "p1"}, {"name", "p1"}}, {{"id", "p2"}, {"name", "p2"}}}}},
                           {{"id", "Q"}, {"name", "Q"}, {"variants", {{{"id", "q1"}, {"name", "q1"}}, {{"id", "q2"}, {"name", "q2"}}}}}}},
          {"matrices", {{{"id", "judge1"}, {"kind", "cross-consistency"},
                         {"cells", {{{"from", "p1"}, {"to", "q1"}, {"value", false}, {"basis", "logical"}}}}},
                        {{"id", "judge2"}, {"kind", "cross-consistency"},
                         {"cells", {{{"from", "q1"}, {"to", "p1"}, {"value", true}}, {{"from", "p2"}, {"to", "q1"}, {"value", false}}}}}}}}}}};
    expect_valid(read_file(SCENARIOS_MODEL_SCHEMA), model.dump());
    TestRun r(model.dump(), "{}");
    ASSERT_EQ(run("scenarios.morphological", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("scenarios.morphological")->result_schema, r.result);
    const json out = json::parse(r.result);
    EXPECT_EQ(out["count"], 2);
    EXPECT_EQ(out["dead_values"], json::array({"q1"}));
    EXPECT_EQ(out["survival"]["P"]["p1"], 1);
}

TEST_F(ScenariosPlugin, RunNeedsTheInvokeExtension) {
    TestRun r(read_file(SCENARIOS_EXAMPLES "/scenario-sir.model.json"), "{}");
    EXPECT_EQ(run("scenarios.run", r), HOLON_ERR_UNSUPPORTED);
}

} // namespace
