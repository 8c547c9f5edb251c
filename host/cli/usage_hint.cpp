#include "cli/usage_hint.hpp"

#include "suggest/suggest.hpp"

#include <CLI/CLI.hpp>

#include <vector>

namespace holon::cli {

std::string usage_hint(const CLI::App &app, int argc, const char *const *argv, std::string *command) {
    const CLI::App *current = &app;
    std::string path = "holon";
    std::string ignored;
    std::string &reached = command ? *command : ignored;
    reached = path;
    bool positional_seen = false;
    for (int i = 1; i < argc; ++i) {
        const std::string token = argv[i];
        if (token == "--") break;
        if (token.rfind("--", 0) == 0) {
            const std::string name = token.substr(2, token.find('=') == std::string::npos ? std::string::npos : token.find('=') - 2);
            std::vector<std::string> known;
            bool found = false;
            for (const CLI::Option *o : current->get_options())
                for (const std::string &l : o->get_lnames()) {
                    known.push_back("--" + l);
                    found = found || l == name;
                }
            if (!found)
                return "unknown option '--" + name + "' for `" + path + "`" + suggest::did_you_mean("--" + name, known) +
                       " (see " + path + " --help)";
            continue;
        }
        if (token.rfind('-', 0) == 0 || positional_seen) continue;
        const auto subcommands = current->get_subcommands([](const CLI::App *) { return true; });
        if (subcommands.empty()) {
            positional_seen = true;  // a value (MODEL, METHOD_ID, ...): no more commands below
            continue;
        }
        const CLI::App *next = nullptr;
        std::vector<std::string> names;
        for (const CLI::App *s : subcommands) {
            names.push_back(s->get_name());
            if (s->get_name() == token) next = s;
        }
        if (!next)
            return "unknown command '" + token + "' for `" + path + "`" + suggest::did_you_mean(token, names) +
                   " (commands: " + suggest::quoted_list(names, 30, "") + ")";
        current = next;
        path += " " + token;
        reached = path;
    }
    return {};
}

} // namespace holon::cli
