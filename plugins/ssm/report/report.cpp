#include "report/report.hpp"

#include "drawing/svg_png.hpp"
#include "text/markdown.hpp"

#include <algorithm>
#include <cctype>

namespace holon_ssm::report {
namespace {

using holon_plugins::drawing::xml_escape;
using holon_plugins::text::markdown_cell;

std::string join(const std::vector<std::string> &items, const std::string &sep) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
    return out;
}

std::string or_not_stated(const std::string &s) { return s.empty() ? "not stated" : s; }

std::vector<std::string> party_names(const std::vector<model::Party> &parties) {
    std::vector<std::string> out;
    for (const model::Party &p : parties) out.push_back(p.name.empty() ? p.actor : p.name);
    return out;
}

std::string lower_first(std::string s) {
    if (s.size() > 1 && std::isupper(static_cast<unsigned char>(s[0])) && !std::isupper(static_cast<unsigned char>(s[1])))
        s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
}

// "A" or "An" before the owner's name: by the first letter, and for an initialism (HM, NHS) by how
// its first letter is said.
std::string article(const std::string &next) {
    if (next.empty()) return "A";
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(next[0])));
    const bool initialism = next.size() > 1 && std::isupper(static_cast<unsigned char>(next[0])) &&
                            std::isupper(static_cast<unsigned char>(next[1]));
    const bool vowel_sound = std::string("AEIOU").find(c) != std::string::npos ||
                             (initialism && std::string("FHLMNRSX").find(c) != std::string::npos);
    return vowel_sound ? "An" : "A";
}

std::string strip_period(std::string s) {
    while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
    return s;
}

// A document as blocks, rendered to Markdown or HTML.
struct Block {
    enum Kind { heading, paragraph, table, picture } kind;
    int level = 2;
    std::string label, text;                  // paragraph: bold label + text
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::string model;                        // picture
};

