// The host pieces a CLI command needs — runner pool, plugin registry, executor — built once from
// the global options.
#pragma once

#include "execution/executor.hpp"
#include "registry/registry.hpp"
#include "runner/runner_pool.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace holon::cli {

struct GlobalOptions {
    std::vector<std::string> plugin_paths; // --plugin-path
};

class HostSession {
public:
    explicit HostSession(const GlobalOptions &options, bool discover = true);
    runner::RunnerPool &pool() { return *pool_; }
    registry::Registry &registry() { return registry_; }
    execution::Executor &executor() { return *executor_; }

private:
    std::unique_ptr<runner::RunnerPool> pool_;
    registry::Registry registry_;
    std::unique_ptr<execution::Executor> executor_;
};

} // namespace holon::cli
