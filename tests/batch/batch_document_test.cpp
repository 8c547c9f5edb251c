#include "batch/batch_document.hpp"
#include "batch/batch_spec.hpp"
#include "batch/references.hpp"
#include "batch/statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace holon::batch {
namespace {

const std::string valid_head = R"(version: holon-batch/1
inputs:
  m: {file: model.xmile}
steps:
)";

BatchDocument parse(const std::string &steps) { return BatchDocument::parse(valid_head + steps, "job.yaml", "/jobs"); }

// The JSON path of the error a document gives (fails the test when it parses).
std::string error_path(const std::string &text) {
    try {
        BatchDocument::parse(text, "job.yaml", "/jobs");
    } catch (const DocumentError &e) {
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "one line";
        return e.path();
    }
    ADD_FAILURE() << "parsed: " << text;
    return {};
}

TEST(BatchDocument, ParsesStepsInputsAndPoints) {
    auto job = parse(R"(
  - name: base
    method: sd.simulate
    input: m
  - name: grid
    method: sd.simulate
    input: m
    params: {stop: "${steps.base.result.stop}"}
    sweep:
      grid:
        - {name: overrides.a, values: [1, 2, 3]}
        - {name: overrides.b, from: 0, to: 1, count: 5}
)");
    EXPECT_EQ(job.step_count(), 2u);
    EXPECT_EQ(job.point_count(0), 1u);
    EXPECT_EQ(job.point_count(1), 15u);
    EXPECT_EQ(job.total_points(), 16u);
    ASSERT_EQ(job.inputs().size(), 1u);
    EXPECT_EQ(job.inputs()[0].file, std::filesystem::path("/jobs/model.xmile"));
    EXPECT_EQ(job.spec().steps[1].depends_on, std::vector<std::string>{"base"});
    EXPECT_EQ(job.hash().size(), 64u);
}

TEST(BatchDocument, JsonTextIsAcceptedAndHashesLikeTheSameYaml) {
    auto json = BatchDocument::parse(
        R"({"version": "holon-batch/1", "inputs": {"m": {"file": "x.json"}}, "steps": [{"name": "a", "method": "sd.simulate", "input": "m"}]})",
        "job.json", "/");
    auto yaml = BatchDocument::parse("version: holon-batch/1\ninputs: {m: {file: x.json}}\nsteps:\n  - {name: a, method: sd.simulate, input: m}\n",
                                   "job.yaml", "/");
    EXPECT_EQ(json.hash(), yaml.hash());
    auto other = BatchDocument::parse("version: holon-batch/1\ninputs: {m: {file: x.json}}\nsteps:\n  - {name: b, method: sd.simulate, input: m}\n",
                                    "job.yaml", "/");
    EXPECT_NE(json.hash(), other.hash());
}

TEST(BatchDocument, SchemaViolationsNameTheJsonPath) {
    EXPECT_EQ(error_path("inputs: {m: {file: a}}\nsteps: [{name: a, method: x}]\n"), "/");
    EXPECT_EQ(error_path(valid_head + "  - {name: a, method: sd.simulate, input: m, sweep: {grid: [{name: x, values: [1, two]}]}}\n"),
              "/steps/0/sweep/grid/0/values/1");
    EXPECT_EQ(error_path(valid_head + "  - {name: a, metod: sd.simulate}\n"), "/steps/0");
    EXPECT_EQ(error_path(valid_head + "  - name: a\n    method: m\n    sweep:\n      monte_carlo: {samples: 0, seed: 1, parameters: [{name: x, distribution: uniform, min: 0, max: 1}]}\n"),
              "/steps/0/sweep/monte_carlo/samples");
}

