// The storage quota while a batch runs: a batch that was accepted under the quota but fills it
// (a 10^6-point sweep writes gigabytes) is stopped and fails with /problems/quota-exceeded; the
// points it finished stay downloadable (or deletable).
#pragma once

#include "jobs/job_engine.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace holon::server {

// `batch` wrapped with a watcher that measures the workspace's usage (`usage`, at the start) plus
// the batch's growing output folder (about once a second) against `quota` bytes. quota <= 0:
// `batch` itself.
jobs::HostMethod with_storage_quota(jobs::HostMethod batch, std::int64_t quota,
                                    std::function<std::int64_t(const std::string& workspace)> usage,
                                    std::filesystem::path batch_root);

}  // namespace holon::server
