// The reports written when the runs are done: summary tables, plots, results.json, index.html.
#include "batch/files.hpp"
#include "batch/outcome_plots.hpp"
#include "batch/outcome_tables.hpp"
#include "batch/plots.hpp"
#include "batch/report_explore.hpp"
#include "batch/report_text.hpp"
#include "batch/warm_gnuplot.hpp"
#include "batch/run_state.hpp"
#include "batch/statistics.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>
#include <thread>

namespace holon::batch {
namespace {

// The statistic columns of a step: every variable any successful point has, in first-seen order.
std::vector<std::string> stat_columns(const StepState &st) {
    std::vector<std::string> cols;
    for (const auto &p : st.points)
        for (const auto &c : p.columns)
            if (std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
    return cols;
}

std::filesystem::path step_dir(const BatchOptions &options, const StepSpec &step) { return options.out_dir / "steps" / step.name; }

void write_summary(const StepState &st, const BatchOptions &options) {
    const StepSpec &step = *st.spec;
    const auto cols = stat_columns(st);
    const bool scenarios = step.sweep == SweepKind::scenarios;
    std::ostringstream out;
    out << "point";
    if (scenarios) out << ",scenario";
    for (const auto &a : step.axes) out << ',' << csv_field(a);
    out << ",status";
    for (const auto &c : cols)
        for (const auto &s : statistic_names()) out << ',' << csv_field(c + "." + s);
    out << ",problem,error\n";
    for (size_t i = 0; i < st.points.size(); ++i) {
        const PointState &p = st.points[i];
        out << point_id(i, st.points.size());
        if (scenarios) out << ',' << csv_field(step.points[i].scenario);
        for (size_t d = 0; d < step.axes.size(); ++d) out << ',' << csv_field(value_text(step.points[i].values[d]));
        out << ',' << (!p.recorded ? (st.skipped.empty() ? "missing" : "skipped") : p.ok ? "ok" : "failed");
        for (const auto &c : cols) {
            auto it = p.stats.find(c);
            for (const auto &s : statistic_names())
                out << ',' << (it == p.stats.end() ? std::string() : number_text(statistic(it->second, s), true));
        }
        const std::string error = !p.recorded && !st.skipped.empty() ? st.skipped : p.error;
        out << ',' << csv_field(p.problem) << ',' << csv_field(error) << '\n';
    }
    std::filesystem::create_directories(step_dir(options, step));
    write_file_atomically(step_dir(options, step) / "summary.csv", out.str());
}

// Series of points an earlier invocation ran come back from their CSV files.
void load_reused_series(StepState &st, const BatchOptions &options, std::vector<std::string> &warnings) {
    const StepSpec &step = *st.spec;
    if (st.plot_variables.empty()) {
        for (const auto &p : st.points) {
            if (!p.ok || !p.recorded) continue;
            if (!step.outputs.plots.empty()) st.plot_variables = step.outputs.plots;
            else
                for (size_t k = 0; k < p.columns.size() && k < 8; ++k) st.plot_variables.push_back(p.columns[k]);
            break;
        }
    }
    if (!step.outputs.tables) return;
    for (size_t i = 0; i < st.points.size(); ++i) {
        const PointState &p = st.points[i];
        if (!p.ok || !p.recorded || p.table.empty()) continue;
        bool missing = false;
        for (const auto &v : st.plot_variables) {
            auto &runs = st.series[v];
            runs.resize(st.points.size());
            if (runs[i].empty()) missing = true;
        }
        if (!missing) continue;
        const auto file = step_dir(options, step) / "runs" / point_id(i, st.points.size()) / (file_stem(p.table) + ".csv");
        try {
            const auto table = read_table_csv(file);
            const auto t = find_column(table.columns, step.outputs.time);
            if (t && st.time.empty()) st.time = table.values[*t];
            for (const auto &v : st.plot_variables)
                if (auto c = find_column(table.columns, v)) st.series[v][i] = table.values[*c];
        } catch (const std::exception &e) {
            warnings.push_back(std::string("plot data of ") + step.name + " " + point_id(i, st.points.size()) + ": " + e.what());
        }
    }
}

// One line of a CSV file as fields (RFC 4180 quotes).
std::vector<std::string> csv_fields(const std::string &line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') fields.back() += line[++i];
        else if (c == '"') quoted = !quoted;
        else if (c == ',' && !quoted) fields.emplace_back();
        else if (c != '\r') fields.back() += c;
    }
    return fields;
}

// Display names and units of the step's columns from <table>.columns.csv ("column,label,units"),
// which the runner writes once per step when the method gave them.
void load_column_metadata(StepState &st, const BatchOptions &options) {
    const StepSpec &step = *st.spec;
    auto first = std::find_if(st.points.begin(), st.points.end(), [](const PointState &p) { return p.ok && p.recorded && !p.table.empty(); });
    if (first == st.points.end()) return;
    std::ifstream in(step_dir(options, step) / (file_stem(first->table) + ".columns.csv"));
    std::string line;
    if (!in || !std::getline(in, line)) return; // the header
    while (std::getline(in, line)) {
        const auto f = csv_fields(line);
        if (f.size() < 3 || f[0].empty()) continue;
        if (!f[1].empty()) st.labels[f[0]] = f[1];
        if (!f[2].empty()) st.units[f[0]] = f[2];
    }
}

// A run in a plot key: the scenario name, else its swept values ("contact_infectivity=0.2, duration=4").
std::string run_label(const StepSpec &step, size_t index) {
    const Point &p = step.points[index];
    if (!p.scenario.empty() || step.axes.empty()) return point_label(step, index);
    std::string label;
    for (size_t d = 0; d < step.axes.size(); ++d) {
        const std::string &path = step.axes[d];
        label += (d ? ", " : "") + path.substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1) + "=" +
                 value_text(p.values[d]);
    }
    return label;
}

// A plot to draw and where its file goes in the report when gnuplot succeeds.
struct PendingPlot {
    StepState *step;
    std::string name;      // "<step>/<variable>"
    std::string svg_file;  // relative to the output folder
    PreparedPlot prepared;
    std::string problem;   // filled by draw_all
};

// Writes every plot's data and script; the drawing is left to draw_all.
std::vector<PendingPlot> prepare_plots(const BatchSpec &spec, StepState &st, const BatchOptions &options,
                                       std::vector<std::string> &warnings, const std::function<void(const std::string &)> &note) {
    const StepSpec &step = *st.spec;
    load_reused_series(st, options, warnings);
    const auto dir = step_dir(options, step) / "plots";
    std::vector<PendingPlot> pending;
    const auto colour = colour_axis(step);
    for (const auto &var : st.plot_variables) {
        PlotRequest r;
        r.dir = dir;
        r.stem = file_stem(var);
        r.time = st.time;
        r.x_label = label_of(st, step.outputs.time);
        r.x_units = units_of(st, step.outputs.time);
        r.y_label = label_of(st, var);
        r.y_units = units_of(st, var);
        r.sampled = sampled_sweep(step.sweep);
        if (colour) {
            // A swept model constant is often a column of the table too, with its units.
            r.colour_label = short_name(step.axes[*colour]);
            r.colour_units = units_of(st, r.colour_label);
        }
        auto &runs = st.series[var];
        runs.resize(st.points.size());
        for (size_t i = 0; i < runs.size(); ++i) {
            if (!st.points[i].ok || runs[i].empty()) continue;
            r.runs.push_back(&runs[i]);
            r.run_labels.push_back(run_label(step, i));
            const nlohmann::json &values = step.points[i].values;
            if (colour) {
                const auto &v = values.at(*colour);
                r.colour_values.push_back(v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN());
            }
            // Small multiples: sampled runs get a panel per policy (their levers' values), so that no
            // envelope spans two policies; a grid or factorial design a panel per combination of the
            // swept values other than the colour.
            const std::string kind = to_string(step.sweep);
            const bool levers = step.design.policies > 1 && step.design.uncertainties < step.axes.size();
            if (r.sampled ? levers : (kind == "grid" || kind == "factorial") && step.axes.size() > 1) {
                std::string panel;
                for (size_t d = r.sampled ? step.design.uncertainties : 0; d < step.axes.size(); ++d)
                    if (r.sampled || !colour || d != *colour) {
                        const std::string name = short_name(step.axes[d]), units = units_of(st, name);
                        panel += (panel.empty() ? "" : ", ") + name + " = " + shown_value(values.at(d)) + (units.empty() ? "" : " " + units);
                    }
                r.panels.push_back(panel);
            }
        }
        if (r.runs.empty()) continue;
        const std::string n = std::to_string(r.runs.size());
        r.title = spec.name + " - " + step.name + ": " + r.y_label +
                  (r.runs.size() == 1 ? std::string()
                   : r.sampled      ? ", spread of " + n + " " + sample_name(step.sweep) + " runs"
                                    : ", " + n + " runs");
        std::filesystem::create_directories(dir);
        note("plotting " + step.name + "/" + var);
        PendingPlot p{&st, step.name + "/" + var, "steps/" + step.name + "/plots/" + r.stem + ".svg", {}, {}};
        if (r.time.empty()) {
            p.problem = "no successful run to plot";
            warnings.push_back("plot of " + p.name + ": " + p.problem);
            continue;
        }
        p.prepared = prepare_plot(r);
        pending.push_back(std::move(p));
    }
    if (step.outcomes)
        for (auto &o : prepare_outcome_plots(spec.name, st, options.out_dir, warnings)) {
            note("plotting " + o.name);
            pending.push_back(PendingPlot{&st, std::move(o.name), std::move(o.svg_file), std::move(o.prepared), {}});
        }
    return pending;
}

// Draws the plots with up to `lanes` gnuplot processes at a time. With room to spare, a plot's
// SVG and PNG are drawn by two processes at once.
void draw_all(std::vector<PendingPlot> &plots, const std::string &gnuplot, unsigned lanes, GnuplotPool *warm) {
    const bool split = split_plots(plots.size(), lanes);
    const size_t threads = std::min<size_t>(split ? plots.size() : lanes, plots.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t k = next.fetch_add(1); k < plots.size(); k = next.fetch_add(1)) {
            try {
                plots[k].problem = draw_plot(plots[k].prepared, gnuplot, split, warm);
            } catch (const std::exception &e) {
                plots[k].problem = e.what();
            }
        }
    };
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto &t : pool) t.join();
}

