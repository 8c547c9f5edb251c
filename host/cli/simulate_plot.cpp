#include "cli/simulate_plot.hpp"

#include "cli/cli_error.hpp"
#include "batch/plots.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <unistd.h>


namespace holon::cli {
namespace {

// A gnuplot string literal in single quotes (only the quote itself needs doubling).
std::string quoted(const std::string &s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

// Ten colours a reader tells apart (Tableau 10), one per line before any repeats.
constexpr const char *palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                   "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "holon-plot-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw CliError(exit_method_failed, "--plot: cannot create a temporary folder");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path &path() const { return path_; }

private:
    std::filesystem::path path_;
};

std::string first_line(const std::filesystem::path &file) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) return line;
    return {};
}

// "time (day)"; just "time" when the model gives no units or calls them "time".
std::string time_label(std::string units) {
    std::string lower = units;
    for (auto &c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return units.empty() || lower == "time" ? std::string("time") : "time (" + units + ")";
}

} // namespace

std::string plot_format(const std::filesystem::path &file) {
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".png") return "png";
    if (ext == ".svg") return "svg";
    return {};
}

void write_plot(const PlotRequest &r) {
    const std::string format = plot_format(r.file);
    if (format.empty())
        throw bad_input("--plot " + r.file.string() + ": the picture is written as PNG or SVG; name a .png or .svg file");
    TempDir tmp;
    const auto data = tmp.path() / "series.dat";
    {
        std::ofstream out(data);
        out.precision(10);
        for (size_t row = 0; row < r.time.size(); ++row) {
            out << r.time[row];
            for (const auto &line : r.lines) {
                const double v = row < line.values.size() ? line.values[row] : NAN;
                if (std::isfinite(v)) out << ' ' << v;
                else out << " ?";
            }
            out << '\n';
        }
        if (!out.flush()) throw CliError(exit_method_failed, "--plot: cannot write the plot's data");
    }
    // One units label on the axis when every line shares it; otherwise each legend entry says its own.
    bool same_units = !r.lines.empty();
    for (const auto &line : r.lines) same_units = same_units && line.units == r.lines.front().units;
    const bool many = r.lines.size() > 6;
    const auto target = std::filesystem::absolute(r.file);
    const auto script = tmp.path() / "plot.gp";
    {
        std::ofstream g(script);
        if (format == "svg") g << "set terminal svg size 900,540 dynamic noenhanced font 'sans,12' background rgb 'white'\n";
        else g << "set terminal pngcairo size 900,540 noenhanced font 'sans,10' background rgb 'white'\n";
        g << "set output " << quoted(target.string()) << "\n"
          << "set datafile missing '?'\n"
          << "set title " << quoted(r.title) << "\n"
          << "set xlabel " << quoted(time_label(r.time_units)) << "\n";
        if (same_units && !r.lines.front().units.empty()) g << "set ylabel " << quoted(r.lines.front().units) << "\n";
        g << "set grid lc rgb '#dddddd'\nset border 3\nset tics nomirror\nset format y '%.6g'\n"
          << (many ? "set key outside below horizontal maxrows 4\n" : "set key top right opaque box lc rgb '#cccccc'\n");
        g << "plot ";
        for (size_t k = 0; k < r.lines.size(); ++k) {
            const auto &line = r.lines[k];
            std::string title = line.name;
            if (!same_units && !line.units.empty()) title += " (" + line.units + ")";
            g << (k ? ", \\\n     " : "") << quoted(data.string()) << " using 1:" << k + 2 << " with lines lw 2 lc rgb '"
              << palette[k % std::size(palette)] << "'" << (k >= std::size(palette) ? " dt 2" : "") << " title "
              << quoted(title);
        }
        g << "\nunset output\n";
    }
    const auto log = tmp.path() / "gnuplot.log";
    // The batch runner's way of running a program (output to a log, nothing else inherited).
    const int status = batch::run_program("gnuplot", {script.string()}, log);
    if (status == 127)
        throw CliError(exit_method_failed, "--plot needs gnuplot, which was not found (Debian: apt-get install gnuplot-nox)");
    std::error_code ec;
    if (status != 0 || !std::filesystem::is_regular_file(target, ec) || std::filesystem::file_size(target, ec) == 0) {
        const std::string why = first_line(log);
        throw CliError(exit_method_failed,
                       "--plot " + r.file.string() + ": gnuplot failed" + (why.empty() ? std::string() : ": " + why));
    }
}

} // namespace holon::cli
