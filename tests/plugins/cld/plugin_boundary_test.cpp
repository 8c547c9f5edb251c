// Loads the built cld.so exactly as a host would (dlopen, the one exported entry point, the
// method factory) and runs methods through a minimal host context; results are checked against
// the method's own result schema.
#include "test_graphs.hpp"

#include <holon/holon_plugin.h>

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace {

using nlohmann::json;

// One run's host side. The C context is the first member so callbacks can find the run.
struct TestRun {
    holon_context_t ctx{};
    holon_run_inputs_t inputs{};
    std::string model, params, source, source_name;
    int cancel_after_polls = -1; // -1: never cancelled
    int polls = 0;
    int32_t error_code = HOLON_OK;
    std::string error_message, error_details, result;
    std::map<std::string, std::pair<std::string, std::string>> blobs; // name -> (media type, data)
    std::vector<std::string> logs;

    TestRun(std::string model_json, std::string params_json, std::string source_text = {})
        : model(std::move(model_json)), params(std::move(params_json)), source(std::move(source_text)) {
        inputs.struct_size = sizeof inputs;
        inputs.model_json = model.data();
        inputs.model_json_size = model.size();
        inputs.params_json = params.data();
        inputs.params_json_size = params.size();
        inputs.source = source.data();
        inputs.source_size = source.size();
        inputs.source_name = "";
        inputs.source_dir = "";
        inputs.scratch_dir = "";
        ctx.struct_size = sizeof ctx;
        ctx.inputs = &inputs;
        ctx.set_error = [](const holon_context_t *c, int32_t code, const char *message, const char *details) {
            auto *run = self(c);
            run->error_code = code;
            run->error_message = message ? message : "";
            run->error_details = details ? details : "";
            return code;
        };
        ctx.progress = [](const holon_context_t *, double, const char *) {};
        ctx.is_cancelled = [](const holon_context_t *c) {
            auto *run = self(c);
            ++run->polls;
            return static_cast<int32_t>(run->cancel_after_polls >= 0 && run->polls > run->cancel_after_polls);
        };
        ctx.log = [](const holon_context_t *c, int32_t, const char *message) { self(c)->logs.emplace_back(message); };
        ctx.put_json = [](const holon_context_t *c, const char *data, uint64_t size) {
            self(c)->result.assign(data, size);
            return HOLON_OK;
        };
        ctx.put_table = [](const holon_context_t *, const holon_table_t *) { return HOLON_OK; };
        ctx.put_blob = [](const holon_context_t *c, const char *name, const char *media_type, const void *data, uint64_t size) {
            self(c)->blobs[name] = {media_type, std::string(static_cast<const char *>(data), size)};
            return HOLON_OK;
        };
        ctx.get_extension = [](const holon_context_t *, const char *) -> const void * { return nullptr; };
    }
    TestRun(const TestRun &) = delete;
    static TestRun *self(const holon_context_t *c) { return reinterpret_cast<TestRun *>(const_cast<holon_context_t *>(c)); }
};

class CldPlugin : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        handle_ = dlopen(CLD_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
        ASSERT_NE(handle_, nullptr) << dlerror();
        auto entry_fn = reinterpret_cast<holon_plugin_entry_fn>(dlsym(handle_, HOLON_PLUGIN_ENTRY_SYMBOL));
        ASSERT_NE(entry_fn, nullptr);
        const holon_version_t host_version{HOLON_ABI_MAJOR, HOLON_ABI_MINOR, HOLON_ABI_PATCH};
        entry_ = entry_fn(&host_version);
        ASSERT_NE(entry_, nullptr);
        holon_host_t host{};
        host.struct_size = sizeof host;
        host.version = host_version;
        host.name = "cld-test";
        host.host_version = "0";
        ASSERT_EQ(entry_->init(&host, std::filesystem::path(CLD_PLUGIN_PATH).parent_path().c_str()), HOLON_OK);
        factory_ = static_cast<const holon_method_factory_v1_t *>(entry_->get_factory(HOLON_FACTORY_METHODS));
        ASSERT_NE(factory_, nullptr);
    }
    static void TearDownTestSuite() {
        if (entry_) entry_->deinit();
        // CLD_KEEP_LOADED=1 keeps the plugin mapped so LeakSanitizer can symbolise its frames.
        if (handle_ && !std::getenv("CLD_KEEP_LOADED")) dlclose(handle_);
        handle_ = nullptr;
        entry_ = nullptr;
    }

    static const holon_method_descriptor_t *descriptor(const std::string &id) {
        for (uint32_t i = 0; i < factory_->count(factory_); ++i)
            if (id == factory_->get(factory_, i)->id) return factory_->get(factory_, i);
        return nullptr;
    }

    static int32_t run(const std::string &method, TestRun &r) { return factory_->run(factory_, method.c_str(), &r.ctx); }

    static void expect_valid(const char *schema_text, const std::string &document) {
        const json schema_doc = json::parse(schema_text);
        const json doc = json::parse(document);
        valijson::Schema schema;
        valijson::SchemaParser parser;
        valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
        parser.populateSchema(schema_adapter, schema);
        valijson::Validator validator;
        valijson::ValidationResults results;
        valijson::adapters::NlohmannJsonAdapter doc_adapter(doc);
        const bool ok = validator.validate(schema, doc_adapter, &results);
        std::string why;
        valijson::ValidationResults::Error error;
        while (results.popError(error)) why += error.description + "\n";
        EXPECT_TRUE(ok) << why << document.substr(0, 2000);
    }

    // Against the shared model schema (schemas/model.schema.json), when the tree has it.
    static void expect_valid_model(const std::string &document) {
        std::ifstream in(CLD_MODEL_SCHEMA);
        if (!in) return;
        std::stringstream text;
        text << in.rdbuf();
        expect_valid(text.str().c_str(), document);
    }

    static inline void *handle_ = nullptr;
    static inline const holon_plugin_entry_t *entry_ = nullptr;
    static inline const holon_method_factory_v1_t *factory_ = nullptr;
};