std::string results_json_text(const BatchSpec &spec, const std::vector<StepState> &steps, const BatchReport &report) {
    nlohmann::json out{{"job", spec.name}, {"document_hash", spec.hash}, {"total", report.progress.total},
                       {"succeeded", report.progress.succeeded}, {"failed", report.progress.failed},
                       {"complete", report.progress.done == report.progress.total}};
    nlohmann::json list = nlohmann::json::array();
    for (const auto &st : steps) {
        const StepSpec &step = *st.spec;
        nlohmann::json s{{"name", step.name}, {"method", step.method}, {"sweep", to_string(step.sweep)}, {"parameters", step.axes}};
        if (!st.skipped.empty()) s["skipped"] = st.skipped;
        nlohmann::json points = nlohmann::json::array();
        for (size_t i = 0; i < st.points.size(); ++i) {
            const PointState &p = st.points[i];
            nlohmann::json values = nlohmann::json::object();
            for (size_t d = 0; d < step.axes.size(); ++d) values[step.axes[d]] = step.points[i].values[d];
            nlohmann::json j{{"id", point_id(i, st.points.size())}, {"values", values},
                             {"status", !p.recorded ? "missing" : p.ok ? "ok" : "failed"}};
            if (!step.points[i].scenario.empty()) j["scenario"] = step.points[i].scenario;
            if (p.recorded) {
                j["wall_seconds"] = p.wall_seconds;
                if (p.ok) {
                    nlohmann::json stats = nlohmann::json::object();
                    for (const auto &[k, v] : p.stats) {
                        nlohmann::json one = nlohmann::json::object();
                        for (const auto &n : statistic_names()) {
                            const double x = statistic(v, n);
                            one[n] = std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
                        }
                        stats[k] = one;
                    }
                    j["stats"] = stats;
                    j["result"] = p.result;
                } else {
                    j["problem"] = p.problem;
                    j["error"] = p.error;
                }
            }
            points.push_back(std::move(j));
        }
        s["points"] = std::move(points);
        s["plots"] = st.plot_files;
        list.push_back(std::move(s));
    }
    out["steps"] = std::move(list);
    return out.dump(2) + "\n";
}

