// `holon batch` end to end: the real binary, the real SD plugin, the SIR sample model.
#include "../cli/cli_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <set>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using holon::test::run_process;

namespace {

const std::string sir_model = std::string(HOLON_SOURCE_DIR) + "/docs/examples/SIR.xmile";

std::string read(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> lines_of(const std::string &text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) out.push_back(l);
    return out;
}

std::vector<std::string> split(const std::string &line) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, ',')) out.push_back(field);
    if (!line.empty() && line.back() == ',') out.emplace_back();
    return out;
}

// The point lines of a journal.
std::vector<nlohmann::json> journal_points(const fs::path &out) {
    std::vector<nlohmann::json> points;
    for (const auto &l : lines_of(read(out / "journal.jsonl"))) {
        auto j = nlohmann::json::parse(l, nullptr, false);
        if (j.is_object() && j.contains("point")) points.push_back(j);
    }
    return points;
}

class BatchCli : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("holon-batch-test-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir);
    }
    fs::path write_job(const std::string &text, const std::string &name = "job.yaml") {
        write_file(dir / name, text);
        return dir / name;
    }
    static void write_file(const fs::path &p, const std::string &text) { std::ofstream(p, std::ios::binary) << text; }
    holon::test::ProcessResult batch(const std::vector<std::string> &args) {
        std::vector<std::string> all{"batch"};
        all.insert(all.end(), args.begin(), args.end());
        return run_process(HOLON_BIN, all);
    }
    fs::path dir;
};

std::string job_head() { return "version: holon-batch/1\ninputs:\n  sir: {file: \"" + sir_model + "\"}\nsteps:\n"; }

