#include "critique/critique.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>

namespace holon_csh {
namespace {

using nlohmann::json;

const std::array<Mode, 2> modes = {Mode::is, Mode::ought};

json entity_json(const Model &m, const Ref &r) { return {{"type", r.type}, {"id", r.id}, {"name", m.name_of(r)}}; }

json entities_json(const Model &m, const RefSet &refs) {
    json out = json::array();
    for (const Ref &r : refs) out.push_back(entity_json(m, r));
    return out;
}

// "A, B and C"
std::string join_names(const std::vector<std::string> &names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
        out += names[i];
    }
    return out;
}

class Findings {
public:
    explicit Findings(const Model &m) : m_(m) {}

    void add(const char *code, const char *severity, std::optional<int> category, std::optional<std::size_t> perspective,
             const std::vector<Ref> &entities, std::string message, json extra = json::object()) {
        json f = {{"code", code}, {"severity", severity}, {"message", std::move(message)}};
        f["category"] = category ? json(*category) : json(nullptr);
        if (perspective) {
            f["perspective"] = m_.perspectives[*perspective].key;
            f["perspective_name"] = m_.perspectives[*perspective].name;
        } else {
            f["perspective"] = nullptr;
        }
        json list = json::array();
        for (const Ref &r : entities) list.push_back(entity_json(m_, r));
        f["entities"] = std::move(list);
        for (auto &[k, v] : extra.items()) f[k] = v;
        out_.push_back(std::move(f));
    }
    json take() { return std::move(out_); }

private:
    const Model &m_;
    json out_ = json::array();
};

std::string who(const Model &m, std::size_t p) { return m.perspectives[p].name; }

// Who asserted a judgement, by name: "Name (id)" when it is an actor of the model, else as written.
std::string asserter_name(const Model &m, const std::string &as_written) {
    return m.actor_at.contains(as_written) ? m.label({"actor", as_written}) : as_written;
}

// How many of the model's judgements each asserter (as written: an actor id or a name) made.
std::map<std::string, std::size_t> judgement_counts(const Model &m) {
    std::map<std::string, std::size_t> out;
    for (const Judgement &j : m.judgements) ++out[j.asserted_by];
    return out;
}

// Judgements asserted by the actor, under its id or its name.
std::size_t judgements_by(const std::map<std::string, std::size_t> &counts, const Actor &a) {
    const auto by_id = counts.find(a.id), by_name = a.name == a.id ? counts.end() : counts.find(a.name);
    return (by_id == counts.end() ? 0 : by_id->second) + (by_name == counts.end() ? 0 : by_name->second);
}

// ---- the checks, each in the order its code appears in the docs ----

void check_coverage(const Model &m, const std::vector<Grid> &g, Findings &f) {
    for (std::size_t p = 0; p < g.size(); ++p) {
        json cells = json::array();
        std::vector<std::string> labels; // "11 Emancipation (is and ought)"
        for (int c = 1; c <= category_count; ++c) {
            std::vector<std::string> missing;
            for (Mode mode : modes)
                if (g[p][c - 1][static_cast<int>(mode)].records.empty()) {
                    cells.push_back({{"category", c}, {"mode", mode_name(mode)}});
                    missing.push_back(mode_name(mode));
                }
            if (!missing.empty()) labels.push_back(std::to_string(c) + " " + category(c).name + " (" + join_names(missing) + ")");
        }
        if (cells.empty()) continue;
        f.add("CSH-COV-001", "warning", std::nullopt, p, {},
              who(m, p) + " answers " + std::to_string(24 - cells.size()) + " of the 24 questions; missing: " +
                  join_names(labels) + ". Ask the missing questions at the next workshop (csh.questionnaire prints the sheet).",
              {{"cells", cells}});
    }
}

void check_gaps(const Model &m, const std::vector<Grid> &g, const json &gaps, Findings &f) {
    for (const json &gap : gaps) {
        const std::size_t p = gap["perspective_index"].get<std::size_t>();
        const int c = gap["category"].get<int>();
        const std::string type = gap["gap"].get<std::string>();
        if (type != "same" && type != "unbound") {
            std::vector<Ref> refs;
            const auto &is = g[p][c - 1][0].bound, &ought = g[p][c - 1][1].bound;
            std::set_symmetric_difference(is.begin(), is.end(), ought.begin(), ought.end(), std::back_inserter(refs));
            std::vector<std::string> only_ought, only_is;
            for (const Ref &r : refs) (ought.contains(r) ? only_ought : only_is).push_back(m.name_of(r));
            const std::string how = type == "ought_broader"    ? "is broader than the is"
                                    : type == "ought_narrower" ? "is narrower than the is"
                                                               : "conflicts with the is";
            std::string msg = who(m, p) + ", category " + std::to_string(c) + " " + category(c).name + ": the ought " + how + ":";
            if (!only_ought.empty()) msg += " adds " + join_names(only_ought);
            if (!only_ought.empty() && !only_is.empty()) msg += " and";
            if (!only_is.empty()) msg += " leaves out " + join_names(only_is);
            f.add("CSH-GAP-001", "info", c, p, refs, msg + ".", {{"gap", type}});
        }
        if (gap.contains("declared")) {
            const std::string declared = gap["declared"].get<std::string>();
            const std::string as_typed = declared == "broader"    ? "ought_broader"
                                         : declared == "narrower" ? "ought_narrower"
                                                                  : declared;
            if (type != "unbound" && as_typed != type)
                f.add("CSH-GAP-002", "warning", c, p, {},
                      who(m, p) + ", category " + std::to_string(c) + " " + category(c).name + ": the record says the gap is '" +
                          declared + "' but the bound entities make it '" + type + "'.",
                      {{"gap", type}, {"declared", declared}});
        }
    }
}

void check_divergence(const Model &m, const json &divergence, double threshold, Findings &f) {
    const json &cells = divergence["cells"];
    for (const json &cell : cells) {
        const json &d = cell["distance"];
        double best = -1;
        std::size_t bi = 0, bj = 0;
        for (std::size_t i = 0; i < d.size(); ++i)
            for (std::size_t j = i + 1; j < d.size(); ++j)
                if (!d[i][j].is_null() && d[i][j].get<double>() > best + 1e-12) {
                    best = d[i][j].get<double>();
                    bi = i;
                    bj = j;
                }
        if (best < threshold || best < 0) continue;
        const int c = cell["category"].get<int>();
        const std::string mode = cell["mode"].get<std::string>();
        char value[32];
        std::snprintf(value, sizeof value, "%.2f", best);
        f.add("CSH-DIV-001", "info", c, std::nullopt, {},
              who(m, bi) + " and " + who(m, bj) + " diverge most on category " + std::to_string(c) + " " + category(c).name +
                  " (" + mode + "): Jaccard distance " + value + " between what they bind.",
              {{"mode", mode}, {"perspectives", {m.perspectives[bi].key, m.perspectives[bj].key}}, {"distance", best}});
    }
}

void check_affected(const Model &m, const std::vector<Grid> &g, Findings &f) {
    const std::set<std::string> reach = outcome_reach(m);
    for (std::size_t p = 0; p < g.size(); ++p) {
        bool answered = false;
        std::set<std::string> involved, witnessed;
        for (int c : {1, 4, 7, 10}) {
            const Cell &cell = g[p][c - 1][0];
            answered = answered || !cell.records.empty();
            for (const Ref &r : cell.bound)
                if (r.type == "actor") (c == 10 ? witnessed : involved).insert(r.id);
        }
        if (!answered) continue;
        for (const Actor &a : m.actors) {
            std::vector<Ref> reached;
            for (const std::string &v : a.affected_by)
                if (reach.contains(v)) reached.push_back({"variable", v});
            if (reached.empty() || involved.contains(a.id) || witnessed.contains(a.id)) continue;
            std::vector<std::string> names;
            for (const Ref &r : reached) names.push_back(m.name_of(r));
            std::vector<Ref> entities{{"actor", a.id}};
            entities.insert(entities.end(), reached.begin(), reached.end());
            f.add("CSH-AFF-001", "warning", 10, p, entities,
                  a.name + " (" + a.id + ") is affected by " + join_names(names) + " but, from the perspective of " +
                      who(m, p) + ", holds no role as beneficiary, decision-maker or expert (categories 1, 4, 7) and has no "
                      "witness (category 10). To involve them, bind them in this perspective's witness answer (category 10, is) or in "
                      "a role (1, 4 or 7).");
        }
    }
}

void check_environment(const Model &m, const std::vector<Grid> &g, Findings &f) {
    for (std::size_t p = 0; p < g.size(); ++p)
        for (Mode mode : modes)
            for (const Ref &r : g[p][5][static_cast<int>(mode)].bound) {
                if (r.type != "variable") continue;
                const Variable &v = m.variables[m.variable_at.at(r.id)];
                if (v.kind != "lever") continue;
                f.add("CSH-ENV-001", "warning", 6, p, {r},
                      who(m, p) + " places " + v.name + " (" + v.id + ") in the decision environment (category 6, " +
                          mode_name(mode) + "), outside the decision-maker's control, but the model treats it as a lever. Settle which: a resource the "
                          "decision-maker controls (category 5), or not a lever in the model.",
                      {{"mode", mode_name(mode)}});
            }
}

void check_resources(const Model &m, const std::vector<Grid> &g, Findings &f) {
    std::set<std::string> steered; // levers and what a lever drives directly
    for (const Variable &v : m.variables)
        if (v.kind == "lever") steered.insert(v.id);
    for (const Link &l : m.links) {
        const auto from = m.variable_at.find(l.from);
        if (from != m.variable_at.end() && m.variables[from->second].kind == "lever") steered.insert(l.to);
    }
    for (std::size_t p = 0; p < g.size(); ++p)
        for (Mode mode : modes)
            for (const Ref &r : g[p][4][static_cast<int>(mode)].bound) {
                if (r.type != "variable" || steered.contains(r.id)) continue;
                const Variable &v = m.variables[m.variable_at.at(r.id)];
                f.add("CSH-RES-001", "warning", 5, p, {r},
                      who(m, p) + " counts " + v.name + " (" + v.id + ") among the decision-maker's resources (category 5, " +
                          mode_name(mode) + "), but the model has no lever on it: it is " +
                          (v.kind.empty() ? std::string("a variable") : "of kind " + v.kind) + " and no lever drives it. Add the lever that moves it, or count it in the decision environment (category 6).",
                      {{"mode", mode_name(mode)}});
            }
}

void check_measures(const Model &m, const std::vector<Grid> &g, Findings &f) {
    std::set<std::string> indicated;
    for (const Indicator &i : m.indicators) indicated.insert(i.variables.begin(), i.variables.end());
    for (std::size_t p = 0; p < g.size(); ++p) {
        const Cell &cell = g[p][2][1];
        if (cell.records.empty()) continue;
        bool any_measure = false;
        for (const Ref &r : cell.bound) {
            if (r.type == "variable") {
                any_measure = true;
                const Variable &v = m.variables[m.variable_at.at(r.id)];
                if (v.has_equation || v.kind == "outcome" || v.kind == "indicator" || indicated.contains(v.id)) continue;
                f.add("CSH-MEAS-001", "warning", 3, p, {r},
                      who(m, p) + " would measure improvement by " + v.name + " (" + v.id +
                          ") (category 3, ought), but no indicator and no model output computes it. Give it an equation or an "
                          "indicator, so the model can tell whether things improve.");
            } else if (r.type == "indicator") {
                any_measure = true;
                const Indicator &i = m.indicators[m.indicator_at.at(r.id)];
                if (!i.variables.empty()) continue;
                f.add("CSH-MEAS-001", "warning", 3, p, {r},
                      who(m, p) + " would measure improvement by the indicator " + i.name + " (" + i.id +
                          ") (category 3, ought), but it is defined on no model variable. Bind it to the variables it is computed "
                          "from.");
            }
        }
        if (!any_measure) {
            std::string answer = m.records[cell.records.front()].answer;
            f.add("CSH-MEAS-001", "warning", 3, p, {},
                  who(m, p) + "'s measure of improvement (category 3, ought) \"" + answer +
                      "\" is bound to no variable or indicator, so nothing in the model computes it. Bind the answer to what "
                  "measures it.");
        }
    }
}

void check_expertise(const Model &m, const std::vector<Grid> &g, Findings &f) {
    const auto counts = judgement_counts(m);
    std::set<std::string> recognised; // actor ids named as expert or expertise in "is" mode
    for (std::size_t p = 0; p < g.size(); ++p) {
        for (Mode mode : modes)
            for (const Ref &r : g[p][7][static_cast<int>(mode)].bound) {
                if (r.type != "actor") continue;
                const Actor &a = m.actors[m.actor_at.at(r.id)];
                if (judgements_by(counts, a) > 0) continue;
                f.add("CSH-EXP-001", "warning", 8, p, {r},
                      who(m, p) + " names the knowledge of " + a.name + " (" + a.id + ") as expertise that " +
                          (mode == Mode::is ? "counts" : "ought to count") + " (category 8, " + mode_name(mode) +
                          "), but none of the model's judgements (links, variables, matrix cells) was asserted by them. Record the "
                          "judgements that rest on their knowledge (provenance), or ask them to review the model.",
                      {{"mode", mode_name(mode)}});
            }
        for (int c : {7, 8})
            for (const Ref &r : g[p][c - 1][0].bound)
                if (r.type == "actor") recognised.insert(r.id);
    }
    if (recognised.empty()) return;
    std::map<std::string, std::string> id_by_name;
    for (const Actor &a : m.actors) id_by_name.emplace(a.name, a.id);
    std::map<std::string, std::size_t> unrecognised; // asserter -> judgements
    for (const Judgement &j : m.judgements) {
        std::string actor;
        if (m.actor_at.contains(j.asserted_by)) actor = j.asserted_by;
        else if (const auto named = id_by_name.find(j.asserted_by); named != id_by_name.end()) actor = named->second;
        if (!actor.empty() && recognised.contains(actor)) continue;
        ++unrecognised[actor.empty() ? j.asserted_by : actor];
    }
    for (const auto &[asserter, count] : unrecognised) {
        const bool is_actor = m.actor_at.contains(asserter);
        std::vector<Ref> entities;
        if (is_actor) entities.push_back({"actor", asserter});
        const std::string name = is_actor ? m.label({"actor", asserter}) : asserter;
        f.add("CSH-EXP-002", "info", 8, std::nullopt, entities,
              std::to_string(count) + (count == 1 ? " of the model's judgements rests on " : " of the model's judgements rest on ") + name +
                  ", whom no perspective names as expert or expertise in \"is\" mode (categories 7, 8). Ask whether their "
                  "knowledge should count, or have those judgements reviewed by someone whose knowledge does.",
              {{"asserted_by", asserter}, {"judgements", count}});
    }
}

void check_guarantors(const Model &m, const std::vector<Grid> &g, double min_confidence, Findings &f) {
    const auto counts = judgement_counts(m);
    for (std::size_t p = 0; p < g.size(); ++p) {
        for (Mode mode : modes)
            for (const Ref &r : g[p][8][static_cast<int>(mode)].bound) {
                if (r.type != "link") continue;
                const Link &l = m.links[m.link_at.at(r.id)];
                const std::string what = who(m, p) + " relies on the link " + m.name_of(r) + " (" + l.id +
                                         ") as a guarantor of success (category 9, " + mode_name(mode) + "), but ";
                if (!l.asserted_by)
                    f.add("CSH-GUA-001", "warning", 9, p, {r}, what + "nobody is recorded as having asserted it. Record who did (provenance) and how sure they are.",
                          {{"mode", mode_name(mode)}});
                else if (l.confidence && *l.confidence < min_confidence) {
                    char value[32];
                    std::snprintf(value, sizeof value, "%.2f", *l.confidence);
                    f.add("CSH-GUA-001", "warning", 9, p, {r},
                          what + "its asserter (" + asserter_name(m, *l.asserted_by) + ") gives it a confidence of only " + value +
                              ". Look for firmer evidence before relying on it.",
                          {{"mode", mode_name(mode)}});
                }
            }
        for (const Ref &r : g[p][8][0].bound) {
            if (r.type != "actor") continue;
            const Actor &a = m.actors[m.actor_at.at(r.id)];
            if (judgements_by(counts, a) > 0) continue;
            f.add("CSH-GUA-002", "info", 9, p, {r},
                  who(m, p) + " relies on " + a.name + " (" + a.id +
                      ") as guarantor of success (category 9, is), but none of the model's judgements comes from them. Record "
                      "what they vouch for in the model, or question the guarantee.");
        }
    }
}

json perspectives_json(const Model &m, const std::vector<Grid> &g) {
    json out = json::array();
    for (std::size_t p = 0; p < g.size(); ++p) {
        const Perspective &per = m.perspectives[p];
        json cells = json::array(), missing = json::array();
        for (int c = 1; c <= category_count; ++c)
            for (Mode mode : modes) {
                const Cell &cell = g[p][c - 1][static_cast<int>(mode)];
                if (cell.records.empty()) {
                    missing.push_back({{"category", c}, {"mode", mode_name(mode)}});
                    continue;
                }
                json ids = json::array();
                std::string answer;
                for (std::size_t r : cell.records) {
                    ids.push_back(m.records[r].id);
                    if (!m.records[r].answer.empty()) answer += (answer.empty() ? "" : " / ") + m.records[r].answer;
                }
                cells.push_back({{"category", c}, {"name", category(c).name}, {"mode", mode_name(mode)}, {"records", ids},
                                 {"answer", answer}, {"entities", entities_json(m, cell.bound)}});
            }
        json entry = {{"id", per.key}, {"name", per.name}, {"answered", cells.size()}, {"missing", missing}, {"cells", cells}};
        if (!per.actor.empty()) entry["actor"] = per.actor;
        out.push_back(std::move(entry));
    }
    return out;
}

json gaps_json(const Model &m, const std::vector<Grid> &g) {
    json out = json::array();
    for (std::size_t p = 0; p < g.size(); ++p)
        for (int c = 1; c <= category_count; ++c) {
            const Cell &is = g[p][c - 1][0], &ought = g[p][c - 1][1];
            if (is.records.empty() && ought.records.empty()) continue;
            const GapType type = gap_type(is.bound, ought.bound);
            RefSet only_is, only_ought;
            std::set_difference(is.bound.begin(), is.bound.end(), ought.bound.begin(), ought.bound.end(),
                                std::inserter(only_is, only_is.end()));
            std::set_difference(ought.bound.begin(), ought.bound.end(), is.bound.begin(), is.bound.end(),
                                std::inserter(only_ought, only_ought.end()));
            auto answer = [&](const Cell &cell) {
                std::string text;
                for (std::size_t r : cell.records)
                    if (!m.records[r].answer.empty()) text += (text.empty() ? "" : " / ") + m.records[r].answer;
                return text;
            };
            json gap = {{"perspective", m.perspectives[p].key}, {"perspective_name", m.perspectives[p].name},
                        {"perspective_index", p},              {"category", c},
                        {"name", category(c).name},            {"gap", gap_name(type)},
                        {"only_is", entities_json(m, only_is)}, {"only_ought", entities_json(m, only_ought)},
                        {"is_answer", answer(is)},              {"ought_answer", answer(ought)}};
            for (const auto *cell : {&ought, &is})
                for (std::size_t r : cell->records)
                    if (!m.records[r].declared_gap.empty() && !gap.contains("declared"))
                        gap["declared"] = m.records[r].declared_gap;
            out.push_back(std::move(gap));
        }
    return out;
}

json divergence_json(const Model &m, const std::vector<Grid> &g) {
    const std::size_t n = g.size();
    json keys = json::array();
    for (const Perspective &p : m.perspectives) keys.push_back(p.key);
    json cells = json::array();
    // mean distance of each perspective to the others, per cell (the heat map's rows)
    std::vector<std::vector<std::optional<double>>> mean(n, std::vector<std::optional<double>>(2 * category_count));
    for (int c = 1; c <= category_count; ++c)
        for (Mode mode : modes) {
            const int k = static_cast<int>(mode);
            json d = json::array();
            std::vector<double> sum(n, 0.0);
            std::vector<int> count(n, 0);
            for (std::size_t i = 0; i < n; ++i) {
                json row = json::array();
                for (std::size_t j = 0; j < n; ++j) {
                    const auto v = i == j ? std::optional<double>(g[i][c - 1][k].bound.empty() ? std::nullopt
                                                                                               : std::optional<double>(0.0))
                                          : jaccard_distance(g[i][c - 1][k].bound, g[j][c - 1][k].bound);
                    row.push_back(v ? json(*v) : json(nullptr));
                    if (i != j && v) {
                        sum[i] += *v;
                        ++count[i];
                    }
                }
                d.push_back(std::move(row));
                if (count[i] > 0) mean[i][static_cast<std::size_t>(2 * (c - 1) + k)] = sum[i] / count[i];
            }
            cells.push_back({{"category", c}, {"mode", mode_name(mode)}, {"distance", std::move(d)}});
        }
    json mean_json = json::array();
    for (std::size_t i = 0; i < n; ++i) {
        json row = json::array();
        for (const auto &v : mean[i]) row.push_back(v ? json(*v) : json(nullptr));
        mean_json.push_back(std::move(row));
    }
    return {{"perspectives", keys}, {"cells", cells}, {"mean", mean_json}};
}

} // namespace