std::vector<Block> blocks(const Inputs &in) {
    std::vector<Block> out;
    const auto heading = [&](int level, const std::string &t) { out.push_back({Block::heading, level, {}, t, {}, {}, {}}); };
    const auto para = [&](const std::string &label, const std::string &t) { out.push_back({Block::paragraph, 0, label, t, {}, {}, {}}); };
    const auto table = [&](std::vector<std::string> header, std::vector<std::vector<std::string>> rows) {
        out.push_back({Block::table, 0, {}, {}, std::move(header), std::move(rows), {}});
    };

    heading(1, in.title);
    // Side by side: every model of the inquiry on one table.
    std::vector<std::vector<std::string>> summary;
    for (const model::ActivityModel *m : in.models) {
        int e = 0, w = 0, i = 0, ops = 0;
        for (const checks::Finding &f : in.checks->findings)
            if (f.model == m->id) (f.severity == checks::Severity::error ? e : f.severity == checks::Severity::warning ? w : i)++;
        for (const model::Activity &a : m->activities) ops += a.operational() ? 1 : 0;
        std::string changes = "-";
        for (const compare::Comparison &c : *in.comparisons)
            if (c.model == m->id && !c.changes.empty())
                changes = std::to_string(c.changes.size()) + " (" + std::to_string(c.desirable_and_feasible) + " desirable and feasible)";
        std::string worldview = m->worldview;
        if (worldview.empty() && !m->worldview_record.empty())
            if (const model::BoundaryRecord *b = in.inquiry->record(m->worldview_record)) worldview = b->answer;
        summary.push_back({m->name, or_not_stated(worldview), m->t.present ? m->t.input + " \u2192 " + m->t.output : "not stated",
                           std::to_string(ops), std::to_string(e) + " / " + std::to_string(w) + " / " + std::to_string(i), changes});
    }
    heading(2, "The relevant systems side by side");
    table({"Model", "Worldview (W)", "Transformation (T)", "Operational activities", "Errors / warnings / notes", "Changes"}, summary);

    for (const model::ActivityModel *m : in.models) {
        heading(2, m->name);
        if (!m->rd_text.empty()) para("Root definition", m->rd_text);
        para("PQR", pqr_line(*m));
        para("In Checkland's full form", full_sentence(*m));
        std::vector<std::vector<std::string>> catwoe;
        const auto parties_row = [&](const char *letter, const char *name, const std::vector<model::Party> &ps) {
            std::vector<std::string> names, actors;
            for (const model::Party &p : ps) {
                names.push_back(p.name.empty() ? p.actor : p.name);
                actors.push_back(p.actor.empty() ? "(name only)" : p.actor);
            }
            catwoe.push_back({letter, name, or_not_stated(join(names, "; ")), join(actors, ", ")});
        };
        parties_row("C", "Customers (beneficiaries or victims)", m->customers);
        parties_row("A", "Actors", m->actors);
        std::string t = m->t.present ? m->t.input + " \u2192 " + m->t.output : "not stated";
        std::string t_bound;
        if (!m->t.in.variable.empty() || !m->t.out.variable.empty())
            t_bound = or_not_stated(m->t.in.variable) + " \u2192 " + or_not_stated(m->t.out.variable);
        catwoe.push_back({"T", "Transformation", t, t_bound});
        std::string worldview = m->worldview;
        if (worldview.empty() && !m->worldview_record.empty())
            if (const model::BoundaryRecord *b = in.inquiry->record(m->worldview_record)) worldview = b->answer;
        catwoe.push_back({"W", "Worldview", or_not_stated(worldview), m->worldview_record});
        parties_row("O", "Owners", m->owners);
        std::vector<std::string> env, env_vars;
        for (const model::Constraint &c : m->environment) {
            env.push_back(c.text);
            for (const std::string &v : c.variables) env_vars.push_back(v);
        }
        catwoe.push_back({"E", "Environmental constraints", or_not_stated(join(env, "; ")), join(env_vars, ", ")});
        heading(3, "CATWOE");
        table({"", "Element", "In this root definition", "Bound to (model ids)"}, catwoe);

        if (!m->activities.empty()) {
            heading(3, "Purposeful activity model");
            out.push_back({Block::picture, 0, {}, {}, {}, {}, m->id});
        }

        heading(3, "Checks");
        std::vector<std::vector<std::string>> findings;
        for (const checks::Finding &f : in.checks->findings)
            if (f.model == m->id) findings.push_back({f.code, checks::severity_name(f.severity), f.message});
        if (findings.empty()) para("", "No findings: every check that applies passed.");
        else table({"Code", "Severity", "Finding"}, findings);
        for (const checks::Assessment &a : in.checks->assessed)
            if (a.model == m->id && !a.not_assessed.empty()) {
                std::vector<std::pair<std::string, std::vector<std::string>>> by_reason; // in first-seen order
                for (const auto &[code, why] : a.not_assessed) {
                    auto it = std::find_if(by_reason.begin(), by_reason.end(), [&](const auto &x) { return x.first == why; });
                    if (it == by_reason.end()) by_reason.push_back({why, {code}});
                    else it->second.push_back(code);
                }
                std::vector<std::string> skipped;
                for (const auto &[why, codes] : by_reason) skipped.push_back(join(codes, ", ") + ": " + why);
                para("Not assessed", join(skipped, "; "));
            }

        for (const compare::Comparison &c : *in.comparisons) {
            if (c.model != m->id || m->rows.empty()) continue;
            heading(3, "Comparison with the real situation");
            std::vector<std::vector<std::string>> rows;
            int number = 0;
            for (const compare::Row &r : c.rows)
                rows.push_back({std::to_string(++number), r.activity_name, r.has_row ? or_not_stated(r.exists) : "no row", r.how, r.who,
                                r.judged, r.alternatives});
            table({"#", "Activity", "Exists?", "How?", "Who?", "Judged how?", "Alternatives"}, rows);
            para("Coverage", std::to_string(c.with_row) + " of " + std::to_string(c.activities) + " activities have a row (" +
                                 std::to_string(c.exists_yes) + " exist, " + std::to_string(c.exists_partly) + " partly, " +
                                 std::to_string(c.exists_no) + " not at all).");
            if (!c.changes.empty()) {
                heading(3, "Changes");
                std::vector<std::vector<std::string>> changes;
                for (const compare::Change &k : c.changes)
                    changes.push_back({k.text, join(k.row_names, "; "), k.desirable ? (*k.desirable ? "yes" : "no") : "?",
                                       k.feasible ? (*k.feasible ? "yes" : "no") : "?", or_not_stated(k.status), k.verdict});
                table({"Change", "From the rows of", "Systemically desirable", "Culturally feasible", "Status", "Verdict"}, changes);
            }
        }
    }
    para("About the codes", "Each check code (SSM-RD-..., SSM-PAM-..., SSM-CMP-..., SSM-CHG-..., SSM-JOIN-...) is explained "
                            "with its source in Holon's docs/methods/ssm.md.");
    return out;
}

} // namespace

