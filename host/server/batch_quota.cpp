#include "server/batch_quota.hpp"

#include "api/usage.hpp"
#include "batch_runs/batch_runs.hpp"
#include "execution/executor.hpp"

#include <holon/holon_plugin.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace holon::server {

jobs::HostMethod with_storage_quota(jobs::HostMethod batch, std::int64_t quota,
                                    std::function<std::int64_t(const std::string& workspace)> usage,
                                    std::filesystem::path batch_root) {
    if (quota <= 0) return batch;
    return [batch = std::move(batch), quota, usage = std::move(usage), batch_root = std::move(batch_root)](
               const store::Run& run, jobs::HostRunContext& context) {
        const auto dir = batch_runs::batch_dir(batch_root, run.id);
        std::int64_t others = 0;  // everything of the workspace but this batch's folder
        try {
            others = usage(run.workspace_id) - api::directory_bytes(dir);
        } catch (const std::exception&) {
        }
        std::atomic<bool> cancel{false};
        std::atomic<bool> over{false};
        std::mutex mutex;
        std::condition_variable wake;
        bool done = false;
        std::thread watcher([&] {
            auto next_measure = std::chrono::steady_clock::now();
            std::unique_lock lock(mutex);
            while (!done) {
                wake.wait_for(lock, std::chrono::milliseconds(50));
                if (done) break;
                if (context.cancel && context.cancel->load()) cancel = true;
                if (std::chrono::steady_clock::now() < next_measure) continue;
                lock.unlock();
                const auto used = others + api::directory_bytes(dir);
                lock.lock();
                next_measure = std::chrono::steady_clock::now() + std::chrono::seconds(1);
                if (used >= quota && !over) {
                    over = true;
                    cancel = true;
                }
            }
        });
        jobs::HostRunContext own;
        own.cancel = &cancel;
        own.progress = context.progress;
        runner::TaskOutcome outcome;
        try {
            outcome = batch(run, own);
        } catch (...) {
            {
                std::lock_guard lock(mutex);
                done = true;
            }
            wake.notify_all();
            watcher.join();
            throw;
        }
        {
            std::lock_guard lock(mutex);
            done = true;
        }
        wake.notify_all();
        watcher.join();
        if (over && !(context.cancel && context.cancel->load()))
            return execution::host_failure(HOLON_ERR_FAILED, "quota-exceeded",
                                           "the workspace reached its storage quota of " + std::to_string(quota) +
                                               " bytes; the batch was stopped (finished points are kept)");
        return outcome;
    };
}

}  // namespace holon::server
