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
        // A point with input tables runs here, within this host's share of runners.
        Slot slot(*this, true);
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
    execution::ChunkOutcome out;
    try {
        auto [child, outputs] = run_child(chunk_method, chunk_params(request));
        out = chunk_outcome(child, outputs);
    } catch (const std::exception& e) {
        out.task = execution::host_failure(HOLON_ERR_FAILED, "batch-failed", std::string("sharing the points failed: ") + e.what());
        return out;
    }
    if (out.task.ok() && out.points.size() != request.params_json.size()) {
        out.points.clear();
        out.task = execution::host_failure(HOLON_ERR_FAILED, "batch-failed",
                                           "a chunk of the batch came back with another number of points than it had");
    }
    return out;
}

SharedPoints::Slot::Slot(SharedPoints& owner, bool wait) : owner_(owner) {
    std::unique_lock lock(owner_.mutex_);
    if (wait) owner_.changed_.wait(lock, [this] { return owner_.slots_used_ < owner_.jobs_; });
    held_ = owner_.slots_used_ < owner_.jobs_;
    if (held_) ++owner_.slots_used_;
}

SharedPoints::Slot::~Slot() {
    if (!held_) return;
    {
        std::lock_guard lock(owner_.mutex_);
        --owner_.slots_used_;
    }
    owner_.changed_.notify_all();
}

std::pair<store::Run, store::RunOutputs> SharedPoints::run_child(const std::string& method, const std::string& params) {
    store::NewRun request;
    request.method = method;
    request.params_json = params;
    request.parent_id = batch_.id;
    std::optional<store::Run> child;
    for (;;) {
        try {
            if (cancelled()) {
                // Cancelled by a user or stopped by a draining host: either way the child is not
                // needed by this batch any more (a resumed batch queues its points again). Best
                // effort: a database that is away must not hold up a draining host.
                if (child) {
                    try {
                        store_.request_cancel(batch_.workspace_id, child->id);
                    } catch (const std::exception&) {
                    }
                    forget(child->id);
                    return {stopped(*child), {}};
                }
                store::Run never_queued;
                never_queued.id = "(not queued)";
                return {stopped(never_queued), {}};
            }
            if (!child) {
                child = store_.create_run(batch_.workspace_id, request);
                std::lock_guard lock(mutex_);
                states_[child->id] = store::RunState::queued;
            }
            const auto state = state_of(child->id);
            if (state && store::is_terminal(*state)) {
                auto done = std::make_pair(store_.get_run(batch_.workspace_id, child->id),
                                           store_.get_outputs(batch_.workspace_id, child->id));
                forget(child->id);
                return done;
            }
            if (!state || *state == store::RunState::queued) {
                Slot slot(*this, false);
                if (slot.held()) {
                    if (auto mine = store_.claim_run(child->id, options_.owner, options_.lease_ms)) {
                        auto done = run_here(std::move(*mine));
                        if (done) {
                            forget(child->id);
                            return std::move(*done);
                        }
                        continue;  // stopped, or the lease was lost: the child is another host's now
                    }
                }
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
    // Whatever happens below (the database may go away), the child is no longer renewed here.
    struct Unhold {
        SharedPoints& self;
        const std::string& id;
        ~Unhold() {
            std::lock_guard lock(self.mutex_);
            self.held_.erase(id);
        }
    } unhold{*this, child.id};
    auto encoded = execute_child(store_, executor_, child, cancel.get());
    auto outcome = jobs::to_store_outcome(std::move(encoded));
    if (outcome.state == store::RunState::cancelled && cancelled()) {
        // The batch stopped: the child ends cancelled (not back in the queue for nobody).
        store_.finish(child.id, options_.owner, child.attempts, outcome);
        return std::nullopt;
    }
    if (!store_.finish(child.id, options_.owner, child.attempts, outcome)) return std::nullopt;
    child.state = outcome.state;
    child.error_json = outcome.error_json;
    return std::make_pair(std::move(child), std::move(outcome.outputs));
}

// A child whose results the batch has read: deleted at once, so that a long sweep does not keep
// a second copy of its results in the database (if this host dies before the batch records them,
// those points simply run again).
void SharedPoints::forget(const std::string& child) {
    {
        std::lock_guard lock(mutex_);
        states_.erase(child);
    }
    try {
        store_.delete_run(batch_.workspace_id, child);
    } catch (const std::exception&) {
        // Not finished yet (a cancelled child still running elsewhere) or the database is away:
        // clear_children or the batch's deletion takes it.
    }
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
        const bool waiting = !states_.empty();
        lock.unlock();
        std::vector<std::pair<std::string, store::RunState>> states;
        bool read = false;
        if (waiting) {  // no query while no lane waits (single-point steps, reports)
            try {
                states = store_.child_run_states(batch_.id);
                read = true;
            } catch (const std::exception&) {
                // the lanes meet the same trouble and wait for the database themselves
            }
        }
        lock.lock();
        // Only the children a lane waits for: one queued since the query started stays as
        // run_child put it, one forgotten meanwhile is not brought back.
        if (read)
            for (auto& [id, state] : states)
                if (auto it = states_.find(id); it != states_.end()) it->second = state;
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
