#include "report/sensitivity_chart.hpp"

#include "drawing/svg_png.hpp"
#include "text/markdown.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

namespace holon_csh {
namespace {

using holon_plugins::drawing::xml_escape;
using holon_plugins::text::shorten;
using nlohmann::json;

// Colour-blind-safe palette (Okabe-Ito) for the measures.
const char *measure_colour(std::size_t i) {
    static const char *palette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"};
    return palette[i % 8];
}

std::string percent(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.1f %%", v * 100);
    return buf;
}

} // namespace

std::string sensitivity_chart_svg(const json &result) {
    std::vector<const json *> rows;
    if (!result.contains("judgements") || !result.contains("measures")) return {};
    for (const json &j : result["judgements"])
        if (j.value("simulated", false) && j.contains("effects") && !j["effects"].empty()) rows.push_back(&j);
    const json &measures = result["measures"];
    if (rows.empty() || measures.empty()) return {};
    double extent = 0.01;
    for (const json *j : rows)
        for (const json &e : (*j)["effects"]) extent = std::max(extent, std::fabs(e["final_rel_delta"].get<double>()));
    // a round scale: 1, 2 or 5 times a power of ten, at or above the largest change
    const double decade = std::pow(10.0, std::floor(std::log10(extent)));
    for (double step : {1.0, 2.0, 5.0, 10.0})
        if (step * decade >= extent) {
            extent = step * decade;
            break;
        }
    const std::size_t m = measures.size();
    const int label_w = 330, plot_w = 420, bar_h = 16, gap = 18, left = 10, top = 76;
    const int row_h = static_cast<int>(m) * bar_h + gap;
    const int width = left + label_w + plot_w + 90;
    const int height = top + static_cast<int>(rows.size()) * row_h + 40 + static_cast<int>(m) * 20;
    const int axis_x = left + label_w + plot_w / 2;
    auto x_of = [&](double v) { return axis_x + static_cast<int>(std::lround(v / extent * (plot_w / 2))); };
    std::ostringstream s;
    s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 " << width
      << ' ' << height << "\" font-family=\"DejaVu Sans\">\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    s << "<text x=\"" << left << "\" y=\"22\" font-size=\"15\" font-weight=\"bold\">What difference each boundary judgement "
         "makes</text>\n";
    s << "<text x=\"" << left << "\" y=\"40\" font-size=\"11\" fill=\"#444\">Change of each outcome measure at the end of the run, "
         "model variant against the model as it is (% of the baseline's final value)</text>\n";
    const int plot_top = top - 8, plot_bottom = top + static_cast<int>(rows.size()) * row_h - gap + 8;
    for (double tick : {-1.0, -0.5, 0.0, 0.5, 1.0}) {
        const int x = x_of(tick * extent);
        s << "<line x1=\"" << x << "\" y1=\"" << plot_top << "\" x2=\"" << x << "\" y2=\"" << plot_bottom << "\" stroke=\""
          << (tick == 0.0 ? "#333" : "#ddd") << "\" stroke-width=\"1\"/>\n";
        s << "<text x=\"" << x << "\" y=\"" << plot_top - 6 << "\" font-size=\"10\" text-anchor=\"middle\" fill=\"#444\">"
          << percent(tick * extent) << "</text>\n";
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const json &j = *rows[r];
        const int y = top + static_cast<int>(r) * row_h;
        const std::string label = j["id"].get<std::string>() + " " + j["type"].get<std::string>() + ": " +
                                  j["entity"]["name"].get<std::string>();
        s << "<text x=\"" << left + label_w - 10 << "\" y=\"" << y + static_cast<int>(m) * bar_h / 2 + 4
          << "\" font-size=\"12\" text-anchor=\"end\"" << (j.value("changes_outcome", false) ? " font-weight=\"bold\"" : "")
          << ">" << xml_escape(shorten(label, 44)) << "</text>\n";
        std::string who;
        for (const json &name : j.value("perspective_names", json::array()))
            who += (who.empty() ? "" : ", ") + name.get<std::string>();
        s << "<text x=\"" << left + label_w - 10 << "\" y=\"" << y + static_cast<int>(m) * bar_h / 2 + 18
          << "\" font-size=\"10\" fill=\"#555\" text-anchor=\"end\">" << xml_escape(shorten(who, 60)) << "</text>\n";
        for (std::size_t k = 0; k < m; ++k) {
            const std::string id = measures[k]["id"].get<std::string>();
            for (const json &e : j["effects"]) {
                if (e["measure"] != id) continue;
                const double v = e["final_rel_delta"].get<double>();
                const int x0 = std::min(axis_x, x_of(v)), x1 = std::max(axis_x, x_of(v));
                const int by = y + static_cast<int>(k) * bar_h;
                s << "<rect x=\"" << x0 << "\" y=\"" << by + 2 << "\" width=\"" << std::max(1, x1 - x0) << "\" height=\"" << bar_h - 4
                  << "\" fill=\"" << measure_colour(k) << "\"/>\n";
                s << "<text x=\"" << (v < 0 ? x0 - 4 : x1 + 4) << "\" y=\"" << by + bar_h - 4 << "\" font-size=\"10\" text-anchor=\""
                  << (v < 0 ? "end" : "start") << "\">" << percent(v) << "</text>\n";
            }
        }
    }
    int ly = plot_bottom + 24;
    for (std::size_t k = 0; k < m; ++k, ly += 20) {
        s << "<rect x=\"" << left + label_w << "\" y=\"" << ly - 11 << "\" width=\"14\" height=\"12\" fill=\"" << measure_colour(k) << "\"/>\n";
        s << "<text x=\"" << left + label_w + 20 << "\" y=\"" << ly << "\" font-size=\"11\">"
          << xml_escape(measures[k]["name"].get<std::string>()) << "</text>\n";
    }
    s << "<text x=\"" << left << "\" y=\"" << plot_bottom + 24 << "\" font-size=\"11\" fill=\"#444\">bold: changes an outcome "
         "beyond the tolerance</text>\n";
    s << "</svg>\n";
    return s.str();
}

} // namespace holon_csh