TEST_F(CldPlugin, DescriptorsMatchTheManifest) {
    std::ifstream in(std::filesystem::path(CLD_PLUGIN_PATH).parent_path() / "plugin.json");
    ASSERT_TRUE(in) << "plugin.json must sit next to cld.so";
    const json manifest = json::parse(in);
    EXPECT_EQ(manifest.at("id"), entry_->plugin_id);
    EXPECT_EQ(manifest.at("version"), entry_->plugin_version);
    std::vector<std::string> ids;
    for (uint32_t i = 0; i < factory_->count(factory_); ++i) {
        const holon_method_descriptor_t *d = factory_->get(factory_, i);
        ids.emplace_back(d->id);
        // Every schema is JSON, and "{}" params are valid against the params schema.
        expect_valid(d->params_schema, "{}");
        EXPECT_TRUE(json::accept(d->result_schema)) << d->id;
    }
    EXPECT_EQ(manifest.at("methods").get<std::vector<std::string>>(), ids);
    EXPECT_EQ(descriptor("cld.import-graphml")->kind, HOLON_METHOD_KIND_IMPORTER);
    EXPECT_STREQ(descriptor("cld.import-kumu")->formats, "kumu");
    EXPECT_EQ(descriptor("cld.export")->kind, HOLON_METHOD_KIND_EXPORTER);
}

TEST_F(CldPlugin, TheWorkedExampleModelIsAValidSharedModel) {
    std::ifstream in(CLD_EXAMPLE_MODEL);
    ASSERT_TRUE(in);
    std::stringstream text;
    text << in.rdbuf();
    expect_valid_model(text.str());
    expect_valid_model(holon_cld::testing::yeast_alcohol_model_json());
    TestRun r(text.str(), "{}");
    ASSERT_EQ(run("cld.loops", r), HOLON_OK) << r.error_message;
    const json result = json::parse(r.result);
    // The loop table in docs/methods/cld.md.
    EXPECT_EQ(result["count"], 8);
    std::string polarities;
    for (const auto &loop : result["loops"]) polarities += loop["polarity"].get<std::string>();
    EXPECT_EQ(polarities, "BRRRURRU");
    EXPECT_EQ(result["partitions"][0]["independent_loops"], 7);
}