TEST_F(BatchCli, BadJobDocumentFailsWithTheJsonPathAndWritesNothing) {
    const auto job = write_job(job_head() + R"(  - name: sweep
    method: sd.simulate
    input: sir
    sweep:
      grid:
        - {name: overrides.contact_infectivity, values: [0.1, high]}
)");
    const auto out = dir / "out";
    auto r = batch({job.string(), "--out", out.string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(holon::test::line_count(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find("/steps/0/sweep/grid/0/values/1"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));

    // Problems found only against the host (an unknown method) also write nothing.
    const auto job2 = write_job(job_head() + "  - {name: a, method: sd.no-such-method, input: sir}\n", "job2.yaml");
    r = batch({job2.string(), "--out", out.string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("/steps/0/method"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
    // A slip in a method id gets the closest one, as `holon run` does.
    const auto typo = write_job(job_head() + "  - {name: a, method: sd.simulat, input: sir}\n", "typo.yaml");
    r = batch({typo.string(), "--out", out.string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("no plugin offers method 'sd.simulat'; did you mean 'sd.simulate'?"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));

    // A stored model id is a REST feature.
    const auto job3 = write_job("version: holon-batch/1\ninputs: {m: {model_id: abc}}\nsteps: [{name: a, method: sd.simulate, input: m}]\n",
                                "job3.json");
    r = batch({job3.string(), "--out", out.string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("/inputs/m"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("REST"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
}

TEST_F(BatchCli, SmallSweepWritesTablesSummaryPlotsAndReport) {
    const auto job = write_job(job_head() + R"(  - name: sweep
    method: sd.simulate
    input: sir
    params: {save_step: 1}
    sweep:
      grid:
        - {name: overrides.contact_infectivity, values: [0.2, 0.3, 0.4]}
        - {name: overrides.duration, values: [4, 6]}
    outputs: {variables: [infectious, recovered], plots: [infectious]}
)");
    const auto out = dir / "out";
    auto r = batch({job.string(), "--out", out.string(), "--jobs", "2"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;

    const auto step = out / "steps" / "sweep";
    const auto summary = lines_of(read(step / "summary.csv"));
    ASSERT_EQ(summary.size(), 7u);
    EXPECT_EQ(summary[0], "point,overrides.contact_infectivity,overrides.duration,status,infectious.final,infectious.min,"
                          "infectious.max,infectious.mean,infectious.peak_time,recovered.final,recovered.min,recovered.max,"
                          "recovered.mean,recovered.peak_time,problem,error");
    EXPECT_EQ(split(summary[1])[1], "0.2");
    EXPECT_EQ(split(summary[1])[2], "4");
    EXPECT_EQ(split(summary[6])[1], "0.4");
    EXPECT_EQ(split(summary[6])[2], "6");
    double previous_peak = 0;
    for (size_t i = 1; i < summary.size(); ++i) {
        const auto f = split(summary[i]);
        EXPECT_EQ(f[3], "ok");
        // outputs.variables: the run's table has the time and those columns only.
        const auto table = lines_of(read(step / "runs" / f[0] / "series.csv"));
        ASSERT_EQ(table.size(), 102u) << f[0]; // header + t = 0..100 at save_step 1
        EXPECT_EQ(split(table[0]), (std::vector<std::string>{"time", "infectious", "recovered"}));
        EXPECT_EQ(split(table.back())[1], f[4]) << "the final infectious in the summary is the table's";
        EXPECT_TRUE(fs::exists(step / "runs" / f[0] / "result.json"));
        if (i % 2 == 0) { // duration 6: more contact, higher peak
            EXPECT_GT(std::stod(f[6]), previous_peak);
            previous_peak = std::stod(f[6]);
        }
    }

    const std::string svg = read(step / "plots" / "infectious.svg");
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
    const std::string png = read(step / "plots" / "infectious.png");
    ASSERT_GT(png.size(), 8u);
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_FALSE(fs::exists(step / "plots" / "recovered.svg")); // only the variables asked for

    const std::string index = read(out / "index.html");
    EXPECT_NE(index.find("steps/sweep/plots/infectious.svg"), std::string::npos);
    EXPECT_NE(index.find("summary.csv"), std::string::npos);
    auto results = nlohmann::json::parse(read(out / "results.json"));
    EXPECT_EQ(results["succeeded"], 6);
    EXPECT_EQ(results["steps"][0]["points"].size(), 6u);
    EXPECT_EQ(results["steps"][0]["points"][5]["values"]["overrides.duration"], 6);
}

TEST_F(BatchCli, FailedPointsAreRecordedAndTheOthersStillRun) {
    const auto job = write_job(job_head() + R"(  - name: scenarios
    method: sd.simulate
    input: sir
    params: {save_step: 5}
    sweep:
      scenarios:
        - {name: low, params: {overrides: {contact_infectivity: 0.2}}}
        - {name: typo, params: {method: rk5}}
        - {name: high, params: {overrides: {contact_infectivity: 0.5}}}
)");
    const auto out = dir / "out";
    auto r = batch({job.string(), "--out", out.string(), "--jobs", "1"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("1 of 3 points failed"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("typo"), std::string::npos) << r.err;
    const auto summary = lines_of(read(out / "steps" / "scenarios" / "summary.csv"));
    ASSERT_EQ(summary.size(), 4u);
    EXPECT_EQ(split(summary[1])[1], "low");
    EXPECT_NE(summary[1].find(",ok,"), std::string::npos);
    EXPECT_NE(summary[2].find(",failed,"), std::string::npos);
    EXPECT_NE(summary[2].find("rk5"), std::string::npos) << summary[2];
    EXPECT_NE(summary[3].find(",ok,"), std::string::npos);
    EXPECT_NE(read(out / "index.html").find("1 failed points"), std::string::npos);

    // fail_fast: the failure stops the points after it (one worker runs them in order).
    const auto job2 = write_job(read(job) + "options: {fail_fast: true}\n", "job2.yaml");
    const auto out2 = dir / "out2";
    r = batch({job2.string(), "--out", out2.string(), "--jobs", "1"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("fail_fast"), std::string::npos) << r.err;
    EXPECT_EQ(journal_points(out2).size(), 2u);
}

TEST_F(BatchCli, ResumeAfterSigkillRunsOnlyTheMissingPoints) {
    constexpr int total = 300;
    const auto job = write_job(job_head() + R"(  - name: mc
    method: sd.simulate
    input: sir
    params: {save_step: 1}
    sweep:
      monte_carlo:
        samples: 300
        seed: 2024
        parameters:
          - {name: overrides.contact_infectivity, distribution: uniform, min: 0.1, max: 0.5}
          - {name: overrides.duration, distribution: lognormal, meanlog: 1.6, sdlog: 0.2}
    outputs: {variables: [infectious], plots: [infectious]}
)");
    const auto out = dir / "out";
    const std::string bin = HOLON_BIN;
    std::vector<std::string> args{bin, "batch", job.string(), "--out", out.string(), "--jobs", "1", "--quiet"};
    std::vector<char *> argv;
    for (auto &a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    ASSERT_EQ(posix_spawn(&pid, bin.c_str(), nullptr, nullptr, argv.data(), environ), 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    size_t seen = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        if (fs::exists(out / "journal.jsonl")) seen = journal_points(out).size();
        if (seen >= 20) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the batch finished before it could be killed";

    const auto before = journal_points(out);
    const size_t done_before = before.size();
    ASSERT_GE(done_before, 20u);
    ASSERT_LT(done_before, static_cast<size_t>(total));

    auto r = batch({job.string(), "--out", out.string(), "--jobs", "2"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("resuming: " + std::to_string(done_before) + " of 300"), std::string::npos) << r.out;

    const auto after = journal_points(out);
    size_t second_session = 0;
    std::set<size_t> points;
    for (const auto &p : after) {
        points.insert(p["point"].get<size_t>());
        if (p["session"] == 2) ++second_session;
    }
    EXPECT_EQ(second_session, total - done_before); // only the missing points ran
    EXPECT_EQ(after.size(), static_cast<size_t>(total)); // no point ran twice
    EXPECT_EQ(points.size(), static_cast<size_t>(total));
    EXPECT_EQ(lines_of(read(out / "steps" / "mc" / "summary.csv")).size(), static_cast<size_t>(total + 1));
    auto results = nlohmann::json::parse(read(out / "results.json"));
    EXPECT_EQ(results["succeeded"], total);
    EXPECT_NE(read(out / "steps" / "mc" / "plots" / "infectious.dat").find("(300 runs)"), std::string::npos);

    // A third run has nothing left to do.
    r = batch({job.string(), "--out", out.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(journal_points(out).size(), static_cast<size_t>(total));
}

TEST_F(BatchCli, AChangedJobDoesNotReuseStaleResults) {
    const std::string step = R"(  - name: one
    method: sd.simulate
    input: sir
    params: {save_step: 10, stop: STOP}
)";
    auto with_stop = [&](const std::string &stop) {
        std::string s = step;
        s.replace(s.find("STOP"), 4, stop);
        return job_head() + s;
    };
    const auto job = write_job(with_stop("50"));
    const auto out = dir / "out";
    ASSERT_EQ(batch({job.string(), "--out", out.string()}).exit_code, 0);
    write_job(with_stop("60"));
    auto r = batch({job.string(), "--out", out.string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("different job document"), std::string::npos) << r.err;
    EXPECT_EQ(lines_of(read(out / "steps" / "one" / "runs" / "p0000" / "series.csv")).size(), 7u); // untouched: 0..50

    r = batch({job.string(), "--out", out.string(), "--restart"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(lines_of(read(out / "steps" / "one" / "runs" / "p0000" / "series.csv")).size(), 8u); // 0..60
}

TEST_F(BatchCli, LaterStepsUseEarlierResultsAndStatistics) {
    const auto job = write_job(job_head() + R"(  - name: base
    method: sd.simulate
    input: sir
    params: {save_step: 1}
    outputs: {variables: [infectious]}
  - name: follow
    method: sd.simulate
    input: sir
    params:
      save_step: 1
      stop: ${steps.base.stats.infectious.peak_time}
)");
    const auto out = dir / "out";
    auto r = batch({job.string(), "--out", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto results = nlohmann::json::parse(read(out / "results.json"));
    const double peak = results["steps"][0]["points"][0]["stats"]["infectious"]["peak_time"];
    EXPECT_GT(peak, 0);
    EXPECT_EQ(results["steps"][1]["points"][0]["result"]["stop"].get<double>(), peak);
}

} // namespace

// ---- designs, outcomes and the tables of issue 21 ----

std::vector<std::vector<std::string>> csv_rows(const fs::path &file) {
    std::vector<std::vector<std::string>> rows;
    for (const auto &l : lines_of(read(file))) rows.push_back(split(l));
    return rows;
}

TEST_F(BatchCli, SobolDesignWritesOneExperimentsAndOneOutcomesTable) {
    const auto job = write_job(job_head() + R"(  - name: sobol
    method: sd.simulate
    input: sir
    params: {save_step: 0.5}
    sweep:
      sobol: {samples: 8, second_order: true, seed: 3}
      uncertainties:
        - {name: overrides.contact_infectivity, min: 0.2, max: 0.4}
        - {name: overrides.duration, min: 3, max: 7}
      levers:
        - {name: overrides.total_population, values: [1000, 2000]}
    outcomes:
      - {name: peak, variable: infectious, kind: max}
      - {name: peak_time, variable: infectious, kind: time_of_max}
      - {name: recovered_end, variable: recovered, kind: final}
      - {name: infectious_days, variable: infectious, kind: integral, from: 0, to: 50}
      - {name: curve, variable: infectious, kind: series, from: 10, to: 12}
)");
    const auto out = dir / "out";
    auto r = batch({job.string(), "--out", out.string(), "--jobs", "2", "--no-plots"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    const auto step = out / "steps" / "sobol";
    EXPECT_FALSE(fs::exists(step / "runs")) << "no folder per point";

    // 8 * (2*2 + 2) = 48 rows per policy, 2 policies.
    const auto experiments = csv_rows(step / "experiments.csv");
    ASSERT_EQ(experiments.size(), 1u + 96u);
    EXPECT_EQ(experiments[0], (std::vector<std::string>{"point", "policy", "overrides.contact_infectivity", "overrides.duration",
                                                         "overrides.total_population"}));
    EXPECT_EQ(experiments[1][1], "0");
    EXPECT_EQ(experiments[1][4], "1000");
    EXPECT_EQ(experiments[49][1], "1");
    EXPECT_EQ(experiments[49][4], "2000");
    EXPECT_EQ(experiments[1][2], experiments[49][2]) << "every policy runs the same scenarios";
    // Saltelli block: AB_1 takes column 1 from B (the block's last row), keeps column 2 of A.
    EXPECT_EQ(experiments[2][2], experiments[6][2]);
    EXPECT_EQ(experiments[2][3], experiments[1][3]);

    const auto outcomes = csv_rows(step / "outcomes.csv");
    ASSERT_EQ(outcomes.size(), 97u);
    EXPECT_EQ(outcomes[0], (std::vector<std::string>{"point", "status", "peak", "peak_time", "recovered_end", "infectious_days", "problem", "error"}));
    for (size_t i = 1; i < outcomes.size(); ++i) {
        ASSERT_EQ(outcomes[i][0], std::to_string(i - 1));
        ASSERT_EQ(outcomes[i][1], "ok") << outcomes[i].back();
        const double peak = std::stod(outcomes[i][2]);
        EXPECT_GE(peak, 5.0); // 5 infectious at the start
        EXPECT_LE(peak, std::stod(experiments[i][4]));
    }

    const auto design = nlohmann::json::parse(read(step / "design.json"));
    EXPECT_EQ(design["design"], "sobol");
    EXPECT_EQ(design["second_order"], true);
    EXPECT_EQ(design["rows_per_sample"], 6);
    EXPECT_EQ(design["policies"], 2);
    EXPECT_EQ(design["uncertainties"][1]["name"], "overrides.duration");

    // series.csv: each point's infectious between t = 10 and 12 (save_step 0.5: 5 rows).
    const auto series = csv_rows(step / "series.csv");
    ASSERT_EQ(series.size(), 1u + 96u * 5u);
    EXPECT_EQ(series[0], (std::vector<std::string>{"point", "time", "curve"}));
    std::set<std::string> points;
    for (size_t i = 1; i < series.size(); ++i) {
        points.insert(series[i][0]);
        const double t = std::stod(series[i][1]);
        EXPECT_GE(t, 10.0);
        EXPECT_LE(t, 12.0);
    }
    EXPECT_EQ(points.size(), 96u);

    // The same seed gives the same design (a second --out folder).
    r = batch({job.string(), "--out", (dir / "again").string(), "--jobs", "1", "--no-plots"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read(step / "experiments.csv"), read(dir / "again" / "steps" / "sobol" / "experiments.csv"));
    EXPECT_EQ(read(step / "outcomes.csv"), read(dir / "again" / "steps" / "sobol" / "outcomes.csv"));
}

TEST_F(BatchCli, MorrisAndFactorialDesignsHaveTheirSizes) {
    const auto job = write_job(job_head() + R"(  - name: morris
    method: sd.simulate
    input: sir
    params: {save_step: 1}
    sweep:
      morris: {trajectories: 5, levels: 4, candidates: 20, seed: 2}
      uncertainties:
        - {name: overrides.contact_infectivity, min: 0.2, max: 0.4}
        - {name: overrides.duration, min: 3, max: 7}
    outcomes: [{name: peak, variable: infectious, kind: max}]
  - name: factorial
    method: sd.simulate
    input: sir
    params: {save_step: 1}
    sweep:
      factorial: {levels: 3}
      uncertainties:
        - {name: overrides.contact_infectivity, min: 0.2, max: 0.4}
        - {name: overrides.duration, distribution: discrete, values: [4, 6]}
    outcomes: [{name: peak, variable: infectious, kind: max}]
)");
    const auto out = dir / "out";
    auto r = batch({job.string(), "--out", out.string(), "--jobs", "2", "--no-plots"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    const auto morris = csv_rows(out / "steps" / "morris" / "experiments.csv");
    ASSERT_EQ(morris.size(), 1u + 5u * 3u);
    // In model units a Morris step of 2/3 is 2/3 of the range: 0.1333.. or 2.666...
    for (size_t t = 0; t < 5; ++t)
        for (size_t k = 1; k < 3; ++k) {
            const auto &a = morris[1 + t * 3 + k - 1], &b = morris[1 + t * 3 + k];
            const double d1 = std::abs(std::stod(b[1]) - std::stod(a[1])), d2 = std::abs(std::stod(b[2]) - std::stod(a[2]));
            EXPECT_TRUE((std::abs(d1 - 0.2 * 2 / 3) < 1e-9 && d2 == 0) || (d1 == 0 && std::abs(d2 - 4.0 * 2 / 3) < 1e-9))
                << "trajectory " << t << " step " << k;
        }
    const auto factorial = csv_rows(out / "steps" / "factorial" / "experiments.csv");
    ASSERT_EQ(factorial.size(), 1u + 3u * 2u);
    EXPECT_EQ(factorial[1][1], "0.2");
    EXPECT_EQ(factorial[1][2], "4");
    EXPECT_EQ(factorial[2][2], "6");
    EXPECT_EQ(factorial[3][1], "0.30000000000000004");
    EXPECT_EQ(factorial[6][1], "0.4");
    EXPECT_EQ(nlohmann::json::parse(read(out / "steps" / "morris" / "design.json"))["delta"], 2.0 / 3.0);
}

TEST_F(BatchCli, BadDesignsFailBeforeAnyRunWithAPreciseMessage) {
    struct Case {
        std::string sweep, message;
    };
    const std::vector<Case> cases{
        {"      sobol: {samples: -4}\n      uncertainties: [{name: overrides.duration, min: 3, max: 7}]\n",
         "/steps/0/sweep/sobol/samples"},
        {"      sobol: {samples: 4}\n      uncertainties: [{name: overrides.duration, min: 7, max: 3}]\n",
         "/steps/0/sweep/uncertainties/0: min (7) must be below max (3): the bounds are reversed"},
        {"      grid: [{name: overrides.contact_infectivty, values: [0.2, 0.3]}]\n",
         "/steps/0/sweep/grid/0/name: swept override 'contact_infectivty' is not a variable of input 'sir'; did you mean "
         "'contact_infectivity'?"},
        {"      morris: {trajectories: 2}\n      uncertainties: [{name: overrides.duration, distribution: normal, mean: 5, sd: 1}]\n",
         "Morris designs need ranges"},
    };
    for (const auto &c : cases) {
        const auto job = write_job(job_head() + "  - name: s\n    method: sd.simulate\n    input: sir\n    sweep:\n" + c.sweep +
                                   "    outcomes: [{name: peak, variable: infectious, kind: max}]\n");
        const auto out = dir / "bad";
        auto r = batch({job.string(), "--out", out.string(), "--jobs", "1"});
        EXPECT_EQ(r.exit_code, 2) << c.sweep << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
        EXPECT_FALSE(fs::exists(out / "journal.jsonl")) << "nothing ran";
    }
    // An outcome of a variable the model lacks.
    const auto job = write_job(job_head() + R"(  - name: s
    method: sd.simulate
    input: sir
    outcomes: [{name: peak, variable: infectous, kind: max}]
)");
    auto r = batch({job.string(), "--out", (dir / "bad2").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("/steps/0/outcomes/0/variable: outcome variable 'infectous' is not a variable of input 'sir'; did you mean 'infectious'?"),
              std::string::npos)
        << r.err;
}

TEST_F(BatchCli, OutputsVariablesWritesOnlyThoseColumns) {
    const auto job = write_job(job_head() + R"(  - name: one
    method: sd.simulate
    input: sir
    params: {save_step: 10}
    outputs: {variables: [infectious]}
)");
    const auto out = dir / "out";
    auto r = batch({job.string(), "--out", out.string(), "--no-plots"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto table = csv_rows(out / "steps" / "one" / "runs" / "p0000" / "series.csv");
    ASSERT_EQ(table.size(), 12u);
    EXPECT_EQ(table[0].size(), 2u);
    EXPECT_EQ(table[1][0], "0");
    EXPECT_EQ(table[1][1], "5"); // infectious starts at 5
}

TEST_F(BatchCli, AStepAfterTheSweepAnalysesItsTables) {
    const auto job = write_job(job_head() + R"(  - name: morris
    method: sd.simulate
    input: sir
    params: {save_step: 1}
    sweep:
      morris: {trajectories: 4, seed: 1}
      uncertainties:
        - {name: overrides.contact_infectivity, min: 0.2, max: 0.4}
        - {name: overrides.duration, min: 3, max: 7}
    outcomes: [{name: peak, variable: infectious, kind: max}]
  - name: effects
    method: explore.morris
    tables_from: morris
)");
    const auto out = dir / "out";
    auto r = batch({job.string(), "--out", out.string(), "--no-plots"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    const auto result = nlohmann::json::parse(read(out / "steps" / "effects" / "runs" / "p0000" / "result.json"));
    EXPECT_EQ(result["levels"], 4);
    EXPECT_NE(result.dump().find("overrides.contact_infectivity"), std::string::npos) << result.dump();
}

TEST_F(BatchCli, AFailedPointInAChunkFailsAloneAndABadFirstPointStopsTheStepOnce) {
    const std::string scenarios = R"(    sweep:
      scenarios:
        - {name: a, params: {overrides: {duration: 4}}}
        - {name: b, params: {overrides: {duration: 5}}}
        - {name: c, params: {overrides: {duration: 6}}}
        - {name: d, params: {overrides: {duration: 7}}}
    outcomes: [{name: peak, variable: infectious, kind: max}]
)";
    auto with = [&](const std::string &bad) {
        std::string s = scenarios;
        s.replace(s.find("{name: " + bad + ", params: {"), 0, "");
        const auto at = s.find("{name: " + bad + ", params: {") + std::string("{name: " + bad + ", params: {").size();
        s.insert(at, "method: rk5, ");
        return job_head() + "  - name: s\n    method: sd.simulate\n    input: sir\n    params: {save_step: 1}\n" + s;
    };
    // The third point's params are refused: it fails, the others have their outcomes.
    auto r = batch({write_job(with("c")).string(), "--out", (dir / "third").string(), "--jobs", "1"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const auto rows = csv_rows(dir / "third" / "steps" / "s" / "outcomes.csv");
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows[1][1], "ok");
    EXPECT_EQ(rows[2][1], "ok");
    EXPECT_EQ(rows[3][1], "failed");
    EXPECT_EQ(rows[3][2], "");
    EXPECT_EQ(rows[3][3], "invalid-params");
    EXPECT_EQ(rows[4][1], "ok");
    EXPECT_GT(std::stod(rows[4][2]), std::stod(rows[1][2])) << "a longer infectious period, a higher peak";
    const auto experiments = csv_rows(dir / "third" / "steps" / "s" / "experiments.csv");
    EXPECT_EQ(experiments[0], (std::vector<std::string>{"point", "scenario", "overrides.duration", "method"}));
    EXPECT_EQ(experiments[3][1], "c");

    // The first point's params are refused: the step stops after it, with one message.
    r = batch({write_job(with("a"), "first.yaml").string(), "--out", (dir / "first").string(), "--jobs", "2"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(journal_points(dir / "first").size(), 1u) << "only the first point ran";
    EXPECT_NE((r.out + r.err).find("its first point failed (invalid-params)"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.out.find("the other 3 points were not run"), std::string::npos) << r.out;
    const auto first = csv_rows(dir / "first" / "steps" / "s" / "outcomes.csv");
    EXPECT_EQ(first[1][1], "failed");
    EXPECT_EQ(first[2][1], "missing");
}
