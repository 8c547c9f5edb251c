// Loads one plugin library inside the runner and checks its entry before any method runs.
#pragma once

#include "runner/task_types.hpp"

#include "holon/holon_plugin.h"

#include <memory>
#include <stdexcept>
#include <string>

namespace holon::runner {

// A plugin that cannot be used; `problem` is "plugin-load-failed" or "abi-mismatch".
class LoadError : public std::runtime_error {
public:
    LoadError(std::string problem, const std::string &message)
        : std::runtime_error(message), problem_(std::move(problem)) {}
    const std::string &problem() const { return problem_; }

private:
    std::string problem_;
};

class LoadedPlugin {
public:
    // Loads the library (RTLD_NOW | RTLD_LOCAL), calls holon_plugin_entry, checks the ABI major,
    // id and version (unless expected_id / expected_version are empty), calls init and fetches the
    // "holon.method-factory/1" factory. Throws LoadError.
    LoadedPlugin(const std::string &library_path, const std::string &plugin_dir, const std::string &expected_id,
                 const std::string &expected_version);
    ~LoadedPlugin(); // calls deinit, then unloads
    LoadedPlugin(const LoadedPlugin &) = delete;
    LoadedPlugin &operator=(const LoadedPlugin &) = delete;

    const holon_method_factory_v1_t &factory() const { return *factory_; }
    const PluginDescription &description() const { return description_; }

private:
    struct Library;
    std::unique_ptr<Library> library_;
    const holon_plugin_entry_t *entry_ = nullptr;
    const holon_method_factory_v1_t *factory_ = nullptr;
    PluginDescription description_;
};

} // namespace holon::runner
