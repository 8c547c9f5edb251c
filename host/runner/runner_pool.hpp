// Runs plugin methods in runner processes (holon-runner), never in the host process.
//
// A RunnerPool spawns one runner per plugin library and limits, sends it jobs over a socketpair,
// enforces the wall-clock, CPU and output limits from the host side, and keeps a few idle runners
// per (plugin, limits, workspace) warm for the next job. A runner whose job ended in a crash, a limit, a
// cancellation or a protocol error is killed and reaped, never reused.
//
// Problem ids of a failed TaskOutcome (stable; clients match on them):
//   "method-failed"      the method returned an error status (message is the method's)
//   "invalid-params"     the method refused its params (HOLON_ERR_INVALID_PARAMS; details are the method's)
//   "invalid-model"      the method refused the model (HOLON_ERR_INVALID_MODEL; details are the method's)
//   "invalid-result"     the method put a result document that is not JSON
//   "crashed"            the runner died of a signal ("runner crashed with signal SIGSEGV")
//   "cpu-time-limit"     the job used more than Limits::cpu_seconds of CPU
//   "wall-clock-limit"   the job ran longer than Limits::wall_seconds
//   "memory-limit"       an allocation failed under Limits::memory_bytes
//   "forbidden-syscall"  the runner was killed by the seccomp filter (SIGSYS)
//   "result-too-large"   the results exceeded Limits::output_bytes
//   "cancelled"          the caller cancelled the job
//   "plugin-load-failed" the library could not be loaded, initialised, or is not the expected plugin
//   "abi-mismatch"       the plugin was built for another SDK major version
//   "protocol-error"     the runner sent something that is not the protocol, or exited mid-job
//   "runner-unavailable" no runner could be started (fork failure, scratch dir not creatable)
#pragma once

#include "task_types.hpp"
#include "runner_uids.hpp"

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace holon::runner {

class RunnerError : public std::runtime_error {
public:
    RunnerError(std::string problem, const std::string &message)
        : std::runtime_error(message), problem_(std::move(problem)) {}
    const std::string &problem() const { return problem_; }

private:
    std::string problem_;
};

struct TaskCallbacks {
    // Called on the thread that called run(), throttled by the runner. May be empty.
    std::function<void(double fraction, const std::string &stage)> on_progress;
    // Called on the thread that called run() for each log line. May be empty.
    std::function<void(const LogLine &)> on_log;
    // Polled by the host; when it turns true the runner gets CANCEL and is killed if it has not
    // finished within a grace period of one second.
    const std::atomic<bool> *cancel = nullptr;
    // Runs a nested holon.invoke/1 request, on a separate thread, while the calling job keeps
    // being supervised. Empty: nested invokes answer HOLON_ERR_UNSUPPORTED.
    std::function<TaskOutcome(const InvokeRequest &)> on_invoke;
};

// What a runner wrote to its stdout or stderr during one job (or while idle before it), for the
// host's log: a plugin's output is data, never a line of the host's log.
struct RunnerOutput {
    std::string plugin_id, method_id, workspace;
    std::string text;         // the first kMaxRelayedOutput bytes, invalid UTF-8 replaced by '?'
    uint64_t bytes = 0;       // everything the runner wrote, including what was dropped
    bool truncated() const { return bytes > text.size(); }
};

constexpr size_t kMaxRelayedOutput = 8192;

struct PoolOptions {
    std::string runner_executable;   // path to holon-runner; empty: default_runner_executable()
    size_t max_idle_per_plugin = 2;  // idle runners kept per (plugin library, limits, workspace)
    size_t max_idle = 32;            // idle runners kept in all; the longest idle goes first
    // Default: $TMPDIR/holon-scratch-<uid> (or /tmp/...): one per host user, so that a non-root
    // `holon run` works after a root host left its own folder behind.
    std::string scratch_root;
    // The uids of a root host's runners; default uid_range_from_environment().
    std::optional<UidRange> runner_uids;
    // Called (on the job's thread) with what a runner printed; the server logs it as one escaped
    // field. Empty: the output is dropped.
    std::function<void(const RunnerOutput &)> on_output;
};

class RunnerPool {
public:
    explicit RunnerPool(PoolOptions options);
    ~RunnerPool(); // kills and reaps all idle runners; run() calls must have returned
    RunnerPool(const RunnerPool &) = delete;
    RunnerPool &operator=(const RunnerPool &) = delete;

    // Runs one job to completion in a runner. Thread-safe; calls are independent of each other.
    // Never throws for failures of the plugin or the runner: they are in the outcome.
    TaskOutcome run(const TaskRequest &request, const TaskCallbacks &callbacks = {});

    // Loads the plugin in a runner and returns its entry metadata and method descriptors.
    // Throws RunnerError{problem, message} (plugin-load-failed, abi-mismatch, crashed, ...).
    PluginDescription describe(const PluginTarget &plugin, const Limits &limits = {});

    // Starts runners for `plugin` under `limits` in the background until `count` of them (at most
    // max_idle_per_plugin) are idle or starting, and returns at once. A caller about to run
    // `count` jobs at the same time calls it first, so that the runners start while it prepares
    // the jobs instead of one after the other when the jobs ask for them. Thread-safe.
    void prestart(const PluginTarget &plugin, const Limits &limits, size_t count, const std::string &workspace = "");

    // How runners are isolated on this host, in words for the log ("per-runner uids and private
    // namespaces", "user namespaces", or what is missing). Known after the first runner started.
    std::string isolation() const;

    // Idle runners currently kept warm, over all plugins.
    size_t idle_count() const;
    // Runners started since the pool was made (a reused runner is not counted again).
    size_t spawned_count() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// holon-runner next to /proc/self/exe or in ../lib/holon/ from it (an installed package) when it
// exists, else $HOLON_RUNNER, else "holon-runner".
std::string default_runner_executable();

} // namespace holon::runner