TEST(BatchDocument, SemanticErrorsNameTheJsonPath) {
    // A key of another distribution kind.
    EXPECT_EQ(error_path(valid_head + "  - name: a\n    method: m\n    sweep:\n      latin_hypercube: {samples: 3, seed: 1, parameters: [{name: x, distribution: normal, mean: 0, sd: 1, min: 0}]}\n"),
              "/steps/0/sweep/latin_hypercube/parameters/0/min");
    EXPECT_EQ(error_path(valid_head + "  - name: a\n    method: m\n    sweep:\n      monte_carlo: {samples: 3, seed: 1, parameters: [{name: x, distribution: uniform, min: 2, max: 1}]}\n"),
              "/steps/0/sweep/monte_carlo/parameters/0");
    EXPECT_EQ(error_path(valid_head + "  - {name: a, method: m, input: nope}\n"), "/steps/0/input");
    EXPECT_EQ(error_path(valid_head + "  - {name: a, method: m}\n  - {name: a, method: m}\n"), "/steps/1/name");
    // References only to earlier steps without sweeps.
    EXPECT_EQ(error_path(valid_head + "  - {name: a, method: m, params: {x: {y: \"${steps.b.result}\"}}}\n  - {name: b, method: m}\n"),
              "/steps/0/params/x/y");
    EXPECT_EQ(error_path(valid_head + "  - {name: a, method: m, sweep: {grid: [{name: x, values: [1]}]}}\n"
                                      "  - {name: b, method: m, params: {x: \"${steps.a.result.stop}\"}}\n"),
              "/steps/1/params/x");
    EXPECT_EQ(error_path(valid_head + "  - {name: a, method: m}\n  - {name: b, method: m, params: {x: \"${steps.a.stats.v.median}\"}}\n"),
              "/steps/1/params/x");
}

TEST(BatchDocument, YamlSyntaxErrorsGiveTheLine) {
    try {
        BatchDocument::parse("version: holon-batch/1\nsteps: [\n  {name: a\n", "job.yaml", "/");
        FAIL();
    } catch (const DocumentError &e) {
        EXPECT_NE(std::string(e.what()).find("line "), std::string::npos) << e.what();
    }
}

TEST(BatchDocument, ScenarioColumnsAreTheLeafPathsTheScenariosSet) {
    auto job = parse(R"(
  - name: s
    method: m
    input: m
    sweep:
      scenarios:
        - {name: low, params: {overrides: {a: 1}}}
        - {name: high, params: {overrides: {a: 2, b: 3}, stop: 10}}
)");
    const auto &step = job.spec().steps[0];
    EXPECT_EQ(step.axes, (std::vector<std::string>{"overrides.a", "overrides.b", "stop"}));
    EXPECT_EQ(step.points[0].values, nlohmann::json::parse("[1, null, null]"));
    EXPECT_EQ(step.points[1].scenario, "high");
}

TEST(References, WholeStringsBecomeValuesAndEmbeddedOnesText) {
    nlohmann::json result = {{"stop", 100}, {"list", {1.5, 2.5}}};
    auto lookup = [&](const Reference &r) -> nlohmann::json {
        if (r.stats) return r.path[0] == "x" && r.path[1] == "max" ? 7.0 : throw std::runtime_error("no");
        return follow_path(result, r.path);
    };
    nlohmann::json params = {{"stop", "${steps.a.result.stop}"},
                             {"label", "run to ${steps.a.result.stop} days"},
                             {"nested", {{"v", "${steps.a.result.list.1}"}, {"peak", "${steps.a.stats.x.max}"}}},
                             {"plain", "no refs"}};
    auto out = resolve_references(params, lookup);
    EXPECT_EQ(out["stop"], 100);
    EXPECT_EQ(out["label"], "run to 100 days");
    EXPECT_EQ(out["nested"]["v"], 2.5);
    EXPECT_EQ(out["nested"]["peak"], 7.0);
    EXPECT_EQ(out["plain"], "no refs");
    EXPECT_THROW(follow_path(result, {"list", "5"}), std::runtime_error);
    EXPECT_THROW(follow_path(result, {"missing"}), std::runtime_error);
}

TEST(ParamPaths, SetAndMerge) {
    nlohmann::json p = {{"overrides", {{"a", 1}}}, {"stop", 5}};
    set_at_path(p, "overrides.b", 2);
    set_at_path(p, "x.y.z", 3);
    EXPECT_EQ(p, nlohmann::json::parse(R"({"overrides": {"a": 1, "b": 2}, "stop": 5, "x": {"y": {"z": 3}}})"));
    merge_patch(p, nlohmann::json::parse(R"({"overrides": {"a": 9}, "stop": 6})"));
    EXPECT_EQ(p["overrides"], nlohmann::json::parse(R"({"a": 9, "b": 2})"));
    EXPECT_EQ(p["stop"], 6);
}

TEST(Statistics, FinalMinMaxMeanAndTimeOfPeak) {
    const auto s = series_stats({0, 1, 2, 3, 4}, {1, 5, NAN, 5, 2});
    EXPECT_EQ(s.final, 2);
    EXPECT_EQ(s.min, 1);
    EXPECT_EQ(s.max, 5);
    EXPECT_DOUBLE_EQ(s.mean, 13.0 / 4);
    EXPECT_EQ(s.peak_time, 1); // the first maximum
    EXPECT_DOUBLE_EQ(percentile_of_sorted({1, 2, 3, 4}, 50), 2.5);
    EXPECT_DOUBLE_EQ(percentile_of_sorted({1, 2, 3, 4}, 100), 4);
}

