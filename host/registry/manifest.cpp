#include "registry/manifest.hpp"

#include "jsonschema/json_schema.hpp"
#include "model/model.hpp"

#include <holon/holon_plugin.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace holon::registry {
namespace {

const jsonschema::Schema &manifest_schema() {
    static const jsonschema::Schema schema = jsonschema::Schema::parse(model::manifest_schema_text());
    return schema;
}

std::string read_file(const std::filesystem::path &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ManifestError(path.string() + ": cannot be read");
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

uint64_t megabytes(const nlohmann::json &v) { return static_cast<uint64_t>(v.get<double>() * 1024.0 * 1024.0); }

} // namespace

Manifest load_manifest(const std::filesystem::path &plugin_dir) {
    const auto file = plugin_dir / "plugin.json";
    const std::string where = file.string();
    constexpr size_t max_manifest_bytes = 1u << 20;
    std::error_code ec;
    auto size = std::filesystem::file_size(file, ec);
    if (ec) throw ManifestError(where + ": cannot be read (" + ec.message() + ")");
    if (size > max_manifest_bytes) throw ManifestError(where + ": larger than 1 MiB");

    const std::string text = read_file(file);
    auto violations = manifest_schema().validate_text(text);
    if (!violations.empty()) {
        const auto &v = violations.front();
        throw ManifestError(where + ": " + (v.path.empty() ? std::string() : v.path + ": ") + v.message);
    }
    const auto doc = nlohmann::json::parse(text);

    Manifest m;
    m.dir = std::filesystem::absolute(plugin_dir).lexically_normal();
    m.id = doc.at("id").get<std::string>();
    m.version = doc.at("version").get<std::string>();
    const auto abi = doc.at("abi").get<std::string>();
    const auto dot = abi.find('.');
    m.abi_major = static_cast<uint32_t>(std::stoul(abi.substr(0, dot)));
    m.abi_minor = static_cast<uint32_t>(std::stoul(abi.substr(dot + 1)));
    m.library = doc.at("library").get<std::string>();
    m.license = doc.value("license", "");
    m.description = doc.value("description", "");
    for (const auto &id : doc.at("methods")) m.methods.push_back(id.get<std::string>());
    if (doc.contains("limits")) {
        for (const auto &[method, l] : doc.at("limits").items()) {
            LimitOverrides o;
            if (l.contains("wall_seconds")) o.wall_seconds = l.at("wall_seconds").get<double>();
            if (l.contains("cpu_seconds")) o.cpu_seconds = l.at("cpu_seconds").get<double>();
            if (l.contains("memory_mb")) o.memory_bytes = megabytes(l.at("memory_mb"));
            if (l.contains("output_mb")) o.output_bytes = megabytes(l.at("output_mb"));
            m.limits[method] = o;
        }
    }

    auto fail = [&m](const std::string &message) { return ManifestError(message, m); };
    if (m.abi_major != HOLON_ABI_MAJOR)
        throw fail(where + ": /abi: plugin is built for SDK " + abi + ", this host speaks SDK " +
                            std::to_string(HOLON_ABI_MAJOR) + ".x");
    if (m.library.find('/') != std::string::npos || m.library == "." || m.library == "..")
        throw fail(where + ": /library: must be a file name inside the plugin folder");
    if (!std::filesystem::is_regular_file(m.library_path()))
        throw fail(where + ": /library: " + m.library_path().string() + " does not exist");
    for (size_t i = 0; i < m.methods.size(); ++i) {
        if (m.methods[i].rfind(m.id + ".", 0) != 0)
            throw fail(where + ": /methods/" + std::to_string(i) + ": method id '" + m.methods[i] +
                                "' must start with '" + m.id + ".'");
    }
    for (const auto &[method, _] : m.limits) {
        bool listed = false;
        for (const auto &id : m.methods) listed = listed || id == method;
        if (!listed) throw fail(where + ": /limits/" + method + ": not one of the plugin's methods");
    }
    return m;
}

} // namespace holon::registry
