#include "batch/outcome_plots.hpp"

#include "batch/outcome_tables.hpp"
#include "batch/report_text.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>

namespace holon::batch {

size_t histogram_bins(size_t n) {
    return std::clamp<size_t>(static_cast<size_t>(std::ceil(std::sqrt(static_cast<double>(n)))), 5, 40);
}

Bins bin_values(const std::vector<double> &values, size_t bins) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double v : values)
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    Bins b;
    b.counts.assign(std::max<size_t>(1, bins), 0);
    if (!(lo <= hi)) return b;
    if (lo == hi) {
        b.width = lo == 0 ? 1 : std::fabs(lo) * 0.1;
        b.lo = lo - b.width * static_cast<double>(b.counts.size()) / 2;
    } else {
        b.lo = lo;
        b.width = (hi - lo) / static_cast<double>(b.counts.size());
    }
    for (double v : values)
        if (std::isfinite(v)) ++b.counts[bin_of(b, v)];
    return b;
}

size_t bin_of(const Bins &b, double v) {
    const double k = std::floor((v - b.lo) / b.width);
    if (!(k > 0)) return 0;
    return std::min(b.counts.size() - 1, static_cast<size_t>(k));
}

OutcomePlotRequest::Scatter outcome_scatter(const std::vector<double> &input, const std::vector<double> &outcome) {
    OutcomePlotRequest::Scatter s;
    std::vector<double> xs, ys;
    for (size_t i = 0; i < input.size() && i < outcome.size(); ++i)
        if (std::isfinite(input[i]) && std::isfinite(outcome[i])) {
            xs.push_back(input[i]);
            ys.push_back(outcome[i]);
        }
    if (xs.size() <= max_scatter_points) {
        for (size_t i = 0; i < xs.size(); ++i) s.points.emplace_back(xs[i], ys[i]);
        return s;
    }
    s.x = bin_values(xs, scatter_cells_x);
    s.y = bin_values(ys, scatter_cells_y);
    std::vector<size_t> grid(scatter_cells_x * scatter_cells_y, 0);
    for (size_t i = 0; i < xs.size(); ++i) ++grid[bin_of(s.x, xs[i]) * scatter_cells_y + bin_of(s.y, ys[i])];
    for (size_t x = 0; x < scatter_cells_x; ++x)
        for (size_t y = 0; y < scatter_cells_y; ++y)
            if (grid[x * scatter_cells_y + y]) s.cells.push_back({x, y, grid[x * scatter_cells_y + y]});
    return s;
}

