#include "batch/plots.hpp"

#include "batch/files.hpp"
#include "batch/statistics.hpp"
#include "batch/warm_gnuplot.hpp"

#include <cerrno>
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

void write_data(const PlotRequest &r, const std::filesystem::path &dat, bool individual) {
    std::ostringstream out;
    if (r.runs.size() == 1) {
        out << "# time value\n";
        for (size_t i = 0; i < r.time.size(); ++i) out << gp_number(r.time[i]) << ' ' << gp_number((*r.runs[0])[i]) << '\n';
    } else {
        const Envelope e = envelope(r.time, r.runs);
        out << "# time min p5 p25 median p75 p95 max (" << e.runs << " runs)\n";
        for (size_t i = 0; i < e.time.size(); ++i)
            out << gp_number(e.time[i]) << ' ' << gp_number(e.min[i]) << ' ' << gp_number(e.p5[i]) << ' '
                << gp_number(e.p25[i]) << ' ' << gp_number(e.median[i]) << ' ' << gp_number(e.p75[i]) << ' '
                << gp_number(e.p95[i]) << ' ' << gp_number(e.max[i]) << '\n';
        if (individual) {
            // Further data blocks (gnuplot "index 1..n"), one per run.
            for (const auto *run : r.runs) {
                out << "\n\n";
                for (size_t i = 0; i < r.time.size() && i < run->size(); ++i)
                    out << gp_number(r.time[i]) << ' ' << gp_number((*run)[i]) << '\n';
            }
        }
    }
    write_file_atomically(dat, out.str());
}

std::string plot_command(const PlotRequest &r, const std::string &dat, bool individual) {
    std::ostringstream p;
    if (r.runs.size() == 1) {
        p << "plot " << dat << " using 1:2 with lines lw 2 lc rgb '#1f4e79' title " << quoted((r.y_label));
        return p.str();
    }
    p << "plot " << dat << " index 0 using 1:2:8 with filledcurves lc rgb '#dbe9f6' title 'min-max', \\\n"
      << "     '' index 0 using 1:3:7 with filledcurves lc rgb '#a9cce3' title '5-95%', \\\n"
      << "     '' index 0 using 1:4:6 with filledcurves lc rgb '#5dade2' title '25-75%', \\\n";
    if (individual) {
        for (size_t i = 0; i < r.runs.size(); ++i) {
            const std::string label = i < r.run_labels.size() ? r.run_labels[i] : "run " + std::to_string(i + 1);
            p << "     '' index " << (i + 1) << " using 1:2 with lines lw 1 dt 2 title " << quoted((label))
              << ", \\\n";
        }
    }
    p << "     '' index 0 using 1:5 with lines lw 2.5 lc rgb '#1f4e79' title 'median'";
    return p.str();
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

PreparedPlot prepare_plot(const PlotRequest &r) {
    const bool individual = r.runs.size() > 1 && r.runs.size() <= max_individual_lines;
    const auto dat = r.dir / (r.stem + ".dat");
    PreparedPlot out;
    out.script = r.dir / (r.stem + ".gp");
    out.svg = r.dir / (r.stem + ".svg");
    out.png = r.dir / (r.stem + ".png");
    out.log = r.dir / (r.stem + ".log");
    write_data(r, dat, individual);

    const std::string plot = plot_command(r, quoted(dat.string()), individual);
    std::ostringstream settings;
    settings << "set encoding utf8\n"
             << "set title " << quoted((r.title)) << "\n"
             << "set xlabel " << quoted((r.x_label)) << "\n"
             << "set ylabel " << quoted((r.y_label)) << "\n"
             << "set grid lc rgb '#dddddd'\n"
             << "set key outside right top\n"
             << "set style fill solid 1.0 noborder\n";
    const std::string svg_terminal = "set terminal svg size 960,540 dynamic noenhanced font 'sans,12' background rgb 'white'\n"
                                     "set output " + quoted(out.svg.string()) + "\n";
    const std::string png_terminal = "set terminal pngcairo size 960,540 noenhanced font 'sans,10' background rgb 'white'\n"
                                     "set output " + quoted(out.png.string()) + "\n";
    const std::string gp = "# Generated by holon batch; run `gnuplot " + out.script.filename().string() + "` to redraw.\n" +
                           settings.str() + svg_terminal + plot + "\n" + png_terminal + "replot\nunset output\n";
    out.svg_script = settings.str() + svg_terminal + plot + "\nunset output\n";
    out.png_script = settings.str() + png_terminal + plot + "\nunset output\n";
    write_file_atomically(out.script, gp);
    return out;
}

namespace {

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
        const int status = warm ? warm->take()->run(plot.script, plot.log) : run_program(gnuplot, {plot.script.string()}, plot.log);
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
            const int svg_pid = spawn_program(gnuplot, {svg_script.string()}, plot.log);
            const int png_pid = spawn_program(gnuplot, {png_script.string()}, png_log);
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
