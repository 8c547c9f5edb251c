#include "batch_runs/shared_points.hpp"

#include "batch_runs/child_runs.hpp"

#include <holon/holon_plugin.h>

#include <algorithm>

namespace holon::batch_runs {

namespace {

// A child that never finished because the batch stopped: its points are missing, not failed.
store::Run stopped(store::Run child) {
    child.state = store::RunState::cancelled;
    child.error_json.clear();
    return child;
}

}  // namespace

SharedPoints::SharedPoints(store::Store& store, const execution::Executor& executor, store::Run batch, unsigned jobs,
                           const std::atomic<bool>* cancel, SharedPointsOptions options)
    : store_(store), executor_(executor), batch_(std::move(batch)), jobs_(std::max(1u, jobs)), cancel_(cancel),
      options_(std::move(options)) {
    poller_ = std::thread([this] { poll(); });
    renewer_ = std::thread([this] { renew(); });
}

SharedPoints::~SharedPoints() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    poller_.join();
    renewer_.join();
}

unsigned SharedPoints::lanes(unsigned) const { return jobs_ * std::max(1u, options_.lanes_per_job); }

runner::TaskOutcome SharedPoints::run(const execution::RunRequest& request, const runner::TaskCallbacks& callbacks) {
    std::string params;
    try {
        params = point_params(request);
    } catch (const std::invalid_argument&) {
        return executor_.run(request, callbacks);
    }
    try {
        auto [child, outputs] = run_child(point_method, params);
        return point_outcome(child, outputs);
    } catch (const std::exception& e) {
        return execution::host_failure(HOLON_ERR_FAILED, "batch-failed", std::string("sharing the point failed: ") + e.what());
    }
}

execution::ChunkOutcome SharedPoints::run_chunk(const execution::ChunkRequest& request, const runner::TaskCallbacks&) {
    try {
        auto [child, outputs] = run_child(chunk_method, chunk_params(request));
        return chunk_outcome(child, outputs);
    } catch (const std::exception& e) {
        execution::ChunkOutcome out;
        out.task = execution::host_failure(HOLON_ERR_FAILED, "batch-failed", std::string("sharing the points failed: ") + e.what());
        return out;
    }
}

std::pair<store::Run, store::RunOutputs> SharedPoints::run_child(const std::string& method, const std::string& params) {
    store::NewRun request;
    request.method = method;
    request.params_json = params;
    request.parent_id = batch_.id;
    const store::Run child = store_.create_run(batch_.workspace_id, request);
    {
        std::lock_guard lock(mutex_);
        states_[child.id] = store::RunState::queued;
    }
    for (;;) {
        try {
            if (cancelled()) {
                // Cancelled by a user or stopped by a draining host: either way the child is not
                // needed by this batch any more (a resumed batch queues its points again).
                store_.request_cancel(batch_.workspace_id, child.id);
                return {stopped(child), {}};
            }
            const auto state = state_of(child.id);
            if (state && store::is_terminal(*state))
                return {store_.get_run(batch_.workspace_id, child.id), store_.get_outputs(batch_.workspace_id, child.id)};
            if ((!state || *state == store::RunState::queued) && take_slot()) {
                std::optional<store::Run> mine;
                try {
                    mine = store_.claim_run(child.id, options_.owner, options_.lease_ms);
                } catch (...) {
                    give_slot();
                    throw;
                }
                if (mine) {
                    auto done = run_here(std::move(*mine));
                    give_slot();
                    if (done) return std::move(*done);
                    if (cancelled()) return {stopped(child), {}};
                    continue;  // the lease was lost: the child is another host's now
                }
                give_slot();
            }
        } catch (const store::Unavailable&) {
            // The database is away: wait for it (the batch's own lease ends the batch if it stays away).
            std::unique_lock lock(mutex_);
            changed_.wait_for(lock, options_.poll * 10, [this] { return stopping_; });
            continue;
        }
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, options_.poll);
    }
}

std::optional<std::pair<store::Run, store::RunOutputs>> SharedPoints::run_here(store::Run child) {
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    {
        std::lock_guard lock(mutex_);
        held_[child.id] = {child.attempts, cancel};
    }
    auto encoded = execute_child(store_, executor_, child, cancel.get());
    {
        std::lock_guard lock(mutex_);
        held_.erase(child.id);
    }
    if (encoded.problem == "cancelled" && cancelled()) {
        store_.release(child.id, options_.owner, child.attempts);
        return std::nullopt;
    }
    auto outcome = jobs::to_store_outcome(std::move(encoded));
    if (!store_.finish(child.id, options_.owner, child.attempts, outcome)) return std::nullopt;
    child.state = outcome.state;
    child.error_json = outcome.error_json;
    return std::make_pair(std::move(child), std::move(outcome.outputs));
}

bool SharedPoints::take_slot() {
    std::lock_guard lock(mutex_);
    if (slots_used_ >= jobs_) return false;
    ++slots_used_;
    return true;
}

void SharedPoints::give_slot() {
    {
        std::lock_guard lock(mutex_);
        --slots_used_;
    }
    changed_.notify_all();
}

std::optional<store::RunState> SharedPoints::state_of(const std::string& child) {
    std::lock_guard lock(mutex_);
    auto it = states_.find(child);
    if (it == states_.end()) return std::nullopt;
    return it->second;
}

void SharedPoints::poll() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        std::vector<std::pair<std::string, store::RunState>> states;
        bool read = true;
        try {
            states = store_.child_run_states(batch_.id);
        } catch (const std::exception&) {
            read = false;  // the lanes meet the same trouble and wait for the database themselves
        }
        lock.lock();
        // Children queued since the query started stay as run_child put them.
        if (read)
            for (auto& [id, state] : states) states_[id] = state;
        changed_.notify_all();
        changed_.wait_for(lock, options_.poll, [this] { return stopping_; });
    }
}

void SharedPoints::renew() {
    const auto every = std::chrono::milliseconds(std::max<std::int64_t>(1, options_.lease_ms / 3));
    auto last = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        changed_.wait_for(lock, std::min<std::chrono::milliseconds>(every, std::chrono::milliseconds(250)),
                          [this] { return stopping_; });
        if (stopping_) return;
        const bool stop = cancelled();
        const bool due = std::chrono::steady_clock::now() - last >= every;
        auto held = held_;
        lock.unlock();
        for (auto& [id, claim] : held) {
            auto& [attempt, cancel] = claim;
            if (stop) cancel->store(true);
            if (!due) continue;
            try {
                if (!store_.renew_lease(id, options_.owner, attempt, options_.lease_ms)) cancel->store(true);
            } catch (const std::exception&) {
                // Unreachable database: try again next time; the lease may still be ours then.
            }
        }
        if (due) last = std::chrono::steady_clock::now();
        lock.lock();
    }
}

void SharedPoints::clear_children() {
    for (const auto& child : store_.list_child_runs(batch_.id)) {
        try {
            if (!store::is_terminal(child.state)) {
                if (store::is_terminal(store_.request_cancel(batch_.workspace_id, child.id).state))
                    store_.delete_run(batch_.workspace_id, child.id);
            } else {
                store_.delete_run(batch_.workspace_id, child.id);
            }
        } catch (const store::NotFound&) {
        } catch (const store::Conflict&) {
        }
    }
}

}  // namespace holon::batch_runs