TEST(Statistics, EnvelopeSpansTheRuns) {
    std::vector<double> a{0, 0}, b{1, 10}, c{2, 20};
    const auto e = envelope({0, 1}, {&a, &b, &c});
    EXPECT_EQ(e.runs, 3u);
    EXPECT_EQ(e.min[1], 0);
    EXPECT_EQ(e.median[1], 10);
    EXPECT_EQ(e.max[1], 20);
    EXPECT_DOUBLE_EQ(e.p95[1], 19);
}

} // namespace
} // namespace holon::batch

// ---- designs of issue 21 ----
namespace holon::batch {
namespace {

const std::string design_step = R"(
  - name: d
    method: sd.simulate
    input: m
    sweep:
)";

TEST(BatchDesigns, SobolPointsAreNTimes2DPlus2PerPolicyAndReproducible) {
    const std::string steps = design_step + R"(      sobol: {samples: 16, seed: 5}
      uncertainties:
        - {name: overrides.a, min: 0, max: 1}
        - {name: overrides.b, distribution: normal, mean: 10, sd: 2}
        - {name: overrides.c, min: -1, max: 1}
      levers:
        - {name: overrides.p, values: [1, 2]}
        - {name: overrides.q, values: [5, 6, 7]}
    outcomes: [{name: y, variable: x}]
)";
    auto job = parse(steps);
    const StepSpec &step = job.spec().steps[0];
    EXPECT_EQ(step.sweep, SweepKind::sobol);
    EXPECT_EQ(step.points.size(), 16u * (2 * 3 + 2) * 6);
    EXPECT_EQ(step.axes, (std::vector<std::string>{"overrides.a", "overrides.b", "overrides.c", "overrides.p", "overrides.q"}));
    EXPECT_EQ(step.design.policies, 6u);
    EXPECT_EQ(step.design.rows_per_policy, 128u);
    // Policy after policy, each the whole design; levers: the first varies slowest.
    EXPECT_EQ(step.points[0].policy, 0u);
    EXPECT_EQ(step.points[128].policy, 1u);
    EXPECT_EQ(step.points[128].values[3], 1);
    EXPECT_EQ(step.points[128].values[4], 6);
    EXPECT_EQ(step.points[5 * 128].values[3], 2);
    EXPECT_EQ(step.points[5 * 128].values[4], 7);
    for (size_t d = 0; d < 3; ++d) EXPECT_EQ(step.points[7].values[d], step.points[128 + 7].values[d]);
    for (const auto &p : step.points) {
        EXPECT_GE(p.values[0].get<double>(), 0.0);
        EXPECT_LE(p.values[0].get<double>(), 1.0);
    }
    // The same document gives the same points; another seed others.
    EXPECT_EQ(parse(steps).spec().steps[0].points[77].values, step.points[77].values);
    auto other = steps;
    other.replace(other.find("seed: 5"), 7, "seed: 6");
    EXPECT_NE(parse(other).spec().steps[0].points[77].values, step.points[77].values);
    EXPECT_EQ(step.design.document["rows_per_sample"], 8);
    EXPECT_TRUE(step.outcomes.has_value());
}

TEST(BatchDesigns, WithoutSecondOrderNTimesDPlus2) {
    auto job = parse(design_step + R"(      sobol: {samples: 10, second_order: false}
      uncertainties: [{name: overrides.a, min: 0, max: 1}, {name: overrides.b, min: 0, max: 1}]
)");
    EXPECT_EQ(job.spec().steps[0].points.size(), 10u * (2 + 2));
}