// An SVG file as an element of the report: its XML prolog dropped and its ids (gnuplot uses the
// same ones in every picture) prefixed, so that several pictures live in one page. "" if unreadable.
std::string inline_svg(const std::filesystem::path &file, const std::string &prefix) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    std::ostringstream buf;
    buf << in.rdbuf();
    std::string text = buf.str();
    const auto start = text.find("<svg");
    if (start == std::string::npos) return {};
    text.erase(0, start);
    std::string out;
    out.reserve(text.size() + text.size() / 50);
    static const std::vector<std::string> marks{" id='", " id=\"", "href='#", "href=\"#", "url(#"};
    for (size_t i = 0; i < text.size();) {
        bool hit = false;
        for (const auto &m : marks)
            if (text.compare(i, m.size(), m) == 0) {
                out += m + prefix;
                i += m.size();
                hit = true;
                break;
            }
        if (!hit) out += text[i++];
    }
    return out;
}

// A single-run explore.* step that ran: the report shows its pictures and key numbers instead of
// a summary row.
bool explore_step(const StepState &st) {
    return st.spec->method.rfind("explore.", 0) == 0 && st.points.size() == 1 && st.points.front().recorded && st.points.front().ok;
}

// Policies of the step whose tables an analysis read, by their lever values.
PolicyNamer policy_namer(const std::vector<StepState> &steps, const StepSpec &step) {
    auto from = std::find_if(steps.begin(), steps.end(), [&](const StepState &s) { return s.spec->name == step.tables_from; });
    if (from == steps.end()) return {};
    const StepSpec *source = from->spec;
    return [source](size_t policy) {
        for (const auto &p : source->points) {
            if (p.policy != policy) continue;
            std::string name;
            for (size_t d = source->design.uncertainties; d < source->axes.size() && d < p.values.size(); ++d)
                name += (name.empty() ? "" : ", ") + short_name(source->axes[d]) + " = " + shown_value(p.values[d]);
            if (!name.empty()) return name;
        }
        return std::to_string(policy);
    };
}

