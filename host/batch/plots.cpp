#include "batch/plots.hpp"

#include "batch/files.hpp"
#include "batch/statistics.hpp"
#include "batch/warm_gnuplot.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <limits>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

namespace holon::batch {
namespace {

std::string quoted(const std::string &s) { return gnuplot_quoted(s); }

std::string gp_number(double v) { return number_text(v); }

// The colour bar: plasma without its palest yellow, dark to light, readable on white.
constexpr const char *kPalette = "set palette defined (0 '#0d0887', 1 '#6a00a8', 2 '#b12a90', 3 '#e16462', 4 '#f89540')\n";
constexpr std::array<std::array<int, 3>, 5> kStops{{{13, 8, 135}, {106, 0, 168}, {177, 42, 144}, {225, 100, 98}, {248, 149, 64}}};

// The colour bar's colour at t in [0, 1].
std::string palette_at(double t) {
    const double x = std::clamp(t, 0.0, 1.0) * static_cast<double>(kStops.size() - 1);
    const size_t k = std::min(static_cast<size_t>(x), kStops.size() - 2);
    const double f = x - static_cast<double>(k);
    char buf[8];
    int rgb[3];
    for (size_t c = 0; c < 3; ++c) rgb[c] = static_cast<int>(std::lround(kStops[k][c] + f * (kStops[k + 1][c] - kStops[k][c])));
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    return buf;
}

// `n` bands of one colour each, from the dark end to the light one: band k covers [k, k+1] of
// the palette. (gnuplot's own `maxcolors` quantizes unevenly: three values showed four bands.)
std::string banded_palette(size_t n) {
    std::ostringstream g;
    g << "set palette defined (";
    for (size_t k = 0; k < n; ++k) {
        const std::string c = quoted(palette_at(n > 1 ? static_cast<double>(k) / static_cast<double>(n - 1) : 0));
        g << (k ? ", " : "") << k << ' ' << c << ", " << (k + 1) << ' ' << c;
    }
    g << ")\n";
    return g.str();
}

enum class Style { one_line, envelope, by_value, by_run };

// What a request turns into: how runs are coloured and which panel each is drawn in.
struct Layout {
    Style style = Style::one_line;
    std::vector<double> values;               // by_value: the distinct colour values, sorted
    bool discrete = false;                    // by_value: few evenly spaced values, one band each
    std::vector<std::string> panel_names;     // in first-seen order; empty = one panel
    std::vector<size_t> panel_of;             // per run
    std::vector<std::string> colours;         // by_run: per run
    bool overlay = false;                     // by_value of sampled runs: the envelope over them
    size_t stride = 1;                        // overlay: every stride-th run is drawn
    size_t blocks() const { return std::max<size_t>(1, panel_names.size()); }
    // Colours from a palette: each panel's runs are one plot element whose third column is the
    // run's colour value (a plot element per run makes gnuplot read the data file once per run).
    bool on_palette() const { return style == Style::by_value || (style == Style::by_run && colours.size() > max_key_entries); }
};

std::vector<double> distinct_sorted(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

bool evenly_spaced(const std::vector<double> &v) {
    if (v.size() < 3) return v.size() == 2;
    const double step = v[1] - v[0];
    for (size_t i = 2; i < v.size(); ++i)
        if (std::fabs((v[i] - v[i - 1]) - step) > 1e-6 * std::fabs(step)) return false;
    return true;
}

// Panels by PlotRequest::panels when there are 2 to max_panels of them.
void split_into_panels(const PlotRequest &r, Layout &l) {
    if (r.panels.size() != r.runs.size()) return;
    for (const auto &name : r.panels) {
        auto it = std::find(l.panel_names.begin(), l.panel_names.end(), name);
        l.panel_of.push_back(static_cast<size_t>(it - l.panel_names.begin()));
        if (it == l.panel_names.end()) l.panel_names.push_back(name);
    }
    if (l.panel_names.size() < 2 || l.panel_names.size() > max_panels) {
        l.panel_names.clear();
        l.panel_of.clear();
    }
}

Layout layout_of(const PlotRequest &r) {
    Layout l;
    if (r.runs.size() == 1) return l;
    const bool numeric = r.colour_values.size() == r.runs.size() &&
                         std::none_of(r.colour_values.begin(), r.colour_values.end(), [](double v) { return std::isnan(v); });
    if (numeric) l.values = distinct_sorted(r.colour_values);
    if (r.sampled && r.colour_runs && l.values.size() >= 2) {
        l.style = Style::by_value;
        l.overlay = true;
        l.stride = line_stride(r.runs.size(), r.max_lines);
        l.discrete = l.values.size() <= 10 && evenly_spaced(l.values);
        split_into_panels(r, l);
        if (l.panel_names.empty() && !r.panels.empty()) l.overlay = false; // too many policies for one envelope each
    } else if (r.sampled) {
        // One envelope per panel (a policy's runs): a spread across policies would mix choices.
        split_into_panels(r, l);
        l.style = l.panel_names.empty() && !r.panels.empty() ? Style::by_run : Style::envelope;
    } else if (l.values.size() >= 2) {
        l.style = Style::by_value;
        l.discrete = l.values.size() <= 10 && evenly_spaced(l.values);
        split_into_panels(r, l);
    } else {
        l.style = Style::by_run;
    }
    if (l.style == Style::by_run) l.colours = run_colours(r.runs.size());
    if (l.panel_of.empty()) l.panel_of.assign(r.runs.size(), 0);
    return l;
}

std::string run_label(const PlotRequest &r, size_t i) {
    return i < r.run_labels.size() ? r.run_labels[i] : "run " + std::to_string(i + 1);
}

// One data block per panel (all runs when there are no panels): time min p5 p25 median p75 p95 max.
void write_envelopes(std::ostringstream &out, const PlotRequest &r, const Layout &l) {
    for (size_t panel = 0; panel < l.blocks(); ++panel) {
        std::vector<const std::vector<double> *> runs;
        for (size_t k = 0; k < r.runs.size(); ++k)
            if (l.panel_of[k] == panel) runs.push_back(r.runs[k]);
        const Envelope e = envelope(r.time, runs);
        if (panel || l.overlay) out << "\n\n";
        if (!l.panel_names.empty()) out << "# " << l.panel_names[panel] << "\n";
        out << "# time min p5 p25 median p75 p95 max (" << e.runs << " runs)\n";
        for (size_t i = 0; i < e.time.size(); ++i)
            out << gp_number(e.time[i]) << ' ' << gp_number(e.min[i]) << ' ' << gp_number(e.p5[i]) << ' '
                << gp_number(e.p25[i]) << ' ' << gp_number(e.median[i]) << ' ' << gp_number(e.p75[i]) << ' '
                << gp_number(e.p95[i]) << ' ' << gp_number(e.max[i]) << '\n';
    }
}

void write_data(const PlotRequest &r, const Layout &l, const std::filesystem::path &dat) {
    std::ostringstream out;
    out << "# " << with_units(r.y_label, r.y_units) << " against " << with_units(r.x_label, r.x_units) << "\n";
    if (l.style == Style::envelope) {
        write_envelopes(out, r, l);
    } else if (l.on_palette()) {
        // One data block per panel (gnuplot "index p"), its runs separated by a blank line (which
        // ends a line), each with its label in a comment and its colour value in the third column.
        for (size_t panel = 0; panel < std::max<size_t>(1, l.panel_names.size()); ++panel) {
            if (panel) out << "\n\n";
            if (!l.panel_names.empty()) out << "# panel: " << l.panel_names[panel] << "\n";
            out << "# time value colour\n";
            bool first = true;
            for (size_t k = 0; k < r.runs.size(); ++k) {
                if (l.panel_of[k] != panel || k % l.stride != 0) continue;
                if (!first) out << "\n";
                first = false;
                const std::string colour = gp_number(l.style == Style::by_value ? r.colour_values[k] : static_cast<double>(k + 1));
                out << "# " << run_label(r, k) << "\n";
                const auto &run = *r.runs[k];
                for (size_t i = 0; i < r.time.size() && i < run.size(); ++i)
                    out << gp_number(r.time[i]) << ' ' << gp_number(run[i]) << ' ' << colour << '\n';
            }
        }
        if (l.overlay) write_envelopes(out, r, l);
    } else {
        // One data block per run (gnuplot "index k" is run k+1), its label in a comment line.
        for (size_t k = 0; k < r.runs.size(); ++k) {
            if (k) out << "\n\n";
            out << "# " << run_label(r, k) << "\n";
            const auto &run = *r.runs[k];
            for (size_t i = 0; i < r.time.size() && i < run.size(); ++i) out << gp_number(r.time[i]) << ' ' << gp_number(run[i]) << '\n';
        }
    }
    write_file_atomically(dat, out.str());
}

// The lowest and highest value of every run, for panels that share their y axis.
std::pair<double, double> value_range(const PlotRequest &r) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto *run : r.runs)
        for (double v : *run)
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
    if (!(lo <= hi)) return {0, 1};
    if (lo >= 0 && lo < 0.25 * hi) lo = 0; // counts and stocks read best from zero
    const double pad = hi > lo ? 0.05 * (hi - lo) : (hi != 0 ? 0.05 * std::fabs(hi) : 1);
    return {lo == 0 ? 0 : lo - pad, hi + pad};
}

std::string colour_bar(const PlotRequest &r, const Layout &l) {
    std::ostringstream g;
    g << "set cblabel " << quoted(with_units(r.colour_label, r.colour_units)) << " offset 1,0\n";
    if (l.style == Style::by_value) {
        double lo = l.values.front(), hi = l.values.back();
        if (l.discrete) {
            // One band of the bar per value, the value's tic in its middle.
            const double half = (l.values[1] - l.values[0]) / 2;
            lo -= half;
            hi += half;
            g << banded_palette(l.values.size()) << "set cbtics (";
            for (size_t i = 0; i < l.values.size(); ++i) g << (i ? ", " : "") << rounded_text(l.values[i], 10);
            g << ")\n";
        } else {
            g << kPalette << "set cbtics autofreq\n";
        }
        g << "set cbrange [" << rounded_text(lo, 12) << ":" << rounded_text(hi, 12) << "]\n";
    }
    return g.str();
}

// The plot command of one panel (all runs when there are no panels).
std::string plot_command(const PlotRequest &r, const Layout &l, size_t panel) {
    const std::string dat = quoted(r.stem + ".dat");
    std::ostringstream p;
    switch (l.style) {
    case Style::one_line:
        p << "plot " << dat << " index 0 using 1:2 with lines lw 2.5 lc rgb '#1f4e79' notitle\n";
        break;
    case Style::envelope:
        p << "plot " << dat << " index " << panel << " using 1:2:8 with filledcurves lc rgb '#deebf7' title 'min-max', \\\n"
          << "     '' index " << panel << " using 1:3:7 with filledcurves lc rgb '#9ecae1' title '5-95 %', \\\n"
          << "     '' index " << panel << " using 1:4:6 with filledcurves lc rgb '#4292c6' title '25-75 %', \\\n"
          << "     '' index " << panel << " using 1:5 with lines lw 3 lc rgb '#08306b' title 'median'\n";
        break;
    case Style::by_value:
    case Style::by_run: {
        if (l.on_palette()) {
            p << "plot " << dat << " index " << panel << " using 1:2:3 with lines lw " << (l.overlay ? "1.2" : "2") << " lc palette notitle";
            if (l.overlay) {
                // The envelope block of this panel follows the runs' blocks.
                const size_t e = l.blocks() + panel;
                p << ", \\\n     '' index " << e << " using 1:3 with lines lw 2 dt 2 lc rgb '#111111' title '5 % and 95 %', \\\n"
                  << "     '' index " << e << " using 1:7 with lines lw 2 dt 2 lc rgb '#111111' notitle, \\\n"
                  << "     '' index " << e << " using 1:5 with lines lw 3.5 lc rgb '#111111' title 'median'";
            }
            p << "\n";
            break;
        }
        bool first = true;
        for (size_t k = 0; k < r.runs.size(); ++k) {
            if (l.panel_of[k] != panel) continue;
            p << (first ? "plot " + dat : ", \\\n     ''") << " index " << k << " using 1:2 with lines lw 2 ";
            p << "lc rgb '" << l.colours[k] << "' title " << quoted(run_label(r, k));
            first = false;
        }
        p << "\n";
        break;
    }
    }
    return p.str();
}

// Everything drawn into one picture, after its terminal is set.
std::string drawing(const PlotRequest &r, const Layout &l) {
    std::ostringstream g;
    g << "reset\n"
      << "set encoding utf8\n"
      << "set xlabel " << quoted(with_units(r.x_label, r.x_units)) << "\n"
      << "set ylabel " << quoted(with_units(r.y_label, r.y_units)) << "\n"
      << "set grid back lt 1 lw 1 lc rgb '#e4e4e4'\n"
      << "set border 3 lc rgb '#444444'\nset tics nomirror\n"
      << "set style fill solid 1.0 noborder\n"
      << "set autoscale xfix\n";
    if (l.overlay) g << "set key top right reverse Left samplen 3 box opaque\n";
    else if (l.style == Style::one_line || l.style == Style::by_value) g << "unset key\n";
    else g << "set key below horizontal reverse Left maxcols " << (l.style == Style::envelope ? 4 : 3) << " samplen 2 spacing 1.1 width 1 height 1\n";
    if (l.style == Style::by_run && r.runs.size() > max_key_entries) {
        // Too many runs for a key: a colour bar numbered by run, named when few enough.
        g << (r.runs.size() <= 30 ? banded_palette(r.runs.size()) : std::string(kPalette))
          << "set cbrange [0.5:" << r.runs.size() << ".5]\nunset key\n";
        if (r.runs.size() <= 30) {
            g << "set cbtics (";
            for (size_t k = 0; k < r.runs.size(); ++k) g << (k ? ", " : "") << quoted(run_label(r, k)) << ' ' << (k + 1);
            g << ")\nset cblabel ''\n";
        } else {
            g << "set cblabel 'run (row of summary.csv)'\n";
        }
    }
    if (l.style == Style::by_value) g << colour_bar(r, l);
    if (l.panel_names.empty()) {
        if (l.style == Style::by_value || (l.style == Style::by_run && r.runs.size() > max_key_entries))
            // gnuplot's own colour bar is as wide as a tenth of the plot; this one is a slim strip.
            g << "set lmargin at screen 0.08\nset rmargin at screen 0.86\nset bmargin at screen 0.12\nset tmargin at screen 0.9\n"
              << "set colorbox user origin 0.885,0.12 size 0.02,0.78\n";
        g << "set title " << quoted(r.title) << "\n" << plot_command(r, l, 0);
        return g.str();
    }
    // Small multiples: panels side by side (two rows beyond three), one y range, one colour bar.
    const size_t n = l.panel_names.size(), cols = std::min<size_t>(n, 3), rows = (n + cols - 1) / cols;
    const double top = rows == 1 ? 0.86 : 0.9, bottom = rows == 1 ? 0.14 : 0.09;
    const auto [lo, hi] = value_range(r);
    g << "set yrange [" << rounded_text(lo, 6) << ":" << rounded_text(hi, 6) << "]\n"
      << "set multiplot layout " << rows << "," << cols << " title " << quoted(r.title)
      << " margins 0.08," << (l.style == Style::envelope ? "0.97," : "0.86,") << gp_number(bottom) << "," << gp_number(top) << " spacing 0.04," << (rows == 1 ? "0.08" : "0.12") << "\n";
    for (size_t k = 0; k < n; ++k) {
        const bool left = k % cols == 0, last = k + 1 == n;
        g << "set title " << quoted(l.panel_names[k]) << "\n";
        g << (left ? "set format y '% h'\nset ylabel " + quoted(with_units(r.y_label, r.y_units)) + "\n" : "set format y ''\nunset ylabel\n");
        if (l.style == Style::envelope || l.overlay) g << (last ? "set key inside top right reverse Left samplen 2\n" : "unset key\n");
        if (l.style != Style::envelope) {
            if (last) g << "set colorbox user origin 0.885," << gp_number(bottom) << " size 0.02," << gp_number(top - bottom) << "\n";
            else g << "unset colorbox\n";
        }
        g << plot_command(r, l, k);
    }
    g << "unset multiplot\n";
    return g.str();
}

// Taller for two rows of panels, or for a key below of more than two rows (its entries are
// estimated at 7.5 px a character), so that the plot itself keeps its height.
std::pair<int, int> picture_size(const PlotRequest &r, const Layout &l) {
    if (l.panel_names.size() > 3) return {960, 780};
    if (l.style != Style::by_run || r.runs.size() > max_key_entries) return {960, 540};
    size_t longest = 0;
    for (size_t k = 0; k < r.runs.size(); ++k) longest = std::max(longest, run_label(r, k).size());
    const size_t cols = std::clamp<size_t>(static_cast<size_t>(880.0 / (7.5 * static_cast<double>(longest) + 70)), 1, 3);
    const size_t rows = (r.runs.size() + cols - 1) / cols;
    return {960, 540 + 20 * static_cast<int>(rows > 2 ? rows - 2 : 0)};
}

// The script body after the `pictures` line: draws each picture named in `pictures`.
std::string script_body(const std::string &stem, std::pair<int, int> size, const std::string &drawn) {
    const auto [w, h] = size;
    std::ostringstream g;
    g << "do for [picture in pictures] {\n"
      << "  if (picture eq 'svg') {\n"
      << "    set terminal svg size " << w << "," << h << " dynamic rounded noenhanced font 'sans,12' background rgb 'white'\n"
      << "    set output " << quoted(stem + ".svg") << "\n"
      << "  } else {\n"
      << "    set terminal pngcairo size " << w << "," << h << " rounded noenhanced font 'sans,10' background rgb 'white'\n"
      << "    set output " << quoted(stem + ".png") << "\n"
      << "  }\n";
    std::istringstream lines(drawn);
    for (std::string line; std::getline(lines, line);) g << "  " << line << "\n";
    g << "  unset output\n}\n";
    return g.str();
}

} // namespace

