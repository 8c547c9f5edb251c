#include "runner_child/plugin_loader.hpp"

#include <vector> // Boost 1.74's DLL headers use std::vector without including it
#include <boost/dll/shared_library.hpp>

namespace holon::runner {

struct LoadedPlugin::Library {
    boost::dll::shared_library library;
};

namespace {

const char *text(const char *s) { return s ? s : ""; }

std::string version_text(const holon_version_t &v) {
    return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
}

const void *no_host_extension(const holon_host_t *, const char *) { return nullptr; }

// UBSan's -fsanitize=function compares the caller's and the callee's type_info objects by
// address. A plugin's type_info is local to it (its version script exports only the entry
// symbol), so this check would flag every correct call of the entry; the ABI check below
// (struct_size and abi.major) is what guards this call.
#if defined(__clang__)
__attribute__((no_sanitize("function")))
#endif
const holon_plugin_entry_t *
call_entry(holon_plugin_entry_fn entry, const holon_version_t *host_version) {
    return entry(host_version);
}

MethodDescription describe_method(const holon_method_descriptor_t *descriptor) {
    const holon_method_descriptor_t &d = *descriptor;
    MethodDescription m;
    m.id = text(d.id);
    m.name = text(d.name);
    m.description = text(d.description);
    m.params_schema = text(d.params_schema);
    m.result_schema = text(d.result_schema);
    m.kind = d.kind;
    m.flags = d.flags;
    if (HOLON_HAS_FIELD(descriptor, holon_method_descriptor_t, formats)) m.formats = text(d.formats);
    return m;
}

} // namespace

LoadedPlugin::LoadedPlugin(const std::string &library_path, const std::string &plugin_dir,
                           const std::string &expected_id, const std::string &expected_version)
    : library_(std::make_unique<Library>()) {
    try {
        library_->library.load(library_path,
                               boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception &e) {
        throw LoadError("plugin-load-failed", "cannot load " + library_path + ": " + e.what());
    }
    if (!library_->library.has(HOLON_PLUGIN_ENTRY_SYMBOL))
        throw LoadError("plugin-load-failed", library_path + " does not export " HOLON_PLUGIN_ENTRY_SYMBOL);

    const holon_version_t host_version{HOLON_ABI_MAJOR, HOLON_ABI_MINOR, HOLON_ABI_PATCH};
    auto &entry_fn = library_->library.get<const holon_plugin_entry_t *(const holon_version_t *)>(HOLON_PLUGIN_ENTRY_SYMBOL);
    entry_ = call_entry(&entry_fn, &host_version);
    if (!entry_)
        throw LoadError("abi-mismatch", "plugin refused to run under host SDK " + version_text(host_version));
    if (entry_->struct_size < sizeof(uint32_t) + sizeof(holon_version_t))
        throw LoadError("plugin-load-failed", "plugin entry is too small to carry a version");
    if (entry_->abi.major != HOLON_ABI_MAJOR)
        throw LoadError("abi-mismatch", "plugin built for SDK major " + std::to_string(entry_->abi.major) +
                                            ", host is " + std::to_string(HOLON_ABI_MAJOR));
    if (!HOLON_HAS_FIELD(entry_, holon_plugin_entry_t, get_factory) || !entry_->init || !entry_->get_factory)
        throw LoadError("plugin-load-failed", "plugin entry lacks init or get_factory");

    description_.plugin_id = text(entry_->plugin_id);
    description_.plugin_version = text(entry_->plugin_version);
    description_.abi_major = entry_->abi.major;
    description_.abi_minor = entry_->abi.minor;
    description_.abi_patch = entry_->abi.patch;
    if (!expected_id.empty() && description_.plugin_id != expected_id)
        throw LoadError("plugin-load-failed", "plugin reports id '" + description_.plugin_id +
                                                  "' but its manifest says '" + expected_id + "'");
    if (!expected_version.empty() && description_.plugin_version != expected_version)
        throw LoadError("plugin-load-failed", "plugin reports version '" + description_.plugin_version +
                                                  "' but its manifest says '" + expected_version + "'");

    const holon_host_t host{static_cast<uint32_t>(sizeof(holon_host_t)), host_version, "holon", "0.1.0",
                            &no_host_extension};
    int32_t rc = entry_->init(&host, plugin_dir.c_str());
    if (rc != HOLON_OK) {
        entry_ = nullptr; // a failed init is not followed by deinit
        throw LoadError("plugin-load-failed", "plugin init failed with status " + std::to_string(rc));
    }
    factory_ = static_cast<const holon_method_factory_v1_t *>(entry_->get_factory(HOLON_FACTORY_METHODS));
    if (!factory_ || !HOLON_HAS_FIELD(factory_, holon_method_factory_v1_t, run) || !factory_->count ||
        !factory_->get || !factory_->run)
        throw LoadError("plugin-load-failed", "plugin offers no usable " HOLON_FACTORY_METHODS " factory");

    uint32_t count = factory_->count(factory_);
    for (uint32_t i = 0; i < count; ++i) {
        const holon_method_descriptor_t *d = factory_->get(factory_, i);
        if (!d || !HOLON_HAS_FIELD(d, holon_method_descriptor_t, flags) || !d->id)
            throw LoadError("plugin-load-failed", "method descriptor " + std::to_string(i) + " is missing or malformed");
        description_.methods.push_back(describe_method(d));
    }
}

LoadedPlugin::~LoadedPlugin() {
    if (entry_ && factory_ && entry_->deinit) entry_->deinit();
}

} // namespace holon::runner
