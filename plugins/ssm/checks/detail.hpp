// What the check files share: the recorder of one model's findings and small text helpers. Not
// part of the plugin's interface (checks.hpp is).
#pragma once

#include "checks/checks.hpp"

#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace holon_ssm::checks::detail {

using model::Activity;
using model::ActivityModel;
using model::Inquiry;
using model::Party;

inline std::string lower(std::string s) {
    for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Lower case, single spaces, no leading article: "The  Fence" == "fence".
inline std::string normal(const std::string &text) {
    std::string out;
    for (char c : lower(text)) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    for (const char *article : {"the ", "a ", "an "})
        if (out.rfind(article, 0) == 0) out = out.substr(std::char_traits<char>::length(article));
    return out;
}

inline bool same_word(const std::string &a, const std::string &b) {
    if (a == b) return true;
    // paint/painted, market/marketed, fence/fences
    return a.size() >= 5 && b.size() >= 5 && a.compare(0, 5, b, 0, 5) == 0;
}

inline std::string named(const std::string &name, const std::string &id) { return name.empty() || name == id ? id : name + " (" + id + ")"; }

inline std::string list_text(const std::vector<std::string> &items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
    return out;
}

inline const char *element_name(const std::string &letter) {
    static const std::map<std::string, const char *> names = {
        {"C", "customers"}, {"A", "actors"}, {"T", "transformation"}, {"W", "worldview"}, {"O", "owners"},
        {"E", "environmental constraints"}, {"P", "P (what)"}, {"Q", "Q (how)"}, {"R", "R (why)"}};
    const auto it = names.find(letter);
    return it != names.end() ? it->second : "element";
}

inline Entity element(const std::string &letter) { return {"element", letter, element_name(letter)}; }
inline Entity activity_entity(const Activity &a) { return {"activity", a.id, a.name}; }

// Collects one model's findings and which checks ran.
class Recorder {
public:
    Recorder(Report &report, const ActivityModel &m) : report_(report), m_(m) {}

    void add(const std::string &code, std::vector<Entity> entities, const std::string &message) {
        report_.findings.push_back({code, info(code).severity, m_.id, m_.name, std::move(entities), message});
        failed_.insert(code);
    }
    void skip(const std::string &code, const std::string &why) { skipped_.emplace(code, why); }

    void finish() {
        Assessment a{m_.id, m_.name, {}, {}, {}};
        for (const CheckInfo &c : catalogue()) {
            if (failed_.count(c.code)) a.failed.push_back(c.code);
            else if (const auto it = skipped_.find(c.code); it != skipped_.end()) a.not_assessed.emplace_back(c.code, it->second);
            else a.passed.push_back(c.code);
        }
        report_.assessed.push_back(std::move(a));
    }


private:
    Report &report_;
    const ActivityModel &m_;
    std::set<std::string> failed_;
    std::map<std::string, std::string> skipped_;
};

inline std::string model_label(const ActivityModel &m) { return named(m.name, m.id); }

inline bool has_t(const ActivityModel &m) { return m.t.present && !m.t.input.empty() && !m.t.output.empty(); }
inline bool has_w(const ActivityModel &m) { return !m.worldview.empty() || !m.worldview_record.empty(); }


// One group of checks each; every check either adds findings, records why it could not run, or
// stays silent (passed).
void check_catwoe_presence(Recorder &r, const ActivityModel &m);
void check_transformation(Recorder &r, const ActivityModel &m);
void check_pqr(Recorder &r, const ActivityModel &m);
void check_worldview(Recorder &r, const Inquiry &inquiry, const ActivityModel &m, Joins &joins);
void check_activities(Recorder &r, const ActivityModel &m, const Options &options);
void check_reflection(Recorder &r, const ActivityModel &m);
void check_dependencies(Recorder &r, const ActivityModel &m);
void check_comparison(Recorder &r, const ActivityModel &m);
void check_parties(Recorder &r, const Inquiry &inquiry, const ActivityModel &m, const Options &options);
void check_environment(Recorder &r, const Inquiry &inquiry, const ActivityModel &m);
void check_t_variables(Recorder &r, const Inquiry &inquiry, const ActivityModel &m, Joins &joins);

} // namespace holon_ssm::checks::detail
