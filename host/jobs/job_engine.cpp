#include "jobs/job_engine.hpp"

#include "jobs/run_problem.hpp"

#include <nlohmann/json.hpp>

#include <random>
#include <unistd.h>

namespace holon::jobs {

struct JobEngine::Active {
    store::Run run;
    std::atomic<bool> cancel{false};
    // Set before the outcome is stored: from then on the run's lease ends by design, and the
    // supervisor, which may renew it concurrently, must not call that a lost lease.
    std::atomic<bool> ending{false};
};

namespace {

registry::LimitOverrides limits_from_json(const std::string& text) {
    registry::LimitOverrides limits;
    const auto doc = nlohmann::json::parse(text.empty() ? "{}" : text, nullptr, false);
    if (!doc.is_object()) return limits;
    if (doc.contains("wall_seconds") && doc["wall_seconds"].is_number())
        limits.wall_seconds = doc["wall_seconds"].get<double>();
    if (doc.contains("memory_mb") && doc["memory_mb"].is_number())
        limits.memory_bytes = static_cast<std::uint64_t>(doc["memory_mb"].get<double>() * 1024.0 * 1024.0);
    return limits;
}

}  // namespace

store::RunOutcome to_store_outcome(runner::TaskOutcome&& outcome) {
    store::RunOutcome out;
    if (outcome.ok()) {
        out.state = store::RunState::succeeded;
    } else {
        out.state = outcome.problem == "cancelled" ? store::RunState::cancelled : store::RunState::failed;
        out.error_json = run_problem_json(outcome.problem, outcome.message, outcome.details_json);
    }
    out.outputs.result_json = std::move(outcome.result_json);
    for (auto& t : outcome.tables)
        out.outputs.tables.push_back(
            {std::move(t.name), std::move(t.columns), std::move(t.values), std::move(t.labels), std::move(t.units)});
    for (auto& b : outcome.blobs)
        out.outputs.blobs.push_back({std::move(b.name), std::move(b.media_type), std::move(b.data)});
    return out;
}

std::string default_owner() {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    std::random_device rd;
    char suffix[17];
    std::snprintf(suffix, sizeof suffix, "%08x%08x", rd(), rd());
    return std::string(host) + ":" + std::to_string(getpid()) + ":" + suffix;
}

JobEngine::JobEngine(store::Store& store, const execution::Executor& executor, EngineOptions options)
    : store_(store), executor_(executor), options_(std::move(options)) {
    if (options_.owner.empty()) options_.owner = default_owner();
    if (options_.workers == 0) options_.workers = 1;
}

JobEngine::~JobEngine() { stop(std::chrono::milliseconds(0)); }

store::RecoveryReport JobEngine::recover(store::RecoveryScope scope) { return store_.recover_after_crash(scope); }

void JobEngine::start() {
    stopping_ = false;
    abandon_ = false;
    for (std::size_t i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { work(); });
    supervisor_ = std::thread([this] { supervise(); });
}

void JobEngine::stop(std::chrono::milliseconds grace) {
    if (workers_.empty() && !supervisor_.joinable()) return;
    stopping_ = true;
    {
        std::unique_lock lock(mutex_);
        wake_.notify_all();
        changed_.wait_for(lock, grace, [this] { return active_.empty(); });
        if (!active_.empty()) {
            abandon_ = true;
            for (auto& [id, a] : active_) a->cancel = true;
        }
        wake_.notify_all();
    }
    for (auto& t : workers_) t.join();
    workers_.clear();
    if (supervisor_.joinable()) supervisor_.join();
}

void JobEngine::notify_queued() {
    std::lock_guard lock(mutex_);
    ++queued_signals_;
    wake_.notify_one();
}

void JobEngine::cancel(const std::string& run_id) {
    std::lock_guard lock(mutex_);
    if (auto it = active_.find(run_id); it != active_.end()) it->second->cancel = true;
}

void JobEngine::changed() {
    std::lock_guard lock(mutex_);
    ++generation_;
    changed_.notify_all();
}

void JobEngine::wait_for_change(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    const auto seen = generation_;
    changed_.wait_for(lock, timeout, [&] { return generation_ != seen || stopping_; });
}

store::Run JobEngine::wait_for_end(const std::string& workspace_id, const std::string& run_id,
                                   std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        std::uint64_t seen = 0;
        {
            std::lock_guard lock(mutex_);
            seen = generation_;
        }
        store::Run run = store_.get_run(workspace_id, run_id);
        const auto now = std::chrono::steady_clock::now();
        if (store::is_terminal(run.state) || now >= deadline) return run;
        // Runs finished by another host do not signal here: poll at least every 100 ms.
        const auto wait = std::min<std::chrono::steady_clock::duration>(deadline - now, std::chrono::milliseconds(100));
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, wait, [&] { return generation_ != seen; });
    }
}

EngineStats JobEngine::stats() const {
    std::lock_guard lock(mutex_);
    EngineStats s = stats_;
    s.active = active_.size();
    return s;
}

void JobEngine::report_error(const std::string& run_id, const std::string& message) {
    if (options_.on_error) options_.on_error(run_id, message);
}

void JobEngine::work() {
    std::uint64_t seen_signals = 0;
    while (!stopping_) {
        std::optional<store::Run> run;
        try {
            run = store_.claim(options_.owner, options_.lease_ms);
        } catch (const std::exception& e) {
            report_error("", std::string("claiming a run failed: ") + e.what());
        }
        if (run) {
            changed();
            execute(*run);
            continue;
        }
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, options_.idle_poll,
                       [&] { return stopping_ || queued_signals_ != seen_signals; });
        seen_signals = queued_signals_;
    }
}

