// `holon plugin check PATH`: a validator in the spirit of clap-validator. It loads the plugin only
// in runner processes and checks what a host relies on: the manifest, the descriptors and their
// schemas, behaviour on bad params and bad input, a run cancelled before it starts, and repeated
// concurrent calls.
#include "cli/cli_error.hpp"
#include "cli/commands.hpp"
#include "execution/admission.hpp"
#include "jsonschema/json_schema.hpp"

#include <holon/holon_plugin.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <future>
#include <iostream>

namespace holon::cli {
namespace {

// The smallest model every analysis method must cope with: it may fail, but cleanly.
constexpr const char *empty_model = R"({"format":"holon-model/1","id":"plugin-check","name":"plugin check"})";

struct Check {
    std::string name;
    bool passed;
    std::string detail;
};

// Failures that mean the plugin misbehaved rather than refused the input cleanly.
bool is_misbehaviour(const runner::TaskOutcome &o) {
    static const char *bad[] = {"crashed", "cpu-time-limit", "wall-clock-limit", "memory-limit", "forbidden-syscall",
                                "result-too-large", "protocol-error", "invalid-result", "plugin-load-failed"};
    for (const char *b : bad)
        if (o.problem == b) return true;
    return false;
}

std::string describe_outcome(const runner::TaskOutcome &o) {
    if (o.ok()) return "succeeded";
    return o.problem + ": " + o.message;
}

} // namespace

int plugin_check_command(const GlobalOptions &global, const PluginCheckOptions &options) {
    std::filesystem::path dir(options.path);
    if (dir.filename() == "plugin.json") dir = dir.parent_path();
    if (!std::filesystem::is_regular_file(dir / "plugin.json"))
        throw bad_input(options.path + ": not a plugin folder (no plugin.json)");

    // Only the plugin under test is loaded, so its methods cannot clash with installed ones.
    GlobalOptions none = global;
    none.plugin_paths.clear();
    HostSession session(none, /*discover=*/false);
    std::vector<Check> checks;
    auto add = [&](std::string name, bool ok, std::string detail = {}) {
        checks.push_back({std::move(name), ok, std::move(detail)});
    };

    const auto &entry = session.registry().add_plugin_dir(dir, session.pool());
    add("manifest, library, entry point and descriptors", entry.usable(), entry.error);
    if (entry.usable()) {
        registry::LimitOverrides limits;
        limits.wall_seconds = 20;
        limits.cpu_seconds = 20;
        for (const auto *m : session.registry().methods_of(entry)) {
            const auto &d = m->description;
            const std::string id = d.id;
            add(id + ": has a name and a description", !d.name.empty() && !d.description.empty(),
                "name and description must not be empty");
            const bool rejects_non_object = !m->params_schema->validate(nlohmann::json::array()).empty();
            add(id + ": params schema only accepts objects", rejects_non_object,
                "the params schema accepts a JSON array; give it \"type\": \"object\"");

            execution::RunRequest base;
            base.method_id = id;
            base.limits = limits;
            if (d.kind == HOLON_METHOD_KIND_IMPORTER) {
                base.source = "\x01 this is not a document of any known format <<<{";
                base.source_name = "garbage.txt";
            } else if (execution::needs_model(d)) {
                base.model_json = empty_model;
            }

            auto bad = base;
            bad.params_json = "[1,2,3]";
            auto o = session.executor().run(bad);
            add(id + ": bad params are refused before the plugin runs", o.problem == "invalid-params",
                describe_outcome(o));

            // Params of the wrong shape for the plugin's own expectations: an empty object when the
            // schema allows it. The plugin may refuse, but must not crash or overrun.
            const bool empty_params_allowed = m->params_schema->validate_text("{}").empty();
            if (empty_params_allowed) {
                auto plain = base;
                o = session.executor().run(plain);
                const std::string what = d.kind == HOLON_METHOD_KIND_IMPORTER ? "garbage input" : "an empty model";
                add(id + ": " + what + " gives a clean result or a clean error", !is_misbehaviour(o),
                    describe_outcome(o));

                std::atomic<bool> cancelled{true};
                runner::TaskCallbacks cb;
                cb.cancel = &cancelled;
                o = session.executor().run(plain, cb);
                add(id + ": a run cancelled at once ends cleanly", !is_misbehaviour(o), describe_outcome(o));

                // Several calls at once (each in its own runner) must not disturb each other.
                const int n = (d.flags & HOLON_METHOD_FLAG_CONCURRENT) ? 4 : 2;
                std::vector<std::future<runner::TaskOutcome>> runs;
                for (int i = 0; i < n; ++i)
                    runs.push_back(std::async(std::launch::async, [&] { return session.executor().run(plain); }));
                std::string first, detail;
                bool same = true;
                for (int i = 0; i < n; ++i) {
                    auto r = runs[static_cast<size_t>(i)].get();
                    // Results may legitimately differ (timings, scratch paths); outcomes may not.
                    std::string key = r.ok() ? std::string("succeeded") : r.problem;
                    if (i == 0) first = key;
                    else if (key != first) {
                        same = false;
                        detail = "concurrent runs of the same call gave different outcomes";
                    }
                    if (is_misbehaviour(r)) {
                        same = false;
                        detail = describe_outcome(r);
                    }
                }
                add(id + ": " + std::to_string(n) + " concurrent identical runs agree", same, detail);
            } else {
                add(id + ": runs with real params are not exercised (params schema requires fields)", true);
            }
        }
    }

    int failed = 0;
    if (options.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto &c : checks) out.push_back({{"check", c.name}, {"passed", c.passed}, {"detail", c.detail}});
        std::cout << out.dump(2) << '\n';
        for (const auto &c : checks) failed += c.passed ? 0 : 1;
    } else {
        for (const auto &c : checks) {
            std::cout << (c.passed ? "PASS  " : "FAIL  ") << c.name;
            if (!c.passed && !c.detail.empty()) std::cout << " — " << c.detail;
            std::cout << '\n';
            failed += c.passed ? 0 : 1;
        }
        std::cout << (checks.size() - static_cast<size_t>(failed)) << " passed, " << failed << " failed\n";
    }
    return failed ? exit_method_failed : exit_ok;
}

} // namespace holon::cli