int spawn_program(const std::string &program, const std::vector<std::string> &args, const std::filesystem::path &log) {
    std::vector<std::string> argv_strings{program};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char *> argv;
    for (auto &s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    // Nothing else of ours (in the server: client sockets, the database) goes to the program.
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, program.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? static_cast<int>(pid) : -1;
}

int wait_program(int pid) {
    if (pid < 0) return 127;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return 127;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run_program(const std::string &program, const std::vector<std::string> &args, const std::filesystem::path &log) {
    return wait_program(spawn_program(program, args, log));
}

std::vector<std::string> run_colours(size_t count) {
    // Tableau 10 and two more, each far from the others.
    static const std::vector<std::string> qualitative{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
                                                      "#b07aa1", "#ff9da7", "#9c755f", "#7f7f7f", "#17becf", "#1a1a1a"};
    std::vector<std::string> out;
    if (count <= qualitative.size()) return {qualitative.begin(), qualitative.begin() + static_cast<std::ptrdiff_t>(count)};
    for (size_t i = 0; i < count; ++i) {
        // Hue steps of 360/count, lightness cycling through three levels so that neighbours differ twice.
        const double h = 360.0 * static_cast<double>(i) / static_cast<double>(count), s = 0.75;
        const double v = std::array<double, 3>{0.85, 0.6, 0.4}[i % 3];
        const double c = v * s, x = c * (1 - std::fabs(std::fmod(h / 60.0, 2.0) - 1)), m = v - c;
        double rgb[3] = {0, 0, 0};
        const int sector = static_cast<int>(h / 60.0) % 6;
        const double table[6][3] = {{c, x, 0}, {x, c, 0}, {0, c, x}, {0, x, c}, {x, 0, c}, {c, 0, x}};
        for (int k = 0; k < 3; ++k) rgb[k] = table[sector][k] + m;
        char buf[8];
        std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(std::lround(rgb[0] * 255)),
                      static_cast<int>(std::lround(rgb[1] * 255)), static_cast<int>(std::lround(rgb[2] * 255)));
        out.push_back(buf);
    }
    return out;
}

std::string with_units(const std::string &label, const std::string &units) {
    auto lower = [](std::string s) {
        for (auto &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    };
    const std::string u = lower(units);
    // "time (Time)" says nothing more than "time" (XMILE's default time units are "Time").
    if (u.empty() || u == "1" || u == "dmnl" || u == "dimensionless" || u == "time" || u == lower(label)) return label;
    return label + " (" + units + ")";
}

namespace {

// The script of a picture whose data is written: the whole .gp file and its SVG- and PNG-only cuts.
PreparedPlot write_script(const std::filesystem::path &dir, const std::string &stem, const std::string &body) {
    PreparedPlot out;
    out.script = dir / (stem + ".gp");
    out.svg = dir / (stem + ".svg");
    out.png = dir / (stem + ".png");
    out.log = dir / (stem + ".log");
    const std::string gp = "# Generated by holon batch. Redraw from this folder with `gnuplot " + out.script.filename().string() +
                           "`;\n# the data is " + stem + ".dat. Set pictures to 'svg' or 'png' to draw only one.\n"
                           "pictures = 'svg png'\n" + body;
    out.svg_script = "pictures = 'svg'\n" + body;
    out.png_script = "pictures = 'png'\n" + body;
    write_file_atomically(out.script, gp);
    return out;
}

// A tic step of 1, 2 or 5 times a power of ten giving at most five tics over [lo, hi] (0 = gnuplot's own).
double tic_step(double lo, double hi) {
    if (!(hi > lo)) return 0;
    const double raw = (hi - lo) / 5, power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * power >= raw) return m * power;
    return 10 * power;
}

std::string xtics(double lo, double hi) {
    const double step = tic_step(lo, hi);
    return step > 0 ? "set xtics " + rounded_text(step, 6) + "\n" : std::string("set xtics autofreq\n");
}

std::string bin_centre(const Bins &b, size_t k) { return gp_number(b.lo + (static_cast<double>(k) + 0.5) * b.width); }

// The picture of an outcome plot: its panels' height, and below them the policies' key (a line each).
int outcome_panels_height(const OutcomePlotRequest &r) { return r.scatter.size() + 1 > 3 ? 780 : 420; }
int outcome_key_height(const OutcomePlotRequest &r) { return r.groups.size() >= 2 ? 18 * static_cast<int>(r.groups.size() + 1) + 12 : 0; }

// The histogram panel and one scatter panel per input, one colour bar (runs per cell) for all.
std::string outcome_drawing(const OutcomePlotRequest &r) {
    const std::string dat = quoted(r.stem + ".dat"), outcome = quoted(with_units(r.label, r.units));
    const bool groups = r.groups.size() >= 2 && r.group_counts.size() == r.groups.size();
    const auto colours = run_colours(r.groups.size());
    size_t most = 0;
    for (const auto &s : r.scatter)
        for (const auto &c : s.cells) most = std::max(most, c[2]);
    const size_t n = 1 + r.scatter.size(), cols = std::min<size_t>(n, 3), rows = (n + cols - 1) / cols;
    // With policies, their key goes below the panels, which keep their size.
    const double panels = outcome_panels_height(r), key = outcome_key_height(r), height = panels + key;
    const double top = 1 - (1 - (rows == 1 ? 0.83 : 0.89)) * panels / height;
    const double bottom = (key + (rows == 1 ? 0.14 : 0.09) * panels) / height;
    std::ostringstream g;
    g << "reset\nset encoding utf8\n"
      << "set grid back lt 1 lw 1 lc rgb '#e4e4e4'\n"
      << "set border 3 lc rgb '#444444'\nset tics nomirror\nunset key\n"
      << "set style fill solid 1.0 noborder\n" << kPalette;
    if (most > 0) {
        g << "set cblabel 'runs per cell' offset 1,0\nset cbrange [1:" << std::max<size_t>(most, 2) << "]\n";
        if (most >= 20) g << "set logscale cb\n";
    }
    g << "set multiplot layout " << rows << "," << cols << " title " << quoted(r.title) << " margins 0.08,"
      << (most > 0 ? "0.86," : "0.97,") << gp_number(bottom) << "," << gp_number(top) << " spacing 0.1," << (rows == 1 ? "0.08" : "0.14") << "\n";
    const double hist_hi = r.histogram.lo + r.histogram.width * static_cast<double>(r.histogram.counts.size());
    g << "set title 'histogram'\nset xlabel " << outcome << "\nset ylabel 'runs'\nset yrange [0:*]\n"
      << "set xrange [" << gp_number(r.histogram.lo) << ":" << gp_number(hist_hi) << "]\n" << xtics(r.histogram.lo, hist_hi)
      << (groups ? "set key at screen 0.5," + rounded_text(key / 2 / height, 3) + " center center vertical reverse Left samplen 2\n" : "")
      << "plot " << dat << " index 0 using 1:2:(" << gp_number(r.histogram.width * 0.9) << ") with boxes lc rgb '" << (groups ? "#dddddd' title 'all policies'" : "#4292c6'");
    for (size_t k = 0; groups && k < r.groups.size(); ++k)
        g << ", \\\n     '' index 0 using 1:" << (k + 3) << " with histeps lw 2.5 lc rgb '" << colours[k] << "' title " << quoted(r.groups[k]);
    g << "\nunset key\n"
      << "set autoscale xy\nset ylabel " << outcome << "\n";
    for (size_t k = 0; k < r.scatter.size(); ++k) {
        const auto &s = r.scatter[k];
        double lo = s.x.lo, hi = s.x.lo + s.x.width * static_cast<double>(s.x.counts.size());
        if (!s.points.empty()) {
            lo = std::numeric_limits<double>::infinity();
            hi = -lo;
            for (const auto &pt : s.points) {
                lo = std::min(lo, pt.first);
                hi = std::max(hi, pt.first);
            }
        }
        g << "set title " << quoted("against " + s.x_label) << "\nset xlabel " << quoted(with_units(s.x_label, s.x_units)) << "\n" << xtics(lo, hi);
        if (!s.points.empty()) {
            g << "unset colorbox\n";
            if (!groups || s.point_groups.size() != s.points.size()) {
                g << "plot " << dat << " index " << (k + 1) << " using 1:2 with points pt 7 ps 0.6 lc rgb '#1f4e79'\n";
                continue;
            }
            for (size_t c = 0; c < r.groups.size(); ++c)
                g << (c ? ", \\\n     ''" : "plot " + dat) << " index " << (k + 1) << " using 1:($3 == " << c << " ? $2 : NaN) with points pt 7 ps 0.6 lc rgb '"
                  << colours[c] << "' notitle";
            g << "\n";
            continue;
        }
        const bool last = k + 1 == r.scatter.size();
        g << (last ? "set colorbox user origin 0.885," + gp_number(bottom) + " size 0.02," + gp_number(top - bottom) + "\n" : "unset colorbox\n")
          << "plot " << dat << " index " << (k + 1) << " using 1:2:(" << gp_number(s.x.width / 2) << "):(" << gp_number(s.y.width / 2)
          << "):3 with boxxyerror fc palette fs solid 1.0 noborder\n";
    }
    g << "unset multiplot\n";
    return g.str();
}

} // namespace

PreparedPlot prepare_plot(const PlotRequest &r) {
    const Layout layout = layout_of(r);
    write_data(r, layout, r.dir / (r.stem + ".dat"));
    return write_script(r.dir, r.stem, script_body(r.stem, picture_size(r, layout), drawing(r, layout)));
}

PreparedPlot prepare_outcome_plot(const OutcomePlotRequest &r) {
    std::ostringstream out;
    out << "# " << with_units(r.label, r.units) << ": histogram (bin centre, runs), then per input its points (input, outcome)\n"
        << "# or its non-empty cells (input centre, outcome centre, runs)\n# histogram\n";
    if (!r.groups.empty()) {
        out << "# bin centre, runs";
        for (const auto &name : r.groups) out << ", " << name;
        out << "\n";
    }
    for (size_t k = 0; k < r.histogram.counts.size(); ++k) {
        out << bin_centre(r.histogram, k) << ' ' << r.histogram.counts[k];
        for (const auto &counts : r.group_counts) out << ' ' << (k < counts.size() ? counts[k] : 0);
        out << '\n';
    }
    for (const auto &s : r.scatter) {
        out << "\n\n# " << with_units(s.x_label, s.x_units) << "\n";
        for (size_t i = 0; i < s.points.size(); ++i) {
            out << gp_number(s.points[i].first) << ' ' << gp_number(s.points[i].second);
            if (i < s.point_groups.size()) out << ' ' << s.point_groups[i];
            out << '\n';
        }
        for (const auto &c : s.cells) out << bin_centre(s.x, c[0]) << ' ' << bin_centre(s.y, c[1]) << ' ' << c[2] << '\n';
    }
    write_file_atomically(r.dir / (r.stem + ".dat"), out.str());
    const std::pair<int, int> size{960, outcome_panels_height(r) + outcome_key_height(r)};
    return write_script(r.dir, r.stem, script_body(r.stem, size, outcome_drawing(r)));
}

namespace {

// gnuplot's arguments to run `script` in its own folder, where its relative file names point.
std::vector<std::string> in_folder_of(const std::filesystem::path &script) {
    const auto file = std::filesystem::absolute(script);
    return {"-e", "cd " + gnuplot_quoted(file.parent_path().string()), file.string()};
}

std::string first_line(const std::filesystem::path &file) {
    std::string line;
    std::ifstream in(file);
    std::getline(in, line);
    return line;
}

std::string gnuplot_problem(int status, const std::string &gnuplot, const std::filesystem::path &log) {
    if (status == 127) return "'" + gnuplot + "' could not be started (install gnuplot-nox)";
    const std::string log_text = first_line(log);
    return "gnuplot exited with status " + std::to_string(status) + (log_text.empty() ? "" : ": " + log_text);
}

} // namespace

std::string draw_plot(const PreparedPlot &plot, const std::string &gnuplot, bool split, GnuplotPool *warm) {
    std::error_code ec;
    if (!split) {
        const int status = warm ? warm->take()->run(plot.script, plot.log) : run_program(gnuplot, in_folder_of(plot.script), plot.log);
        if (status != 0) return gnuplot_problem(status, gnuplot, plot.log);
    } else {
        // Hidden siblings of the .gp file, removed again: the folder ends up as after one run.
        const auto dir = plot.script.parent_path();
        const std::string stem = plot.script.stem().string();
        const auto svg_script = dir / ("." + stem + ".svg.gp"), png_script = dir / ("." + stem + ".png.gp");
        const auto png_log = dir / ("." + stem + ".png.log");
        write_file_atomically(svg_script, plot.svg_script);
        write_file_atomically(png_script, plot.png_script);
        int svg_status = 0, png_status = 0;
        if (warm) {
            auto png_gnuplot = warm->take(); // the warm one, if only one is left: PNG needs the fonts
            std::thread png([&] { png_status = png_gnuplot->run(png_script, png_log); });
            svg_status = warm->take()->run(svg_script, plot.log);
            png.join();
        } else {
            const int svg_pid = spawn_program(gnuplot, in_folder_of(svg_script), plot.log);
            const int png_pid = spawn_program(gnuplot, in_folder_of(png_script), png_log);
            svg_status = wait_program(svg_pid);
            png_status = wait_program(png_pid);
        }
        std::string problem;
        if (svg_status != 0) problem = gnuplot_problem(svg_status, gnuplot, plot.log);
        else if (png_status != 0) problem = gnuplot_problem(png_status, gnuplot, png_log);
        if (std::filesystem::file_size(png_log, ec) > 0 && problem.empty()) {
            // What gnuplot said while drawing the PNG belongs in the plot's log as in one run.
            std::ofstream(plot.log, std::ios::app) << std::ifstream(png_log).rdbuf();
        }
        for (const auto &f : {svg_script, png_script, png_log}) std::filesystem::remove(f, ec);
        if (!problem.empty()) return problem;
    }
    if (std::filesystem::file_size(plot.log, ec) == 0) std::filesystem::remove(plot.log, ec);
    if (!std::filesystem::exists(plot.svg) || !std::filesystem::exists(plot.png)) return "gnuplot wrote no picture";
    return {};
}

std::string render_plot(const PlotRequest &r, const std::string &gnuplot) {
    if (r.runs.empty() || r.time.empty()) return "no successful run to plot";
    return draw_plot(prepare_plot(r), gnuplot, false);
}

} // namespace holon::batch