const char *gap_name(GapType g) {
    switch (g) {
    case GapType::same: return "same";
    case GapType::ought_broader: return "ought_broader";
    case GapType::ought_narrower: return "ought_narrower";
    case GapType::conflicting: return "conflicting";
    case GapType::unbound: return "unbound";
    }
    return "unbound";
}

GapType gap_type(const RefSet &is, const RefSet &ought) {
    if (is.empty() || ought.empty()) return GapType::unbound;
    if (is == ought) return GapType::same;
    if (std::includes(ought.begin(), ought.end(), is.begin(), is.end())) return GapType::ought_broader;
    if (std::includes(is.begin(), is.end(), ought.begin(), ought.end())) return GapType::ought_narrower;
    return GapType::conflicting;
}

std::optional<double> jaccard_distance(const RefSet &a, const RefSet &b) {
    if (a.empty() || b.empty()) return std::nullopt;
    std::size_t common = 0;
    auto i = a.begin();
    auto j = b.begin();
    while (i != a.end() && j != b.end()) {
        if (*i < *j) ++i;
        else if (*j < *i) ++j;
        else {
            ++common;
            ++i;
            ++j;
        }
    }
    const std::size_t all = a.size() + b.size() - common;
    return 1.0 - static_cast<double>(common) / static_cast<double>(all);
}