// The units of the columns of the step whose tables an analysis read (its outcomes, its swept
// model constants by name).
UnitsOf units_from(const std::vector<StepState> &steps, const StepSpec &step) {
    auto from = std::find_if(steps.begin(), steps.end(), [&](const StepState &s) { return s.spec->name == step.tables_from; });
    if (from == steps.end()) return {};
    const StepState *source = &*from;
    return [source](const std::string &column) { return units_of(*source, column); };
}

// The first rows of a step with outcomes: each point's inputs and scalar outcomes.
std::string outcome_rows(const StepState &st, const std::string &dir) {
    const StepSpec &step = *st.spec;
    const auto names = scalar_outcome_names(*step.outcomes);
    std::ostringstream h;
    h << "<table><tr><th>point</th>";
    for (const auto &a : step.axes)
        h << "<th title=\"" << html(a) << "\">" << html(with_units(short_name(a), units_of(st, short_name(a)))) << "</th>";
    h << "<th>status</th>";
    for (const auto &n : names) h << "<th>" << html(with_units(n, units_of(st, n))) << "</th>";
    h << "</tr>\n";
    const size_t shown = std::min<size_t>(st.points.size(), 50);
    for (size_t i = 0; i < shown; ++i) {
        const auto &p = st.points[i];
        h << "<tr><td>" << html(point_label(step, i)) << "</td>";
        for (size_t d = 0; d < step.axes.size(); ++d) h << "<td>" << html(shown_value(step.points[i].values[d])) << "</td>";
        h << "<td class=\"text\">" << (!p.recorded ? "missing" : p.ok ? "ok" : "failed") << "</td>";
        for (size_t k = 0; k < names.size(); ++k) h << "<td>" << (p.ok && k < p.outcomes.size() ? rounded_text(p.outcomes[k]) : "") << "</td>";
        h << "</tr>\n";
    }
    h << "</table>\n";
    if (shown < st.points.size())
        h << "<p>" << (st.points.size() - shown) << " more rows in <code>" << html(dir) << "/experiments.csv</code> and <code>" << html(dir)
          << "/outcomes.csv</code>.</p>\n";
    return h.str();
}

