// The csh methods through the real `holon` binary, runners and plugins: csh.critique and its
// report, csh.boundary-sensitivity end to end (sd.simulate and cld.loops run in other runners),
// csh.questionnaire, a `holon batch` job, and bad boundary records refused on load with the JSON
// Pointer of the offending field.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string slurp(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A private path in the temp folder; `extension` keeps the file's format visible to `holon`.
fs::path scratch(const std::string &name, const std::string &extension = "") {
    return fs::temp_directory_path() / ("holon-csh-" + name + "-" + std::to_string(::getpid()) + extension);
}

// `holon <args>` with stderr captured into `err`; returns the exit status.
int holon(const std::string &args, std::string *err = nullptr) {
    const fs::path err_file = scratch("stderr");
    const std::string cmd = std::string(HOLON_BIN) + " " + args + " 2>'" + err_file.string() + "' >/dev/null";
    const int rc = std::system(cmd.c_str());
    if (err) *err = slurp(err_file);
    fs::remove(err_file);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

json run(const std::string &method, const fs::path &model, const fs::path &out, const std::string &params = "{}") {
    fs::remove_all(out);
    std::string err;
    const int rc = holon("run " + method + " --quiet --model '" + model.string() + "' --out '" + out.string() +
                             "' --params '" + params + "'",
                         &err);
    EXPECT_EQ(rc, 0) << err;
    return json::parse(slurp(out / "result.json"));
}

fs::path data(const std::string &file) { return fs::path(CSH_TEST_DATA) / file; }

TEST(CshHolon, CritiqueOfTheDocsExampleWithItsReport) {
    const fs::path out = scratch("critique");
    const json r = run("csh.critique", fs::path(CSH_EXAMPLES) / "elm-street-ltn.model.json", out);
    EXPECT_GE(r["perspectives"].size(), 4u);
    bool aff = false;
    for (const json &f : r["findings"]) aff = aff || f["code"] == "CSH-AFF-001";
    EXPECT_TRUE(aff) << "the worked example has an actor affected but not involved";
    const std::string png = slurp(out / "csh-divergence.png");
    ASSERT_GT(png.size(), 8u);
    EXPECT_EQ(png.substr(1, 3), "PNG");
    EXPECT_NE(slurp(out / "critique.html").find("<svg"), std::string::npos);
    EXPECT_NE(slurp(out / "critique.md").find("## Findings"), std::string::npos);
    fs::remove_all(out);
}

TEST(CshHolon, CleanFixtureHasNoFindings) {
    const fs::path out = scratch("clean");
    const json r = run("csh.critique", data("clean.model.json"), out, R"({"report": false})");
    EXPECT_TRUE(r["findings"].empty()) << r["findings"].dump(1);
    EXPECT_FALSE(fs::exists(out / "critique.md"));
    fs::remove_all(out);
}

// One judgement changes the outcome, two do not: the council counting the demand for through
// trips as its resource (J3, x 1.1) moves NO2 by 10 %; holding the demand or children's cycling
// trips outside the boundary (J1, J2) changes nothing the council measures.
TEST(CshHolon, BoundarySensitivityOnAnSdModel) {
    const fs::path out = scratch("sensitivity");
    const json r = run("csh.boundary-sensitivity", data("sensitivity-sd.model.json"), out);
    EXPECT_EQ(r["model_kind"], "simulation");
    EXPECT_EQ(r["changed"], json({"J3"}));
    ASSERT_EQ(r["judgements"].size(), 3u);
    // Euler with dt 0.25 over 24 months: traffic = demand + (1000 - demand) (11/12)^96; NO2 = 0.02 traffic
    const double decay = std::pow(11.0 / 12.0, 96);
    const double base = 0.02 * (700 + 300 * decay), moved = 0.02 * (770 + 230 * decay);
    const json &j1 = r["judgements"][0], &j2 = r["judgements"][1], &j3 = r["judgements"][2];
    EXPECT_EQ(j1["entity"]["id"], "base_demand");
    EXPECT_EQ(j1["type"], "exclude");
    EXPECT_FALSE(j1["changes_outcome"].get<bool>());
    EXPECT_EQ(j1["effects"][0]["max_abs_delta"], 0.0);
    EXPECT_EQ(j2["entity"]["id"], "cycling_trips");
    EXPECT_FALSE(j2["changes_outcome"].get<bool>());
    EXPECT_FALSE(j2["changes_loops"].get<bool>());
    EXPECT_EQ(j3["type"], "control");
    EXPECT_TRUE(j3["changes_outcome"].get<bool>());
    EXPECT_NEAR(j3["effects"][0]["baseline_final"].get<double>(), base, 1e-9);
    EXPECT_NEAR(j3["effects"][0]["variant_final"].get<double>(), moved, 1e-9);
    EXPECT_NEAR(j3["effects"][0]["final_rel_delta"].get<double>(), moved / base - 1, 1e-9);
    EXPECT_EQ(r["baseline"]["loops"], 1);
    fs::remove_all(out);
}

// The method page's table: J3 (boundary traffic held outside) and J5 (demand under control)
// change the outcomes; J1 and J2 do not; J4 is a measure and is not run.
TEST(CshHolon, BoundarySensitivityOfTheMethodPage) {
    const fs::path out = scratch("docs-sensitivity");
    const json r = run("csh.boundary-sensitivity", fs::path(CSH_EXAMPLES) / "elm-street-traffic-sd.model.json", out);
    EXPECT_EQ(r["changed"], json({"J3", "J5"}));
    const json &j3 = r["judgements"][2];
    EXPECT_EQ(j3["entity"]["id"], "boundary_traffic");
    EXPECT_NEAR(j3["effects"][1]["final_rel_delta"].get<double>(), -0.0310, 5e-5);
    EXPECT_EQ(j3["loops"]["variant"], 1);
    EXPECT_FALSE(r["judgements"][3]["simulated"].get<bool>());
    EXPECT_NEAR(r["judgements"][4]["effects"][0]["final_rel_delta"].get<double>(), 0.0538, 5e-5);
    EXPECT_TRUE(fs::exists(out / "csh-sensitivity.png"));
    fs::remove_all(out);
}

TEST(CshHolon, BoundarySensitivityOnACausalMapComparesLoops) {
    // Through traffic, outside the boundary in the council's ought, is on the map's one loop.
    json doc = json::parse(slurp(data("clean.model.json")));
    doc["links"].push_back({{"id", "l-air-filter"}, {"from", "v-air"}, {"to", "v-filter"}, {"polarity", "-"},
                            {"provenance", {{"asserted_by", "a-engineer"}}}});
    for (json &rec : doc["boundary"])
        if (rec["id"] == "b-2-ought") rec["refs"]["variables"].push_back("v-traffic");
    const fs::path model = scratch("map", ".model.json");
    std::ofstream(model) << doc.dump();
    const fs::path out = scratch("map");
    const json r = run("csh.boundary-sensitivity", model, out);
    EXPECT_EQ(r["model_kind"], "causal-map");
    ASSERT_EQ(r["judgements"].size(), 1u);
    const json &j = r["judgements"][0];
    EXPECT_EQ(j["entity"]["id"], "v-traffic");
    EXPECT_TRUE(j["changes_loops"].get<bool>());
    EXPECT_EQ(j["loops"]["baseline"], 1);
    EXPECT_EQ(j["loops"]["variant"], 0);
    EXPECT_EQ(j["loops"]["lost"], json::parse(R"([["v-air", "v-filter", "v-traffic"]])"));
    EXPECT_EQ(r["changed"], json({"J1"}));
    fs::remove_all(out);
    fs::remove(model);
}

TEST(CshHolon, QuestionnaireWithTheDeploymentsOwnText) {
    const fs::path params = scratch("questions", ".json");
    std::ofstream(params) << R"J({"perspective": "a-council", "questions": [{"category": 1, "is": "Licensed wording 1 (is)"}]})J";
    const fs::path out = scratch("sheet");
    const json r = run("csh.questionnaire", data("clean.model.json"), out, "@" + params.string());
    EXPECT_EQ(r["questions_from"], "deployment");
    EXPECT_EQ(r["rows"][0]["question"], "Licensed wording 1 (is)");
    EXPECT_NE(slurp(out / "questionnaire.csv").find("Licensed wording 1 (is)"), std::string::npos);
    EXPECT_TRUE(fs::exists(out / "questionnaire.html"));
    EXPECT_TRUE(fs::exists(out / "questionnaire.md"));
    fs::remove_all(out);
    fs::remove(params);
}

TEST(CshHolon, QuestionnaireNeedsAPerspectiveWhenThereAreSeveral) {
    std::string err;
    EXPECT_NE(holon("run csh.questionnaire --quiet --model '" + data("sensitivity-sd.model.json").string() + "'", &err), 0);
    EXPECT_NE(err.find("name one of: a-council, a-residents"), std::string::npos) << err;
}

TEST(CshHolon, BatchJobRunsTheCritique) {
    const fs::path dir = scratch("batch");
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy_file(data("clean.model.json"), dir / "elm.model.json");
    std::ofstream(dir / "job.yaml") << "version: holon-batch/1\nname: CSH\ninputs:\n  elm: {file: elm.model.json}\n"
                                       "steps:\n  - name: critique\n    method: csh.critique\n    input: elm\n";
    std::string err;
    ASSERT_EQ(holon("batch '" + (dir / "job.yaml").string() + "' --quiet --out '" + (dir / "out").string() + "'", &err), 0) << err;
    const json r = json::parse(slurp(dir / "out/steps/critique/runs/p0000/result.json"));
    EXPECT_TRUE(r["findings"].empty());
    EXPECT_TRUE(fs::exists(dir / "out/steps/critique/runs/p0000/csh-divergence.png"));
    fs::remove_all(dir);
}

// Bad boundary records never reach the plugin: the loader refuses them with the JSON Pointer.
void expect_refused(const std::function<void(json &)> &spoil, const std::string &message) {
    json doc = json::parse(slurp(data("clean.model.json")));
    spoil(doc);
    const fs::path model = scratch("bad", ".model.json");
    std::ofstream(model) << doc.dump();
    std::string err;
    EXPECT_EQ(holon("run csh.critique --quiet --model '" + model.string() + "'", &err), 2);
    EXPECT_EQ(err, "holon: " + model.string() + ": " + message + "\n");
    fs::remove(model);
}

TEST(CshHolon, BadRecordsAreRefusedNamingTheJsonPath) {
    expect_refused([](json &d) { d["boundary"][0]["category"] = 13; },
                   "/boundary/0/category: expected number less than or equal to 12");
    expect_refused([](json &d) { d["boundary"][3]["mode"] = "could-be"; },
                   "/boundary/3/mode: value \"could-be\" is not one of the allowed values (allowed: \"is\", \"ought\")");
    expect_refused([](json &d) { d["boundary"][5]["refs"]["variables"] = {"v-air", "v-nothing"}; },
                   "/boundary/5/refs/variables/1: unknown variable 'v-nothing'");
    expect_refused([](json &d) { d["boundary"][2]["perspective"] = {{"actor", "a-mayor"}}; },
                   "/boundary/2/perspective/actor: unknown actor 'a-mayor'");
    expect_refused([](json &d) { d["actors"][1]["affected_by"] = {"v-smog"}; },
                   "/actors/1/affected_by/0: unknown variable 'v-smog'");
}

} // namespace
