#include "cli/cli_error.hpp"
#include "cli/commands.hpp"
#include "cli/model_input.hpp"
#include "model/model.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace holon::cli {

int model_validate_command(const GlobalOptions &global, const ModelValidateOptions &options) {
    const std::filesystem::path file(options.file);
    // Foreign formats need their importer; native models with equations the plugin that checks them.
    HostSession session(global);
    LoadedModel loaded = load_model_file(file, session.executor());
    auto doc = model::parse(loaded.json, file.string());
    const auto count = [&doc](const char *key) { return doc.contains(key) ? doc[key].size() : size_t{0}; };
    std::cout << file.string() << ": valid holon-model/1";
    if (!loaded.importer.empty()) std::cout << " (imported by " << loaded.importer << ")";
    std::cout << ", " << count("variables") << " variables, " << count("links") << " links, " << model::hash(doc) << '\n';
    return exit_ok;
}

} // namespace holon::cli
