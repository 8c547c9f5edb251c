// The ssm methods through the real `holon` binary (runner processes, result-schema validation):
// `holon run` for each method, bad input refused with its JSON Pointer, and a `holon batch` job.
#include "ssm_test_util.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

fs::path scratch(const std::string &name) {
    const fs::path p = fs::temp_directory_path() / ("holon-ssm-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}

std::string slurp(const fs::path &p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Outcome {
    int exit_code;
    std::string err;
    fs::path out;
};

Outcome holon_run(const std::string &method, const fs::path &model, const std::string &params = "") {
    const fs::path dir = scratch(method + "-" + model.stem().string());
    const fs::path out = dir / "out";
    std::string cmd = std::string(HOLON_BIN) + " run " + method + " --quiet --model '" + model.string() + "' --out '" + out.string() + "'";
    if (!params.empty()) cmd += " --params '" + params + "'";
    cmd += " 2>'" + (dir / "stderr").string() + "' >/dev/null";
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128, slurp(dir / "stderr"), out};
}

fs::path write_model(const std::string &name, const json &doc) {
    const fs::path p = scratch("model") / (name + ".model.json");
    std::ofstream(p) << doc.dump(2);
    return p;
}

const fs::path fence = fs::path(SSM_FIXTURES) / "fence.model.json";
const fs::path prison = fs::path(SSM_EXAMPLES) / "prison-inquiry.model.json";

TEST(SsmHolon, CheckRunsThroughTheHost) {
    const Outcome o = holon_run("ssm.check", fence);
    ASSERT_EQ(o.exit_code, 0) << o.err;
    const json result = json::parse(slurp(o.out / "result.json"));
    EXPECT_TRUE(result["findings"].empty()) << result.dump(2);
    EXPECT_EQ(result["counts"], json({{"error", 0}, {"warning", 0}, {"info", 0}}));
    EXPECT_EQ(result["joins"][0]["t_path"], json({"v-unpainted", "v-painting", "v-painted"}));
}

TEST(SsmHolon, BurgeExampleGivesItsFindings) {
    const Outcome o = holon_run("ssm.check", fs::path(SSM_EXAMPLES) / "burge-marketing.model.json");
    ASSERT_EQ(o.exit_code, 0) << o.err;
    const json result = json::parse(slurp(o.out / "result.json"));
    ASSERT_EQ(result["findings"].size(), 4u) << result.dump(2);
    EXPECT_EQ(result["findings"][0]["code"], "SSM-RD-001");
    EXPECT_EQ(result["findings"][0]["severity"], "error");
    EXPECT_EQ(result["findings"][0]["entities"][0]["id"], "W");
}

TEST(SsmHolon, CompareDiagramAndReportWriteTheirFiles) {
    const Outcome compared = holon_run("ssm.compare", prison);
    ASSERT_EQ(compared.exit_code, 0) << compared.err;
    const json c = json::parse(slurp(compared.out / "result.json"));
    ASSERT_EQ(c["models"].size(), 3u);
    EXPECT_EQ(c["models"][1]["coverage"]["without_row"], json::array());
    EXPECT_TRUE(c["findings"].empty());

    const Outcome drawn = holon_run("ssm.diagram", prison, R"({"models": ["am-rehabilitate"]})");
    ASSERT_EQ(drawn.exit_code, 0) << drawn.err;
    EXPECT_NE(slurp(drawn.out / "am-rehabilitate.svg").find("<svg"), std::string::npos);
    EXPECT_EQ(slurp(drawn.out / "am-rehabilitate.png").substr(1, 3), "PNG");

    const Outcome reported = holon_run("ssm.report", prison, R"({"title": "HMP Northfield inquiry"})");
    ASSERT_EQ(reported.exit_code, 0) << reported.err;
    const std::string html = slurp(reported.out / "report.html");
    EXPECT_NE(html.find("<h1>HMP Northfield inquiry</h1>"), std::string::npos);
    EXPECT_NE(html.find("<svg"), std::string::npos);
    EXPECT_NE(slurp(reported.out / "report.md").find("![Purposeful activity model](am-rehabilitate.png)"), std::string::npos);
    EXPECT_TRUE(fs::exists(reported.out / "am-rehabilitate.png"));

    // Without a title: the shared model's name (the inquiry has three activity models).
    const Outcome untitled = holon_run("ssm.report", prison);
    ASSERT_EQ(untitled.exit_code, 0) << untitled.err;
    EXPECT_NE(slurp(untitled.out / "report.md").rfind("# HMP Northfield: what is the prison for?\n", 0), std::string::npos);
}

TEST(SsmHolon, DependencyOnAMissingActivityIsRefusedWithItsPath) {
    json doc = ssm_test::fixture("fence.model.json");
    doc["activity_models"][0]["dependencies"][0]["to"] = "a99";
    const Outcome o = holon_run("ssm.check", write_model("bad-dependency", doc));
    EXPECT_NE(o.exit_code, 0);
    EXPECT_NE(o.err.find("/activity_models/0/dependencies/0/to"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("unknown activity 'a99'"), std::string::npos) << o.err;
}

TEST(SsmHolon, PartyThatIsNeitherActorNorNameIsRefused) {
    json doc = ssm_test::fixture("fence.model.json");
    doc["activity_models"][0]["catwoe"]["customers"] = json::parse(R"([{"x-note": "the public?"}])");
    const Outcome o = holon_run("ssm.check", write_model("bad-party", doc));
    EXPECT_NE(o.exit_code, 0);
    EXPECT_NE(o.err.find("/activity_models/0/catwoe/customers/0"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("needs an actor id or a name"), std::string::npos) << o.err;
}

TEST(SsmHolon, ChangeTracedToAMissingActivityIsRefused) {
    json doc = ssm_test::fixture("fence.model.json");
    doc["activity_models"][0]["changes"][0]["rows"] = json::array({"a77"});
    const Outcome o = holon_run("ssm.check", write_model("bad-change", doc));
    EXPECT_NE(o.exit_code, 0);
    EXPECT_NE(o.err.find("/activity_models/0/changes/0/rows/0"), std::string::npos) << o.err;
}

TEST(SsmHolon, UnknownModelInParamsIsRefused) {
    const Outcome o = holon_run("ssm.check", fence, R"({"models": ["am-nope"]})");
    EXPECT_NE(o.exit_code, 0);
    EXPECT_NE(o.err.find("unknown activity model 'am-nope'"), std::string::npos) << o.err;
}

TEST(SsmHolon, BatchJobRunsTheChecks) {
    const fs::path dir = scratch("batch");
    fs::copy_file(fence, dir / "fence.model.json");
    std::ofstream(dir / "job.yaml") << "version: holon-batch/1\n"
                                       "inputs:\n  fence: {file: fence.model.json}\n"
                                       "steps:\n  - name: check\n    method: ssm.check\n    input: fence\n";
    const std::string cmd = std::string(HOLON_BIN) + " batch '" + (dir / "job.yaml").string() + "' --out '" + (dir / "out").string() +
                            "' --quiet --no-plots 2>'" + (dir / "stderr").string() + "' >/dev/null";
    const int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0) << slurp(dir / "stderr");
    const json results = json::parse(slurp(dir / "out" / "results.json"));
    EXPECT_NE(results.dump().find("\"counts\":{\"error\":0,\"info\":0,\"warning\":0}"), std::string::npos) << results.dump(2).substr(0, 3000);
}

} // namespace
