#include "cli/cli_error.hpp"
#include "cli/commands.hpp"
#include "execution/admission.hpp"

#include <holon/holon_plugin.h>
#include <nlohmann/json.hpp>

#include <iostream>

namespace holon::cli {
namespace {

const char *kind_name(int32_t kind) {
    switch (kind) {
    case HOLON_METHOD_KIND_IMPORTER: return "importer";
    case HOLON_METHOD_KIND_EXPORTER: return "exporter";
    default: return "analysis";
    }
}

nlohmann::json schema_or_text(const std::string &text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    return j.is_discarded() ? nlohmann::json(text) : j;
}

} // namespace

int plugins_command(const GlobalOptions &global, const PluginsOptions &options) {
    HostSession session(global);
    const auto &reg = session.registry();
    if (options.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto &p : reg.plugins()) {
            nlohmann::json jp;
            jp["id"] = p->manifest.id;
            jp["version"] = p->manifest.version;
            jp["abi"] = p->usable() ? std::to_string(p->description.abi_major) + "." + std::to_string(p->description.abi_minor)
                                    : std::to_string(p->manifest.abi_major) + "." + std::to_string(p->manifest.abi_minor);
            jp["path"] = p->manifest.dir.string();
            jp["library"] = p->manifest.library_path().string();
            jp["license"] = p->manifest.license;
            jp["description"] = p->manifest.description;
            jp["methods"] = nlohmann::json::array();
            for (const auto *m : reg.methods_of(*p)) {
                const auto &d = m->description;
                jp["methods"].push_back({{"id", d.id},
                                         {"name", d.name},
                                         {"description", d.description},
                                         {"kind", kind_name(d.kind)},
                                         {"formats", m->formats},
                                         {"concurrent", (d.flags & HOLON_METHOD_FLAG_CONCURRENT) != 0},
                                         {"needs_model", execution::needs_model(d)},
                                         {"params_schema", schema_or_text(d.params_schema)},
                                         {"result_schema", schema_or_text(d.result_schema)}});
            }
            if (!p->usable()) jp["error"] = p->error;
            out.push_back(std::move(jp));
        }
        std::cout << out.dump(2) << '\n';
        return exit_ok;
    }
    if (reg.plugins().empty()) {
        std::cout << "no plugins found (search path: --plugin-path, HOLON_PLUGIN_PATH, the build tree, the install prefix)\n";
        return exit_ok;
    }
    for (const auto &p : reg.plugins()) {
        std::cout << p->manifest.id << ' ' << p->manifest.version << "  (" << p->manifest.dir.string() << ")\n";
        if (!p->usable()) {
            std::cout << "  unusable: " << p->error << '\n';
            continue;
        }
        for (const auto *m : reg.methods_of(*p)) {
            std::cout << "  " << m->description.id;
            if (m->description.kind != HOLON_METHOD_KIND_ANALYSIS) {
                std::cout << "  [" << kind_name(m->description.kind) << ":";
                for (size_t i = 0; i < m->formats.size(); ++i) std::cout << (i ? "," : " ") << m->formats[i];
                std::cout << "]";
            }
            std::cout << "  " << m->description.name << '\n';
        }
    }
    return exit_ok;
}

} // namespace holon::cli