void write_index(const BatchSpec &spec, const std::vector<StepState> &steps, const BatchOptions &options, const BatchReport &report) {
    const auto &pr = report.progress;
    std::ostringstream h;
    // One file that reads the same opened from a download, an e-mail or through the REST API:
    // pictures inline, no link to a file beside it (the files are named, for the folder or archive).
    h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << html(spec.name)
      << "</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222;line-height:1.4}"
         "table{border-collapse:collapse;font-size:90%;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
         "th{background:#eef}td.text{text-align:left}.failed{color:#a00}.ok{color:#070}"
         "figure{margin:1em 0}figure svg{max-width:100%;height:auto;display:block}figcaption{color:#555;font-size:90%}"
         "code{background:#f4f4f4;padding:0 3px}caption{text-align:left;color:#555;padding:2px 0}table.indices th{text-align:left}table.indices caption{white-space:nowrap}</style></head><body>\n";
    h << "<h1>" << html(spec.name) << "</h1>\n";
    if (!spec.description.empty()) h << "<p>" << html(spec.description) << "</p>\n";
    h << "<p>" << pr.total << " points: <span class=\"ok\">" << pr.succeeded << " succeeded</span>, <span class=\"failed\">"
      << pr.failed << " failed</span>";
    if (pr.done < pr.total) h << ", " << (pr.total - pr.done) << " not run";
    h << ". Numbers here are rounded to 4 significant digits; the files in the batch's folder keep every digit: "
         "<code>results.json</code> (every point's params, statistics and result), and per step "
         "<code>summary.csv</code>, each run's tables and the plots as SVG and PNG with their gnuplot scripts.</p>\n";
    size_t figure = 0;
    for (const auto &st : steps) {
        const StepSpec &step = *st.spec;
        const std::string dir = "steps/" + step.name;
        h << "<h2>" << html(step.name) << "</h2>\n<p>Method <code>" << html(step.method) << "</code>";
        if (step.sweep != SweepKind::none) {
            h << ", " << html(std::string(to_string(step.sweep))) << " sweep of " << st.points.size() << " points over ";
            for (size_t d = 0; d < step.axes.size(); ++d) {
                double lo = std::numeric_limits<double>::infinity(), hi = -lo;
                for (const auto &p : step.points)
                    if (p.values.at(d).is_number()) {
                        lo = std::min(lo, p.values.at(d).get<double>());
                        hi = std::max(hi, p.values.at(d).get<double>());
                    }
                h << (d ? ", " : "") << "<span title=\"" << html(step.axes[d]) << "\">" << html(short_name(step.axes[d])) << "</span>";
                const std::string units = units_of(st, short_name(step.axes[d]));
                if (lo < hi) h << " " << rounded_text(lo) << " to " << rounded_text(hi);
                else if (lo == hi) h << " " << rounded_text(lo);
                if (lo <= hi && !units.empty()) h << " " << html(units);
            }
        }
        if (step.outcomes)
            h << ". Files: <code>" << html(dir) << "/experiments.csv</code>, <code>" << html(dir) << "/outcomes.csv</code>"
              << (series_outcome_names(*step.outcomes).empty() ? "" : ", <code>" + html(dir) + "/series.csv</code>") << ".</p>\n";
        else
            h << ". Files: <code>" << html(dir) << "/summary.csv</code>, runs in <code>" << html(dir) << "/runs/</code>.</p>\n";
        if (!st.skipped.empty()) h << "<p class=\"failed\">Skipped: " << html(st.skipped) << "</p>\n";
        for (const auto &f : st.plot_files) {
            const std::string svg = inline_svg(options.out_dir / f, "figure" + std::to_string(++figure) + '-');
            if (svg.empty()) continue;
            h << "<figure>" << svg << "<figcaption>" << html(f) << " (PNG and gnuplot script beside it)</figcaption></figure>\n";
        }
        if (explore_step(st)) {
            // An analysis of an earlier step's tables: its pictures and its key numbers.
            const std::string run = dir + "/runs/" + point_id(0, 1);
            for (const auto &file : run_pictures(options.out_dir / run)) {
                const std::string svg = inline_svg(file, "figure" + std::to_string(++figure) + '-');
                if (svg.empty()) continue;
                const std::string name = run + "/" + file.filename().string();
                h << "<figure>" << svg << "<figcaption>" << html(name) << " (PNG beside it)</figcaption></figure>\n";
            }
            h << explore_tables(step.method, st.points.front().result, policy_namer(steps, step), units_from(steps, step))
              << "<p>Every digit in <code>" << html(run) << "/result.json</code>.</p>\n";
            continue;
        }
        std::vector<size_t> failed;
        for (size_t i = 0; i < st.points.size(); ++i)
            if (st.points[i].recorded && !st.points[i].ok) failed.push_back(i);
        if (!failed.empty()) {
            h << "<h3 class=\"failed\">" << failed.size() << " failed points</h3>\n<table><tr><th>point</th><th>problem</th><th>error</th></tr>\n";
            for (size_t k = 0; k < failed.size() && k < 200; ++k) {
                const auto &p = st.points[failed[k]];
                h << "<tr><td>" << html(point_label(step, failed[k])) << "</td><td>" << html(p.problem)
                  << "</td><td class=\"text\">" << html(p.error) << "</td></tr>\n";
            }
            h << "</table>\n";
        }
        if (step.outcomes) {
            h << outcome_rows(st, dir);
            continue;
        }
        // The first rows of the summary, so that small sweeps read without opening the CSV.
        const auto cols = stat_columns(st);
        const std::string time_units = units_of(st, step.outputs.time);
        h << "<table><tr><th>point</th>";
        for (const auto &a : step.axes)
            h << "<th title=\"" << html(a) << "\">" << html(with_units(short_name(a), units_of(st, short_name(a)))) << "</th>";
        for (const auto &c : cols) {
            const std::string units = units_of(st, c);
            const std::string name = label_of(st, c);
            h << "<th>" << html(with_units(name + " final", units)) << "</th><th>" << html(with_units(name + " max", units))
              << "</th><th>" << html(with_units(name + " peak time", time_units)) << "</th>";
        }
        h << "</tr>\n";
        const size_t shown = std::min<size_t>(st.points.size(), 50);
        for (size_t i = 0; i < shown; ++i) {
            const auto &p = st.points[i];
            h << "<tr><td>" << html(point_label(step, i)) << "</td>";
            for (size_t d = 0; d < step.axes.size(); ++d) h << "<td>" << html(shown_value(step.points[i].values[d])) << "</td>";
            for (const auto &c : cols) {
                auto it = p.stats.find(c);
                if (it == p.stats.end()) {
                    h << "<td></td><td></td><td></td>";
                    continue;
                }
                h << "<td>" << rounded_text(it->second.final) << "</td><td>" << rounded_text(it->second.max) << "</td><td>"
                  << rounded_text(it->second.peak_time) << "</td>";
            }
            h << "</tr>\n";
        }
        h << "</table>\n";
        if (shown < st.points.size()) h << "<p>" << (st.points.size() - shown) << " more rows in <code>" << html(dir) << "/summary.csv</code>.</p>\n";
    }
    if (!report.warnings.empty()) {
        h << "<h2>Warnings</h2><ul>\n";
        for (const auto &w : report.warnings) h << "<li>" << html(w) << "</li>\n";
        h << "</ul>\n";
    }
    h << "</body></html>\n";
    write_file_atomically(options.out_dir / "index.html", h.str());
}

} // namespace

