#include "cli/host_session.hpp"

namespace holon::cli {

HostSession::HostSession(const GlobalOptions &options, bool discover) {
    runner::PoolOptions po;
    po.runner_executable = runner::default_runner_executable();
    pool_ = std::make_unique<runner::RunnerPool>(po);
    if (discover) {
        registry::SearchOptions so;
        for (const auto &p : options.plugin_paths) so.explicit_paths.emplace_back(p);
        registry_ = registry::Registry::discover(so, *pool_);
    }
    executor_ = std::make_unique<execution::Executor>(registry_, *pool_);
}

} // namespace holon::cli
