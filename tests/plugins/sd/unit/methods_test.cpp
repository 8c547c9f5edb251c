// Runs the plugin's method classes against a fake host context.
#include "methods/check_units.hpp"
#include "methods/export_xmile.hpp"
#include "methods/import_mdl.hpp"
#include "methods/import_xmile.hpp"
#include "methods/simulate.hpp"
#include "methods/structure.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
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
    std::map<std::string, std::vector<std::string>> labels; // per table, one per column

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
            for (uint32_t i = 0; i < t->column_count; ++i) {
                cols.emplace_back(t->columns[i].name, std::vector<double>(t->columns[i].values, t->columns[i].values + t->row_count));
                self(c).labels[t->name].push_back(t->columns[i].label ? t->columns[i].label : "");
            }
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

// Issue 19: the names Stella prints for variables of XMILE modules. Stella's exports of the simlin
// test models modules_hares_and_foxes and modules_with_complex_idents (Stella Professional 1.9.4)
// head the columns "size of one time lynx harvest" (name "size of one\ntime lynx harvest"),
// "hares.hares killed per lynx" (module hares, name "hares killed\nper lynx") and
// a."module/output" (module a, name "module/output"): the qualified name module.variable of
// XMILE 1.0, a line break as a space, the variable's own name quoted when it needs quotes.
// The column ids stay the names as written; only the display names change.
class SdMethodsStella : public ::testing::TestWithParam<const char *> {};

TEST_P(SdMethodsStella, ModuleVariablesAreLabelledWithTheNamesStellaPrints) {
    FakeHost imp;
    imp.source_name = GetParam();
    imp.source = R"(<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
  <header><name>modules</name></header>
  <sim_specs><start>0</start><stop>1</stop><dt>1</dt></sim_specs>
  <model><variables>
    <aux name="size of one\ntime lynx harvest"><eqn>100</eqn></aux>
    <module name="hares" model="hares"><connect to="hares.harvest" from="size_of_one\ntime_lynx_harvest"/></module>
    <module name="a" model="a"/>
  </variables></model>
  <model name="hares"><variables>
    <aux name="harvest" access="input"><eqn>0</eqn></aux>
    <aux name="hares killed\nper lynx"><eqn>harvest / 4</eqn></aux>
  </variables></model>
  <model name="a"><variables>
    <aux name="module/output"><eqn>TIME * 2</eqn></aux>
  </variables></model>
</xmile>)";
    ASSERT_EQ(imp.run<ImportXmileMethod>(), HOLON_OK) << imp.error;
    FakeHost h;
    h.model = imp.json;
    ASSERT_EQ(h.run<SimulateMethod>(), HOLON_OK) << h.error;
    const auto &cols = h.tables["series"];
    const auto &labels = h.labels["series"];
    ASSERT_EQ(cols.size(), 5u);
    EXPECT_EQ(cols[1].first, "size of one\\ntime lynx harvest");
    EXPECT_EQ(labels[1], "size of one time lynx harvest");
    EXPECT_EQ(labels[2], "hares.harvest");
    EXPECT_EQ(cols[3].first, "hares.hares killed\\nper lynx");
    EXPECT_EQ(labels[3], "hares.hares killed per lynx");
    EXPECT_EQ(cols[3].second, (std::vector<double>{25, 25}));
    EXPECT_EQ(cols[4].first, "a.module/output");
    EXPECT_EQ(labels[4], "a.\"module/output\"");
    EXPECT_EQ(cols[4].second, (std::vector<double>{0, 2}));
}

INSTANTIATE_TEST_SUITE_P(XmileAndStmx, SdMethodsStella, ::testing::Values("modules.xmile", "modules.stmx"));

// Vensim names keep their spelling: a period in a Vensim name is not a module qualifier.
TEST(SdMethods, VensimNamesWithPeriodsKeepTheirLabels) {
    FakeHost imp;
    imp.source_name = "periods.mdl";
    imp.source = "{UTF-8}\n\"Pop. growth (%)\" = 2 ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\nTIME STEP = 1 ~~|\n"
                 "SAVEPER = TIME STEP ~~|\n";
    ASSERT_EQ(imp.run<ImportMdlMethod>(), HOLON_OK) << imp.error;
    FakeHost h;
    h.model = imp.json;
    ASSERT_EQ(h.run<SimulateMethod>(), HOLON_OK) << h.error;
    const auto &labels = h.labels["series"];
    EXPECT_NE(std::find(labels.begin(), labels.end(), "Pop. growth (%)"), labels.end());
}

TEST(SdMethods, StellaLabelsOfNames) {
    EXPECT_EQ(stella_label("Tank.level"), "Tank.level");
    EXPECT_EQ(stella_label("Outer.Inner.x/y"), "Outer.Inner.\"x/y\"");
    EXPECT_EQ(stella_label("c+d/e (%)"), "c+d/e (%)"); // not qualified: printed as it is
    EXPECT_EQ(stella_label("a.\"b/c\""), "a.\"b/c\"");  // already quoted
    EXPECT_EQ(stella_label("line\nbreak"), "line break");
}
