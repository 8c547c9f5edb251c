// REST batches over real loopback HTTP: POST a holon-batch/1 document (JSON or YAML), follow its
// progress, download its outputs, cancel it; a bad document is a 422 that writes nothing; a server
// killed mid-batch resumes only the missing points; a SIGTERM gives the running batch back to the
// queue without using an attempt; /metrics counts runs by state from the store.
#include "api_fixture.hpp"

#include <fstream>
#include <regex>
#include <set>

namespace holon::test {
namespace {

// Point lines of a batch journal (one per recorded point, over all sessions) and its sessions.
struct JournalLines {
    std::vector<nlohmann::json> points;
    int sessions = 0;
};

JournalLines read_journal_file(const std::filesystem::path& file) {
    JournalLines out;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto doc = nlohmann::json::parse(line);
        if (doc.contains("journal")) ++out.sessions;
        else out.points.push_back(doc);
    }
    return out;
}

// A Prometheus sample's value, or -1 when absent.
double metric(const std::string& text, const std::string& sample) {
    std::smatch m;
    if (!std::regex_search(text, m, std::regex("(^|\n)" + std::regex_replace(sample, std::regex(R"([{}"])"), R"(\$&)") +
                                               " ([0-9.e+-]+)")))
        return -1;
    return std::stod(m[2]);
}

class Batches : public ApiSuite {
public:
    static void SetUpTestSuite() {
        data_dir_ = fresh_dir("batches");
        ServerOptions options;
        options.data_dir = data_dir_;
        options.env = {{"HOLON_BATCH_JOBS", "2"}, {"HOLON_WORKERS", "2"}};
        server_ = std::make_unique<ServerProcess>(options);
        server_->start();
        client_ = std::make_unique<HttpClient>(server_->port());
        ws_ = make_workspace("batches");
        model_ = make_model(ws_);
    }

protected:
    static std::string batches_path() { return "/v1/workspaces/" + ws_ + "/batches"; }

    static nlohmann::json wait_batch(const HttpClient& client, const std::string& path, double seconds = 60) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        nlohmann::json doc;
        while (std::chrono::steady_clock::now() < deadline) {
            doc = client.get(path, admin()).json();
            const auto state = doc.value("state", "");
            if (state == "succeeded" || state == "failed" || state == "cancelled") return doc;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return doc;
    }