void JobEngine::supervise() {
    while (!stopping_ || !abandon_) {
        std::vector<std::shared_ptr<Active>> running;
        {
            std::unique_lock lock(mutex_);
            if (stopping_ && active_.empty()) return;
            wake_.wait_for(lock, options_.supervise_every);
            if (stopping_ && active_.empty()) return;
            for (auto& [id, a] : active_) running.push_back(a);
        }
        for (auto& a : running) {
            try {
                if (a->ending) continue;
                if (!store_.renew_lease(a->run.id, options_.owner, a->run.attempts, options_.lease_ms)) {
                    if (a->ending) continue;  // finished (or released) between the two checks
                    report_error(a->run.id, "lease lost; stopping the run here");
                    a->cancel = true;
                    continue;
                }
                if (store_.get_run(a->run.workspace_id, a->run.id).cancel_requested) a->cancel = true;
            } catch (const store::NotFound&) {
                a->cancel = true;  // the workspace was deleted under the run
            } catch (const std::exception& e) {
                report_error(a->run.id, std::string("supervising failed: ") + e.what());
            }
        }
        if (abandon_) return;
    }
}

void JobEngine::execute(const store::Run& run) {
    auto active = std::make_shared<Active>();
    active->run = run;
    active->cancel = run.cancel_requested;
    {
        std::lock_guard lock(mutex_);
        active_[run.id] = active;
        ++stats_.started;
    }

    runner::TaskOutcome outcome;
    try {
        execution::RunRequest request;
        request.method_id = run.method;
        request.params_json = run.params_json.empty() ? "{}" : run.params_json;
        request.limits = limits_from_json(run.limits_json);
        request.workspace = run.workspace_id;
        bool have_model = true;
        if (run.model_id && !options_.host_methods.count(run.method)) {
            try {
                request.model_json = store_.get_model(run.workspace_id, *run.model_id, run.model_revision).body;
            } catch (const store::NotFound&) {
                have_model = false;
                outcome = execution::host_failure(HOLON_ERR_INVALID_MODEL, "model-not-found",
                                                  "model " + *run.model_id + " no longer exists");
            }
        }
        auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
        std::string last_stage;
        auto record_progress = [&](double fraction, const std::string& stage, const std::string& detail_json) {
            // Throttled: every progress report costs a durable write.
            const auto now = std::chrono::steady_clock::now();
            if (now - last < std::chrono::milliseconds(100) && stage == last_stage && fraction < 1.0) return;
            last = now;
            last_stage = stage;
            try {
                store_.set_progress(run.id, fraction, stage);
                nlohmann::json event{{"progress", fraction}, {"stage", stage}};
                if (!detail_json.empty()) event["detail"] = nlohmann::json::parse(detail_json, nullptr, false);
                store_.append_event(run.id, "progress", event.dump());
            } catch (const std::exception& e) {
                report_error(run.id, std::string("recording progress failed: ") + e.what());
            }
            changed();
        };
        if (auto host = options_.host_methods.find(run.method); host != options_.host_methods.end()) {
            HostRunContext context;
            context.cancel = &active->cancel;
            context.progress = record_progress;
            outcome = host->second(run, context);
        } else if (have_model) {
            runner::TaskCallbacks callbacks;
            callbacks.cancel = &active->cancel;
            callbacks.on_progress = [&](double fraction, const std::string& stage) { record_progress(fraction, stage, ""); };
            outcome = executor_.run(request, callbacks);
        }
    } catch (const std::exception& e) {
        outcome = execution::host_failure(HOLON_ERR_FAILED, "runner-unavailable", e.what());
    }

    const bool crashed = outcome.problem == "crashed";
    const std::string problem = outcome.ok() ? std::string() : run_problem_type(outcome.problem);
    auto stored = to_store_outcome(std::move(outcome));
    const bool abandoned = abandon_ && stored.state == store::RunState::cancelled;
    bool released = false;
    active->ending = true;
    if (abandoned) {
        // Stopped by the server, not failed: back to the queue without counting the attempt.
        try {
            released = store_.release(run.id, options_.owner, run.attempts);
            if (!released) report_error(run.id, "the run's lease was lost before it could be released");
        } catch (const std::exception& e) {
            report_error(run.id, std::string("releasing the run failed: ") + e.what());
        }
    } else {
        try {
            if (!store_.finish(run.id, options_.owner, run.attempts, stored))
                report_error(run.id, "the run's lease was lost before it finished; outcome dropped");
        } catch (const std::exception& e) {
            report_error(run.id, std::string("storing the outcome failed: ") + e.what());
        }
    }
    {
        std::lock_guard lock(mutex_);
        active_.erase(run.id);
        if (crashed) ++stats_.runner_crashes;
        if (released) ++stats_.released;
        if (!abandoned) {
            if (stored.state == store::RunState::succeeded) ++stats_.succeeded;
            if (stored.state == store::RunState::failed) ++stats_.failed;
            if (stored.state == store::RunState::cancelled) ++stats_.cancelled;
        }
        ++generation_;
        changed_.notify_all();
    }
    if (!abandoned && options_.on_finished) options_.on_finished(run, stored.state, problem);
}

}  // namespace holon::jobs
