#include "batch/model_checks.hpp"

#include "suggest/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace holon::batch {
namespace {

std::string loose(const std::string &s) {
    std::string out;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        out += (c == ' ' || c == '_') ? '_' : static_cast<char>(std::tolower(c));
    }
    return out;
}

struct ModelNames {
    std::string input;
    std::vector<std::string> names;
    bool has(const std::string &name) const {
        const std::string want = loose(name);
        return std::any_of(names.begin(), names.end(), [&](const std::string &n) { return loose(n) == want; });
    }
};

void require(const ModelNames &model, const std::string &name, const std::string &where, const std::string &what) {
    if (model.has(name)) return;
    throw DocumentError(where, what + " '" + name + "' is not a variable of input '" + model.input + "'" +
                                   suggest::did_you_mean(name, model.names));
}

// The JSON pointer of the sweep entry that declares `axis`.
std::string axis_pointer(const nlohmann::json &sweep, const std::string &axis, const std::string &where) {
    for (const char *list : {"grid", "uncertainties", "levers"})
        if (sweep.contains(list))
            for (size_t i = 0; i < sweep[list].size(); ++i)
                if (sweep[list][i].value("name", "") == axis) return where + "/" + list + "/" + std::to_string(i) + "/name";
    for (const char *kind : {"latin_hypercube", "monte_carlo"})
        if (sweep.contains(kind))
            for (size_t i = 0; i < sweep[kind]["parameters"].size(); ++i)
                if (sweep[kind]["parameters"][i].value("name", "") == axis)
                    return where + "/" + kind + "/parameters/" + std::to_string(i) + "/name";
    return where;
}

void check_overrides(const ModelNames &model, const nlohmann::json &params, const std::string &where) {
    if (!params.is_object() || !params.contains("overrides") || !params["overrides"].is_object()) return;
    for (const auto &[name, value] : params["overrides"].items())
        require(model, name, where + "/overrides/" + name, "override");
}

} // namespace

void check_model_names(const BatchSpec &spec, const std::map<std::string, std::string> &models) {
    std::map<std::string, ModelNames> known;
    for (const auto &[input, text] : models) {
        auto doc = nlohmann::json::parse(text, nullptr, false);
        if (!doc.is_object() || !doc.contains("variables") || !doc["variables"].is_array()) continue;
        ModelNames m{input, {}};
        for (const auto &v : doc["variables"])
            if (v.is_object() && v.contains("name") && v["name"].is_string()) m.names.push_back(v["name"].get<std::string>());
        if (!m.names.empty()) known[input] = std::move(m);
    }
    const auto &doc_steps = spec.document.at("steps");
    for (const auto &step : spec.steps) {
        auto it = known.find(step.input);
        if (step.input.empty() || it == known.end()) continue;
        const ModelNames &model = it->second;
        const std::string where = "/steps/" + std::to_string(step.index);
        const auto &doc_step = doc_steps.at(step.index);
        check_overrides(model, step.params, where + "/params");
        if (step.sweep == SweepKind::scenarios) {
            for (size_t k = 0; k < step.points.size(); ++k)
                check_overrides(model, step.points[k].patch, where + "/sweep/scenarios/" + std::to_string(k) + "/params");
        } else {
            for (const auto &axis : step.axes)
                if (axis.rfind("overrides.", 0) == 0)
                    require(model, axis.substr(10), axis_pointer(doc_step.value("sweep", nlohmann::json::object()), axis, where + "/sweep"),
                            "swept override");
        }
        // Output columns are the model's variables for the SD simulation; other methods name theirs.
        if (step.method != "sd.simulate") continue;
        auto is_variable_name = [](const std::string &n) { return n.find('[') == std::string::npos && loose(n) != "time"; };
        if (step.outcomes)
            for (size_t i = 0; i < step.outcomes->outcomes.size(); ++i) {
                const auto &v = step.outcomes->outcomes[i].variable;
                if (is_variable_name(v)) require(model, v, where + "/outcomes/" + std::to_string(i) + "/variable", "outcome variable");
            }
        for (size_t i = 0; i < step.outputs.variables.size(); ++i)
            if (is_variable_name(step.outputs.variables[i]))
                require(model, step.outputs.variables[i], where + "/outputs/variables/" + std::to_string(i), "output variable");
    }
}

} // namespace holon::batch