    static inline std::filesystem::path data_dir_;
    static inline std::string ws_, model_;
};

TEST_F(Batches, ABatchRunsEveryPointAndItsOutputsCanBeDownloaded) {
    auto r = http().post_json(batches_path(), admin(), echo_job(model_, 6, 0));
    ASSERT_EQ(r.status, 202) << r.body;
    const auto created = r.json();
    const std::string id = created["id"];
    EXPECT_EQ(r.header("location"), batches_path() + "/" + id);
    EXPECT_EQ(created["method"], "holon.batch");
    EXPECT_EQ(created["name"], "echo sweep");
    EXPECT_EQ(created["points"]["total"], 6);

    const auto done = wait_batch(http(), batches_path() + "/" + id);
    ASSERT_EQ(done["state"], "succeeded") << done.dump();
    EXPECT_EQ(done["points"], (nlohmann::json{{"total", 6}, {"done", 6}, {"succeeded", 6}, {"failed", 0}}));
    EXPECT_DOUBLE_EQ(done["progress"].get<double>(), 1.0);

    // The batch is a run like any other.
    const std::string run_path = "/v1/workspaces/" + ws_ + "/runs/" + id;
    EXPECT_EQ(done["run"], run_path);
    EXPECT_EQ(http().get(run_path, admin()).json()["state"], "succeeded");
    const auto result = http().get(run_path + "/result", admin()).json();
    EXPECT_EQ(result["points"]["succeeded"], 6);
    EXPECT_EQ(result["points"]["ran"], 6);

    const auto files = http().get(batches_path() + "/" + id + "/files", admin());
    ASSERT_EQ(files.status, 200) << files.body;
    std::set<std::string> paths;
    const auto listed = files.json();
    for (const auto& f : listed["items"]) paths.insert(f["path"].get<std::string>());
    for (const char* expected : {"index.html", "results.json", "journal.jsonl", "steps/sweep/summary.csv",
                                 "steps/sweep/runs/p0000/squares.csv", "steps/sweep/runs/p0005/result.json"})
        EXPECT_TRUE(paths.count(expected)) << expected << " missing from " << files.body;

    const auto summary = http().get(batches_path() + "/" + id + "/file?path=steps/sweep/summary.csv", admin());
    ASSERT_EQ(summary.status, 200) << summary.body;
    EXPECT_EQ(summary.content_type().rfind("text/csv", 0), 0u);
    EXPECT_EQ(std::count(summary.body.begin(), summary.body.end(), '\n'), 7);  // header + 6 points
    EXPECT_NE(summary.body.find("x2.final"), std::string::npos) << summary.body;
    const auto table = http().get(batches_path() + "/" + id + "/file?path=steps/sweep/runs/p0001/squares.csv", admin());
    EXPECT_EQ(table.body.substr(0, table.body.find_first_of("\r\n")), "x,x2");
    const auto report = http().get(batches_path() + "/" + id + "/file?path=index.html", admin());
    EXPECT_EQ(report.content_type().rfind("text/html", 0), 0u);
    EXPECT_NE(report.body.find("echo sweep"), std::string::npos);
    // One self-contained file (issue 18): the plot inline, no link that this route would not resolve.
    EXPECT_NE(report.body.find("<svg"), std::string::npos) << report.body.substr(0, 2000);
    EXPECT_EQ(report.body.find("href=\"steps/"), std::string::npos);
    EXPECT_EQ(report.body.find("src=\""), std::string::npos);
    // Issue 14, finding 12: served HTML runs no script and loads nothing from elsewhere.
    EXPECT_EQ(report.header("content-security-policy"),
              "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox");
    EXPECT_EQ(report.header("x-content-type-options"), "nosniff");

    // Nothing outside the folder, no hidden or made-up files.
    for (const char* bad : {"../holon.db", "/etc/passwd", "steps/../../holon.db", ".hidden", "nope.csv", "steps"}) {
        const auto refused = http().get(batches_path() + "/" + id + "/file?path=" + bad, admin());
        EXPECT_EQ(refused.status, 404) << bad << ": " << refused.body;
    }
    EXPECT_EQ(http().get(batches_path() + "/" + id + "/file", admin()).status, 400);
}

TEST_F(Batches, YamlBodiesRunLikeJson) {
    const std::string yaml = "version: holon-batch/1\n"
                             "name: from yaml\n"
                             "inputs:\n  m: {model_id: " + model_ + "}\n"
                             "steps:\n"
                             "  - name: one\n    method: fixture.echo.run\n    input: m\n    params: {rows: 2}\n"
                             "    outputs: {table: squares, time: x}\n";
    auto r = http().post(batches_path(), admin(), yaml, "application/yaml");
    ASSERT_EQ(r.status, 202) << r.body;
    const auto done = wait_batch(http(), batches_path() + "/" + r.json()["id"].get<std::string>());
    EXPECT_EQ(done["state"], "succeeded") << done.dump();
    EXPECT_EQ(done["name"], "from yaml");
    EXPECT_EQ(done["points"]["done"], 1);
}

TEST_F(Batches, ABadDocumentIs422WithItsPathAndWritesNothing) {
    const auto ws = make_workspace("bad-batches");
    const auto model = make_model(ws);
    const std::string path = "/v1/workspaces/" + ws + "/batches";
    auto folders = [] {
        std::error_code ec;
        std::ptrdiff_t n = 0;
        for (auto it = std::filesystem::directory_iterator(data_dir_ / "batches", ec);
             !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
            ++n;
        return n;
    };
    const auto runs_before = folders();
    auto expect_invalid = [&](const std::string& body, const std::string& json_path, const std::string& words,
                              const std::string& content_type = "application/json") {
        const auto r = http().post(path, admin(), body, content_type);
        EXPECT_EQ(r.status, 422) << r.body;
        EXPECT_EQ(r.content_type(), "application/problem+json");
        const auto doc = r.json();
        EXPECT_EQ(doc.value("type", ""), "/problems/invalid-batch") << r.body;
        ASSERT_TRUE(doc.contains("errors")) << r.body;
        EXPECT_EQ(doc["errors"][0]["path"], json_path) << r.body;
        EXPECT_NE(doc.value("detail", "").find(words), std::string::npos) << r.body;
    };
    auto job = echo_job(model, 2, 0);
    job["steps"][0]["sweep"]["grid"][0]["values"][1] = "two";
    expect_invalid(job.dump(), "/steps/0/sweep/grid/0/values/1", "string");

    job = echo_job(model, 2, 0);
    job["steps"][0]["method"] = "no.such.method";
    expect_invalid(job.dump(), "/steps/0/method", "no.such.method");

    job = echo_job(model, 2, 0);
    job["inputs"]["m"] = {{"file", "/etc/passwd"}};
    expect_invalid(job.dump(), "/inputs/m/file", "model_id");

    job = echo_job(model, 2, 0);  // a swept override the stored model lacks (issue 21)
    job["steps"][0]["sweep"]["grid"][0]["name"] = "overrides.contact_rat";
    expect_invalid(job.dump(), "/steps/0/sweep/grid/0/name", "did you mean 'Contact rate'?");

    job = echo_job(model_, 2, 0);  // a model of another workspace does not exist here
    expect_invalid(job.dump(), "/inputs/m/model_id", "no model");

    expect_invalid("version: holon-batch/1\nsteps: [", "", "", "application/yaml");

    const auto runs = http().get("/v1/workspaces/" + ws + "/runs", admin()).json();
    EXPECT_TRUE(runs["items"].empty()) << runs.dump();
    EXPECT_EQ(folders(), runs_before);
}

TEST_F(Batches, ABatchCanBeCancelledAndKeepsWhatItDid) {
    auto r = http().post_json(batches_path(), admin(), echo_job(model_, 40, 300));
    ASSERT_EQ(r.status, 202) << r.body;
    const std::string path = batches_path() + "/" + r.json()["id"].get<std::string>();
    for (int i = 0; i < 400 && http().get(path, admin()).json()["points"]["done"] < 2; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    const auto cancelled = http().post(path + "/cancel", admin(), "");
    ASSERT_EQ(cancelled.status, 202) << cancelled.body;
    EXPECT_TRUE(cancelled.json()["cancel_requested"].get<bool>());
    const auto done = wait_batch(http(), path);
    EXPECT_EQ(done["state"], "cancelled") << done.dump();
    EXPECT_GE(done["points"]["done"], 2);
    EXPECT_LT(done["points"]["done"], 40);
    EXPECT_EQ(http().get(path + "/file?path=index.html", admin()).status, 200);
    // Batch ids are run ids of this workspace only, and only of batches.
    const auto plain = make_run(ws_, {{"method", "fixture.echo.run"}, {"model", model_}}, 30);
    EXPECT_EQ(http().get(batches_path() + "/" + plain["id"].get<std::string>(), admin()).status, 404);
    EXPECT_EQ(http().get(batches_path() + "/run_missing/files", admin()).status, 404);
}

TEST_F(Batches, DeletingTheWorkspaceDeletesItsBatchOutputs) {
    const auto ws = make_workspace("short-lived");
    const auto model = make_model(ws);
    auto r = http().post_json("/v1/workspaces/" + ws + "/batches", admin(), echo_job(model, 2, 0));
    ASSERT_EQ(r.status, 202) << r.body;
    const std::string id = r.json()["id"];
    ASSERT_EQ(wait_batch(http(), "/v1/workspaces/" + ws + "/batches/" + id)["state"], "succeeded");
    ASSERT_TRUE(std::filesystem::exists(data_dir_ / "batches" / id / "index.html"));
    ASSERT_EQ(http().del("/v1/workspaces/" + ws, admin()).status, 204);
    EXPECT_FALSE(std::filesystem::exists(data_dir_ / "batches" / id));
}

// A server of its own, killed and restarted.
class BatchRestarts : public ::testing::Test {
protected:
    void start(const std::filesystem::path& dir) {
        ServerOptions options;
        options.data_dir = dir;
        options.env = {{"HOLON_BATCH_JOBS", "2"}, {"HOLON_WORKERS", "1"}};
        server_ = std::make_unique<ServerProcess>(options);
        server_->start();
        client_ = std::make_unique<HttpClient>(server_->port());
    }
    void restart() {
        server_->start();
        client_ = std::make_unique<HttpClient>(server_->port());
    }
    const HttpClient& http() const { return *client_; }

    nlohmann::json wait_until(const std::string& path, const std::function<bool(const nlohmann::json&)>& done) {
        nlohmann::json doc;
        for (int i = 0; i < 1200; ++i) {
            doc = http().get(path, admin_secret).json();
            if (done(doc)) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return doc;
    }
    static bool ended(const nlohmann::json& doc) {
        const auto s = doc.value("state", "");
        return s == "succeeded" || s == "failed" || s == "cancelled";
    }

    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<HttpClient> client_;
};

TEST_F(BatchRestarts, AKilledServerResumesOnlyTheMissingPoints) {
    const auto dir = fresh_dir("batch-kill");
    start(dir);
    const std::string ws = http().post_json("/v1/workspaces", admin_secret, {{"name", "k"}}).json()["id"];
    const std::string model = http().post("/v1/workspaces/" + ws + "/models", admin_secret, example_model()).json()["id"];
    auto r = http().post_json("/v1/workspaces/" + ws + "/batches", admin_secret, echo_job(model, 16, 300));
    ASSERT_EQ(r.status, 202) << r.body;
    const std::string id = r.json()["id"];
    const std::string path = "/v1/workspaces/" + ws + "/batches/" + id;
    const auto before = wait_until(path, [](const nlohmann::json& d) { return d["points"]["done"] >= 4; });
    ASSERT_GE(before["points"]["done"], 4);
    server_->kill_hard();
    const auto journal_file = dir / "batches" / id / "journal.jsonl";
    const auto killed = read_journal_file(journal_file);
    ASSERT_LT(killed.points.size(), 16u);

    restart();
    const auto done = wait_until(path, ended);
    ASSERT_EQ(done["state"], "succeeded") << done.dump();
    EXPECT_EQ(done["points"]["done"], 16);
    EXPECT_EQ(done["attempts"], 2);  // the killed claim counts: the host crashed

    const auto after = read_journal_file(journal_file);
    EXPECT_EQ(after.sessions, 2);
    EXPECT_EQ(after.points.size(), 16u) << "every point ran exactly once";
    std::set<std::size_t> indexes;
    for (const auto& p : after.points) indexes.insert(p["point"].get<std::size_t>());
    EXPECT_EQ(indexes.size(), 16u);
    const auto result = http().get("/v1/workspaces/" + ws + "/runs/" + id + "/result", admin_secret).json();
    EXPECT_EQ(result["points"]["reused"], killed.points.size());
    EXPECT_EQ(result["points"]["ran"], 16 - killed.points.size());
    EXPECT_EQ(server_->stop(), 0);
}

TEST_F(BatchRestarts, SigtermGivesTheRunningBatchBackWithoutUsingAnAttemptAndMetricsComeFromTheStore) {
    const auto dir = fresh_dir("batch-term");
    start(dir);
    const std::string ws = http().post_json("/v1/workspaces", admin_secret, {{"name", "t"}}).json()["id"];
    const std::string model = http().post("/v1/workspaces/" + ws + "/models", admin_secret, example_model()).json()["id"];
    const auto plain = http().post_json("/v1/workspaces/" + ws + "/runs?wait=30", admin_secret,
                                        {{"method", "fixture.echo.run"}, {"model", model}});
    ASSERT_EQ(plain.json()["state"], "succeeded") << plain.body;
    auto metrics = http().get("/metrics", "").body;
    EXPECT_EQ(metric(metrics, "holon_runs{state=\"succeeded\"}"), 1) << metrics;
    EXPECT_EQ(metric(metrics, "holon_process_runs_finished_total{state=\"succeeded\"}"), 1) << metrics;

    // Long enough that the 3 s drain cannot finish it.
    auto r = http().post_json("/v1/workspaces/" + ws + "/batches", admin_secret, echo_job(model, 40, 400));
    ASSERT_EQ(r.status, 202) << r.body;
    const std::string id = r.json()["id"];
    const std::string path = "/v1/workspaces/" + ws + "/batches/" + id;
    ASSERT_GE(wait_until(path, [](const nlohmann::json& d) { return d["points"]["done"] >= 2; })["points"]["done"], 2);
    metrics = http().get("/metrics", "").body;
    EXPECT_EQ(metric(metrics, "holon_runs{state=\"running\"}"), 1) << metrics;
    EXPECT_EQ(server_->stop(), 0);  // SIGTERM

    restart();
    // The store's counts survive the restart; this process's counters start again at zero.
    metrics = http().get("/metrics", "").body;
    EXPECT_EQ(metric(metrics, "holon_runs{state=\"succeeded\"}"), 1) << metrics;
    EXPECT_EQ(metric(metrics, "holon_process_runs_finished_total{state=\"succeeded\"}"), 0) << metrics;
    const auto done = wait_until(path, ended);
    ASSERT_EQ(done["state"], "succeeded") << done.dump();
    EXPECT_EQ(done["attempts"], 1) << "the stopped attempt was given back";
    EXPECT_EQ(done["points"]["done"], 40);
    bool recovered = false;
    for (const auto& line : server_->log_lines()) recovered |= line.find("recovered runs") != std::string::npos;
    EXPECT_FALSE(recovered) << "a released run is queued, not left running for recovery";
    const auto journal = read_journal_file(dir / "batches" / id / "journal.jsonl");
    EXPECT_EQ(journal.sessions, 2);
    EXPECT_EQ(journal.points.size(), 40u);
    metrics = http().get("/metrics", "").body;
    EXPECT_EQ(metric(metrics, "holon_runs{state=\"succeeded\"}"), 2) << metrics;
    EXPECT_EQ(metric(metrics, "holon_runs{state=\"running\"}"), 0) << metrics;
    EXPECT_EQ(server_->stop(), 0);
}

}  // namespace
}  // namespace holon::test