std::vector<Grid> grids(const Model &m) {
    std::vector<Grid> g(m.perspectives.size());
    for (std::size_t r = 0; r < m.records.size(); ++r) {
        const Record &rec = m.records[r];
        Cell &cell = g[rec.perspective][static_cast<std::size_t>(rec.category - 1)][static_cast<int>(rec.mode)];
        cell.records.push_back(r);
        cell.bound.insert(rec.refs.begin(), rec.refs.end());
    }
    return g;
}

std::set<std::string> outcome_reach(const Model &m) {
    std::set<std::string> reach;
    for (const Variable &v : m.variables)
        if (v.kind == "outcome") reach.insert(v.id);
    for (const Record &r : m.records) {
        if (r.category != 3) continue;
        for (const Ref &ref : r.refs) {
            if (ref.type == "variable") reach.insert(ref.id);
            if (ref.type == "indicator")
                for (const std::string &v : m.indicators[m.indicator_at.at(ref.id)].variables) reach.insert(v);
        }
    }
    std::map<std::string, std::vector<std::string>> next;
    for (const Link &l : m.links) next[l.from].push_back(l.to);
    std::deque<std::string> queue(reach.begin(), reach.end());
    while (!queue.empty()) {
        const std::string v = queue.front();
        queue.pop_front();
        const auto it = next.find(v);
        if (it == next.end()) continue;
        for (const std::string &to : it->second)
            if (reach.insert(to).second) queue.push_back(to);
    }
    return reach;
}

json critique(const Model &m, const CritiqueOptions &options) {
    const std::vector<Grid> g = grids(m);
    json gaps = gaps_json(m, g);
    json divergence = divergence_json(m, g);
    Findings f(m);
    check_coverage(m, g, f);
    check_gaps(m, g, gaps, f);
    check_divergence(m, divergence, options.divergence_threshold, f);
    check_affected(m, g, f);
    check_environment(m, g, f);
    check_resources(m, g, f);
    check_measures(m, g, f);
    check_expertise(m, g, f);
    check_guarantors(m, g, options.min_confidence, f);
    for (json &gap : gaps) gap.erase("perspective_index");
    json counts = json::object();
    json findings = f.take();
    for (const json &finding : findings) counts[finding["code"].get<std::string>()] = counts.value(finding["code"].get<std::string>(), 0) + 1;
    return {{"perspectives", perspectives_json(m, g)},
            {"gaps", std::move(gaps)},
            {"divergence", std::move(divergence)},
            {"findings", std::move(findings)},
            {"summary", {{"perspectives", m.perspectives.size()}, {"records", m.records.size()}, {"findings", counts}}}};
}

} // namespace holon_csh
