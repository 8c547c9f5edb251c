// The tables of a step with outcomes (docs/batch.md, "Experiments and outcomes tables"):
//   steps/<step>/experiments.csv  one row per point: point, [policy,] every swept input
//   steps/<step>/outcomes.csv     one row per point: point, status, every scalar outcome, problem, error
//   steps/<step>/series.csv       series outcomes, long form: point, time, one column per series outcome
//   steps/<step>/design.json      sobol/morris/factorial: the design's settings and row layout
#pragma once

#include "batch/run_state.hpp"

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace holon::batch {

std::vector<std::string> scalar_outcome_names(const runner::OutcomeSpec &spec);
std::vector<std::string> series_outcome_names(const runner::OutcomeSpec &spec);

// experiments.csv and (for designs) design.json; atomically.
void write_experiments(const std::filesystem::path &dir, const StepSpec &step);
// outcomes.csv from every recorded point (unrecorded ones: status "missing"); atomically.
void write_outcomes(const std::filesystem::path &dir, const StepSpec &step, const std::vector<PointState> &points);

// Appends rows to series.csv (writing the header when the file is new). Not thread-safe.
class SeriesWriter {
public:
    SeriesWriter(const std::filesystem::path &file, const std::vector<std::string> &names);
    ~SeriesWriter();
    SeriesWriter(const SeriesWriter &) = delete;
    SeriesWriter &operator=(const SeriesWriter &) = delete;
    void add(size_t point, const std::vector<double> &time, const std::vector<std::vector<double>> &series);
    void flush();

private:
    std::FILE *file_ = nullptr;
    std::filesystem::path path_;
};

} // namespace holon::batch
