// Issue 18: errors that say how to fix them, and exit codes exactly as docs/cli.md documents:
//   0 success; 1 the method ran and failed; 2 bad usage or bad input.
// The real `holon` binary against the fixtures and, where a real model is needed, the sd plugin.
#include "cli_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
using holon::test::line_count;
using holon::test::ProcessResult;
using holon::test::run_process;
using nlohmann::json;

namespace {

const fs::path fixtures = HOLON_TEST_PLUGINS;
const fs::path source_dir = HOLON_SOURCE_DIR;
const fs::path example_model = source_dir / "schemas/examples/health-social-care-delays.model.json";
const fs::path sir_xmile = source_dir / "docs/examples/SIR.xmile";
const fs::path sir_json = source_dir / "docs/examples/scenario-sir.model.json";

ProcessResult holon_cli(const std::vector<std::string> &args) {
    return run_process(HOLON_BIN, args, {{"HOLON_PLUGIN_PATH", fixtures.string()}});
}

std::string slurp(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class TempDir {
public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "holon-errors-XXXXXX").string();
        path_ = mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    fs::path write(const std::string &name, const std::string &text) const {
        std::ofstream(path_ / name, std::ios::binary) << text;
        return path_ / name;
    }
    const fs::path &path() const { return path_; }

private:
    fs::path path_;
};

std::string replaced(std::string text, const std::string &from, const std::string &to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

// Exactly one line on stderr, "holon: " first, the exit code, and the whole expected text in it.
void expect_error(const ProcessResult &r, int exit_code, const std::string &must_contain) {
    EXPECT_EQ(r.exit_code, exit_code) << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_EQ(r.err.rfind("holon: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(must_contain), std::string::npos) << "expected '" << must_contain << "' in: " << r.err;
}

#define REQUIRE_SD()                                                                                 \
    do {                                                                                             \
        if (!HOLON_TEST_HAVE_SD) GTEST_SKIP() << "the sd plugin is not part of this build";          \
    } while (0)

} // namespace

// --- exit codes: every row of the table in docs/cli.md ---------------------------------------

TEST(ExitCodes, ZeroOnSuccess) {
    EXPECT_EQ(holon_cli({"run", "fixture.echo.run", "--model", example_model.string(), "--quiet"}).exit_code, 0);
    EXPECT_EQ(holon_cli({"model", "validate", example_model.string()}).exit_code, 0);
}

TEST(ExitCodes, OneWhenTheMethodRanAndFailed) {
    // Reported an error (an exception escaped the plugin), crashed, hit a limit.
    expect_error(holon_cli({"run", "fixture.throw-std.run", "--model", example_model.string()}), 1,
                 "the widget exploded");
    expect_error(holon_cli({"run", "fixture.segfault.run", "--model", example_model.string()}), 1, "crashed");
    expect_error(holon_cli({"run", "fixture.sleep-forever.run", "--model", example_model.string(), "--timeout", "1"}), 1,
                 "wall-clock-limit");
}

TEST(ExitCodes, TwoForBadUsageOrBadInput) {
    expect_error(holon_cli({"plugins", "--no-such-option"}), 2, "--no-such-option");                 // unknown option
    expect_error(holon_cli({"run", "no.such.method", "--model", example_model.string()}), 2, "no.such.method");
    expect_error(holon_cli({"model", "validate", "/no/such/file.json"}), 2, "/no/such/file.json: no such file");
    expect_error(holon_cli({"run", "fixture.echo.run", "--model", example_model.string(), "--params", "[1"}), 2,
                 "line 1");                                                                          // params
    expect_error(holon_cli({"run", "fixture.echo.run", "--model", example_model.string(), "--params",
                            R"({"fail": "refused by the plugin"})"}),
                 2, "(invalid-params): refused by the plugin");                                      // params, plugin
    expect_error(holon_cli({"run", "fixture.echo.run", "--model",
                            (source_dir / "schemas/examples/invalid/dangling-link.model.json").string()}),
                 2, "/links/");                                                                      // model
}

TEST(ExitCodes, ARunThatFailsIsOneAndWhatTheModelOrOptionsCannotDoIsTwo) {
    REQUIRE_SD();
    TempDir t;
    // The model compiles, but the run hits a limit: the method ran and failed (1).
    expect_error(holon_cli({"simulate", sir_xmile.string(), "--stop", "1e12"}), 1, "too many steps");
    // An option this model cannot honour: CVODE refuses a model that steps per dt (PULSE): bad input (2).
    const auto pulse = t.write("pulse.xmile", replaced(slurp(sir_xmile), "<eqn>1000</eqn>", "<eqn>1000 + PULSE(10, 5, 10)</eqn>"));
    expect_error(holon_cli({"simulate", pulse.string(), "--method", "cvode"}), 2,
                 "--method: method cvode would only approximate this model");
    expect_error(holon_cli({"simulate", sir_xmile.string(), "--start", "50", "--stop", "10"}), 2,
                 "--stop: stop time 10 is before start time 50");
    // A model that names a variable that does not exist: bad input (2).
    const auto typo = t.write("typo.xmile", replaced(slurp(sir_xmile), "infectious/duration", "infectious/duraton"));
    expect_error(holon_cli({"simulate", typo.string()}), 2, "undefined variable 'duraton'");
}

// --- did you mean ----------------------------------------------------------------------------

TEST(DidYouMean, MethodIds) {
    expect_error(holon_cli({"run", "fixture.echo.rnu", "--model", example_model.string()}), 2,
                 "no plugin offers method 'fixture.echo.rnu'; did you mean 'fixture.echo.run'?");
    const auto far = holon_cli({"run", "zzz.nothing.like.it", "--model", example_model.string()});
    expect_error(far, 2, "no plugin offers method 'zzz.nothing.like.it'");
    EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
}

TEST(DidYouMean, CommandsAndOptions) {
    expect_error(holon_cli({"simulat", "model.xmile"}), 2,
                 "unknown command 'simulat' for `holon`; did you mean 'simulate'? (commands: ");
    expect_error(holon_cli({"model", "validat", "m.json"}), 2,
                 "unknown command 'validat' for `holon model`; did you mean 'validate'?");
    expect_error(holon_cli({"simulate", "model.xmile", "--stpo", "10"}), 2,
                 "unknown option '--stpo' for `holon simulate`; did you mean '--stop'? (see holon simulate --help)");
    expect_error(holon_cli({"run", "--modle", "m.json", "sd.simulate"}), 2,
                 "unknown option '--modle' for `holon run`; did you mean '--model'?");
}

TEST(DidYouMean, SdSimulatIsSdSimulate) {
    REQUIRE_SD();
    expect_error(holon_cli({"run", "sd.simulat", "--model", sir_xmile.string()}), 2,
                 "no plugin offers method 'sd.simulat'; did you mean 'sd.simulate'?");
}

TEST(DidYouMean, ParamsPropertiesListTheAllowedOnes) {
    REQUIRE_SD();
    expect_error(holon_cli({"run", "sd.simulate", "--model", sir_xmile.string(), "--params", R"({"metod": "rk4"})"}), 2,
                 "/metod: property 'metod' is not allowed; did you mean 'method'? (allowed: 'atol', 'bench', "
                 "'cvode_method', 'dt', 'max_steps', 'method', 'overrides', 'rtol', 'save_step', 'seed', 'start', "
                 "'stop', 'variables')");
}

TEST(DidYouMean, EnumErrorsListTheAllowedValues) {
    REQUIRE_SD();
    expect_error(holon_cli({"run", "sd.simulate", "--model", sir_xmile.string(), "--params", R"({"method": "eulr"})"}), 2,
                 "/method: value \"eulr\" is not one of the allowed values; did you mean \"euler\"? "
                 "(allowed: \"euler\", \"rk2\", \"rk4\", \"cvode\")");
}

TEST(DidYouMean, ModelPropertiesAndValues) {
    TempDir t;
    auto doc = json::parse(slurp(example_model));
    doc["variables"][0]["unts"] = "people";
    expect_error(holon_cli({"model", "validate", t.write("prop.model.json", doc.dump()).string()}), 2,
                 "/variables/0/unts: property 'unts' is not allowed; did you mean 'units'? (allowed: ");
    doc = json::parse(slurp(example_model));
    doc["variables"][0]["kind"] = "stok";
    expect_error(holon_cli({"model", "validate", t.write("kind.model.json", doc.dump()).string()}), 2,
                 "/variables/0/kind: value \"stok\" is not one of the allowed values; did you mean \"stock\"? "
                 "(allowed: \"stock\", \"flow\", \"aux\", \"exogenous\", \"lever\", \"outcome\", \"indicator\", "
                 "\"factor\")");
    doc = json::parse(slurp(example_model));
    doc["links"][0]["polarity"] = "positive";
    expect_error(holon_cli({"model", "validate", t.write("polarity.model.json", doc.dump()).string()}), 2,
                 "/links/0/polarity: value \"positive\" is not one of the allowed values (allowed: \"+\", \"-\", \"?\")");
}

TEST(DidYouMean, SimulateVarsAndOverridesNameTheOption) {
    REQUIRE_SD();
    expect_error(holon_cli({"simulate", sir_xmile.string(), "--vars", "susceptible,infectous"}), 2,
                 "--vars: unknown variable 'infectous'; did you mean 'infectious'?");
    expect_error(holon_cli({"simulate", sir_xmile.string(), "--set", "duraton=3"}), 2,
                 "--set: override of unknown variable 'duraton'; did you mean 'duration'?");
    expect_error(holon_cli({"run", "sd.simulate", "--model", sir_xmile.string(), "--params",
                            R"({"variables": ["recoverd"]})"}),
                 2, "unknown variable 'recoverd'; did you mean 'recovered'? (at params /variables/0)");
}

// --- validation up front, with the user's own spelling and where it is -------------------------

TEST(UpFront, XmileEquationTypoIsRefusedAtItsLineWithTheUsersSpelling) {
    REQUIRE_SD();
    TempDir t;
    const auto typo = t.write("typo.xmile", replaced(slurp(sir_xmile), "infectious/duration", "infectious/contact_infectivty"));
    // Line 41 holds `<eqn>infectious/contact_infectivty</eqn>`; the name starts at column 33.
    expect_error(holon_cli({"model", "validate", typo.string()}), 2,
                 "typo.xmile:41:33: variable 'recovering': undefined variable 'contact_infectivty'; did you mean "
                 "'contact_infectivity'?");
}

TEST(UpFront, XmileWithADeletedFlowIsRefusedAtTheStockThatNamesIt) {
    REQUIRE_SD();
    TempDir t;
    std::string text = slurp(sir_xmile);
    const auto begin = text.find("<flow name=\"recovering\">");
    const auto end = text.find("</flow>", begin) + std::string("</flow>").size();
    ASSERT_NE(begin, std::string::npos);
    text.erase(begin, end - begin);
    const auto deleted = t.write("deleted-flow.xmile", text);
    expect_error(holon_cli({"model", "validate", deleted.string()}), 2,
                 "deleted-flow.xmile:28:26: variable 'infectious': unknown flow 'recovering'");
    // The same refusal, not a late one, for every command that reads the model.
    expect_error(holon_cli({"simulate", deleted.string()}), 2, "deleted-flow.xmile:28:26:");
    // check: false imports it as it is (e.g. to look at its structure).
    const auto imported = holon_cli({"run", "sd.import-xmile", "--model", deleted.string(), "--params", R"({"check": false})"});
    EXPECT_EQ(imported.exit_code, 0) << imported.err;
}

TEST(UpFront, VensimEquationTypoIsRefusedAtItsLineWithTheClosestName) {
    REQUIRE_SD();
    TempDir t;
    const auto mdl = t.write("growth.mdl", "{UTF-8}\nStock= INTEG (\n\tinflow, 10)\n\t~\twidgets\n\t~\t\t|\n\n"
                                           "inflow= Stock * Growth Rat\n\t~\twidgets/Month\n\t~\t\t|\n\n"
                                           "Growth Rate= 0.1\n\t~\t1/Month\n\t~\t\t|\n\n"
                                           "FINAL TIME  = 10\n\t~\tMonth\n\t~\t\t|\n\nINITIAL TIME  = 0\n\t~\tMonth\n\t~\t\t|\n\n"
                                           "SAVEPER  = TIME STEP\n\t~\tMonth\n\t~\t\t|\n\nTIME STEP  = 1\n\t~\tMonth\n\t~\t\t|\n");
    expect_error(holon_cli({"model", "validate", mdl.string()}), 2,
                 "growth.mdl:7: variable 'inflow': undefined variable 'Growth Rat'; did you mean 'Growth Rate'?");
}

TEST(UpFront, DimensionMismatchIsRefusedAtTheEquation) {
    REQUIRE_SD();
    TempDir t;
    const auto dims = t.write("dims.xmile", R"(<?xml version="1.0" encoding="utf-8"?>
<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" version="1.0">
    <header><name>dims</name></header>
    <sim_specs><start>0</start><stop>2</stop><dt>1</dt></sim_specs>
    <dimensions>
        <dim name="Region"><elem name="north"/><elem name="south"/></dim>
        <dim name="Age"><elem name="young"/><elem name="old"/><elem name="oldest"/></dim>
    </dimensions>
    <model>
        <variables>
            <aux name="a"><dimensions><dim name="Region"/></dimensions><eqn>1</eqn></aux>
            <aux name="b"><dimensions><dim name="Age"/></dimensions><eqn>a * 2</eqn></aux>
        </variables>
    </model>
</xmile>
)");
    expect_error(holon_cli({"model", "validate", dims.string()}), 2,
                 "dims.xmile:12:13: variable 'b[young]': 'a' is an array over 'Region' and needs a subscript here");
}

TEST(UpFront, JsonModelWithAnUnknownNameIsRefusedAtItsJsonPath) {
    REQUIRE_SD();
    TempDir t;
    auto doc = json::parse(slurp(sir_json));
    size_t index = 0;
    for (size_t i = 0; i < doc["variables"].size(); ++i)
        if (doc["variables"][i]["name"] == "recovering") index = i;
    doc["variables"][index]["equation"] = "infectious/duraton";
    const auto bad = t.write("bad.model.json", doc.dump(2));
    expect_error(holon_cli({"model", "validate", bad.string()}), 2,
                 "bad.model.json: /variables/" + std::to_string(index) +
                     "/equation: variable 'recovering': undefined variable 'duraton'; did you mean 'duration'?");
    expect_error(holon_cli({"run", "sd.structure", "--model", bad.string()}), 2, "undefined variable 'duraton'");
}

TEST(UpFront, JsonModelWhoseStockNamesAMissingFlowIsRefused) {
    REQUIRE_SD();
    TempDir t;
    auto doc = json::parse(slurp(sir_json));
    json variables = json::array();
    for (const auto &v : doc["variables"])
        if (v["name"] != "recovering") variables.push_back(v);
    doc["variables"] = variables;
    json links = json::array();
    for (const auto &l : doc["links"])
        if (l["from"] != "recovering" && l["to"] != "recovering") links.push_back(l);
    doc["links"] = links;
    const auto r = holon_cli({"model", "validate", t.write("flow.model.json", doc.dump()).string()});
    expect_error(r, 2, "/sd/outflows/0: variable 'infectious': unknown flow 'recovering'");
}

TEST(UpFront, EveryShippedModelStillValidates) {
    for (const auto *folder : {"docs/examples", "schemas/examples"})
        for (const auto &e : fs::directory_iterator(source_dir / folder)) {
            const auto ext = e.path().extension();
            if (ext != ".json" && ext != ".xmile" && ext != ".mdl") continue;
            const auto r = holon_cli({"model", "validate", e.path().string()});
            EXPECT_EQ(r.exit_code, 0) << e.path() << ": " << r.err;
        }
}

// --- empty inputs and wording --------------------------------------------------------------

TEST(Wording, EmptyFilesAreEmptyNotSyntaxErrors) {
    TempDir t;
    expect_error(holon_cli({"model", "validate", t.write("empty.model.json", "").string()}), 2,
                 "empty.model.json: the file is empty");
    expect_error(holon_cli({"run", "fixture.echo.run", "--model", example_model.string(), "--params",
                            "@" + t.write("params.json", "\n").string()}),
                 2, "params.json: the file is empty");
    expect_error(holon_cli({"run", "fixture.echo.run", "--model", example_model.string(), "--params", " "}), 2,
                 "the params are empty: give a JSON object, e.g. {}");
    // An empty argument (a shell variable that was never set) is the same slip, not "no params".
    expect_error(holon_cli({"run", "fixture.echo.run", "--model", example_model.string(), "--params", ""}), 2,
                 "--params: the params are empty: give a JSON object, e.g. {}");
}

TEST(Wording, OneMoreProblemIsSingular) {
    TempDir t;
    auto doc = json::parse(slurp(example_model));
    doc["links"][0]["to"] = "v-nowhere";
    doc["links"][1]["to"] = "v-nowhere-else";
    expect_error(holon_cli({"model", "validate", t.write("two.model.json", doc.dump()).string()}), 2,
                 " (and 1 more problem)");
}

TEST(Wording, NumbersAreNotPrintedWithSixZeros) {
    TempDir t;
    auto doc = json::parse(slurp(example_model));
    doc["links"][0]["provenance"]["confidence"] = 1.5;
    const auto r = holon_cli({"model", "validate", t.write("confidence.model.json", doc.dump()).string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err.find(".000000"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("less than or equal to 1"), std::string::npos) << r.err;
}

// --- holon simulate's options and help ---------------------------------------------------------

TEST(Simulate, StopAndSaveStepShapeTheSeries) {
    REQUIRE_SD();
    const auto r = holon_cli({"simulate", sir_xmile.string(), "--vars", "infectious", "--stop", "10", "--save-step", "2.5"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::istringstream lines(r.out);
    std::vector<std::string> rows;
    for (std::string line; std::getline(lines, line);) rows.push_back(line);
    ASSERT_EQ(rows.size(), 6u) << r.out;  // header + t = 0, 2.5, 5, 7.5, 10
    EXPECT_EQ(rows[0], "time,infectious");
    EXPECT_EQ(rows[1], "0,5");
    EXPECT_EQ(rows.back().rfind("10,", 0), 0u) << rows.back();
}

TEST(Simulate, PlotWritesAPngOrSvgWithNamesAndUnits) {
    REQUIRE_SD();
    TempDir t;
    const auto png = t.path() / "sir.png";
    auto r = holon_cli({"simulate", sir_xmile.string(), "--vars", "susceptible,infectious", "--plot", png.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.empty()) << "with --plot the picture is the output";
    EXPECT_EQ(slurp(png).substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    const auto svg = t.path() / "sir.svg";
    r = holon_cli({"simulate", sir_xmile.string(), "--vars", "infectious,recovering", "--plot", svg.string(), "--out", "-"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("time,infectious,recovering\n", 0), 0u) << "--out - still prints the CSV";
    const std::string text = slurp(svg);
    EXPECT_NE(text.find("<svg"), std::string::npos);
    // Different units: each legend entry carries its own.
    EXPECT_NE(text.find("infectious (people)"), std::string::npos);
    EXPECT_NE(text.find("recovering (person/time)"), std::string::npos);
    expect_error(holon_cli({"simulate", sir_xmile.string(), "--plot", (t.path() / "sir.pdf").string()}), 2,
                 "name a .png or .svg file");
    // A folder that is not there yet is made, as `holon run --out DIR` makes its folder.
    const auto nested = t.path() / "new/folder/sir.png";
    r = holon_cli({"simulate", sir_xmile.string(), "--vars", "infectious", "--plot", nested.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(slurp(nested).substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

TEST(Simulate, RefusedOptionsAreNamedAsTyped) {
    REQUIRE_SD();
    // The host's schema check names the option, not the params path (/save_step) and the model file.
    expect_error(holon_cli({"simulate", sir_xmile.string(), "--save-step", "0"}), 2,
                 "--save-step: expected number greater than 0");
    // An integration method with a slip gets the closest one and the allowed ones.
    expect_error(holon_cli({"simulate", sir_xmile.string(), "--method", "eulr"}), 2,
                 "'eulr' is not an integration method; did you mean 'euler'? (allowed: euler, rk2, rk4, cvode)");
    // A missing MODEL points at the help of the command that needs it.
    expect_error(holon_cli({"simulate"}), 2, "(see holon simulate --help)");
}

TEST(Simulate, OutMakesItsFolderAsRunOutDoes) {
    REQUIRE_SD();
    TempDir t;
    const auto csv = t.path() / "not/yet/sir.csv";
    const auto r = holon_cli({"simulate", sir_xmile.string(), "--vars", "infectious", "--stop", "1", "--out", csv.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(slurp(csv).rfind("time,infectious\n0,5\n", 0), 0u) << slurp(csv);
    EXPECT_TRUE(fs::exists(t.path() / "not/yet/sir.columns.csv"));
    // A folder that cannot be made (a file stands in its way) is one clear line, exit 2.
    t.write("file", "x");
    expect_error(holon_cli({"simulate", sir_xmile.string(), "--out", (t.path() / "file/sir.csv").string()}), 2,
                 "cannot create its folder");
}

TEST(Run, AModelGivenToAMethodThatReadsNoneIsNamedAsIgnored) {
    // fixture.c99.sum is flagged NO_MODEL: the executor never hands it a model.
    const auto r = holon_cli({"run", "fixture.c99.sum", "--model", example_model.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("warning: fixture.c99.sum does not read a model; --model " + example_model.string() + " ignored"),
              std::string::npos)
        << r.err;
    const auto quiet = holon_cli({"run", "fixture.c99.sum", "--model", example_model.string(), "--quiet"});
    ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
    EXPECT_TRUE(quiet.err.empty()) << quiet.err;
}

TEST(Help, ListsEveryModelFormatAndOutput) {
    REQUIRE_SD();
    const auto top = holon_cli({"--help"});
    EXPECT_EQ(top.exit_code, 0);
    // The second column is aligned after the longest list of extensions (.stmx, .xmile).
    for (const char *text : {".json          holon-model/1", ".stmx, .xmile  imported by sd.import-xmile",
                             ".mdl           imported by sd.import-mdl", "--out DIR", "--plot FILE", "Exit status: 0"})
        EXPECT_NE(top.out.find(text), std::string::npos) << text << "\n" << top.out;
    const auto simulate = holon_cli({"simulate", "--help"});
    for (const char *text : {"--stop", "--save-step", "--vars", "--plot", ".mdl           imported by sd.import-mdl", ".png or .svg"})
        EXPECT_NE(simulate.out.find(text), std::string::npos) << text << "\n" << simulate.out;
    const auto validate = holon_cli({"model", "validate", "--help"});
    EXPECT_NE(validate.out.find(".xmile  imported by sd.import-xmile"), std::string::npos) << validate.out;
    // A batch step's input may be any model file: the batch help lists them and its outputs too.
    const auto batch = holon_cli({"batch", "--help"});
    for (const char *text : {"Model files:", ".mdl           imported by sd.import-mdl", "summary.csv", "index.html"})
        EXPECT_NE(batch.out.find(text), std::string::npos) << text << "\n" << batch.out;
}
