// The plugins this host can use and their methods, found by discovery and described by loading
// each plugin in a runner process (never in the host).
#pragma once

#include "registry/discovery.hpp"
#include "registry/manifest.hpp"
#include "runner/runner_pool.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holon::jsonschema {
class Schema;
}

namespace holon::registry {

struct PluginEntry;

struct MethodEntry {
    runner::MethodDescription description;
    const PluginEntry *plugin = nullptr;
    std::shared_ptr<const jsonschema::Schema> params_schema;
    std::shared_ptr<const jsonschema::Schema> result_schema;
    std::vector<std::string> formats; // importer/exporter formats, split and lower-cased
};

struct PluginEntry {
    Manifest manifest;
    runner::PluginDescription description;
    std::string error; // why the plugin is unusable; empty when it is fine
    bool usable() const { return error.empty(); }
    runner::PluginTarget target() const;
};

class Registry {
public:
    // Discovers every plugin on the search path. A broken plugin does not stop discovery: it is
    // kept with its error so `holon plugins` can show why it is missing.
    static Registry discover(const SearchOptions &options, runner::RunnerPool &pool);

    // Adds one plugin folder (used by discovery and by `holon plugin check`). Returns the entry,
    // which carries an error instead of throwing when the plugin is unusable.
    const PluginEntry &add_plugin_dir(const std::filesystem::path &dir, runner::RunnerPool &pool);

    const std::vector<std::unique_ptr<PluginEntry>> &plugins() const { return plugins_; }
    const MethodEntry *find_method(std::string_view id) const;
    // The importer/exporter method for a format name such as "xmile" or "graphml".
    const MethodEntry *importer_for(std::string_view format) const;
    const MethodEntry *exporter_for(std::string_view format) const;
    std::vector<const MethodEntry *> methods_of(const PluginEntry &plugin) const;
    // Every format some importer reads, sorted.
    std::vector<std::string> import_formats() const;

private:
    static std::unique_ptr<PluginEntry> load_entry(const std::filesystem::path &dir);
    // Loads the plugin in a runner and keeps its description; returns why it could not, or "".
    // Touches only `entry`, so several may run at once.
    static std::string fetch_description(PluginEntry &entry, runner::RunnerPool &pool);
    // Shadowing, then the description (fetched here when `fetch_error` is nullopt; else its
    // outcome): its checks and its methods.
    const PluginEntry &add_entry(std::unique_ptr<PluginEntry> entry, std::optional<std::string> fetch_error,
                                 runner::RunnerPool &pool);
    void register_methods(PluginEntry &entry);
    std::vector<std::unique_ptr<PluginEntry>> plugins_;
    std::map<std::string, std::unique_ptr<MethodEntry>, std::less<>> methods_;
};

} // namespace holon::registry
