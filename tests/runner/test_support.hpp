// Helpers shared by the runner tests: fixture plugin targets, small limits, process accounting.
#pragma once

#include "runner_pool.hpp"

#include <string>

namespace holon::runner::test {

// The fixture plugin built from tests/fixtures/<name> (library path and plugin folder). The id
// and version are left empty: only fixtures whose manifest matters set them.
PluginTarget fixture(const std::string &library_path);

PoolOptions pool_options();

// Small limits so that each misbehaving fixture fails fast: cpu 1 s, wall 1.5 s, memory 512 MB,
// output 16 MB.
Limits small_limits();

// Entries of /proc/self/fd.
int count_open_fds();
// Children of this process in state Z (exited but not reaped).
int count_zombie_children();
// Children of this process in any state.
int count_children();

} // namespace holon::runner::test
