// Loads the built vsm.so exactly as a host would (dlopen, the one exported entry point, the
// method factory) and runs its methods through a minimal host context; results are checked
// against each method's own result schema.
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

class VsmPlugin : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        handle_ = dlopen(VSM_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
        ASSERT_NE(handle_, nullptr) << dlerror();
        auto entry_fn = reinterpret_cast<holon_plugin_entry_fn>(dlsym(handle_, HOLON_PLUGIN_ENTRY_SYMBOL));
        ASSERT_NE(entry_fn, nullptr);
        const holon_version_t host_version{HOLON_ABI_MAJOR, HOLON_ABI_MINOR, HOLON_ABI_PATCH};
        entry_ = entry_fn(&host_version);
        ASSERT_NE(entry_, nullptr);
        holon_host_t host{};
        host.struct_size = sizeof host;
        host.version = host_version;
        host.name = "vsm-test";
        host.host_version = "0";
        ASSERT_EQ(entry_->init(&host, std::filesystem::path(VSM_PLUGIN_PATH).parent_path().c_str()), HOLON_OK);
        factory_ = static_cast<const holon_method_factory_v1_t *>(entry_->get_factory(HOLON_FACTORY_METHODS));
        ASSERT_NE(factory_, nullptr);
    }
    static void TearDownTestSuite() {
        if (entry_) entry_->deinit();
        // VSM_KEEP_LOADED=1 keeps the plugin mapped so LeakSanitizer can symbolise its frames.
        if (handle_ && !std::getenv("VSM_KEEP_LOADED")) dlclose(handle_);
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
        std::ifstream in(VSM_MODEL_SCHEMA);
        if (!in) return;
        std::stringstream text;
        text << in.rdbuf();
        expect_valid(text.str().c_str(), document);
    }

    static inline void *handle_ = nullptr;
    static inline const holon_plugin_entry_t *entry_ = nullptr;
    static inline const holon_method_factory_v1_t *factory_ = nullptr;
};

std::string slurp(const std::string &path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string fixture(const std::string &name) { return slurp(std::string(VSM_FIXTURES) + "/" + name); }

TEST_F(VsmPlugin, DescriptorsMatchTheManifest) {
    std::ifstream in(std::filesystem::path(VSM_PLUGIN_PATH).parent_path() / "plugin.json");
    ASSERT_TRUE(in) << "plugin.json must sit next to vsm.so";
    const json manifest = json::parse(in);
    EXPECT_EQ(manifest.at("id"), entry_->plugin_id);
    EXPECT_EQ(manifest.at("version"), entry_->plugin_version);
    std::vector<std::string> ids;
    for (uint32_t i = 0; i < factory_->count(factory_); ++i) {
        const holon_method_descriptor_t *d = factory_->get(factory_, i);
        ids.emplace_back(d->id);
        expect_valid(d->params_schema, "{}");
        EXPECT_TRUE(json::accept(d->result_schema)) << d->id;
    }
    EXPECT_EQ(manifest.at("methods").get<std::vector<std::string>>(), ids);
}

TEST_F(VsmPlugin, FixturesAndTheWorkedExampleAreValidSharedModels) {
    int count = 0;
    for (const auto &entry : std::filesystem::directory_iterator(VSM_FIXTURES))
        if (entry.path().string().size() > 11 && entry.path().string().ends_with(".model.json")) {
            expect_valid_model(slurp(entry.path().string()));
            ++count;
        }
    EXPECT_EQ(count, 30); // the clean model and one per rule
    expect_valid_model(slurp(std::string(VSM_EXAMPLES) + "/riverside-integrated-care.model.json"));
}

TEST_F(VsmPlugin, DiagnoseCleanAndOneRule) {
    TestRun clean(fixture("clean.model.json"), "{}");
    ASSERT_EQ(run("vsm.diagnose", clean), HOLON_OK) << clean.error_message;
    expect_valid(descriptor("vsm.diagnose")->result_schema, clean.result);
    const json ok = json::parse(clean.result);
    EXPECT_TRUE(ok["findings"].empty());
    EXPECT_EQ(ok["levels"].size(), 3u);
    EXPECT_EQ(ok["levels"][0]["metasystems"][0]["systems"]["S5"], json::parse(R"(["Trust board"])"));

    TestRun chicken(fixture("II5.model.json"), R"({"disable": ["J-ACTOR"]})");
    ASSERT_EQ(run("vsm.diagnose", chicken), HOLON_OK) << chicken.error_message;
    expect_valid(descriptor("vsm.diagnose")->result_schema, chicken.result);
    const json r = json::parse(chicken.result);
    ASSERT_EQ(r["findings"].size(), 1u);
    EXPECT_EQ(r["findings"][0]["code"], "II5");
    EXPECT_EQ(r["findings"][0]["name"], "Headless chicken");
    EXPECT_EQ(r["findings"][0]["severity"], "error");
    EXPECT_EQ(r["findings"][0]["units"], json::parse(R"(["a"])"));
    EXPECT_EQ(r["findings"][0]["message"], "System 4 of Acute care (a) has no channel to the environment");
    EXPECT_EQ(r["params_used"]["disabled"], json::parse(R"(["J-ACTOR"])"));
}

TEST_F(VsmPlugin, MalformedOrganisationIsRefusedWithItsPointer) {
    TestRun r(R"({"format": "holon-model/1", "id": "m", "name": "M", "organisation": {"units": [{"id": "r", "name": "R"}],
               "channels": [{"id": "c1", "type": "command", "from": "r", "to": "u-ghost"}]}})", "{}");
    EXPECT_EQ(run("vsm.diagnose", r), HOLON_ERR_INVALID_MODEL);
    EXPECT_EQ(r.error_message, "unknown unit 'u-ghost'");
    EXPECT_EQ(json::parse(r.error_details)["path"], "/organisation/channels/0/to");
}

