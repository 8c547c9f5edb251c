#include "report/report.hpp"

#include "drawing/svg_png.hpp"
#include "text/markdown.hpp"

#include <cstdio>
#include <sstream>

namespace holon_vsm {

using nlohmann::json;
using holon_plugins::drawing::xml_escape;

namespace {

std::string title_of(const Organisation &org) {
    return org.root >= 0 ? org.units[static_cast<std::size_t>(org.root)].name : std::string("Organisation");
}

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::string join(const json &list) {
    std::string out;
    for (const json &s : list) out += (out.empty() ? "" : ", ") + s.get<std::string>();
    return out;
}

// A Markdown table cell (plugins/common) of a string or of a JSON string.
std::string md(const std::string &text) { return holon_plugins::text::markdown_cell(text); }
std::string md(const json &text) { return md(text.get<std::string>()); }

// One table, HTML or Markdown, from its header and rows of cell texts.
using Rows = std::vector<std::vector<std::string>>;
template <std::size_t N> void html_table(std::ostream &h, const char *const (&header)[N], const Rows &rows) {
    h << "<table><tr>";
    for (const char *col : header) h << "<th>" << col << "</th>";
    h << "</tr>\n";
    for (const auto &row : rows) {
        h << "<tr>";
        for (const std::string &cell : row) h << "<td>" << xml_escape(cell) << "</td>";
        h << "</tr>\n";
    }
    h << "</table>\n";
}
template <std::size_t N> void markdown_table(std::ostream &m, const char *const (&header)[N], const Rows &rows) {
    m << "|";
    for (const char *col : header) m << ' ' << col << " |";
    m << "\n|";
    for (std::size_t i = 0; i < N; ++i) m << "---|";
    m << "\n";
    for (const auto &row : rows) {
        m << "|";
        for (const std::string &cell : row) m << ' ' << md(cell) << " |";
        m << "\n";
    }
}

struct Counts {
    int error = 0, warning = 0, info = 0;
};

Counts count(const json &findings) {
    Counts c;
    for (const json &f : findings) {
        const std::string s = f["severity"];
        (s == "error" ? c.error : s == "warning" ? c.warning : c.info)++;
    }
    return c;
}

// Variety rows: unit, what, D -> D', R -> R', outcomes, acceptable, deficit bits.
std::vector<std::vector<std::string>> variety_rows(const json &variety) {
    std::vector<std::vector<std::string>> rows;
    for (const json &v : variety["varieties"])
        rows.push_back({v["unit_name"].get<std::string>(), v["of"].get<std::string>(),
                        fixed(v["states"].get<double>(), 0) + " → " + fixed(v["disturbances_after_attenuation"]["states"].get<double>(), 0),
                        fixed(v["responses"].get<double>(), 0) + " → " + fixed(v["responses_after_amplification"]["states"].get<double>(), 0),
                        fixed(v["minimum_outcomes"].get<double>(), 0), fixed(v["acceptable_outcomes"].get<double>(), 0),
                        fixed(v["deficit_bits"].get<double>(), 3)});
    return rows;
}

std::vector<std::vector<std::string>> index_rows(const json &variety) {
    std::vector<std::vector<std::string>> rows;
    auto cell = [](const json &r) { return r.is_null() ? std::string("–") : fixed(r["value"].get<double>(), 3) + " (" + r["exact"].get<std::string>() + ")"; };
    for (const json &t : variety["triple_index"])
        rows.push_back({t["name"].get<std::string>(), t.value("unit_name", ""), fixed(t["actuality"].get<double>(), 0),
                        fixed(t["capability"].get<double>(), 0), fixed(t["potentiality"].get<double>(), 0), cell(t["productivity"]),
                        cell(t["latency"]), cell(t["performance"])});
    return rows;
}

// Rules the data could not decide: code, pathology, what is missing and where.
Rows not_assessable_rows(const json &diagnosis) {
    Rows rows;
    for (const json &n : diagnosis["not_assessable"]) {
        std::string where = n.contains("unit_names") ? join(n["unit_names"]) : "";
        const std::size_t listed = n.contains("unit_names") ? n["unit_names"].size() : 0;
        if (n.contains("unit_count") && n["unit_count"].get<std::size_t>() > listed)
            where += " and " + std::to_string(n["unit_count"].get<std::size_t>() - listed) + " more units";
        if (n.contains("channel_count")) where = std::to_string(n["channel_count"].get<std::size_t>()) + " channels";
        rows.push_back({n["code"].get<std::string>(), n["name"].get<std::string>(), n["missing"].get<std::string>(), where});
    }
    return rows;
}

const char *const not_assessable_header[] = {"Code", "Pathology", "Missing data", "Where"};
const char *const variety_header[] = {"Unit", "Variety of", "States → after attenuation", "Responses → after amplification",
                                      "Minimum outcomes", "Acceptable", "Deficit (bits)"};
const char *const index_header[] = {"Indicator", "Unit", "Actuality", "Capability", "Potentiality", "Productivity A/C",
                                    "Latency C/P", "Performance A/P"};

} // namespace

std::string report_html(const Organisation &org, const json &diagnosis, const json &variety,
                        const std::vector<ReportPicture> &pictures) {
    std::ostringstream h;
    const Counts c = count(diagnosis["findings"]);
    h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Viable System diagnosis — "
      << xml_escape(title_of(org)) << "</title>\n<style>body{font-family:'DejaVu Sans',sans-serif;max-width:1200px;margin:2em auto;"
         "color:#111827}table{border-collapse:collapse;width:100%;margin:1em 0}th,td{border:1px solid #d1d5db;padding:4px 8px;"
         "text-align:left;vertical-align:top;font-size:14px}th{background:#f3f4f6}.error{color:#b91c1c;font-weight:bold}"
         ".warning{color:#b45309}.info{color:#1d4ed8}figure{margin:1.5em 0}figure svg{max-width:100%;height:auto}"
         "code{background:#f3f4f6;padding:0 3px}</style></head><body>\n";
    h << "<h1>Viable System diagnosis — " << xml_escape(title_of(org)) << "</h1>\n";
    h << "<p>" << org.units.size() << " units over " << org.depth + 1 << " recursion levels, " << org.channels.size()
      << " channels. Findings: <span class=\"error\">" << c.error << " errors</span>, <span class=\"warning\">" << c.warning
      << " warnings</span>, <span class=\"info\">" << c.info << " notes</span>. Codes follow Pérez Ríos's taxonomy of "
         "organisational pathologies (I structural, II functional, III information systems and channels); J codes join roles "
         "with actors.</p>\n";
    h << "<h2>Findings by recursion level</h2>\n";
    for (const json &level : diagnosis["levels"]) {
        const int l = level["level"];
        h << "<h3>Level " << l << "</h3>\n<table><tr><th>Code</th><th>Pathology</th><th>Severity</th><th>Units</th><th>Finding</th></tr>\n";
        bool any = false;
        for (const json &f : diagnosis["findings"]) {
            if (f["level"] != l) continue;
            any = true;
            const std::string sev = f["severity"];
            h << "<tr><td><code>" << xml_escape(f["code"].get<std::string>()) << "</code></td><td>" << xml_escape(f["name"].get<std::string>())
              << "</td><td class=\"" << sev << "\">" << sev << "</td><td>" << xml_escape(join(f["unit_names"])) << "</td><td>"
              << xml_escape(f["message"].get<std::string>()) << "</td></tr>\n";
        }
        if (!any) h << "<tr><td colspan=\"5\">No finding at this level.</td></tr>\n";
        h << "</table>\n";
    }
    h << "<h2>Not assessable</h2>\n";
    html_table(h, not_assessable_header, not_assessable_rows(diagnosis));
    h << "<h2>Beer's diagrams</h2>\n";
    for (const ReportPicture &p : pictures) h << "<figure>" << p.svg << "<figcaption>" << xml_escape(p.title) << "</figcaption></figure>\n";
    h << "<h2>Variety</h2>\n<p>Ashby's law in its count form: the outcomes a regulator must expect are at least "
         "⌈D/R⌉ (D disturbances after attenuation, R responses after amplification); the deficit is "
         "log<sub>2</sub> of those outcomes above the acceptable ones.</p>\n";
    html_table(h, variety_header, variety_rows(variety));
    h << "<h2>Beer's triple index</h2>\n";
    html_table(h, index_header, index_rows(variety));
    h << "</body></html>\n";
    return h.str();
}

std::string report_markdown(const Organisation &org, const json &diagnosis, const json &variety,
                            const std::vector<ReportPicture> &pictures) {
    std::ostringstream m;
    const Counts c = count(diagnosis["findings"]);
    m << "# Viable System diagnosis — " << title_of(org) << "\n\n"
      << org.units.size() << " units over " << org.depth + 1 << " recursion levels, " << org.channels.size() << " channels. Findings: "
      << c.error << " errors, " << c.warning << " warnings, " << c.info << " notes.\n\n## Findings by recursion level\n";
    for (const json &level : diagnosis["levels"]) {
        const int l = level["level"];
        m << "\n### Level " << l << "\n\n| Code | Pathology | Severity | Units | Finding |\n|---|---|---|---|---|\n";
        bool any = false;
        for (const json &f : diagnosis["findings"]) {
            if (f["level"] != l) continue;
            any = true;
            m << "| " << f["code"].get<std::string>() << " | " << md(f["name"]) << " | " << f["severity"].get<std::string>() << " | "
              << md(join(f["unit_names"])) << " | " << md(f["message"]) << " |\n";
        }
        if (!any) m << "| | | | | No finding at this level. |\n";
    }
    m << "\n## Not assessable\n\n";
    markdown_table(m, not_assessable_header, not_assessable_rows(diagnosis));
    m << "\n## Beer's diagrams\n";
    for (const ReportPicture &p : pictures) m << "\n![" << md(p.title) << "](" << p.png_name << ")\n";
    m << "\n## Variety\n\n";
    markdown_table(m, variety_header, variety_rows(variety));
    m << "\n## Beer's triple index\n\n";
    markdown_table(m, index_header, index_rows(variety));
    return m.str();
}

} // namespace holon_vsm
