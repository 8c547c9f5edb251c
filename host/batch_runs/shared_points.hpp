// The points of a REST batch shared by every host of a shared database (issue 20 part 3). Each
// chunk of a sweep with outcomes, and each point of a step without, is queued as a child run of
// the batch (child_runs.hpp) that the job engine of any host claims. The batch runs up to `jobs`
// of its own children itself, claiming them by id while they are still queued, so that it never
// waits on hosts that are busy or absent; the others go to whichever host claims them first. A
// host that dies loses its leases and its children are rescued and run elsewhere; the batch
// records each point once, from the child that finished it.
#pragma once

#include "batch/batch.hpp"
#include "store/store.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace holon::batch_runs {

struct SharedPointsOptions {
    std::string owner;             // the lease owner of this host's job engine
    std::int64_t lease_ms = 30000; // leases of the children this batch runs itself
    unsigned lanes_per_job = 4;    // children in flight per point the batch runs itself
    std::chrono::milliseconds poll{100};  // how often waiting lanes look at their children's states
};

class SharedPoints final : public batch::PointRunner {
public:
    // `jobs`: the children this host runs at once for the batch. `cancel` (the batch's; may be
    // null) stops the children this host runs and the waiting for the others.
    SharedPoints(store::Store& store, const execution::Executor& executor, store::Run batch, unsigned jobs,
                 const std::atomic<bool>* cancel, SharedPointsOptions options);
    ~SharedPoints() override;
    SharedPoints(const SharedPoints&) = delete;
    SharedPoints& operator=(const SharedPoints&) = delete;

    runner::TaskOutcome run(const execution::RunRequest& request, const runner::TaskCallbacks& callbacks) override;
    execution::ChunkOutcome run_chunk(const execution::ChunkRequest& request, const runner::TaskCallbacks& callbacks) override;
    unsigned lanes(unsigned jobs) const override;

    // The batch's children so far: deleted when finished, cancelled when not. Before the batch
    // starts, for the children an earlier attempt of it left (its host died or drained: their
    // points run again); after it, because their results are in the batch's files now.
    void clear_children();

private:
    // Queues a child with these params and waits for it, running it here when a local slot is
    // free first. Returns the finished child (state and outputs).
    std::pair<store::Run, store::RunOutputs> run_child(const std::string& method, const std::string& params);
    // Runs the child here (it was claimed by this host); nothing when the batch stopped meanwhile
    // or the lease was lost (the child is then someone else's).
    std::optional<std::pair<store::Run, store::RunOutputs>> run_here(store::Run child);
    bool cancelled() const { return cancel_ && cancel_->load(); }
    // One of the `jobs` children this host runs at once for the batch; `wait`: until one is free.
    class Slot {
    public:
        Slot(SharedPoints& owner, bool wait);
        ~Slot();
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        bool held() const { return held_; }

    private:
        SharedPoints& owner_;
        bool held_ = false;
    };
    void forget(const std::string& child);
    std::optional<store::RunState> state_of(const std::string& child);
    void poll();
    void renew();

    store::Store& store_;
    const execution::Executor& executor_;
    store::Run batch_;
    unsigned jobs_;
    const std::atomic<bool>* cancel_;
    SharedPointsOptions options_;

    std::mutex mutex_;
    std::condition_variable changed_;
    unsigned slots_used_ = 0;
    std::map<std::string, store::RunState> states_;   // the children's states as last polled
    std::map<std::string, std::pair<int, std::shared_ptr<std::atomic<bool>>>> held_;  // children running here: their attempt (the lease fence) and cancel flag
    bool stopping_ = false;
    std::thread poller_, renewer_;
};

}  // namespace holon::batch_runs
