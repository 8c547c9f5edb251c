#include "cli/model_input.hpp"

#include "cli/cli_error.hpp"
#include "cli/failure.hpp"
#include "execution/model_check.hpp"
#include "model/model.hpp"
#include "suggest/suggest.hpp"

#include <holon/holon_plugin.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace holon::cli {

std::string format_of(const std::filesystem::path &file) {
    std::string ext = file.extension().string();
    if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == "json") return "holon";
    return ext;
}

std::string read_input_file(const std::filesystem::path &file, uint64_t max_bytes) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw bad_input(file.string() + ": no such file");
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) throw bad_input(file.string() + ": cannot be read (" + ec.message() + ")");
    if (size > max_bytes)
        throw bad_input(file.string() + ": " + std::to_string(size) + " bytes is over the limit of " +
                        std::to_string(max_bytes));
    std::ifstream in(file, std::ios::binary);
    if (!in) throw bad_input(file.string() + ": cannot be opened");
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

namespace {

void validate_native(const std::string &text, const std::string &name) {
    try {
        auto doc = model::parse(text, name);
        auto issues = model::validate(doc);
        if (!issues.empty()) {
            std::string msg = name + ": " + (issues.front().path.empty() ? "" : issues.front().path + ": ") +
                              issues.front().message;
            if (issues.size() == 2) msg += " (and 1 more problem)";
            if (issues.size() > 2) msg += " (and " + std::to_string(issues.size() - 1) + " more problems)";
            throw bad_input(msg);
        }
    } catch (const model::ModelError &e) {
        throw bad_input(e.what());
    }
}

// "/variables/3/equation: " when a plugin's check names the JSON path.
std::string path_prefix(const runner::TaskOutcome &outcome) {
    const auto details = nlohmann::json::parse(outcome.details_json, nullptr, false);
    if (!details.is_object() || !details.contains("path") || !details["path"].is_string()) return {};
    const std::string path = details["path"].get<std::string>();
    return path.empty() || outcome.message.find(path) != std::string::npos ? std::string() : path + ": ";
}

} // namespace

LoadedModel load_model_file(const std::filesystem::path &file, const execution::Executor &executor,
                            const std::string &import_params_json) {
    const std::string name = file.string();
    LoadedModel out;
    out.format = format_of(file);
    std::string text = read_input_file(file);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw bad_input(name + ": the file is empty");
    if (out.format == "holon") {
        validate_native(text, name);
        // What only a plugin can check (SD equations), so that the model is refused here and not
        // by its first run.
        const auto checked = execution::check_model_with_plugins(executor, text);
        // Only a refusal stops here: a checker that crashed says nothing about the model.
        if (checked.problem == "invalid-model")
            throw CliError(exit_code_of(checked), name + ": " + path_prefix(checked) + checked.message);
        out.json = std::move(text);
        return out;
    }
    const auto *importer = executor.registry().importer_for(out.format);
    if (!importer) {
        std::vector<std::string> known = {"json"};
        for (const auto &f : executor.registry().import_formats()) known.push_back(f);
        throw bad_input(name + ": no plugin imports '." + out.format + "' files" +
                        suggest::did_you_mean(out.format, known) + " (importable: " + suggest::quoted_list(known, 50, "") + ")");
    }
    execution::RunRequest req;
    req.method_id = importer->description.id;
    req.params_json = import_params_json;
    req.source = std::move(text);
    req.source_name = file.filename().string();
    req.source_dir = std::filesystem::absolute(file).parent_path().string();
    auto outcome = executor.run(req);
    if (!outcome.ok()) {
        // A reader that already names the file ("model.mdl:7: ...") gets its folder in front only.
        const std::string base = file.filename().string();
        const std::string where = outcome.message.rfind(base + ":", 0) == 0
                                      ? (file.has_parent_path() ? file.parent_path().string() + "/" : std::string())
                                      : name + line_column_of(outcome) + ": ";
        throw CliError(exit_code_of(outcome),
                       where + outcome.message + " (" + req.method_id + ": " + outcome.problem + ")");
    }
    out.importer = req.method_id;
    out.json = std::move(outcome.result_json);
    return out;
}

} // namespace holon::cli
