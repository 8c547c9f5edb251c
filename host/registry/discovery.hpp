// Where plugins are looked for, in order of precedence.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace holon::registry {

struct SearchOptions {
    std::vector<std::filesystem::path> explicit_paths; // --plugin-path, highest precedence
    bool use_environment = true;                        // HOLON_PLUGIN_PATH (colon-separated)
    bool use_defaults = true;                           // the build tree and the install prefix
};

// The folders to search, most important first: --plugin-path, HOLON_PLUGIN_PATH, then the plugins
// built beside the executable (<exe>/../plugins, the build tree) and the install prefix
// (<exe>/../lib/holon/plugins). Missing folders are kept out.
std::vector<std::filesystem::path> search_path(const SearchOptions &options);

// Plugin folders (folders holding a plugin.json) under the search path: an entry may itself be a
// plugin folder or hold plugin folders one level down. Sorted within each entry; an id found in
// an earlier entry shadows later ones (decided by the registry, which reads the ids).
std::vector<std::filesystem::path> find_plugin_dirs(const std::vector<std::filesystem::path> &search);

// The folder of the running executable (from /proc/self/exe).
std::filesystem::path executable_dir();

} // namespace holon::registry
