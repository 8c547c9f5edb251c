#include "sensitivity/variants.hpp"

#include "critique/critique.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace holon_csh {
namespace {

using nlohmann::json;

std::string canonical(const std::string &name) {
    std::string out;
    for (char c : name) {
        if (c == ' ' || c == '_' || c == '\n' || c == '\t') {
            if (!out.empty() && out.back() != '_') out += '_';
        } else {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out;
}

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

BoundaryJudgement &judgement_for(std::vector<BoundaryJudgement> &out, const std::string &type, const Ref &entity) {
    for (BoundaryJudgement &j : out)
        if (j.type == type && j.entity == entity) return j;
    BoundaryJudgement j;
    j.id = "J" + std::to_string(out.size() + 1);
    j.type = type;
    j.entity = entity;
    j.simulable = entity.type == "variable";
    out.push_back(std::move(j));
    return out.back();
}

void add_unique(std::vector<std::string> &list, const std::string &value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

} // namespace

std::vector<BoundaryJudgement> boundary_judgements(const Model &m) {
    std::vector<BoundaryJudgement> out;
    const std::vector<Grid> g = grids(m);
    for (std::size_t p = 0; p < g.size(); ++p)
        for (int c = 1; c <= category_count; ++c) {
            const Cell &is = g[p][static_cast<std::size_t>(c - 1)][0], &ought = g[p][static_cast<std::size_t>(c - 1)][1];
            if (is.bound.empty() || ought.bound.empty()) continue; // an unanswered side is not a judgement
            for (const Cell *side : {&ought, &is}) {
                const Cell &other = side == &ought ? is : ought;
                for (const Ref &r : side->bound) {
                    if (other.bound.contains(r) || (r.type != "variable" && r.type != "actor")) continue;
                    BoundaryJudgement &j = judgement_for(out, "exclude", r);
                    for (std::size_t rec : side->records) add_unique(j.records, m.records[rec].id);
                    add_unique(j.perspectives, m.perspectives[p].key);
                    const std::string where = std::to_string(c) + " " + category(c).name;
                    j.statements.push_back(m.perspectives[p].name + ": " + m.name_of(r) + " is inside the boundary in the " +
                                           (side == &ought ? "ought" : "is") + " (category " + where + ") but not in the " +
                                           (side == &ought ? "is" : "ought") + ".");
                }
            }
        }
    for (std::size_t p = 0; p < g.size(); ++p)
        for (int k = 0; k < 2; ++k) {
            const Cell &cell = g[p][4][static_cast<std::size_t>(k)];
            for (const Ref &r : cell.bound) {
                if (r.type != "variable" || m.variables[m.variable_at.at(r.id)].kind != "exogenous") continue;
                BoundaryJudgement &j = judgement_for(out, "control", r);
                for (std::size_t rec : cell.records) add_unique(j.records, m.records[rec].id);
                add_unique(j.perspectives, m.perspectives[p].key);
                j.statements.push_back(m.perspectives[p].name + ": " + m.name_of(r) +
                                       " is a resource the decision-maker " + (k == 0 ? "controls" : "ought to control") +
                                       " (category 5, " + (k == 0 ? "is" : "ought") + "), yet the model has it exogenous.");
            }
        }
    return out;
}

std::vector<std::string> outcome_measures(const Model &m) {
    std::vector<std::string> out;
    for (const Record &r : m.records) {
        if (r.category != 3) continue;
        for (const Ref &ref : r.refs) {
            if (ref.type == "variable") add_unique(out, ref.id);
            if (ref.type == "indicator")
                for (const std::string &v : m.indicators[m.indicator_at.at(ref.id)].variables) add_unique(out, v);
        }
    }
    if (out.empty())
        for (const Variable &v : m.variables)
            if (v.kind == "outcome") out.push_back(v.id);
    return out;
}

bool is_simulation_model(const json &doc) {
    if (!doc.contains("variables") || !doc["variables"].is_array()) return false;
    for (const json &v : doc["variables"])
        if (v.is_object() && v.contains("equation") && v["equation"].is_string() && !v["equation"].get<std::string>().empty())
            return true;
    return false;
}

const std::vector<double> *Series::find(const std::string &name, const std::string &id) const {
    for (const std::string *want : {&name, &id})
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == *want) return &columns[i];
    const std::string a = canonical(name), b = canonical(id);
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string c = canonical(names[i]);
        if (c == a || c == b) return &columns[i];
    }
    return nullptr;
}

json variant_model(const json &doc, const BoundaryJudgement &j, bool simulation, const Series *baseline, double control_change) {
    json out = doc;
    const std::string &id = j.entity.id;
    json *variable = nullptr;
    for (json &v : out["variables"])
        if (v.value("id", "") == id) variable = &v;
    if (variable == nullptr) throw std::invalid_argument("no variable '" + id + "' in the model");
    json links = json::array();
    for (const json &l : out.value("links", json::array())) {
        const bool into = l.value("to", "") == id, from = l.value("from", "") == id;
        const bool cut = j.type == "exclude" ? (simulation ? into : into || from) : into;
        if (!cut) links.push_back(l);
    }
    out["links"] = std::move(links);
    // The nested method needs none of the boundary records, and some may name the links cut here.
    out.erase("boundary");
    if (!simulation) return out;
    if (j.type == "exclude") {
        const std::vector<double> *column = baseline ? baseline->find(variable->value("name", id), id) : nullptr;
        if (column == nullptr || column->empty())
            throw std::invalid_argument("the baseline run has no values of '" + variable->value("name", id) + "'");
        (*variable)["equation"] = number(column->front());
        // A stock held constant becomes an auxiliary; its flows still compute but fill or drain
        // nothing. A flow keeps its kind and runs at a constant rate.
        if (variable->value("kind", "") == "stock") (*variable)["kind"] = "aux";
        variable->erase("initial");
        variable->erase("inflows");
        variable->erase("outflows");
        if (variable->contains("sd") && (*variable)["sd"].is_object()) {
            (*variable)["sd"].erase("inflows");
            (*variable)["sd"].erase("outflows");
            (*variable)["sd"].erase("gf"); // a lookup held constant is just its value
        }
    } else {
        const std::string equation = variable->value("equation", "");
        if (equation.empty()) throw std::invalid_argument("'" + id + "' has no equation to scale");
        if (variable->contains("sd") && (*variable)["sd"].is_object() && (*variable)["sd"].contains("gf"))
            throw std::invalid_argument("'" + id + "' is a graphical function: its equation is its input, not a value to scale");
        (*variable)["equation"] = "(" + equation + ") * " + number(1.0 + control_change);
    }
    return out;
}

std::vector<MeasureEffect> compare_measures(const Model &m, const std::vector<std::string> &measures, const Series &baseline,
                                            const Series &variant) {
    std::vector<MeasureEffect> out;
    for (const std::string &id : measures) {
        const auto at = m.variable_at.find(id);
        const std::string name = at != m.variable_at.end() ? m.variables[at->second].name : id;
        const std::vector<double> *b = baseline.find(name, id), *v = variant.find(name, id);
        if (b == nullptr || v == nullptr || b->empty() || v->empty()) continue;
        MeasureEffect e{id, name, b->back(), v->back(), 0, 0, 0};
        if (b->back() != 0) e.final_rel_delta = (v->back() - b->back()) / std::fabs(b->back());
        const std::size_t n = std::min(b->size(), v->size());
        double scale = 0;
        for (std::size_t i = 0; i < n; ++i) {
            e.max_abs_delta = std::max(e.max_abs_delta, std::fabs((*v)[i] - (*b)[i]));
            scale = std::max(scale, std::fabs((*b)[i]));
        }
        e.max_rel_delta = scale > 0 ? e.max_abs_delta / scale : e.max_abs_delta;
        out.push_back(e);
    }
    return out;
}

std::map<std::string, std::vector<std::string>> loop_sets(const json &loops_result) {
    std::map<std::string, std::vector<std::string>> out;
    for (const json &loop : loops_result.value("loops", json::array())) {
        std::vector<std::string> vars = loop.value("variables", std::vector<std::string>{});
        std::sort(vars.begin(), vars.end());
        out[loop.value("id", "")] = vars;
    }
    return out;
}

} // namespace holon_csh
