// Runs the plugin's method classes against a fake host context.
#include "methods/check_units.hpp"
#include "methods/export_xmile.hpp"
#include "methods/import_mdl.hpp"
#include "methods/import_xmile.hpp"
#include "methods/simulate.hpp"
#include "methods/structure.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>

using namespace holon_sd;

namespace {

struct FakeHost {
    holon_run_inputs_t inputs{};
    holon_context_t ctx{};
    std::string model, params, source, source_name = "teacup.xmile", source_dir;
    std::string json, error;
    int32_t error_code = 0;
    std::map<std::string, std::vector<std::pair<std::string, std::vector<double>>>> tables;
    std::map<std::string, std::string> blobs;

    static FakeHost &self(const holon_context_t *c) { return *static_cast<FakeHost *>(const_cast<void *>(static_cast<const void *>(c->inputs->scratch_dir))); }

    FakeHost() {
        ctx.struct_size = sizeof ctx;
        ctx.inputs = &inputs;
        ctx.set_error = [](const holon_context_t *c, int32_t code, const char *msg, const char *) {
            self(c).error_code = code;
            self(c).error = msg;
            return code;
        };
        ctx.progress = [](const holon_context_t *, double, const char *) {};
        ctx.is_cancelled = [](const holon_context_t *) -> int32_t { return 0; };
        ctx.log = [](const holon_context_t *, int32_t, const char *) {};
        ctx.put_json = [](const holon_context_t *c, const char *j, uint64_t n) -> int32_t {
            self(c).json.assign(j, n);
            return HOLON_OK;
        };
        ctx.put_table = [](const holon_context_t *c, const holon_table_t *t) -> int32_t {
            auto &cols = self(c).tables[t->name];
            for (uint32_t i = 0; i < t->column_count; ++i)
                cols.emplace_back(t->columns[i].name, std::vector<double>(t->columns[i].values, t->columns[i].values + t->row_count));
            return HOLON_OK;
        };
        ctx.put_blob = [](const holon_context_t *c, const char *name, const char *, const void *d, uint64_t n) -> int32_t {
            self(c).blobs[name].assign(static_cast<const char *>(d), n);
            return HOLON_OK;
        };
        ctx.get_extension = [](const holon_context_t *, const char *) -> const void * { return nullptr; };
    }

    template <class M>
    int32_t run() {
        inputs.struct_size = sizeof inputs;
        inputs.model_json = model.data();
        inputs.model_json_size = model.size();
        inputs.params_json = params.empty() ? "{}" : params.data();
        inputs.params_json_size = params.empty() ? 2 : params.size();
        inputs.source = source.data();
        inputs.source_size = source.size();
        inputs.source_name = source_name.c_str();
        inputs.source_dir = source_dir.c_str();
        // The fake finds itself through scratch_dir (a pointer only this test reads back).
        inputs.scratch_dir = reinterpret_cast<const char *>(this);
        return holon::detail::run_method<M>(&ctx);
    }
};

const char *teacup = R"(<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
  <header><name>Teacup</name></header>
  <sim_specs><start>0</start><stop>2</stop><dt>1</dt></sim_specs>
  <model><variables>
    <flow name="Heat Loss"><eqn>(Teacup_Temperature - Room_Temperature) / 10</eqn></flow>
    <aux name="Room Temperature"><eqn>70</eqn><units>deg</units></aux>
    <stock name="Teacup Temperature"><outflow>Heat_Loss</outflow><eqn>180</eqn></stock>
  </variables></model></xmile>)";

std::string import_teacup() {
    FakeHost h;
    h.source = teacup;
    EXPECT_EQ(h.run<ImportXmileMethod>(), HOLON_OK) << h.error;
    return h.json;
}

} // namespace

