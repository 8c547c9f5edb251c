// A plugin library opened in the test process: dlopen + the one entry symbol, closed on
// destruction. Test-only; the real host loads plugins in runner processes.
#pragma once

#include <holon/holon_plugin.h>

#include <string>

namespace holon::abi_test {

class PluginLibrary {
public:
    // Opens `path` (RTLD_NOW | RTLD_LOCAL, as the host does); throws std::runtime_error with
    // dlerror() when it cannot be opened or has no holon_plugin_entry.
    explicit PluginLibrary(const std::string &path);
    ~PluginLibrary();
    PluginLibrary(const PluginLibrary &) = delete;
    PluginLibrary &operator=(const PluginLibrary &) = delete;

    holon_plugin_entry_fn entry_function() const { return entry_; }

    // Calls the entry with `version`, as a host of that version would.
    const holon_plugin_entry_t *entry(const holon_version_t &version) const { return entry_(&version); }

private:
    void *handle_ = nullptr;
    holon_plugin_entry_fn entry_ = nullptr;
};

// The version of the headers this test is compiled with: the current host.
inline holon_version_t current_host_version() { return {HOLON_ABI_MAJOR, HOLON_ABI_MINOR, HOLON_ABI_PATCH}; }

} // namespace holon::abi_test
