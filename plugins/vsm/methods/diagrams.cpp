#include "methods/diagrams.hpp"

#include "drawing/svg_png.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace holon_vsm::methods {

std::vector<int> levels_to_draw(const Organisation &org, const DiagramOptions &options, int &omitted) {
    omitted = 0;
    if (options.only_unit >= 0) return {options.only_unit};
    std::vector<int> out, queue{org.root};
    for (std::size_t q = 0; q < queue.size(); ++q) {
        const Unit &u = org.units[static_cast<std::size_t>(queue[q])];
        if (u.expanded() || queue[q] == org.root) {
            if (static_cast<int>(out.size()) < options.max_levels) out.push_back(queue[q]);
            else ++omitted;
        }
        for (int c : u.children) queue.push_back(c);
    }
    return out;
}

namespace {

std::string safe(const std::string &id) {
    std::string out;
    for (char c : id) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return out;
}

// The larger of the width and height our SVGs declare on their root element.
double largest_side(const std::string &svg) {
    double side = 0;
    for (const char *attribute : {"width=\"", "height=\""}) {
        const std::size_t at = svg.find(attribute);
        if (at != std::string::npos) side = std::max(side, std::atof(svg.c_str() + at + std::strlen(attribute)));
    }
    return side;
}

void put(const holon::Context &ctx, DrawnDiagram &d, const std::string &stem, const DiagramOptions &options) {
    d.svg_name = stem + ".svg";
    ctx.put_blob(d.svg_name, "image/svg+xml", d.svg);
    if (!options.png) return;
    try {
        d.png_name = stem + ".png";
        // A large nested view gets a smaller scale rather than no picture (the rasteriser stops
        // at 20,000 pixels a side).
        const double scale = std::min(options.scale, 19000.0 / std::max(1.0, largest_side(d.svg)));
        ctx.put_blob(d.png_name, "image/png", holon_plugins::drawing::svg_to_png(d.svg, scale));
    } catch (const std::runtime_error &e) {
        throw holon::Error(HOLON_ERR_INTERNAL, "could not render " + d.svg_name + " to PNG: " + e.what());
    }
}

} // namespace

std::vector<DrawnDiagram> draw_diagrams(const holon::Context &ctx, const Organisation &org, const FindingCounts &findings,
                                        const DiagramOptions &options, int &omitted) {
    std::vector<DrawnDiagram> out;
    for (int u : levels_to_draw(org, options, omitted)) {
        ctx.check_cancelled();
        DrawnDiagram d{"level", u, "", "", level_svg(org, u, findings)};
        put(ctx, d, "vsm-level-" + safe(org.units[static_cast<std::size_t>(u)].id), options);
        out.push_back(std::move(d));
    }
    if (options.nested && options.only_unit < 0) {
        DrawnDiagram d{"nested", -1, "", "", nested_svg(org, findings)};
        put(ctx, d, "vsm-nested", options);
        out.push_back(std::move(d));
    }
    return out;
}

nlohmann::json diagrams_json(const Organisation &org, const std::vector<DrawnDiagram> &drawn) {
    nlohmann::json out = nlohmann::json::array();
    for (const DrawnDiagram &d : drawn) {
        nlohmann::json row{{"view", d.view}, {"svg", d.svg_name}};
        if (!d.png_name.empty()) row["png"] = d.png_name;
        if (d.unit >= 0) {
            const Unit &u = org.units[static_cast<std::size_t>(d.unit)];
            row["unit"] = u.id;
            row["unit_name"] = u.name;
            row["level"] = u.level;
        }
        out.push_back(std::move(row));
    }
    return out;
}

FindingCounts finding_counts(const Diagnosis &diagnosis) {
    FindingCounts counts;
    for (const Finding &f : diagnosis.findings)
        if (!f.units.empty()) ++counts[f.units[0]];
    return counts;
}

} // namespace holon_vsm::methods