TEST(SdMethods, ImportProducesSharedModelWithLinks) {
    nlohmann::json doc = nlohmann::json::parse(import_teacup());
    EXPECT_EQ(doc["format"], "holon-model/1");
    ASSERT_EQ(doc["variables"].size(), 3u);
    EXPECT_EQ(doc["variables"][2]["kind"], "stock");
    EXPECT_EQ(doc["variables"][1]["units"], "deg");
    EXPECT_EQ(doc["methods"]["sd"]["sim_specs"]["stop"], 2);
    bool found = false;
    for (const auto &l : doc["links"])
        if (l["from"] == "heat_loss" && l["to"] == "teacup_temperature") found = l["polarity"] == "-";
    EXPECT_TRUE(found) << doc["links"].dump();
}

TEST(SdMethods, SimulateWithOverridesAndSelection) {
    FakeHost h;
    h.model = import_teacup();
    h.params = R"({"overrides": {"room temperature": 80}, "variables": ["Teacup Temperature"], "method": "euler"})";
    ASSERT_EQ(h.run<SimulateMethod>(), HOLON_OK) << h.error;
    auto &cols = h.tables["series"];
    ASSERT_EQ(cols.size(), 2u);
    EXPECT_EQ(cols[0].first, "time");
    EXPECT_EQ(cols[1].first, "Teacup Temperature");
    EXPECT_EQ(cols[1].second, (std::vector<double>{180, 170, 161}));
    EXPECT_EQ(nlohmann::json::parse(h.json)["steps"], 2);
}

TEST(SdMethods, SimulateRejectsUnknownOverride) {
    FakeHost h;
    h.model = import_teacup();
    h.params = R"({"overrides": {"nothing": 1}})";
    EXPECT_EQ(h.run<SimulateMethod>(), HOLON_ERR_INVALID_PARAMS);
    EXPECT_NE(h.error.find("nothing"), std::string::npos);
}

TEST(SdMethods, ImportErrorCarriesLine) {
    FakeHost h;
    h.source = "<xmile>\n<model>\n</xmile>";
    EXPECT_EQ(h.run<ImportXmileMethod>(), HOLON_ERR_INVALID_MODEL);
    EXPECT_NE(h.error.find("line 3"), std::string::npos) << h.error;
}

TEST(SdMethods, ExportAndStructure) {
    FakeHost h;
    h.model = import_teacup();
    ASSERT_EQ(h.run<ExportXmileMethod>(), HOLON_OK) << h.error;
    EXPECT_NE(h.blobs["model.xmile"].find("<stock name=\"Teacup Temperature\">"), std::string::npos);
    FakeHost s;
    s.model = h.model;
    ASSERT_EQ(s.run<StructureMethod>(), HOLON_OK) << s.error;
    nlohmann::json g = nlohmann::json::parse(s.json);
    EXPECT_EQ(g["nodes"].size(), 3u);
    EXPECT_EQ(g["links"].size(), 3u);
}

// A data variable without an equation takes its series from the files in the data_files param.
TEST(SdMethods, ImportMdlReadsDataVariablesFromDataFiles) {
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "holon_import_mdl_data_files";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "data.tab") << "Time\tlevel\n0\t10\n2\t30\n";
    FakeHost h;
    h.source = "{UTF-8}\nlevel ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 2 ~~|\nTIME STEP = 1 ~~|\n";
    h.source_name = "data.mdl";
    h.source_dir = dir.string();
    EXPECT_NE(h.run<ImportMdlMethod>(), HOLON_OK);
    EXPECT_NE(h.error.find("variable 'level': has no equation"), std::string::npos) << h.error;
    EXPECT_NE(h.error.find("pass data_files"), std::string::npos) << h.error;

    h.params = R"({"data_files": ["data.tab"]})";
    ASSERT_EQ(h.run<ImportMdlMethod>(), HOLON_OK) << h.error;
    FakeHost sim;
    sim.model = h.json;
    sim.params = R"({"variables": ["level"], "method": "euler"})";
    ASSERT_EQ(sim.run<SimulateMethod>(), HOLON_OK) << sim.error;
    ASSERT_EQ(sim.tables["series"].size(), 2u);
    EXPECT_EQ(sim.tables["series"][1].second, (std::vector<double>{10, 20, 30}));
    std::filesystem::remove_all(dir);
}
