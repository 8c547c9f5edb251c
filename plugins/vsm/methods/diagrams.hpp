// Drawing the level diagrams and the nested view as blobs, shared by vsm.diagram and the report.
#pragma once

#include "diagnose/rules.hpp"
#include "drawing/beer_diagram.hpp"

#include <holon/plugin.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace holon_vsm::methods {

struct DrawnDiagram {
    std::string view; // level | nested
    int unit = -1;
    std::string svg_name, png_name, svg;
};

struct DiagramOptions {
    int only_unit = -1;
    int max_levels = 20;
    bool nested = true;
    bool png = true;
    double scale = 2.0;
};

// Unfolded units breadth-first from the root (the root even when it is not unfolded).
std::vector<int> levels_to_draw(const Organisation &org, const DiagramOptions &options, int &omitted);

std::vector<DrawnDiagram> draw_diagrams(const holon::Context &ctx, const Organisation &org, const FindingCounts &findings,
                                        const DiagramOptions &options, int &omitted);

// Findings per unit in focus (a finding counts for its first unit), for the badges.
FindingCounts finding_counts(const Diagnosis &diagnosis);

nlohmann::json diagrams_json(const Organisation &org, const std::vector<DrawnDiagram> &drawn);

} // namespace holon_vsm::methods