TEST_F(VsmPlugin, UnknownRuleCodeInParamsIsRefused) {
    TestRun r(fixture("clean.model.json"), R"({"disable": ["II99"]})");
    EXPECT_EQ(run("vsm.diagnose", r), HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(json::parse(r.error_details)["path"], "/disable");
}

TEST_F(VsmPlugin, VarietyReproducesBeersTripleIndex) {
    TestRun r(R"({"format": "holon-model/1", "id": "m", "name": "M",
      "organisation": {"units": [{"id": "r", "name": "Trust"}],
                       "varieties": [{"id": "v", "unit": "r", "of": "referrals", "states": 9, "responses": 3}]},
      "indicators": [{"id": "i", "name": "Output", "unit": "r", "capability": 60000, "potentiality": 100000,
                      "actuals": [{"value": 40000}]}]})", "{}");
    ASSERT_EQ(run("vsm.variety", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("vsm.variety")->result_schema, r.result);
    const json v = json::parse(r.result);
    EXPECT_EQ(v["triple_index"][0]["latency"]["exact"], "3/5");
    EXPECT_EQ(v["triple_index"][0]["productivity"]["exact"], "2/3");
    EXPECT_EQ(v["triple_index"][0]["performance"]["exact"], "2/5");
    EXPECT_EQ(v["varieties"][0]["minimum_outcomes"], 3);
    EXPECT_NEAR(v["varieties"][0]["outcome_bits"].get<double>(), 1.585, 0.0005);
}

TEST_F(VsmPlugin, AlarmsFromActualsWithoutTheHost) {
    TestRun r(slurp(std::string(VSM_EXAMPLES) + "/riverside-integrated-care.model.json"), R"({"source": "actuals"})");
    ASSERT_EQ(run("vsm.alarms", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("vsm.alarms")->result_schema, r.result);
    const json a = json::parse(r.result)["alarms"];
    ASSERT_EQ(a.size(), 1u); // the ED's four-hour performance; the week-5 dip of 60% is a transient
    EXPECT_EQ(a[0]["indicator"], "i-ed-4h");
    EXPECT_EQ(a[0]["raised"]["at"], "2026-W10");
    EXPECT_EQ(a[0]["escalations"][0]["unit"], "u-hospital");
    // An SD-bound indicator needs holon.invoke/1, which this minimal host does not offer.
    TestRun sd(r.model, R"({"source": "sd", "indicators": ["i-dn-waiting"]})");
    EXPECT_EQ(run("vsm.alarms", sd), HOLON_ERR_UNSUPPORTED);
}

TEST_F(VsmPlugin, DiagnoseWritesTheReport) {
    TestRun r(slurp(std::string(VSM_EXAMPLES) + "/riverside-integrated-care.model.json"), R"({"report": true})");
    ASSERT_EQ(run("vsm.diagnose", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("vsm.diagnose")->result_schema, r.result);
    EXPECT_EQ(json::parse(r.result)["report"]["html"], "report.html");
    const std::string &html = r.blobs.at("report.html").second;
    EXPECT_EQ(r.blobs.at("report.html").first, "text/html");
    EXPECT_NE(html.find("<svg"), std::string::npos); // diagrams inline: the page stands alone
    EXPECT_NE(html.find("Headless chicken"), std::string::npos);
    EXPECT_NE(html.find("<h3>Level 1</h3>"), std::string::npos);
    const std::string &md = r.blobs.at("report.md").second;
    EXPECT_NE(md.find("| II5 | Headless chicken | error | Riverside General Hospital |"), std::string::npos);
    EXPECT_NE(md.find("![Level 0: Riverside Integrated Care Trust](vsm-level-u-trust.png)"), std::string::npos);
    EXPECT_NE(md.find("| District nursing | care needs at home | 60 → 30 | 6 → 6 | 5 | 2 | 1.322 |"), std::string::npos);
    EXPECT_NE(md.find("0.667 (2/3)"), std::string::npos);
    EXPECT_EQ(r.blobs.count("vsm-level-u-trust.png"), 1u);
}

// Beer's performance index A/P against its norm: 90/100, 80/100, then 50/100 from period 2; the
// norm "below 0.6 for 2 periods" (no filter) raises the alarm at period 3, at the root (level 0).
TEST_F(VsmPlugin, AlarmsOnThePerformanceIndex) {
    TestRun r(R"({"format": "holon-model/1", "id": "m", "name": "M",
      "organisation": {"units": [{"id": "r", "name": "Trust"}]},
      "indicators": [{"id": "i", "name": "Theatre sessions used", "unit": "r", "potentiality": 100,
                      "actuals": [{"value": 90}, {"value": 80}, {"value": 50}, {"value": 50}, {"value": 50}],
                      "thresholds": [{"level": "alarm", "comparison": "below", "value": 0.6, "periods": 2}]}]})",
              R"({"measure": "performance", "window": 1})");
    ASSERT_EQ(run("vsm.alarms", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("vsm.alarms")->result_schema, r.result);
    const json result = json::parse(r.result);
    ASSERT_EQ(result["alarms"].size(), 1u);
    const json &a = result["alarms"][0];
    EXPECT_EQ(a["raised"]["period"], 3);
    EXPECT_EQ(a["value"], 0.5);
    EXPECT_EQ(a["recursion_level"], 0);
    EXPECT_TRUE(a["reached_root"].get<bool>());
    EXPECT_TRUE(a["escalations"].empty());
    EXPECT_EQ(result["filter"]["kind"], "none");
}

TEST_F(VsmPlugin, DiagramWritesSvgAndPngPerLevel) {
    TestRun r(slurp(std::string(VSM_EXAMPLES) + "/riverside-integrated-care.model.json"), "{}");
    ASSERT_EQ(run("vsm.diagram", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("vsm.diagram")->result_schema, r.result);
    const json d = json::parse(r.result)["diagrams"];
    ASSERT_EQ(d.size(), 6u); // trust, hospital, community, social care, intermediate care, nested
    EXPECT_EQ(d[0]["unit"], "u-trust");
    EXPECT_EQ(d[5]["view"], "nested");
    const auto &svg = r.blobs.at("vsm-level-u-hospital.svg");
    EXPECT_EQ(svg.first, "image/svg+xml");
    EXPECT_NE(svg.second.find("S4 Intelligence"), std::string::npos);
    EXPECT_NE(svg.second.find("absent"), std::string::npos); // the hospital has no System 4
    const auto &png = r.blobs.at("vsm-level-u-hospital.png");
    EXPECT_EQ(png.first, "image/png");
    EXPECT_EQ(png.second.substr(1, 3), "PNG");
}

} // namespace