TEST_F(CldPlugin, LoopsOfTheYeastModel) {
    TestRun r(holon_cld::testing::yeast_alcohol_model_json(), "{}");
    ASSERT_EQ(run("cld.loops", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("cld.loops")->result_schema, r.result);
    const json result = json::parse(r.result);
    EXPECT_EQ(result["count"], 4);
    EXPECT_EQ(result["truncated"], false);
    std::vector<std::string> polarities;
    for (const auto &loop : result["loops"]) polarities.push_back(loop["polarity"]);
    EXPECT_EQ(polarities, (std::vector<std::string>{"R", "B", "B", "B"}));
    EXPECT_EQ(result["loops"][2], json::parse(R"({"id": "L3", "variables": ["alcohol", "births", "cells"],
        "links": ["alcohol-births", "births-cells", "cells-alcohol"], "polarity": "B", "length": 3})"));
    ASSERT_EQ(result["partitions"].size(), 1u);
    EXPECT_EQ(result["partitions"][0]["independent_loops"], 4);
    EXPECT_EQ(result["partitions"][0]["loops"], 4);
    EXPECT_EQ(result["partitions"][0]["variables"], json::parse(R"(["alcohol", "births", "cells", "deaths"])"));
}

TEST_F(CldPlugin, LoopsCappedOnK12AreTruncated) {
    const holon_cld::CausalGraph k12 = holon_cld::testing::complete_digraph(12);
    json model = {{"variables", json::array()}, {"links", json::array()}};
    for (const auto &v : k12.variables()) model["variables"].push_back({{"id", v.id}, {"name", v.name}});
    for (const auto &l : k12.links())
        model["links"].push_back({{"id", l.id}, {"from", k12.variables()[l.from].id}, {"to", k12.variables()[l.to].id}, {"polarity", "+"}});
    TestRun r(model.dump(), R"({"max_loops": 1000})");
    ASSERT_EQ(run("cld.loops", r), HOLON_OK) << r.error_message;
    const json result = json::parse(r.result);
    EXPECT_EQ(result["count"], 1000);
    EXPECT_EQ(result["truncated"], true);
    EXPECT_EQ(result["loops"].size(), 1000u);
    EXPECT_EQ(result["loops"][0]["length"], 2);
    ASSERT_FALSE(r.logs.empty());
    EXPECT_NE(r.logs.back().find("max_loops"), std::string::npos);

    TestRun cancelled(model.dump(), R"({"max_loops": 1000000})");
    cancelled.cancel_after_polls = 2;
    EXPECT_EQ(run("cld.loops", cancelled), HOLON_ERR_CANCELLED);
    EXPECT_EQ(cancelled.error_code, HOLON_ERR_CANCELLED);
}

TEST_F(CldPlugin, LoopsThroughAnUnknownVariableIsAParamsError) {
    TestRun r(holon_cld::testing::yeast_alcohol_model_json(), R"({"through": "sunshine"})");
    EXPECT_EQ(run("cld.loops", r), HOLON_ERR_INVALID_PARAMS);
    EXPECT_NE(r.error_message.find("sunshine"), std::string::npos);
}

TEST_F(CldPlugin, BrokenModelIsAModelErrorWithAPath) {
    TestRun r(R"({"variables": [{"id": "a"}], "links": [{"id": "l", "from": "a", "to": "zz"}]})", "{}");
    EXPECT_EQ(run("cld.loops", r), HOLON_ERR_INVALID_MODEL);
    EXPECT_EQ(json::parse(r.error_details)["path"], "/links/0/to");
}

TEST_F(CldPlugin, CentralityStatesItsConventions) {
    TestRun r(holon_cld::testing::yeast_alcohol_model_json(), R"({"directed": true})");
    ASSERT_EQ(run("cld.centrality", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("cld.centrality")->result_schema, r.result);
    const json result = json::parse(r.result);
    EXPECT_EQ(result["directed"], true);
    EXPECT_NE(result["conventions"]["betweenness"].get<std::string>().find("(n-1)(n-2)"), std::string::npos);
    EXPECT_NE(result["micmac"]["conventions"]["threshold"].get<std::string>().find("mean"), std::string::npos);
    // cells drives births, deaths and alcohol and is driven by births and deaths: 2 in + 3 out.
    EXPECT_EQ(result["variables"][0]["id"], "cells");
    EXPECT_EQ(result["variables"][0]["in_degree"], 2);
    EXPECT_EQ(result["variables"][0]["degree"], 5);
}

TEST_F(CldPlugin, ExportsSvgWithHighlightedLoops) {
    TestRun r(holon_cld::testing::yeast_alcohol_model_json(), R"({"format": "svg", "highlight_loops": ["L1", "L3"]})");
    ASSERT_EQ(run("cld.export", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("cld.export")->result_schema, r.result);
    ASSERT_EQ(r.blobs.count("cld.svg"), 1u);
    EXPECT_EQ(r.blobs["cld.svg"].first, "image/svg+xml");
    EXPECT_NE(r.blobs["cld.svg"].second.find("<svg"), std::string::npos);
    EXPECT_NE(r.blobs["cld.svg"].second.find("L3 (B)"), std::string::npos);
    EXPECT_EQ(json::parse(r.result)["highlighted_loops"], json::parse(R"(["L1", "L3"])"));

    TestRun missing(holon_cld::testing::yeast_alcohol_model_json(), R"({"format": "dot", "highlight_loops": ["L9"]})");
    EXPECT_EQ(run("cld.export", missing), HOLON_ERR_INVALID_PARAMS);
}

TEST_F(CldPlugin, GraphmlExportImportsBackIntoTheSameModel) {
    TestRun exported(holon_cld::testing::yeast_alcohol_model_json(), R"({"format": "graphml"})");
    ASSERT_EQ(run("cld.export", exported), HOLON_OK) << exported.error_message;
    TestRun imported("", "{}", exported.blobs.at("cld.graphml").second);
    ASSERT_EQ(run("cld.import-graphml", imported), HOLON_OK) << imported.error_message;
    expect_valid(descriptor("cld.import-graphml")->result_schema, imported.result);
    expect_valid_model(imported.result);
    json original = json::parse(holon_cld::testing::yeast_alcohol_model_json());
    json back = json::parse(imported.result);
    for (auto &link : original["links"])
        if (!link.contains("delay")) link["delay"] = false;
    for (auto &link : back["links"]) {
        EXPECT_EQ(link["provenance"]["asserted_by"], "graphml import");
        link.erase("provenance");
    }
    EXPECT_EQ(back["variables"], original["variables"]);
    EXPECT_EQ(back["links"], original["links"]);
}

TEST_F(CldPlugin, MalformedGraphmlGivesLineAndColumn) {
    TestRun r("", "{}", "<graphml>\n<graph>\n<node id='a'>\n</graph>");
    EXPECT_EQ(run("cld.import-graphml", r), HOLON_ERR_INVALID_MODEL);
    const json details = json::parse(r.error_details);
    EXPECT_EQ(details["line"], 4);
    EXPECT_EQ(details["column"], 3);
}

TEST_F(CldPlugin, KumuImportDropsTypesThatAreNotModelKinds) {
    TestRun r("", "{}", R"({"elements": [{"label": "A", "type": "Person"}, {"label": "B", "type": "stock"},
                                         {"label": "2nd wave"}],
                          "connections": [{"from": "A", "to": "B", "type": "-"}, {"from": "B", "to": "2nd wave", "_id": "7"}]})");
    r.source_name = "workshop.kumu.json";
    r.inputs.source_name = r.source_name.c_str();
    ASSERT_EQ(run("cld.import-kumu", r), HOLON_OK) << r.error_message;
    expect_valid_model(r.result);
    const json model = json::parse(r.result);
    EXPECT_EQ(model["id"], "workshop");
    EXPECT_EQ(model["variables"][0]["kind"], "factor");
    EXPECT_EQ(model["variables"][1]["kind"], "stock");
    EXPECT_EQ(model["variables"][2]["id"], "v-2nd-wave"); // ids must start with a letter
    EXPECT_EQ(model["links"][0]["polarity"], "-");
    EXPECT_EQ(model["links"][1]["id"], "l-7");
    EXPECT_EQ(model["links"][1]["polarity"], "?");
    EXPECT_EQ(model["links"][1]["provenance"]["asserted_by"], "workshop.kumu.json");
}

} // namespace
