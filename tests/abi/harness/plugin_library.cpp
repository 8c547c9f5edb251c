#include "plugin_library.hpp"

#include <dlfcn.h>

#include <stdexcept>

namespace holon::abi_test {

PluginLibrary::PluginLibrary(const std::string &path) {
    handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle_) throw std::runtime_error("dlopen " + path + ": " + dlerror());
    void *symbol = dlsym(handle_, HOLON_PLUGIN_ENTRY_SYMBOL);
    if (!symbol) {
        std::string why = dlerror();
        dlclose(handle_);
        throw std::runtime_error(path + ": no " HOLON_PLUGIN_ENTRY_SYMBOL ": " + why);
    }
    // POSIX guarantees that a data pointer from dlsym converts to a function pointer.
    entry_ = reinterpret_cast<holon_plugin_entry_fn>(symbol);
}

PluginLibrary::~PluginLibrary() {
    if (handle_) dlclose(handle_);
}

} // namespace holon::abi_test
