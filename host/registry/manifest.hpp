// A plugin's manifest (plugin.json): what the host knows about a plugin before loading any code.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace holon::registry {

// Limits a manifest may set as defaults for one method. Unset fields keep the host defaults.
struct LimitOverrides {
    std::optional<double> wall_seconds;
    std::optional<double> cpu_seconds;
    std::optional<uint64_t> memory_bytes;
    std::optional<uint64_t> output_bytes;
};

struct Manifest {
    std::string id;
    std::string version;
    uint32_t abi_major = 0;
    uint32_t abi_minor = 0;
    std::string library;       // file name inside dir
    std::string license;
    std::string description;
    std::vector<std::string> methods;
    std::map<std::string, LimitOverrides> limits; // per method id
    std::filesystem::path dir;                    // the folder holding plugin.json
    std::filesystem::path library_path() const { return dir / library; }
};

// A manifest that cannot be used. `what()` is one line naming the file, the JSON path and the
// problem, e.g. "plugins/x/plugin.json: /abi: must match ^[0-9]+\.[0-9]+$".
class ManifestError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    ManifestError(const std::string &message, Manifest partial)
        : std::runtime_error(message), partial_(std::move(partial)) {}
    // What could be read before the problem was found (id, version, ... may be empty).
    const Manifest &partial() const { return partial_; }

private:
    Manifest partial_;
};

// Reads and validates `<dir>/plugin.json` (schema, then semantics: the library exists inside the
// folder, method ids start with "<id>.", ABI major matches this host). No plugin code is loaded.
Manifest load_manifest(const std::filesystem::path &plugin_dir);

} // namespace holon::registry
