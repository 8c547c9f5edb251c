#include "test_support.hpp"

#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace holon::runner::test {

PluginTarget fixture(const std::string &library_path) {
    PluginTarget target;
    target.library_path = library_path;
    target.plugin_dir = std::filesystem::path(library_path).parent_path().string();
    return target;
}

PoolOptions pool_options() {
    PoolOptions options;
    options.runner_executable = HOLON_RUNNER_EXE;
    return options;
}

Limits small_limits() {
    Limits limits;
    limits.cpu_seconds = 1;
    limits.wall_seconds = 1.5;
    limits.memory_bytes = uint64_t{512} << 20;
    limits.output_bytes = uint64_t{16} << 20;
    return limits;
}

int count_open_fds() {
    int n = 0;
    for (const auto &entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        (void)entry;
        ++n;
    }
    return n - 1; // the iterator's own descriptor
}

namespace {

// Calls f(state, ppid) for every process.
template <class F>
void for_each_process(F f) {
    for (const auto &entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "stat");
        std::string line;
        if (!std::getline(in, line)) continue;
        size_t close_paren = line.rfind(')');
        if (close_paren == std::string::npos) continue;
        std::istringstream fields(line.substr(close_paren + 1));
        char state = 0;
        long ppid = 0;
        fields >> state >> ppid;
        f(state, ppid);
    }
}

} // namespace

int count_zombie_children() {
    int n = 0;
    const long self = getpid();
    for_each_process([&](char state, long ppid) { n += (ppid == self && state == 'Z') ? 1 : 0; });
    return n;
}

int count_children() {
    int n = 0;
    const long self = getpid();
    for_each_process([&](char, long ppid) { n += ppid == self ? 1 : 0; });
    return n;
}

} // namespace holon::runner::test
