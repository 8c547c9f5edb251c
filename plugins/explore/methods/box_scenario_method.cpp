#include "methods/box_scenario_method.hpp"

#include "discovery/box_scenario.hpp"
#include "explore_schemas.hpp"

#include <holon/inputs.hpp>

#include <cstdio>

namespace holon_explore::methods {

using nlohmann::json;
using namespace holon_explore::discovery;

holon::MethodInfo BoxScenarioMethod::info() {
    return {"explore.box-scenario",
            "PRIM box as a scenario",
            "Join J3: turns a PRIM box into a scenario set of the model (kind sweep). Give it explore.prim's result "
            "document as params (or any {box: {limits: [...]}}): each restricted experiments column is matched to a "
            "model variable, its range is split at the box's limits into variants with range bindings, and one named "
            "scenario picks the box. Returns the set, a JSON Patch and a merge patch, and the model with the set added "
            "(model-with-box.json) to keep and re-run with scenarios.run.",
            schemas::box_scenario_params.data(),
            schemas::box_scenario_result.data(),
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT};
}

namespace {

std::string num(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::string folded(std::string s) {
    for (char &c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        else if (c == ' ' || c == '-') c = '_';
    return s;
}

// The model variable a swept column sets: the column without a leading "overrides.", matched to a
// variable's id, then its name, then its name ignoring case, spaces, '-' and '_'.
std::string variable_for(const std::string &column, const json &variables, const std::string &where) {
    const std::string name = column.rfind("overrides.", 0) == 0 ? column.substr(10) : column;
    for (int pass = 0; pass < 3; ++pass)
        for (const json &v : variables) {
            const std::string id = v.value("id", ""), vname = v.value("name", "");
            if ((pass == 0 && id == name) || (pass == 1 && vname == name) ||
                (pass == 2 && !vname.empty() && folded(vname) == folded(name)))
                return id;
        }
    holon::fail_params(where, "the model has no variable '" + name + "' (from the experiments column '" + column +
                                  "'); name the columns after the model's variables");
}

} // namespace

void BoxScenarioMethod::run(holon::Context &ctx) {
    const json params = holon::read_params(ctx);
    const json model = holon::read_model(ctx);
    if (!params.contains("box") || !params["box"].is_object() || !params["box"].contains("limits"))
        holon::fail_params("/box", "give the box: explore.prim's result document, or {box: {limits: [{factor, lower, upper, "
                                   "minimum, maximum}, ...]}}");
    const json &box = params["box"];
    const json &variables = holon::array_member(model, "variables", "");
    std::vector<BoxDimension> dims;
    const json &limits = box["limits"];
    for (std::size_t i = 0; i < limits.size(); ++i) {
        const json &l = limits[i];
        const std::string where = holon::at(holon::at("/box/limits", i), "factor");
        if (!l.is_object() || !l.contains("factor") || !l.contains("lower") || !l.contains("upper") || !l.contains("minimum") ||
            !l.contains("maximum"))
            holon::fail_params(holon::at("/box/limits", i), "a limit needs factor, lower, upper, minimum and maximum");
        BoxDimension d{l["factor"].get<std::string>(), "", l["lower"].get<double>(), l["upper"].get<double>(),
                       l["minimum"].get<double>(), l["maximum"].get<double>()};
        if (d.lower == d.minimum && d.upper == d.maximum) continue; // not restricted
        d.variable = variable_for(d.column, variables, where);
        dims.push_back(std::move(d));
    }
    const json names_in = params.value("names", json::object());
    const std::string rule = params.value("interest", std::string("the cases of interest"));
    const std::string which = box.contains("box") ? "PRIM box " + std::to_string(box["box"].get<long long>()) : "The box";
    ScenarioNames names;
    names.set_id = names_in.value("set_id", "prim-box");
    names.set_name = names_in.value("set_name", "Where " + rule);
    names.scenario_id = names_in.value("scenario_id", "box");
    names.scenario_name = names_in.value("scenario_name", which);
    names.narrative = which + " of the cases where " + rule;
    if (box.contains("coverage") && box.contains("density") && box.contains("mass"))
        names.narrative += ": coverage " + num(box["coverage"].get<double>()) + ", density " + num(box["density"].get<double>()) +
                           ", mass " + num(box["mass"].get<double>());
    names.narrative += ".";
    json set;
    try {
        set = box_scenario_set(dims, names);
    } catch (const std::invalid_argument &e) {
        holon::fail_params("/box", e.what());
    }
    const json existing = model.value("scenario_sets", json::array());
    for (const json &s : existing)
        if (s.value("id", "") == names.set_id)
            holon::fail_params("/names/set_id", "the model already has a scenario set '" + names.set_id + "'; choose another set_id");
    json all_sets = existing;
    all_sets.push_back(set);
    json patched = model;
    patched["scenario_sets"] = all_sets;
    const json result = {
        {"scenario_set", set},
        {"model_patch", json::array({model.contains("scenario_sets")
                                         ? json{{"op", "add"}, {"path", "/scenario_sets/-"}, {"value", set}}
                                         : json{{"op", "add"}, {"path", "/scenario_sets"}, {"value", json::array({set})}}})},
        {"merge_patch", {{"scenario_sets", all_sets}}}};
    ctx.put_blob("model-with-box.json", "application/json", patched.dump(2) + "\n");
    ctx.put_json(result.dump());
    ctx.progress(1.0, "done");
}

} // namespace holon_explore::methods
