#include "report/report.hpp"

#include "core/categories.hpp"
#include "drawing/svg_png.hpp"
#include "text/markdown.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace holon_csh {
namespace {

using holon_plugins::drawing::xml_escape;
using holon_plugins::text::markdown_cell;
using holon_plugins::text::shorten;
using nlohmann::json;

std::string fixed(double v, int digits = 2) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

// White (0, the same bound sets) to dark red (1, nothing in common).
std::string heat_colour(double v) {
    v = std::clamp(v, 0.0, 1.0);
    const int r = static_cast<int>(std::lround(255 - v * (255 - 165)));
    const int g = static_cast<int>(std::lround(255 - v * (255 - 15)));
    const int b = static_cast<int>(std::lround(255 - v * (255 - 21)));
    char buf[16];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
    return buf;
}

std::string entity_names(const json &entities) {
    std::string out;
    for (const json &e : entities) out += (out.empty() ? "" : ", ") + e["name"].get<std::string>();
    return out;
}

const json *cell_of(const json &perspective, int category, const char *mode) {
    for (const json &c : perspective["cells"])
        if (c["category"] == category && c["mode"] == mode) return &c;
    return nullptr;
}


} // namespace

std::string divergence_heatmap_svg(const json &result) {
    const json &perspectives = result["perspectives"];
    const json &mean = result["divergence"]["mean"];
    const std::size_t rows = perspectives.size();
    const int label_w = 320, cell_w = 30, cell_h = 24, top = 92, left = 10;
    const int grid_x = left + label_w;
    const int width = grid_x + 24 * cell_w + 20;
    const int height = top + static_cast<int>(rows) * cell_h + 80;
    std::ostringstream s;
    s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 "
      << width << ' ' << height << "\" font-family=\"DejaVu Sans\">\n";
    s << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    s << "<text x=\"" << left << "\" y=\"22\" font-size=\"15\" font-weight=\"bold\">How far each perspective's boundary "
         "judgements are from the others'</text>\n";
    s << "<text x=\"" << left << "\" y=\"40\" font-size=\"11\" fill=\"#444\">Mean Jaccard distance of what it binds to what "
         "the other perspectives bind, per category and mode (0 = the same entities, 1 = nothing in common)</text>\n";
    for (int c = 1; c <= category_count; ++c) {
        const int x = grid_x + (c - 1) * 2 * cell_w;
        s << "<text x=\"" << x + cell_w << "\" y=\"" << top - 24 << "\" font-size=\"12\" font-weight=\"bold\" "
          << "text-anchor=\"middle\">" << c << "</text>\n";
        s << "<text x=\"" << x + cell_w / 2 << "\" y=\"" << top - 6 << "\" font-size=\"9\" text-anchor=\"middle\" fill=\"#444\">is</text>\n";
        s << "<text x=\"" << x + 3 * cell_w / 2 << "\" y=\"" << top - 6
          << "\" font-size=\"9\" text-anchor=\"middle\" fill=\"#444\">ought</text>\n";
        s << "<line x1=\"" << x << "\" y1=\"" << top - 36 << "\" x2=\"" << x << "\" y2=\"" << top + static_cast<int>(rows) * cell_h
          << "\" stroke=\"#888\" stroke-width=\"1\"/>\n";
    }
    s << "<text x=\"" << left << "\" y=\"" << top - 24 << "\" font-size=\"11\" fill=\"#444\">category \u2192</text>\n";
    for (std::size_t p = 0; p < rows; ++p) {
        const int y = top + static_cast<int>(p) * cell_h;
        std::string name = perspectives[p]["name"].get<std::string>();
        name = shorten(name, 46);
        s << "<text x=\"" << grid_x - 8 << "\" y=\"" << y + cell_h / 2 + 4 << "\" font-size=\"12\" text-anchor=\"end\">"
          << xml_escape(name) << "</text>\n";
        for (std::size_t k = 0; k < 24; ++k) {
            const int x = grid_x + static_cast<int>(k) * cell_w;
            const json &v = mean[p][k];
            if (v.is_null()) {
                s << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << cell_w << "\" height=\"" << cell_h
                  << "\" fill=\"#e6e6e6\" stroke=\"#ffffff\"/>\n";
                continue;
            }
            const double d = v.get<double>();
            s << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << cell_w << "\" height=\"" << cell_h << "\" fill=\""
              << heat_colour(d) << "\" stroke=\"#d8d8d8\" stroke-width=\"0.5\"/>\n";
            if (rows <= 20)
                s << "<text x=\"" << x + cell_w / 2 << "\" y=\"" << y + cell_h / 2 + 4 << "\" font-size=\"9\" text-anchor=\"middle\" fill=\""
                  << (d > 0.55 ? "#ffffff" : "#222222") << "\">" << fixed(d, 1) << "</text>\n";
        }
    }
    // legend
    const int ly = top + static_cast<int>(rows) * cell_h + 28;
    s << "<text x=\"" << left << "\" y=\"" << ly + 12 << "\" font-size=\"11\">distance</text>\n";
    for (int i = 0; i <= 10; ++i)
        s << "<rect x=\"" << left + 70 + i * 24 << "\" y=\"" << ly << "\" width=\"24\" height=\"16\" fill=\"" << heat_colour(i / 10.0)
          << "\" stroke=\"#999\" stroke-width=\"0.5\"/>\n";
    s << "<text x=\"" << left + 70 << "\" y=\"" << ly + 30 << "\" font-size=\"10\">0</text>\n";
    s << "<text x=\"" << left + 70 + 11 * 24 << "\" y=\"" << ly + 30 << "\" font-size=\"10\" text-anchor=\"end\">1</text>\n";
    s << "<rect x=\"" << left + 370 << "\" y=\"" << ly << "\" width=\"24\" height=\"16\" fill=\"#e6e6e6\"/>\n";
    s << "<text x=\"" << left + 400 << "\" y=\"" << ly + 12 << "\" font-size=\"11\">binds nothing there (or no one else does)</text>\n";
    s << "</svg>\n";
    return s.str();
}

