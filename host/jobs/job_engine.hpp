// The job engine: worker threads that claim queued runs from the store by lease, execute them
// through the Executor (in runner processes), report progress as run events, honour cancellation
// and store the outcome. Several hosts sharing one database can each run an engine: the lease
// decides who owns a run, and a host that dies loses its leases.
#pragma once

#include "execution/executor.hpp"
#include "store/store.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace holon::jobs {

// What a host method gets while it runs (see EngineOptions::host_methods).
struct HostRunContext {
    const std::atomic<bool>* cancel = nullptr;  // turns true on a cancel request or a server stop
    // Records progress (durably, throttled to about 10 writes a second per run) as the run's
    // progress and stage and as a "progress" event; `detail` is extra JSON for the event ("" none).
    std::function<void(double fraction, const std::string& stage, const std::string& detail_json)> progress;
};

// A method the host executes itself, in-process, instead of sending it to a runner (e.g.
// "holon.batch", which orchestrates many runner calls). It must honour `cancel` by returning an
// outcome with problem "cancelled", and report every other failure as an outcome, not by throwing.
using HostMethod = std::function<runner::TaskOutcome(const store::Run& run, HostRunContext& context)>;

struct EngineOptions {
    std::size_t workers = 2;
    std::int64_t lease_ms = 30000;
    // How often a lease is renewed and the store is asked whether a running run was cancelled.
    std::chrono::milliseconds supervise_every{250};
    // How often idle workers look for runs queued by another host (runs queued here wake them).
    std::chrono::milliseconds idle_poll{1000};
    std::string owner;  // lease owner; "" = "<hostname>:<pid>:<random>"
    // Methods executed in the host by id; any other method goes to the Executor.
    std::map<std::string, HostMethod> host_methods;
    // Reports an engine failure (e.g. the store is unreachable) for the log. May be empty.
    std::function<void(const std::string& run_id, const std::string& message)> on_error;
    // Reports that a run ended (state, problem type or ""). May be empty.
    std::function<void(const store::Run& run, store::RunState state, const std::string& problem)> on_finished;
};

struct EngineStats {
    std::uint64_t started = 0;
    std::uint64_t succeeded = 0;
    std::uint64_t failed = 0;
    std::uint64_t cancelled = 0;
    std::uint64_t runner_crashes = 0;
    std::uint64_t released = 0;  // runs given back to the queue by stop()
    std::uint64_t active = 0;
};

class JobEngine {
public:
    JobEngine(store::Store& store, const execution::Executor& executor, EngineOptions options);
    ~JobEngine();  // stop(0)
    JobEngine(const JobEngine&) = delete;
    JobEngine& operator=(const JobEngine&) = delete;

    // Settles runs a dead host left running (re-queued or failed). Call before start().
    store::RecoveryReport recover(store::RecoveryScope scope = store::RecoveryScope::all_running);

    void start();
    // Stops claiming; waits up to `grace` for running jobs to end, then cancels them. A run stopped
    // this way is not finished in the store: it is released back to the queue without counting an
    // attempt (Store::release), so that the next server to start picks it up at once.
    void stop(std::chrono::milliseconds grace);

    // A run was queued: wake an idle worker.
    void notify_queued();
    // The API recorded a cancel request: stop the run now if this engine is running it.
    void cancel(const std::string& run_id);

    // Blocks until something happened to some run (progress, state) or timeout passed.
    void wait_for_change(std::chrono::milliseconds timeout);
    // Blocks until the run is in a terminal state or timeout passed. Returns the run as last read.
    store::Run wait_for_end(const std::string& workspace_id, const std::string& run_id,
                            std::chrono::milliseconds timeout);

    EngineStats stats() const;
    const std::string& owner() const { return options_.owner; }

private:
    struct Active;
    void work();
    void supervise();
    void execute(const store::Run& run);
    void changed();
    void report_error(const std::string& run_id, const std::string& message);

    store::Store& store_;
    const execution::Executor& executor_;
    EngineOptions options_;

    std::atomic<bool> stopping_{false};
    std::atomic<bool> abandon_{false};  // stop() gave up waiting: cancelled runs are not finished

    mutable std::mutex mutex_;
    std::condition_variable wake_;     // workers: a run was queued, or stop
    std::condition_variable changed_;  // waiters: a run changed
    std::uint64_t queued_signals_ = 0;
    std::uint64_t generation_ = 0;
    std::map<std::string, std::shared_ptr<Active>> active_;
    EngineStats stats_;

    std::vector<std::thread> workers_;
    std::thread supervisor_;
};

// How a method's outcome is stored: succeeded, cancelled (problem "cancelled") or failed with a
// problem details document; its result, tables and files as the run's outputs.
store::RunOutcome to_store_outcome(runner::TaskOutcome&& outcome);

// The lease owner id this process uses by default: "<hostname>:<pid>:<random hex>".
std::string default_owner();

}  // namespace holon::jobs
