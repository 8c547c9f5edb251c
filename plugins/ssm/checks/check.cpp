#include "checks/detail.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace holon_ssm::checks {
namespace {

using namespace detail;

void check_model(Report &report, const Inquiry &inquiry, const ActivityModel &m, const Options &options) {
    Recorder r(report, m);
    Joins joins{m.id, {}, {}};
    check_catwoe_presence(r, m);
    check_transformation(r, m);
    check_pqr(r, m);
    check_worldview(r, inquiry, m, joins);
    if (m.activities.empty()) {
        for (const char *code : {"SSM-PAM-001", "SSM-PAM-002", "SSM-PAM-003", "SSM-PAM-004", "SSM-PAM-005", "SSM-PAM-006",
                                 "SSM-PAM-007", "SSM-PAM-008", "SSM-CMP-001", "SSM-CMP-002", "SSM-CMP-003", "SSM-CHG-001",
                                 "SSM-CHG-002", "SSM-CHG-003"})
            r.skip(code, "the model has only its root definition, no activities yet");
    } else {
        check_activities(r, m, options);
        check_reflection(r, m);
        check_dependencies(r, m);
        check_comparison(r, m);
    }
    check_parties(r, inquiry, m, options);
    check_environment(r, inquiry, m);
    check_t_variables(r, inquiry, m, joins);
    r.finish();
    report.joins.push_back(std::move(joins));
}

} // namespace

std::vector<std::string> content_words(const std::string &text) {
    static const std::set<std::string> stop = {"the", "and", "for", "with", "from", "into", "its", "their", "this",
                                               "that", "are", "who", "which", "by", "of", "to", "in", "on", "at", "as"};
    std::vector<std::string> words;
    std::string word;
    for (char c : lower(text) + " ") {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            word += c;
        } else {
            if (word.size() >= 3 && !stop.count(word)) words.push_back(word);
            word.clear();
        }
    }
    return words;
}

Report check(const Inquiry &inquiry, const Options &options, const std::vector<std::string> &only) {
    Report report;
    for (const ActivityModel &m : inquiry.models)
        if (only.empty() || std::find(only.begin(), only.end(), m.id) != only.end()) check_model(report, inquiry, m, options);
    // Findings in catalogue order within each model, so output is stable and reads top-down.
    std::map<std::string, std::size_t> rank;
    for (std::size_t i = 0; i < catalogue().size(); ++i) rank[catalogue()[i].code] = i;
    std::map<std::string, std::size_t> model_rank;
    for (std::size_t i = 0; i < report.assessed.size(); ++i) model_rank[report.assessed[i].model] = i;
    std::stable_sort(report.findings.begin(), report.findings.end(), [&](const Finding &a, const Finding &b) {
        if (model_rank[a.model] != model_rank[b.model]) return model_rank[a.model] < model_rank[b.model];
        return rank[a.code] < rank[b.code];
    });
    return report;
}

} // namespace holon_ssm::checks
