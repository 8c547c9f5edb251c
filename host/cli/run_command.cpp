#include "cli/cli_error.hpp"
#include "cli/commands.hpp"
#include "cli/failure.hpp"
#include "cli/model_input.hpp"
#include "cli/run_output.hpp"
#include "execution/admission.hpp"

#include <holon/holon_plugin.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace holon::cli {
namespace {

std::atomic<bool> g_cancel{false};

extern "C" void on_interrupt(int) { g_cancel.store(true); }

} // namespace

std::string read_params_argument(const std::string &arg) {
    if (arg.empty()) return "{}";
    if (arg.find_first_not_of(" \t\r\n") == std::string::npos)
        throw bad_input("the params are empty: give a JSON object, e.g. {}");
    if (arg[0] != '@') return arg;
    std::string text = read_input_file(arg.substr(1), 64ull << 20);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        throw bad_input(arg.substr(1) + ": the file is empty (params are a JSON object, e.g. {})");
    return text;
}

int run_command(const GlobalOptions &global, const RunOptions &options) {
    HostSession session(global);
    auto &executor = session.executor();
    const auto *method = executor.registry().find_method(options.method);
    if (!method) {
        std::string msg = execution::unknown_method_message(executor.registry(), options.method);
        for (const auto &p : executor.registry().plugins())
            if (!p->usable()) msg += "; plugin at " + p->manifest.dir.string() + " is unusable: " + p->error;
        throw bad_input(msg + " (see `holon plugins`)");
    }

    execution::RunRequest req;
    req.method_id = options.method;
    req.params_json = read_params_argument(options.params);
    if (method->description.kind == HOLON_METHOD_KIND_IMPORTER) {
        if (options.model.empty()) throw bad_input(options.method + " is an importer: give the file to import with --model");
        const std::filesystem::path file(options.model);
        req.source = read_input_file(file);
        req.source_name = file.filename().string();
        req.source_dir = std::filesystem::absolute(file).parent_path().string();
    } else if (!options.model.empty() && !execution::needs_model(method->description)) {
        // The executor never hands such a method a model: say so rather than drop it silently.
        if (!options.quiet)
            std::cerr << "warning: " << options.method << " does not read a model; --model " << options.model
                      << " ignored\n";
    } else if (!options.model.empty()) {
        req.model_json = load_model_file(options.model, executor,
                                         options.import_params.empty() ? "{}" : read_params_argument(options.import_params))
                             .json;
    } else if (execution::needs_model(method->description)) {
        throw bad_input(execution::missing_model_message(options.method) + ": give one with --model FILE");
    }
    if (options.wall_seconds) req.limits.wall_seconds = *options.wall_seconds;
    if (options.cpu_seconds) req.limits.cpu_seconds = *options.cpu_seconds;
    if (options.memory_mb) req.limits.memory_bytes = static_cast<uint64_t>(*options.memory_mb * 1024 * 1024);
    if (options.output_mb) req.limits.output_bytes = static_cast<uint64_t>(*options.output_mb * 1024 * 1024);

    runner::TaskCallbacks cb;
    cb.cancel = &g_cancel;
    const bool show_progress = !options.quiet && isatty(STDERR_FILENO);
    if (show_progress) {
        cb.on_progress = [](double fraction, const std::string &stage) {
            std::fprintf(stderr, "\r[%3d%%] %-60.60s", static_cast<int>(fraction * 100.0 + 0.5), stage.c_str());
            std::fflush(stderr);
        };
    }
    if (!options.quiet) {
        cb.on_log = [show_progress](const runner::LogLine &line) {
            if (line.level < HOLON_LOG_WARNING) return;
            // A warning gets a line of its own, not the tail of the progress line.
            if (show_progress) std::fprintf(stderr, "\r%70s\r", "");
            std::cerr << (line.level >= HOLON_LOG_ERROR ? "error: " : "warning: ") << line.message << '\n';
        };
    }
    auto previous = std::signal(SIGINT, on_interrupt);
    auto outcome = executor.run(req, cb);
    std::signal(SIGINT, previous);
    if (show_progress) std::fprintf(stderr, "\r%70s\r", "");

    if (!outcome.ok()) {
        throw CliError(exit_code_of(outcome),
                       options.method + " failed (" + outcome.problem + "): " + outcome.message + json_path_of(outcome));
    }
    if (options.out.empty()) {
        std::cout << (outcome.result_json.empty() ? std::string("null") : outcome.result_json) << '\n';
        if (!options.quiet && (!outcome.tables.empty() || !outcome.blobs.empty()))
            std::cerr << "note: " << outcome.tables.size() << " table(s) and " << outcome.blobs.size()
                      << " file(s) not shown; use --out DIR to write them\n";
        return exit_ok;
    }
    for (const auto &p : write_outputs(options.out, outcome, options.xlsx)) std::cout << p.string() << '\n';
    return exit_ok;
}

} // namespace holon::cli
