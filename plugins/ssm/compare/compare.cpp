#include "compare/compare.hpp"

#include <algorithm>

namespace holon_ssm::compare {
namespace {

std::string verdict(const std::optional<bool> &desirable, const std::optional<bool> &feasible) {
    if (!desirable || !feasible) return "not judged";
    if (*desirable && *feasible) return "desirable and feasible";
    if (*desirable) return "desirable, not feasible";
    if (*feasible) return "feasible, not desirable";
    return "neither";
}

Comparison compare_one(const model::Inquiry &inquiry, const model::ActivityModel &m) {
    Comparison c;
    c.model = m.id;
    c.name = m.name;
    c.worldview = m.worldview;
    if (c.worldview.empty() && !m.worldview_record.empty())
        if (const model::BoundaryRecord *b = inquiry.record(m.worldview_record)) c.worldview = b->answer;
    if (m.t.present) c.transformation = m.t.input + " -> " + m.t.output;
    for (const model::Activity &a : m.activities) {
        Row row{a.id, a.name, kind_name(a.kind), false, {}, {}, {}, {}, {}, {}};
        for (const model::Row &r : m.rows)
            if (r.activity == a.id && !row.has_row) {
                row.has_row = true;
                row.exists = r.exists;
                row.how = r.how;
                row.who = r.who;
                row.judged = r.judged;
                row.alternatives = r.alternatives;
                row.change = r.change;
            }
        ++c.activities;
        if (row.has_row) {
            ++c.with_row;
            if (row.exists == "yes") ++c.exists_yes;
            else if (row.exists == "partly") ++c.exists_partly;
            else if (row.exists == "no") ++c.exists_no;
            else ++c.exists_unjudged;
        } else {
            c.without_row.push_back(a.id);
        }
        c.rows.push_back(std::move(row));
    }
    for (const model::Row &r : m.rows)
        if (!m.activity(r.activity)) c.rows_without_activity.push_back(r.activity);
    for (const model::Change &k : m.changes) {
        Change change{k.id, k.text, k.status, k.rationale, k.rows, {}, k.desirable, k.feasible, k.from_row,
                      verdict(k.desirable, k.feasible)};
        for (const std::string &a : k.rows) change.row_names.push_back(m.activity_name(a));
        if (change.verdict == "desirable and feasible") ++c.desirable_and_feasible;
        c.changes.push_back(std::move(change));
    }
    return c;
}

} // namespace

const char *kind_name(model::Kind kind) {
    switch (kind) {
    case model::Kind::operational: return "operational";
    case model::Kind::monitor: return "monitor";
    case model::Kind::control: return "control";
    case model::Kind::monitor_and_control: return "monitor-and-control";
    }
    return "operational";
}

std::vector<Comparison> compare(const model::Inquiry &inquiry, const std::vector<std::string> &only) {
    std::vector<Comparison> out;
    for (const model::ActivityModel &m : inquiry.models)
        if (only.empty() || std::find(only.begin(), only.end(), m.id) != only.end()) out.push_back(compare_one(inquiry, m));
    return out;
}

} // namespace holon_ssm::compare