bool split_plots(size_t plots, unsigned lanes) { return lanes > 1 && 2 * plots <= lanes; }

size_t warm_gnuplot_processes(size_t plots, unsigned lanes) {
    return std::min<size_t>(plots, std::max(1u, lanes));
}

void write_reports(const BatchSpec &spec, std::vector<StepState> &steps, const BatchOptions &options, BatchReport &report,
                   const std::function<void(const std::string &)> &note, GnuplotPool *warm) {
    note("writing the summary tables");
    for (auto &st : steps) {
        write_summary(st, options);
        load_column_metadata(st, options);
    }
    std::vector<PendingPlot> plots;
    if (options.plots)
        for (auto &st : steps) {
            auto step_plots = prepare_plots(spec, st, options, report.warnings, note);
            std::move(step_plots.begin(), step_plots.end(), std::back_inserter(plots));
        }
    const unsigned lanes = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    // results.json names the plots that were drawn. With more than one job, gnuplot draws while
    // results.json is rendered on the assumption that every plot succeeds (rendered again if not).
    auto list_plot_files = [&](bool only_drawn) {
        for (auto &st : steps) st.plot_files.clear();
        for (const auto &p : plots)
            if (!only_drawn || p.problem.empty()) p.step->plot_files.push_back(p.svg_file);
    };
    std::string results;
    if (lanes > 1 && !plots.empty()) {
        std::thread drawing([&] { draw_all(plots, options.gnuplot, lanes, warm); });
        list_plot_files(false); // reads no problem field: those are written by the drawing thread
        results = results_json_text(spec, steps, report);
        drawing.join();
    } else {
        draw_all(plots, options.gnuplot, 1, warm);
    }
    const bool all_drawn = std::all_of(plots.begin(), plots.end(), [](const PendingPlot &p) { return p.problem.empty(); });
    for (const auto &p : plots)
        if (!p.problem.empty()) report.warnings.push_back("plot of " + p.name + ": " + p.problem);
    list_plot_files(true);
    if (results.empty() || !all_drawn) results = results_json_text(spec, steps, report);
    for (const auto &w : report.warnings) note("warning: " + w);
    write_file_atomically(options.out_dir / "results.json", results);
    write_index(spec, steps, options, report);
    report.index_html = options.out_dir / "index.html";
}

} // namespace holon::batch
