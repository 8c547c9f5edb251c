#include "registry/discovery.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace holon::registry {

std::filesystem::path executable_dir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return std::filesystem::current_path();
    return exe.parent_path();
}

std::vector<std::filesystem::path> search_path(const SearchOptions &options) {
    std::vector<std::filesystem::path> out;
    auto add = [&](const std::filesystem::path &p) {
        std::error_code ec;
        if (p.empty() || !std::filesystem::is_directory(p, ec)) return;
        auto canon = std::filesystem::weakly_canonical(p, ec);
        if (ec) canon = p;
        if (std::find(out.begin(), out.end(), canon) == out.end()) out.push_back(canon);
    };
    for (const auto &p : options.explicit_paths) add(p);
    if (options.use_environment) {
        if (const char *env = std::getenv("HOLON_PLUGIN_PATH")) {
            std::stringstream ss(env);
            std::string item;
            while (std::getline(ss, item, ':')) add(item);
        }
    }
    if (options.use_defaults) {
        const auto exe = executable_dir();
        add(exe.parent_path() / "plugins");                // build tree: build/bin/holon + build/plugins/
        add(exe.parent_path() / "lib" / "holon" / "plugins"); // install prefix: bin/holon + lib/holon/plugins/
    }
    return out;
}

std::vector<std::filesystem::path> find_plugin_dirs(const std::vector<std::filesystem::path> &search) {
    std::vector<std::filesystem::path> out;
    for (const auto &entry : search) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(entry / "plugin.json", ec)) {
            out.push_back(entry);
            continue;
        }
        std::vector<std::filesystem::path> here;
        for (const auto &child : std::filesystem::directory_iterator(entry, ec)) {
            std::error_code ec2;
            if (child.is_directory(ec2) && std::filesystem::is_regular_file(child.path() / "plugin.json", ec2))
                here.push_back(child.path());
        }
        std::sort(here.begin(), here.end());
        out.insert(out.end(), here.begin(), here.end());
    }
    return out;
}

} // namespace holon::registry
