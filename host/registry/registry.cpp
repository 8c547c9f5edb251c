#include "registry/registry.hpp"

#include "jsonschema/json_schema.hpp"

#include <holon/holon_plugin.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

namespace holon::registry {
namespace {

std::vector<std::string> split_formats(const std::string &formats) {
    std::vector<std::string> out;
    std::stringstream ss(formats);
    std::string item;
    while (std::getline(ss, item, ',')) {
        item.erase(std::remove_if(item.begin(), item.end(), [](unsigned char c) { return std::isspace(c); }),
                   item.end());
        std::transform(item.begin(), item.end(), item.begin(), [](unsigned char c) { return std::tolower(c); });
        if (!item.empty()) out.push_back(item);
    }
    return out;
}

const MethodEntry *find_by_format(const std::map<std::string, std::unique_ptr<MethodEntry>, std::less<>> &methods,
                                  std::string_view format, int32_t kind) {
    std::string f(format);
    std::transform(f.begin(), f.end(), f.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const auto &[id, m] : methods) {
        if (m->description.kind != kind) continue;
        if (std::find(m->formats.begin(), m->formats.end(), f) != m->formats.end()) return m.get();
    }
    return nullptr;
}

} // namespace

runner::PluginTarget PluginEntry::target() const {
    return runner::PluginTarget{manifest.library_path().string(), manifest.dir.string(), manifest.id,
                                manifest.version};
}

Registry Registry::discover(const SearchOptions &options, runner::RunnerPool &pool) {
    Registry reg;
    std::vector<std::unique_ptr<PluginEntry>> entries;
    for (const auto &dir : find_plugin_dirs(search_path(options))) entries.push_back(load_entry(dir));
    // Each description takes a runner start (tens of milliseconds): ask for them all at once.
    // Registration stays in search-path order below, so shadowing and duplicate methods are
    // decided exactly as if the plugins had been described one by one.
    // A plugin whose id an earlier folder already has is left to add_entry: it is described only
    // if the earlier one turns out unusable (else it is shadowed and never loaded).
    std::vector<std::optional<std::string>> fetched(entries.size());
    {
        std::set<std::string> ids;
        std::vector<std::thread> threads;
        for (size_t i = 0; i < entries.size(); ++i) {
            if (!entries[i]->usable() || !ids.insert(entries[i]->manifest.id).second) continue;
            threads.emplace_back([&, i] { fetched[i] = fetch_description(*entries[i], pool); });
        }
        for (auto &t : threads) t.join();
    }
    for (size_t i = 0; i < entries.size(); ++i) reg.add_entry(std::move(entries[i]), fetched[i], pool);
    return reg;
}

std::unique_ptr<PluginEntry> Registry::load_entry(const std::filesystem::path &dir) {
    auto entry = std::make_unique<PluginEntry>();
    entry->manifest.dir = dir;
    try {
        entry->manifest = load_manifest(dir);
    } catch (const ManifestError &e) {
        entry->manifest = e.partial();
        entry->manifest.dir = dir;
        entry->error = e.what();
    }
    return entry;
}

std::string Registry::fetch_description(PluginEntry &entry, runner::RunnerPool &pool) {
    try {
        entry.description = pool.describe(entry.target());
        return {};
    } catch (const runner::RunnerError &e) {
        return entry.manifest.dir.string() + ": " + e.what();
    }
}

const PluginEntry &Registry::add_entry(std::unique_ptr<PluginEntry> entry, std::optional<std::string> fetch_error,
                                       runner::RunnerPool &pool) {
    if (entry->usable()) {
        for (const auto &other : plugins_) {
            if (other->manifest.id == entry->manifest.id && other->usable()) {
                entry->error = "plugin id '" + entry->manifest.id + "' is shadowed by " + other->manifest.dir.string();
                break;
            }
        }
    }
    if (entry->usable()) {
        if (!fetch_error) fetch_error = fetch_description(*entry, pool);
        if (!fetch_error->empty()) entry->error = *fetch_error;
        else register_methods(*entry);
    }
    plugins_.push_back(std::move(entry));
    return *plugins_.back();
}

const PluginEntry &Registry::add_plugin_dir(const std::filesystem::path &dir, runner::RunnerPool &pool) {
    return add_entry(load_entry(dir), std::nullopt, pool);
}

void Registry::register_methods(PluginEntry &entry) {
    const auto &m = entry.manifest;
    const auto &d = entry.description;
    auto fail = [&](const std::string &why) { entry.error = (m.dir / "plugin.json").string() + ": " + why; };
    if (d.plugin_id != m.id) return fail("library says id '" + d.plugin_id + "', manifest says '" + m.id + "'");
    if (d.plugin_version != m.version)
        return fail("library says version '" + d.plugin_version + "', manifest says '" + m.version + "'");
    std::set<std::string> declared(m.methods.begin(), m.methods.end()), offered;
    for (const auto &md : d.methods) offered.insert(md.id);
    for (const auto &id : declared)
        if (!offered.count(id)) return fail("method '" + id + "' is in the manifest but not in the library");
    for (const auto &id : offered)
        if (!declared.count(id)) return fail("method '" + id + "' is in the library but not in the manifest");

    std::vector<std::unique_ptr<MethodEntry>> staged;
    for (const auto &md : d.methods) {
        if (methods_.count(md.id)) return fail("method '" + md.id + "' is already provided by another plugin");
        auto me = std::make_unique<MethodEntry>();
        me->description = md;
        me->plugin = &entry;
        me->formats = split_formats(md.formats);
        try {
            me->params_schema = std::make_shared<const jsonschema::Schema>(jsonschema::Schema::parse(md.params_schema));
        } catch (const std::exception &e) {
            return fail("method '" + md.id + "': params schema: " + e.what());
        }
        try {
            me->result_schema = std::make_shared<const jsonschema::Schema>(jsonschema::Schema::parse(md.result_schema));
        } catch (const std::exception &e) {
            return fail("method '" + md.id + "': result schema: " + e.what());
        }
        if (md.kind != HOLON_METHOD_KIND_ANALYSIS && me->formats.empty())
            return fail("method '" + md.id + "' is an importer or exporter but declares no formats");
        staged.push_back(std::move(me));
    }
    for (auto &me : staged) {
        auto id = me->description.id;
        methods_.emplace(std::move(id), std::move(me));
    }
}

const MethodEntry *Registry::find_method(std::string_view id) const {
    auto it = methods_.find(id);
    return it == methods_.end() ? nullptr : it->second.get();
}

const MethodEntry *Registry::importer_for(std::string_view format) const {
    return find_by_format(methods_, format, HOLON_METHOD_KIND_IMPORTER);
}

const MethodEntry *Registry::exporter_for(std::string_view format) const {
    return find_by_format(methods_, format, HOLON_METHOD_KIND_EXPORTER);
}

std::vector<const MethodEntry *> Registry::methods_of(const PluginEntry &plugin) const {
    std::vector<const MethodEntry *> out;
    for (const auto &[id, m] : methods_)
        if (m->plugin == &plugin) out.push_back(m.get());
    return out;
}

std::vector<std::string> Registry::import_formats() const {
    std::set<std::string> out;
    for (const auto &[id, m] : methods_)
        if (m->description.kind == HOLON_METHOD_KIND_IMPORTER) out.insert(m->formats.begin(), m->formats.end());
    return {out.begin(), out.end()};
}

} // namespace holon::registry
