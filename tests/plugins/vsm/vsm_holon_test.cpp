// The vsm methods through the real `holon` binary, runners and plugins:
//   - the J5 join: vsm.alarms runs sd.simulate (holon.invoke/1) on the worked example, whose
//     vacancy-freeze policy pushes the district nursing waiting list over its norm;
//   - the worked example's diagnosis as docs/methods/vsm.md shows it;
//   - malformed organisations refused with one message naming the JSON path;
//   - a `holon batch` job with vsm.diagnose and a policy sweep of vsm.alarms.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const std::string example = std::string(VSM_EXAMPLES) + "/riverside-integrated-care.model.json";

std::string slurp(const fs::path &p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path scratch(const std::string &name) {
    return fs::temp_directory_path() / ("holon-vsm-" + name + "-" + std::to_string(::getpid()));
}

// `holon run <method> --model <model> [--params ...] --out <out>`; returns the exit code.
int holon_run(const std::string &method, const std::string &model, const fs::path &out, const std::string &params = "") {
    fs::remove_all(out);
    std::string cmd = std::string(HOLON_BIN) + " run " + method + " --quiet --model '" + model + "' --out '" + out.string() + "'";
    if (!params.empty()) cmd += " --params '" + params + "'";
    cmd += " 2>'" + out.string() + ".stderr'";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const json &alarm_of(const json &result, const std::string &indicator) {
    for (const json &a : result["alarms"])
        if (a["indicator"] == indicator) return a;
    throw std::runtime_error("no alarm for " + indicator);
}

// The waiting list W starts at 200; referrals are 100 a week and assessments 100 until the vacancy
// freeze removes 20 a week from week 10, so W(t) = 200 + 20 (t - 10) for t >= 10 (Euler, dt = 1):
// W(15) = 300, W(16) = 320. The running median of three lags a rising series by one week, so the
// filtered value first exceeds 300 at week 17; three weeks above the norm raise the alarm at week
// 19 at District nursing (recursion level 2). Unacknowledged, it goes up one level every 2 weeks:
// Community health services (level 1) at week 21, the trust's System 5 (level 0) at week 23.
TEST(VsmThroughHolon, J5PolicyBreakingTheNormRaisesTheAlarmAtItsLevelAndTime) {
    const fs::path out = scratch("j5");
    ASSERT_EQ(holon_run("vsm.alarms", example, out), 0) << slurp(out.string() + ".stderr");
    const json result = json::parse(slurp(out / "result.json"));
    const json &a = alarm_of(result, "i-dn-waiting");
    EXPECT_EQ(a["source"], "sd");
    EXPECT_EQ(a["unit"], "u-district");
    EXPECT_EQ(a["recursion_level"], 2);
    EXPECT_EQ(a["raised"]["at"], 19.0);
    EXPECT_EQ(a["value"], 380.0);
    EXPECT_EQ(a["filtered"], 360.0);
    EXPECT_EQ(a["pattern"], "trend");
    ASSERT_EQ(a["escalations"].size(), 2u);
    EXPECT_EQ(a["escalations"][0]["unit"], "u-community");
    EXPECT_EQ(a["escalations"][0]["at"], 21.0);
    EXPECT_EQ(a["escalations"][1]["unit"], "u-trust");
    EXPECT_EQ(a["escalations"][1]["recursion_level"], 0);
    EXPECT_EQ(a["escalations"][1]["at"], 23.0);
    EXPECT_TRUE(a["reached_root"].get<bool>());
    EXPECT_EQ(result["sd_run"]["rows"], 31);
    fs::remove_all(out);
}

TEST(VsmThroughHolon, J5WithoutThePolicyThereIsNoAlarmAndAcknowledgementStopsEscalation) {
    const fs::path out = scratch("j5-off");
    ASSERT_EQ(holon_run("vsm.alarms", example, out, R"({"sd": {"overrides": {"vacancy_freeze_cut": 0}}, "indicators": ["i-dn-waiting"]})"), 0)
        << slurp(out.string() + ".stderr");
    EXPECT_TRUE(json::parse(slurp(out / "result.json"))["alarms"].empty());
    ASSERT_EQ(holon_run("vsm.alarms", example, out,
                        R"({"indicators": ["i-dn-waiting"], "acknowledged": [{"indicator": "i-dn-waiting", "period": 22}]})"), 0);
    const json a = json::parse(slurp(out / "result.json"))["alarms"][0];
    ASSERT_EQ(a["escalations"].size(), 1u); // to Community health services at 21; acknowledged at 22
    EXPECT_EQ(a["acknowledged"]["period"], 22);
    EXPECT_FALSE(a["reached_root"].get<bool>());
    fs::remove_all(out);
}

TEST(VsmThroughHolon, WorkedExampleDiagnosis) {
    const fs::path out = scratch("diagnose");
    ASSERT_EQ(holon_run("vsm.diagnose", example, out), 0) << slurp(out.string() + ".stderr");
    const json result = json::parse(slurp(out / "result.json"));
    json found = json::array();
    for (const json &f : result["findings"]) found.push_back({f["code"], f["units"]});
    EXPECT_EQ(found, json::parse(R"([
        ["II12", ["u-trust", "u-social"]], ["II2", ["u-hospital"]], ["II5", ["u-hospital"]], ["III5", ["u-hospital"]],
        ["II8", ["u-community", "u-intermediate"]], ["II11", ["u-community", "u-district"]], ["II3", ["u-social"]],
        ["III4", ["u-mental"]]])"));
    fs::remove_all(out);
}

TEST(VsmThroughHolon, MalformedOrganisationsAreRefusedNamingTheJsonPath) {
    json model = json::parse(slurp(example));
    const fs::path dir = scratch("malformed");
    fs::create_directories(dir);
    struct Case {
        const char *name;
        void (*spoil)(json &);
        const char *message;
    };
    const Case cases[] = {
        {"channel", [](json &m) { m["organisation"]["channels"][0]["to"] = "u-nowhere"; },
         "/organisation/channels/0/to: unknown unit 'u-nowhere'"},
        {"variety", [](json &m) { m["organisation"]["varieties"][0]["states"] = -40; },
         "/organisation/varieties/0/states: expected number greater than or equal to 0"},
        {"ancestor", [](json &m) { m["organisation"]["units"][1]["parent"] = "u-medicine"; },
         "/organisation/units/1/parent: unit 'u-hospital' is inside a cycle of parents"},
        {"zero", [](json &m) { m["organisation"]["varieties"][1]["attenuation"] = 0; },
         "/organisation/varieties/1/attenuation: attenuation must be a factor greater than 0"},
        {"membership", [](json &m) { m["organisation"]["units"][5]["also_part_of"] = {"u-ghost"}; },
         "/organisation/units/5/also_part_of/0: unknown unit 'u-ghost'"},
        {"indicator", [](json &m) { m["indicators"][0]["unit"] = "u-ghost"; }, "/indicators/0/unit: unknown unit 'u-ghost'"},
    };
    for (const Case &c : cases) {
        json bad = model;
        c.spoil(bad);
        const fs::path file = dir / (std::string(c.name) + ".model.json");
        std::ofstream(file) << bad.dump();
        const fs::path out = dir / c.name;
        EXPECT_EQ(holon_run("vsm.diagnose", file.string(), out), 2) << c.name;
        const std::string err = slurp(out.string() + ".stderr");
        EXPECT_NE(err.find(c.message), std::string::npos) << c.name << ": " << err;
        EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << "one message: " << err;
        EXPECT_FALSE(fs::exists(out / "result.json"));
    }
    fs::remove_all(dir);
}

// The job file docs/methods/vsm.md shows, as committed.
TEST(VsmThroughHolon, BatchJobDiagnosesAndSweepsThePolicy) {
    const fs::path dir = scratch("batch");
    fs::create_directories(dir);
    const std::string cmd = std::string(HOLON_BIN) + " batch '" + std::string(VSM_EXAMPLES) + "/riverside-vsm.batch.yaml' --out '" +
                            (dir / "out").string() + "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    const json diagnosis = json::parse(slurp(dir / "out/steps/diagnose/runs/p0000/result.json"));
    EXPECT_EQ(diagnosis["findings"].size(), 8u);
    EXPECT_TRUE(json::parse(slurp(dir / "out/steps/alarms/runs/p0000/result.json"))["alarms"].empty());
    EXPECT_EQ(json::parse(slurp(dir / "out/steps/alarms/runs/p0001/result.json"))["alarms"][0]["raised"]["at"], 19.0);
    fs::remove_all(dir);
}

} // namespace