namespace {

// The inputs an outcome is drawn against: a design's uncertainties (not its levers), else every
// swept input with numbers; at most max_scatter_inputs.
std::vector<size_t> scatter_inputs(const StepSpec &step) {
    const size_t axes = step.design.uncertainties > 0 ? step.design.uncertainties : step.axes.size();
    std::vector<size_t> out;
    for (size_t d = 0; d < axes && out.size() < max_scatter_inputs; ++d)
        if (std::any_of(step.points.begin(), step.points.end(), [&](const Point &p) { return p.values.at(d).is_number(); })) out.push_back(d);
    return out;
}

double number_at(const Point &p, size_t d) {
    const auto &v = p.values.at(d);
    return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

// Each policy of a design with levers by its lever values: "contact_infectivity = 0.25".
std::vector<std::string> policy_names(const StepSpec &step) {
    std::vector<std::string> names(step.design.policies);
    for (const auto &p : step.points) {
        if (p.policy >= names.size() || !names[p.policy].empty()) continue;
        for (size_t d = step.design.uncertainties; d < step.axes.size(); ++d)
            names[p.policy] += (names[p.policy].empty() ? "" : ", ") + short_name(step.axes[d]) + " = " + shown_value(p.values.at(d));
    }
    for (size_t k = 0; k < names.size(); ++k)
        if (names[k].empty()) names[k] = "policy " + std::to_string(k);
    return names;
}

void add_distribution_plots(const std::string &job_name, const StepState &st, const std::filesystem::path &dir, std::vector<StepPlot> &plots) {
    const StepSpec &step = *st.spec;
    const auto names = scalar_outcome_names(*step.outcomes);
    const auto inputs = scatter_inputs(step);
    for (size_t k = 0; k < names.size(); ++k) {
        std::vector<double> values;
        std::vector<const Point *> points;
        for (size_t i = 0; i < st.points.size(); ++i)
            if (st.points[i].ok && k < st.points[i].outcomes.size() && std::isfinite(st.points[i].outcomes[k])) {
                values.push_back(st.points[i].outcomes[k]);
                points.push_back(&step.points[i]);
            }
        if (values.empty()) continue; // a threshold never crossed, every point failed: nothing to draw
        OutcomePlotRequest r;
        r.dir = dir;
        r.stem = file_stem(names[k]) + "-distribution";
        r.label = names[k];
        r.units = units_of(st, names[k]);
        r.histogram = bin_values(values, histogram_bins(values.size()));
        const bool grouped = step.design.policies >= 2 && step.design.policies <= max_panels;
        if (grouped) {
            r.groups = policy_names(step);
            r.group_counts.assign(r.groups.size(), std::vector<size_t>(r.histogram.counts.size(), 0));
            for (size_t i = 0; i < values.size(); ++i)
                if (points[i]->policy < r.groups.size()) ++r.group_counts[points[i]->policy][bin_of(r.histogram, values[i])];
        }
        for (size_t d : inputs) {
            std::vector<double> x;
            for (const Point *p : points) x.push_back(number_at(*p, d));
            auto s = outcome_scatter(x, values);
            if (grouped && !s.points.empty()) {
                // outcome_scatter keeps the points whose input and outcome are numbers, in order.
                for (size_t i = 0; i < points.size(); ++i)
                    if (std::isfinite(x[i])) s.point_groups.push_back(points[i]->policy);
            }
            s.x_label = short_name(step.axes[d]);
            s.x_units = units_of(st, s.x_label);
            r.scatter.push_back(std::move(s));
        }
        const size_t without = st.points.size() - values.size();
        r.title = job_name + " - " + step.name + ": " + names[k] + " over " + std::to_string(values.size()) + " runs" +
                  (without ? " (" + std::to_string(without) + " without a value)" : std::string());
        plots.push_back({step.name + "/" + names[k], "steps/" + step.name + "/plots/" + r.stem + ".svg", prepare_outcome_plot(r)});
    }
}

// The series of every `stride`-th point from series.csv (rows grouped by point).
struct SeriesSample {
    std::map<size_t, size_t> slot;                 // point -> index in the vectors below
    std::vector<std::vector<double>> time;         // per slot
    std::vector<std::vector<std::vector<double>>> values; // per slot, per series outcome
};

SeriesSample read_series(const std::filesystem::path &file, size_t columns, size_t stride) {
    SeriesSample s;
    std::ifstream in(file);
    std::string line;
    if (!std::getline(in, line)) return s; // the header
    size_t previous = std::numeric_limits<size_t>::max();
    while (std::getline(in, line)) {
        const auto comma = line.find(',');
        if (comma == std::string::npos) continue;
        const size_t point = std::strtoull(line.c_str(), nullptr, 10);
        if (point % stride != 0) continue;
        auto [it, fresh] = s.slot.try_emplace(point, s.time.size());
        if (fresh) {
            s.time.emplace_back();
            s.values.emplace_back(columns);
        } else if (point != previous) {
            // Written again by a resumed batch (its journal line was missing): the later rows count.
            s.time[it->second].clear();
            for (auto &v : s.values[it->second]) v.clear();
        }
        previous = point;
        const size_t k = it->second;
        size_t at = comma + 1;
        for (size_t c = 0; c <= columns; ++c) {
            const size_t end = std::min(line.find(',', at), line.size());
            const std::string cell = line.substr(at, end - at);
            const double v = cell.empty() ? std::numeric_limits<double>::quiet_NaN() : std::strtod(cell.c_str(), nullptr);
            (c == 0 ? s.time[k] : s.values[k][c - 1]).push_back(v);
            at = end + 1;
        }
    }
    return s;
}

void add_series_plots(const std::string &job_name, const StepState &st, const std::filesystem::path &dir, std::vector<StepPlot> &plots,
                      std::vector<std::string> &warnings) {
    const StepSpec &step = *st.spec;
    const auto names = series_outcome_names(*step.outcomes);
    const auto file = dir.parent_path() / "series.csv";
    if (names.empty() || !std::filesystem::exists(file)) return;
    const size_t stride = line_stride(st.points.size(), max_series_runs);
    SeriesSample sample;
    try {
        sample = read_series(file, names.size(), stride);
    } catch (const std::exception &e) {
        warnings.push_back("plot data of " + step.name + ": " + e.what());
        return;
    }
    const auto colour = colour_axis(step);
    const bool sampled = sampled_sweep(step.sweep);
    const bool levers = step.design.policies > 1 && step.design.uncertainties < step.axes.size();
    for (size_t k = 0; k < names.size(); ++k) {
        PlotRequest r;
        r.dir = dir;
        r.stem = file_stem(names[k]);
        r.x_label = step.outcomes->time;
        r.y_label = names[k];
        r.x_units = units_of(st, r.x_label);
        r.y_units = units_of(st, names[k]);
        r.sampled = sampled;
        r.colour_runs = true;
        r.max_lines = max_series_lines;
        if (colour) {
            r.colour_label = short_name(step.axes[*colour]);
            r.colour_units = units_of(st, r.colour_label);
        }
        for (const auto &[point, slot] : sample.slot) {
            if (point >= st.points.size() || !st.points[point].ok) continue;
            if (r.time.empty()) r.time = sample.time[slot];
            r.runs.push_back(&sample.values[slot][k]);
            r.run_labels.push_back(point_id(point, st.points.size()));
            if (colour) r.colour_values.push_back(number_at(step.points[point], *colour));
            if (sampled && levers) {
                std::string panel;
                for (size_t d = step.design.uncertainties; d < step.axes.size(); ++d)
                    panel += (panel.empty() ? "" : ", ") + short_name(step.axes[d]) + " = " + shown_value(step.points[point].values.at(d));
                r.panels.push_back(panel);
            }
        }
        if (r.runs.empty()) continue;
        const size_t n = r.runs.size(), drawn = (n + line_stride(n, r.max_lines) - 1) / line_stride(n, r.max_lines);
        r.title = job_name + " - " + step.name + ": " + names[k] + ", " +
                  (stride > 1 ? std::to_string(n) + " of " + std::to_string(st.points.size()) + " runs (every " + std::to_string(stride) + "th)"
                              : std::to_string(n) + " runs") +
                  (sampled && colour ? (drawn < n ? ", " + std::to_string(drawn) + " of them drawn" : std::string()) + ", coloured by " + r.colour_label : std::string());
        plots.push_back({step.name + "/" + names[k], "steps/" + step.name + "/plots/" + r.stem + ".svg", prepare_plot(r)});
    }
}

} // namespace

std::vector<StepPlot> prepare_outcome_plots(const std::string &job_name, const StepState &st, const std::filesystem::path &out_dir,
                                            std::vector<std::string> &warnings) {
    std::vector<StepPlot> plots;
    if (!st.spec->outcomes || !st.skipped.empty()) return plots;
    const auto dir = out_dir / "steps" / st.spec->name / "plots";
    std::filesystem::create_directories(dir);
    add_series_plots(job_name, st, dir, plots, warnings);
    add_distribution_plots(job_name, st, dir, plots);
    return plots;
}

} // namespace holon::batch