TEST(BatchDesigns, MorrisAndFactorialCounts) {
    auto job = parse(design_step + R"(      morris: {trajectories: 7, levels: 6, candidates: 30, seed: 1}
      uncertainties: [{name: overrides.a, min: 0, max: 3}, {name: overrides.b, min: 1, max: 2}, {name: overrides.c, min: 0, max: 1}]
)");
    EXPECT_EQ(job.spec().steps[0].points.size(), 7u * 4);
    EXPECT_DOUBLE_EQ(job.spec().steps[0].design.document["delta"].get<double>(), 0.6);
    job = parse(design_step + R"(      factorial: {levels: 5}
      uncertainties:
        - {name: overrides.a, min: 0, max: 1}
        - {name: overrides.b, distribution: discrete, values: [1, 2, 3]}
        - {name: overrides.c, distribution: normal, mean: 0, sd: 1}
)");
    const auto &points = job.spec().steps[0].points;
    ASSERT_EQ(points.size(), 5u * 3 * 5);
    EXPECT_EQ(points[0].values[0], 0);
    EXPECT_EQ(points.back().values[0], 1);
    EXPECT_EQ(points[15].values[0], 0.25);
    EXPECT_EQ(points[5].values[1], 2);
    EXPECT_DOUBLE_EQ(points[2].values[2].get<double>(), 0.0); // the median of the centred levels
}

TEST(BatchDesigns, BadDesignsNameThePlace) {
    auto expect = [](const std::string &sweep, const std::string &path, const std::string &text) {
        try {
            parse(design_step + sweep);
            ADD_FAILURE() << "parsed: " << sweep;
        } catch (const DocumentError &e) {
            EXPECT_EQ(e.path(), path) << e.what();
            EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
        }
    };
    expect("      sobol: {samples: 0}\n      uncertainties: [{name: overrides.a, min: 0, max: 1}]\n", "/steps/0/sweep/sobol/samples",
           "greater than or equal to 1");
    expect("      sobol: {samples: 4}\n      uncertainties: [{name: overrides.a, min: 2, max: 1}]\n", "/steps/0/sweep/uncertainties/0",
           "min (2) must be below max (1): the bounds are reversed");
    expect("      sobol: {samples: 4}\n      morris: {trajectories: 2}\n      uncertainties: [{name: overrides.a, min: 0, max: 1}]\n",
           "/steps/0/sweep", "give one design, not sobol and morris");
    expect("      uncertainties: [{name: overrides.a, min: 0, max: 1}]\n", "/steps/0/sweep", "need a design");
    expect("      sobol: {samples: 4}\n      grid: [{name: overrides.a, values: [1]}]\n      uncertainties: [{name: overrides.a, min: 0, max: 1}]\n",
           "/steps/0/sweep/grid", "not both");
    expect("      sobol: {samples: 4}\n", "/steps/0/sweep", "sobol needs uncertainties");
    expect("      sobol: {samples: 4}\n      uncertainties: [{name: overrides.a, min: 0, max: 1}, {name: overrides.a, min: 0, max: 1}]\n",
           "/steps/0/sweep/uncertainties/1/name", "already an uncertainty");
    expect("      morris: {trajectories: 3, levels: 3}\n      uncertainties: [{name: overrides.a, min: 0, max: 1}]\n",
           "/steps/0/sweep/morris/levels", "multiple of 2");
    expect("      sobol: {samples: 400000}\n      uncertainties: [{name: overrides.a, min: 0, max: 1}]\n", "/steps/0/sweep/sobol/samples",
           "over the limit of 1000000");
    std::string seventeen = "      sobol: {samples: 2}\n      uncertainties:\n";
    for (int i = 0; i < 17; ++i) seventeen += "        - {name: overrides.x" + std::to_string(i) + ", min: 0, max: 1}\n";
    expect(seventeen, "/steps/0/sweep/uncertainties", "at most 16 uncertainties");
}

TEST(BatchDesigns, OutcomesAreCheckedWhenRead) {
    auto expect = [](const std::string &outcomes, const std::string &path, const std::string &text) {
        try {
            parse("  - name: d\n    method: sd.simulate\n    input: m\n    outcomes: " + outcomes + "\n");
            ADD_FAILURE() << "parsed: " << outcomes;
        } catch (const DocumentError &e) {
            EXPECT_EQ(e.path(), path) << e.what();
            EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
        }
    };
    expect("[{name: y, variable: x, kind: crossing}]", "/steps/0/outcomes/0", "threshold");
    expect("[{name: y, variable: x, kind: max, from: 5, to: 1}]", "/steps/0/outcomes/0", "the window is reversed");
    expect("[{name: y, variable: x}, {name: y, variable: z}]", "/steps/0/outcomes/1/name", "already a column");
    expect("[{name: status, variable: x}]", "/steps/0/outcomes/0/name", "already a column");
    expect("[{name: y, variable: x, threshold: 3}]", "/steps/0/outcomes/0", "belong to kind: crossing");
    expect("[{name: y, variable: x, kind: median}]", "/steps/0/outcomes/0/kind", "");
}

} // namespace
} // namespace holon::batch
