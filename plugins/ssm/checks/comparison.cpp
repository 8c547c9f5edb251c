#include "checks/detail.hpp"

#include <set>
#include <string>
#include <vector>

namespace holon_ssm::checks::detail {

void check_comparison(Recorder &r, const ActivityModel &m) {
    if (m.rows.empty()) {
        r.add("SSM-CMP-003", {}, model_label(m) + " has not been compared with the real situation yet");
        r.skip("SSM-CMP-001", "no comparison yet (SSM-CMP-003)");
        r.skip("SSM-CMP-002", "no comparison yet (SSM-CMP-003)");
    } else {
        std::set<std::string> with_row;
        for (const model::Row &row : m.rows) with_row.insert(row.activity);
        for (const Activity &a : m.activities)
            if (!with_row.count(a.id))
                r.add("SSM-CMP-001", {activity_entity(a)},
                      named(a.name, a.id) + " in " + model_label(m) +
                          " has no row in the comparison table: does it exist in the real situation, how, who does it, how is "
                          "it judged?");
        for (const model::Row &row : m.rows)
            if (row.exists.empty())
                r.add("SSM-CMP-002", {{"activity", row.activity, m.activity_name(row.activity)}},
                      "The comparison row of " + named(m.activity_name(row.activity), row.activity) + " in " + model_label(m) +
                          " does not say whether the activity exists in the real situation (exists: yes, partly or no)");
    }
    std::set<std::string> with_row;
    for (const model::Row &row : m.rows) with_row.insert(row.activity);
    for (const model::Change &c : m.changes) {
        const Entity ce{"change", c.id, c.text};
        std::vector<std::string> untraced;
        for (const std::string &a : c.rows)
            if (!with_row.count(a)) untraced.push_back(named(m.activity_name(a), a));
        if (c.rows.empty())
            r.add("SSM-CHG-001", {ce}, "The change '" + c.text + "' (" + c.id + ") of " + model_label(m) +
                                     " is traced to no comparison row: name the rows (activities) it comes from");
        else if (!untraced.empty())
            r.add("SSM-CHG-001", {ce},
                  "The change '" + c.text + "' (" + c.id + ") of " + model_label(m) + " is traced to " + list_text(untraced) +
                      ", which " + (untraced.size() == 1 ? "has" : "have") + " no comparison row");
        const bool judged = c.desirable.has_value() && c.feasible.has_value();
        const bool both = c.desirable.value_or(false) && c.feasible.value_or(false);
        if ((c.status == "agreed" || c.status == "implemented") && !both)
            r.add("SSM-CHG-002", {ce},
                  "The change '" + c.text + "' (" + c.id + ") of " + model_label(m) + " is " + c.status +
                      " but not judged both systemically desirable and culturally feasible: judge it, or set it back to "
                      "proposed");
        else if (!judged && c.status != "rejected")
            r.add("SSM-CHG-003", {ce},
                  "The change '" + c.text + "' (" + c.id + ") of " + model_label(m) +
                      " has not been judged desirable and feasible yet");
    }
}

} // namespace holon_ssm::checks::detail
