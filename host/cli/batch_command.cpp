// `holon batch JOB`: runs a batch job document (host/batch) with a progress display.
#include "batch/batch.hpp"
#include "cli/cli_error.hpp"
#include "cli/commands.hpp"
#include "cli/help_formats.hpp"
#include "cli/model_input.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>
#include <unistd.h>

namespace holon::cli {
namespace {

struct BatchCommandOptions {
    std::string job;
    std::string out;
    unsigned jobs = 0;
    bool quiet = false;
    bool restart = false;
    bool retry_failed = false;
    bool no_plots = false;
};

std::atomic<bool> g_batch_cancel{false};
extern "C" void on_batch_signal(int) { g_batch_cancel.store(true); }

// <stem>-results in the current folder, the stem being the job file name up to its first dot.
std::string default_out_dir(const std::string &job) {
    std::string name = std::filesystem::path(job).filename().string();
    name = name.substr(0, name.find('.'));
    return (name.empty() ? std::string("batch") : name) + "-results";
}

std::string duration_text(double seconds) {
    if (!(seconds >= 0) || seconds > 1e7) return "?";
    const auto s = static_cast<long>(seconds + 0.5);
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

// Counts, rate and ETA: a redrawn bar on a terminal, a line every few seconds otherwise.
class ProgressDisplay {
public:
    ProgressDisplay(bool quiet, bool terminal) : quiet_(quiet), terminal_(terminal) {}

    void start(const batch::BatchProgress &p) {
        start_ = clock::now();
        last_ = start_ - std::chrono::hours(1);
        if (quiet_) return;
        if (p.reused) std::printf("resuming: %zu of %zu points already done\n", p.reused, p.total);
        std::fflush(stdout);
    }

    void point(const batch::PointEvent &e, const batch::BatchProgress &p) {
        if (quiet_) return;
        if (!e.ok) {
            clear_bar();
            std::fprintf(stderr, "failed: %s %s: %s (%s)\n", e.step.c_str(), e.label.c_str(), e.error.c_str(), e.problem.c_str());
        }
        const auto now = clock::now();
        const auto interval = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(2000);
        if (now - last_ < interval && p.done != p.total) return;
        last_ = now;
        const double elapsed = std::chrono::duration<double>(now - start_).count();
        const double rate = elapsed > 0 ? static_cast<double>(p.ran) / elapsed : 0;
        const double eta = rate > 0 ? static_cast<double>(p.total - p.done) / rate : -1;
        const int percent = p.total ? static_cast<int>(100.0 * static_cast<double>(p.done) / static_cast<double>(p.total)) : 100;
        if (terminal_) {
            constexpr int width = 30;
            const int filled = percent * width / 100;
            std::printf("\r[%s%s] %zu/%zu %3d%%  ok %zu  failed %zu  %.1f runs/s  ETA %s ", std::string(filled, '#').c_str(),
                        std::string(width - filled, '-').c_str(), p.done, p.total, percent, p.succeeded, p.failed, rate,
                        duration_text(eta).c_str());
            bar_shown_ = true;
        } else {
            std::printf("progress: %zu/%zu points (%d%%), %zu failed, %.1f runs/s, ETA %s\n", p.done, p.total, percent,
                        p.failed, rate, duration_text(eta).c_str());
        }
        std::fflush(stdout);
    }

    void note(const std::string &text) {
        if (quiet_) return;
        const bool warning = text.rfind("warning:", 0) == 0 || text.find(" skipped: ") != std::string::npos;
        if (terminal_ && !warning) return; // the bar is enough on a terminal
        clear_bar();
        if (warning) std::fprintf(stderr, "%s\n", text.c_str());
        else std::printf("%s\n", text.c_str());
        std::fflush(stdout);
    }

    void clear_bar() {
        if (!bar_shown_) return;
        std::printf("\n");
        std::fflush(stdout);
        bar_shown_ = false;
    }

    double elapsed() const { return std::chrono::duration<double>(clock::now() - start_).count(); }

private:
    using clock = std::chrono::steady_clock;
    bool quiet_, terminal_;
    bool bar_shown_ = false;
    clock::time_point start_ = clock::now(), last_;
};

int batch_command(const GlobalOptions &global, const BatchCommandOptions &options) {
    std::optional<batch::BatchDocument> job;
    try {
        job = batch::BatchDocument::load(options.job);
    } catch (const batch::DocumentError &e) {
        throw bad_input(e.path() == options.job ? std::string(e.what()) : options.job + ": " + e.what());
    }

    // One warm runner per worker, so that every run after the first skips the spawn.
    const unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    runner::PoolOptions po;
    po.runner_executable = runner::default_runner_executable();
    po.max_idle_per_plugin = std::max<size_t>(2, jobs);
    runner::RunnerPool pool(po);
    registry::SearchOptions so;
    for (const auto &p : global.plugin_paths) so.explicit_paths.emplace_back(p);
    const auto registry = registry::Registry::discover(so, pool);
    const execution::Executor executor(registry, pool);

    batch::BatchOptions bo;
    bo.executor = &executor;
    bo.out_dir = options.out.empty() ? default_out_dir(options.job) : options.out;
    bo.jobs = jobs;
    bo.restart = options.restart;
    bo.retry_failed = options.retry_failed;
    bo.plots = !options.no_plots;
    bo.cancel = &g_batch_cancel;
    bo.load_model = [&executor](const batch::InputRef &input) -> std::string {
        if (!input.model_id.empty())
            throw std::runtime_error("stored model ids (model_id) can only be used when the job is posted to the REST API "
                                     "(POST /v1/workspaces/{ws}/batches); on the command line give a file");
        return load_model_file(input.file, executor).json;
    };

    ProgressDisplay display(options.quiet, isatty(STDOUT_FILENO) == 1);
    batch::BatchCallbacks callbacks;
    callbacks.on_start = [&](const batch::BatchProgress &p) { display.start(p); };
    callbacks.on_point = [&](const batch::PointEvent &e, const batch::BatchProgress &p) { display.point(e, p); };
    callbacks.on_note = [&](const std::string &text) { display.note(text); };

    auto previous_int = std::signal(SIGINT, on_batch_signal);
    auto previous_term = std::signal(SIGTERM, on_batch_signal);
    batch::BatchReport report;
    try {
        report = batch::run_job(*job, bo, callbacks);
    } catch (const batch::DocumentError &e) {
        std::signal(SIGINT, previous_int);
        std::signal(SIGTERM, previous_term);
        throw bad_input(options.job + ": " + e.what());
    } catch (const batch::BatchError &e) {
        std::signal(SIGINT, previous_int);
        std::signal(SIGTERM, previous_term);
        throw bad_input(e.what());
    }
    std::signal(SIGINT, previous_int);
    std::signal(SIGTERM, previous_term);
    display.clear_bar();

    const auto &p = report.progress;
    if (!options.quiet) {
        std::printf("%zu points: %zu succeeded, %zu failed", p.total, p.succeeded, p.failed);
        if (p.reused) std::printf(" (%zu reused from an earlier run, %zu run now)", p.reused, p.ran);
        std::printf(" in %s; report: %s\n", duration_text(display.elapsed()).c_str(), report.index_html.string().c_str());
        std::fflush(stdout);
    }
    if (report.cancelled)
        throw CliError(exit_method_failed, "interrupted with " + std::to_string(p.total - p.done) + " of " +
                                               std::to_string(p.total) + " points not run; run the same command again to resume");
    if (report.all_succeeded()) return exit_ok;
    std::string msg = std::to_string(p.failed) + " of " + std::to_string(p.total) + " points failed";
    if (p.done < p.total) msg += ", " + std::to_string(p.total - p.done) + " not run";
    if (report.stopped_by_fail_fast) msg += " (stopped by fail_fast)";
    if (!report.failures.empty()) {
        const auto &f = report.failures.front();
        msg += "; first: " + f.step + " " + f.label + ": " + f.error;
    }
    throw CliError(exit_method_failed, msg + " (see " + (bo.out_dir / "steps").string() + "/*/summary.csv)");
}

} // namespace

CommandRegistration add_batch_command(CLI::App &app, GlobalOptions &global) {
    auto opts = std::make_shared<BatchCommandOptions>();
    auto *cmd = app.add_subcommand("batch", "Run a batch job: steps, parameter sweeps, tables, plots and a report");
    cmd->add_option("JOB", opts->job, "The job document (YAML or JSON, holon-batch/1)")->required();
    cmd->add_option("--out", opts->out, "Output folder (default: <job name>-results); re-running resumes it");
    cmd->add_option("--jobs,-j", opts->jobs, "Runs in parallel (default: the number of cores)")->check(CLI::Range(1u, 1024u));
    cmd->add_flag("--quiet,-q", opts->quiet, "No progress or summary; errors only");
    cmd->add_flag("--restart", opts->restart, "Discard earlier results in the output folder and run every point");
    cmd->add_flag("--retry-failed", opts->retry_failed, "On a resume, also run the points that failed before");
    cmd->add_flag("--no-plots", opts->no_plots, "Do not draw plots");
    add_plugin_path_option(*cmd, global);
    describe_formats(*cmd, FormatsShown::models_and_batch_outputs, &global);
    return {cmd, [opts, &global] { return batch_command(global, *opts); }};
}

} // namespace holon::cli