Report render_report(const std::string &model_name, const json &result, const std::string &heatmap_svg) {
    std::ostringstream md, html;
    const json &perspectives = result["perspectives"];
    md << "# Boundary critique: " << model_name << "\n\n";
    md << perspectives.size() << " perspectives, " << result["findings"].size() << " findings. " << categories_citation << "\n\n";
    html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Boundary critique: " << xml_escape(model_name)
         << "</title>\n<style>body{font-family:'DejaVu Sans',sans-serif;max-width:1100px;margin:2em auto;color:#222}"
            "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;vertical-align:top;"
            "font-size:13px}th{background:#f0f0f0}.missing{color:#a00}.warning{color:#a05a00}.ent{color:#555;font-size:12px}"
            "</style></head><body>\n";
    html << "<h1>Boundary critique: " << xml_escape(model_name) << "</h1>\n<p>" << perspectives.size() << " perspectives, "
         << result["findings"].size() << " findings. " << xml_escape(categories_citation) << "</p>\n";

    md << "## Findings\n\n| code | severity | perspective | message |\n|---|---|---|---|\n";
    html << "<h2>Findings</h2>\n<table><tr><th>code</th><th>severity</th><th>perspective</th><th>message</th></tr>\n";
    for (const json &f : result["findings"]) {
        const std::string who = f.contains("perspective_name") ? f["perspective_name"].get<std::string>() : std::string("all");
        md << "| " << f["code"].get<std::string>() << " | " << f["severity"].get<std::string>() << " | " << markdown_cell(who) << " | "
           << markdown_cell(f["message"].get<std::string>()) << " |\n";
        html << "<tr><td>" << f["code"].get<std::string>() << "</td><td class=\"" << f["severity"].get<std::string>() << "\">"
             << f["severity"].get<std::string>() << "</td><td>" << xml_escape(who) << "</td><td>"
             << xml_escape(f["message"].get<std::string>()) << "</td></tr>\n";
    }
    md << "\n## Divergence between perspectives\n\n![Divergence heat map](csh-divergence.png)\n\n";
    html << "</table>\n<h2>Divergence between perspectives</h2>\n" << heatmap_svg << "\n";

    md << "## Is/ought gaps\n\n| perspective | category | gap | only in is | only in ought |\n|---|---|---|---|---|\n";
    html << "<h2>Is/ought gaps</h2>\n<table><tr><th>perspective</th><th>category</th><th>gap</th><th>only in is</th>"
            "<th>only in ought</th></tr>\n";
    for (const json &g : result["gaps"]) {
        const std::string cat = std::to_string(g["category"].get<int>()) + " " + g["name"].get<std::string>();
        md << "| " << markdown_cell(g["perspective_name"].get<std::string>()) << " | " << cat << " | " << g["gap"].get<std::string>()
           << " | " << markdown_cell(entity_names(g["only_is"])) << " | " << markdown_cell(entity_names(g["only_ought"])) << " |\n";
        html << "<tr><td>" << xml_escape(g["perspective_name"].get<std::string>()) << "</td><td>" << xml_escape(cat)
             << "</td><td>" << g["gap"].get<std::string>() << "</td><td>" << xml_escape(entity_names(g["only_is"]))
             << "</td><td>" << xml_escape(entity_names(g["only_ought"])) << "</td></tr>\n";
    }
    html << "</table>\n";

    for (const json &p : perspectives) {
        md << "\n## " << markdown_cell(p["name"].get<std::string>()) << ": " << p["answered"].get<int>() << " of 24 answered\n\n"
           << "| category | is | ought |\n|---|---|---|\n";
        html << "<h2>" << xml_escape(p["name"].get<std::string>()) << ": " << p["answered"].get<int>()
             << " of 24 answered</h2>\n<table><tr><th>category</th><th>is</th><th>ought</th></tr>\n";
        for (const Category &c : categories()) {
            md << "| " << c.id << " " << c.name;
            html << "<tr><td>" << c.id << " " << xml_escape(c.name) << "</td>";
            for (const char *mode : {"is", "ought"}) {
                const json *cell = cell_of(p, c.id, mode);
                if (cell == nullptr) {
                    md << " | *(missing)*";
                    html << "<td class=\"missing\">(missing)</td>";
                    continue;
                }
                const std::string ents = entity_names((*cell)["entities"]);
                md << " | " << markdown_cell((*cell)["answer"].get<std::string>()) << (ents.empty() ? "" : " \u2014 *" + markdown_cell(ents) + "*");
                html << "<td>" << xml_escape((*cell)["answer"].get<std::string>());
                if (!ents.empty()) html << "<br><span class=\"ent\">" << xml_escape(ents) << "</span>";
                html << "</td>";
            }
            md << " |\n";
            html << "</tr>\n";
        }
        html << "</table>\n";
    }
    html << "</body></html>\n";
    return {md.str(), html.str()};
}

} // namespace holon_csh