std::string full_sentence(const model::ActivityModel &m) {
    std::vector<std::string> env, activities;
    for (const model::Constraint &c : m.environment) env.push_back(c.text);
    for (const model::Activity &a : m.activities)
        if (a.operational()) activities.push_back(lower_first(a.name));
    const std::string owners = join(party_names(m.owners), " and ");
    std::string s = article(owners) + " " + (owners.empty() ? std::string("(owner not stated)") : owners) + "-owned system which, under the following "
                    "environmental constraints which it takes as given: (" + or_not_stated(join(env, "; ")) + "), transforms this input (" +
                    (m.t.present ? m.t.input : "not stated") + ") into this output (" + (m.t.present ? m.t.output : "not stated") +
                    ") by means of the following major activities among others: (" + or_not_stated(join(activities, "; ")) +
                    "), the transformation being carried out by these actors (" + or_not_stated(join(party_names(m.actors), "; ")) +
                    ") and directly affecting the following beneficiaries and/or victims (" +
                    or_not_stated(join(party_names(m.customers), "; ")) +
                    "). The world-image which makes the transformation meaningful contains at least the following elements among others: (" +
                    or_not_stated(strip_period(m.worldview)) + ").";
    return s;
}

std::string pqr_line(const model::ActivityModel &m) {
    const auto part = [](const std::string &s, const char *missing) { return s.empty() ? std::string(missing) : strip_period(s); };
    std::string q = part(m.q, "(Q not stated)");
    if (!m.q.empty() && q.rfind("by ", 0) != 0) q = "by " + q;
    std::string r = part(m.r, "(R not stated)");
    if (r.rfind("in order to ", 0) == 0) r = r.substr(12);
    return "A system to " + part(m.p, "(P not stated)") + ", " + q + ", in order to " + r + ".";
}

std::string markdown(const Inputs &in) {
    std::string out;
    for (const Block &b : blocks(in)) {
        switch (b.kind) {
        case Block::heading: out += std::string(static_cast<std::size_t>(b.level), '#') + " " + b.text + "\n\n"; break;
        case Block::paragraph: out += (b.label.empty() ? "" : "**" + b.label + ":** ") + b.text + "\n\n"; break;
        case Block::table:
            out += "| " + join(b.header, " | ") + " |\n|";
            for (std::size_t i = 0; i < b.header.size(); ++i) out += "---|";
            out += "\n";
            for (const auto &row : b.rows) {
                std::vector<std::string> cells;
                for (const std::string &c : row) cells.push_back(markdown_cell(c));
                out += "| " + join(cells, " | ") + " |\n";
            }
            out += "\n";
            break;
        case Block::picture:
            if (const auto it = in.png_name.find(b.model); it != in.png_name.end())
                out += "![Purposeful activity model](" + it->second + ")\n\n";
            break;
        }
    }
    return out;
}

std::string html(const Inputs &in) {
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + xml_escape(in.title) +
                      "</title>\n<style>body{font-family:'DejaVu Sans',sans-serif;max-width:1100px;margin:2em auto;color:#1f2933;"
                      "line-height:1.45}table{border-collapse:collapse;margin:0.5em 0 1.2em}td,th{border:1px solid #cbd2d9;"
                      "padding:4px 8px;vertical-align:top;text-align:left}th{background:#f0f4f8}h2{border-bottom:2px solid #334e68;"
                      "padding-bottom:3px;margin-top:2em}svg{max-width:100%;height:auto}</style></head><body>\n";
    for (const Block &b : blocks(in)) {
        switch (b.kind) {
        case Block::heading: {
            const std::string h = "h" + std::to_string(b.level);
            out += "<" + h + ">" + xml_escape(b.text) + "</" + h + ">\n";
            break;
        }
        case Block::paragraph:
            out += "<p>" + (b.label.empty() ? "" : "<strong>" + xml_escape(b.label) + ":</strong> ") + xml_escape(b.text) + "</p>\n";
            break;
        case Block::table:
            out += "<table><tr>";
            for (const std::string &h : b.header) out += "<th>" + xml_escape(h) + "</th>";
            out += "</tr>\n";
            for (const auto &row : b.rows) {
                out += "<tr>";
                for (const std::string &c : row) out += "<td>" + xml_escape(c) + "</td>";
                out += "</tr>\n";
            }
            out += "</table>\n";
            break;
        case Block::picture:
            if (const auto it = in.svg.find(b.model); it != in.svg.end()) out += "<figure>" + it->second + "</figure>\n";
            break;
        }
    }
    return out + "</body></html>\n";
}

} // namespace holon_ssm::report
