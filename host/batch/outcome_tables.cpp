#include "batch/outcome_tables.hpp"

#include "batch/files.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace holon::batch {

std::vector<std::string> scalar_outcome_names(const runner::OutcomeSpec &spec) {
    std::vector<std::string> names;
    for (const auto &o : spec.outcomes)
        if (o.kind != runner::OutcomeKind::series) names.push_back(o.name);
    return names;
}

std::vector<std::string> series_outcome_names(const runner::OutcomeSpec &spec) {
    std::vector<std::string> names;
    for (const auto &o : spec.outcomes)
        if (o.kind == runner::OutcomeKind::series) names.push_back(o.name);
    return names;
}

namespace {

std::string cell(const nlohmann::json &v) {
    if (v.is_number()) return number_text(v.get<double>(), true);
    if (v.is_string()) return csv_field(v.get<std::string>());
    if (v.is_null()) return "";
    return csv_field(v.dump());
}

} // namespace

void write_experiments(const std::filesystem::path &dir, const StepSpec &step) {
    const bool scenarios = step.sweep == SweepKind::scenarios;
    const bool policies = step.design.policies > 1;
    std::string out = "point";
    if (scenarios) out += ",scenario";
    if (policies) out += ",policy";
    for (const auto &axis : step.axes) out += "," + csv_field(axis);
    out += "\n";
    for (const auto &p : step.points) {
        out += std::to_string(p.index);
        if (scenarios) out += "," + csv_field(p.scenario);
        if (policies) out += "," + std::to_string(p.policy);
        for (const auto &v : p.values) out += "," + cell(v);
        out += "\n";
    }
    write_file_atomically(dir / "experiments.csv", out);
    if (!step.design.document.is_null()) write_file_atomically(dir / "design.json", step.design.document.dump(2) + "\n");
}

void write_outcomes(const std::filesystem::path &dir, const StepSpec &step, const std::vector<PointState> &points) {
    const auto names = scalar_outcome_names(*step.outcomes);
    std::string out = "point,status";
    for (const auto &n : names) out += "," + csv_field(n);
    out += ",problem,error\n";
    for (size_t i = 0; i < points.size(); ++i) {
        const PointState &p = points[i];
        out += std::to_string(i) + "," + (!p.recorded ? "missing" : p.ok ? "ok" : "failed");
        for (size_t c = 0; c < names.size(); ++c)
            out += "," + (p.ok && c < p.outcomes.size() ? number_text(p.outcomes[c], true) : std::string());
        out += "," + csv_field(p.problem) + "," + csv_field(p.error) + "\n";
    }
    write_file_atomically(dir / "outcomes.csv", out);
}

SeriesWriter::SeriesWriter(const std::filesystem::path &file, const std::vector<std::string> &names) : path_(file) {
    std::error_code ec;
    const bool fresh = !std::filesystem::exists(file, ec) || std::filesystem::file_size(file, ec) == 0;
    file_ = std::fopen(file.c_str(), "ab");
    if (!file_) throw std::runtime_error(file.string() + ": cannot be opened (" + std::strerror(errno) + ")");
    if (fresh) {
        std::string header = "point,time";
        for (const auto &n : names) header += "," + csv_field(n);
        header += "\n";
        std::fputs(header.c_str(), file_);
    }
}

SeriesWriter::~SeriesWriter() {
    if (file_) std::fclose(file_);
}

void SeriesWriter::add(size_t point, const std::vector<double> &time, const std::vector<std::vector<double>> &series) {
    std::string rows;
    for (size_t r = 0; r < time.size(); ++r) {
        rows += std::to_string(point) + "," + number_text(time[r], true);
        for (const auto &s : series) rows += "," + (r < s.size() ? number_text(s[r], true) : std::string());
        rows += "\n";
    }
    if (std::fwrite(rows.data(), 1, rows.size(), file_) != rows.size())
        throw std::runtime_error(path_.string() + ": write failed (" + std::strerror(errno) + ")");
}

void SeriesWriter::flush() {
    if (std::fflush(file_) != 0) throw std::runtime_error(path_.string() + ": write failed (" + std::strerror(errno) + ")");
}

} // namespace holon::batch
