#include "questionnaire/questionnaire.hpp"

#include "critique/critique.hpp"
#include "drawing/svg_png.hpp"
#include "text/markdown.hpp"

#include <sstream>

namespace holon_csh {

using holon_plugins::drawing::xml_escape;
using holon_plugins::text::markdown_cell;
using nlohmann::json;

std::string csv_field(const std::string &text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

Sheet questionnaire(const Model &m, const std::string &perspective, const QuestionText &text, const std::string &title) {
    std::optional<std::size_t> p;
    for (std::size_t i = 0; i < m.perspectives.size(); ++i) {
        const Perspective &per = m.perspectives[i];
        if (per.key == perspective || per.name == perspective || (!per.actor.empty() && per.actor == perspective)) p = i;
    }
    std::string name = perspective, key = perspective;
    if (p) {
        name = m.perspectives[*p].name;
        key = m.perspectives[*p].key;
    } else if (const auto a = m.actor_at.find(perspective); a != m.actor_at.end()) {
        name = m.actors[a->second].name;
    }
    const std::vector<Grid> g = grids(m);
    bool deployment_text = false;
    json rows = json::array();
    std::ostringstream md, html, csv;
    md << "# " << title << "\n\n**Perspective:** " << name << "\n\n";
    html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << xml_escape(title)
         << "</title>\n<style>body{font-family:'DejaVu Sans',sans-serif;max-width:1000px;margin:2em auto;color:#222}"
            "table{border-collapse:collapse}td,th{border:1px solid #999;padding:6px;vertical-align:top;font-size:13px}"
            "th{background:#eee}td.write{height:3.5em;width:28%}h2{margin-top:1.5em}.ent{color:#555;font-size:12px}"
            "</style></head><body>\n<h1>"
         << xml_escape(title) << "</h1>\n<p><b>Perspective:</b> " << xml_escape(name) << "</p>\n";
    csv << "category,name,source,mode,question,current_answer,bound_entities,new_answer,notes\r\n";
    const char *current_source = "";
    for (const Category &c : categories()) {
        if (std::string(c.source) != current_source) {
            current_source = c.source;
            md << "## Sources of " << c.source << "\n\n| category | mode | question | current answer | bound in the model | your answer |\n"
               << "|---|---|---|---|---|---|\n";
            if (c.id > 1) html << "</table>\n";
            html << "<h2>Sources of " << c.source << "</h2>\n<table><tr><th>category</th><th>mode</th><th>question</th>"
                 << "<th>current answer</th><th>bound in the model</th><th>your answer</th></tr>\n";
        }
        for (const Mode mode : {Mode::is, Mode::ought}) {
            const int k = static_cast<int>(mode);
            const std::string &own = text[static_cast<std::size_t>(c.id - 1)][static_cast<std::size_t>(k)];
            deployment_text = deployment_text || !own.empty();
            const std::string question = !own.empty() ? own : (mode == Mode::is ? c.is_question : c.ought_question);
            std::string answer, bound;
            json entities = json::array();
            if (p) {
                const Cell &cell = g[*p][static_cast<std::size_t>(c.id - 1)][k];
                for (std::size_t r : cell.records)
                    if (!m.records[r].answer.empty()) answer += (answer.empty() ? "" : " / ") + m.records[r].answer;
                for (const Ref &ref : cell.bound) {
                    entities.push_back({{"type", ref.type}, {"id", ref.id}, {"name", m.name_of(ref)}});
                    bound += (bound.empty() ? "" : "; ") + m.label(ref);
                }
            }
            rows.push_back({{"category", c.id}, {"name", c.name}, {"source", c.source}, {"mode", mode_name(mode)},
                            {"question", question}, {"answer", answer}, {"entities", entities}});
            md << "| " << c.id << " " << c.name << " | " << mode_name(mode) << " | " << markdown_cell(question) << " | " << markdown_cell(answer)
               << " | " << markdown_cell(bound) << " |  |\n";
            html << "<tr><td>" << c.id << " " << xml_escape(c.name) << "</td><td>" << mode_name(mode) << "</td><td>"
                 << xml_escape(question) << "</td><td>" << xml_escape(answer) << "</td><td class=\"ent\">" << xml_escape(bound)
                 << "</td><td class=\"write\"></td></tr>\n";
            csv << c.id << ',' << csv_field(c.name) << ',' << c.source << ',' << mode_name(mode) << ',' << csv_field(question) << ','
                << csv_field(answer) << ',' << csv_field(bound) << ",,\r\n";
        }
        if (c.id % 3 == 0) md << "\n";
    }
    const std::string note = deployment_text ? std::string("Question text: the deployment's own, where given; otherwise ") +
                                                   categories_citation
                                             : std::string(categories_citation);
    md << note << "\n";
    html << "</table>\n<p class=\"ent\">" << xml_escape(note) << "</p>\n</body></html>\n";
    Sheet sheet;
    sheet.result = {{"perspective", {{"id", key}, {"name", name}, {"known", p.has_value()}}},
                    {"questions_from", deployment_text ? "deployment" : "holon"},
                    {"citation", categories_citation},
                    {"rows", rows}};
    sheet.markdown = md.str();
    sheet.html = html.str();
    sheet.csv = csv.str();
    return sheet;
}

} // namespace holon_csh
