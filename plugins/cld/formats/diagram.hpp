// The causal loop diagram as a picture for a report: Graphviz lays the map out (dot engine), and
// Holon draws what Graphviz cannot know about on top: boxes sized from the measured label text
// (names wrapped to fit), a style per variable kind, link polarity signs and delay marks, a loop
// marker (a circular arrow with the loop's name, R1, B2, ...) inside each chosen loop, a title and
// a legend of loops, kinds and link marks.
#pragma once

#include "graph/causal_graph.hpp"
#include "loops/loop_finder.hpp"

#include <string>
#include <vector>

namespace holon_cld {

struct DiagramLoop {
    std::string name;   // "R1", "B2", ...: shown in the marker and the legend
    Loop loop;
    std::string colour; // the links are drawn in this colour when not empty
};

struct DiagramOptions {
    std::string title; // above the diagram when not empty
    std::vector<DiagramLoop> loops; // the loops to mark
    std::size_t loop_count = 0;     // loops in the map, marked or not (the legend says when none is marked)
};

// A variable's box as drawn. Sizes and positions in SVG user units (1 unit = 1 pt = 1 px in the PNG
// at scale 1), centres in the picture's coordinates.
struct DiagramNode {
    std::string id;
    std::vector<std::string> lines; // the name, wrapped
    double font_size = 0;
    double text_width = 0;          // the widest line, measured
    double box_width = 0, box_height = 0; // as laid out by Graphviz
    double cx = 0, cy = 0;
};

struct LoopMarker {
    std::string name;
    double x = 0, y = 0, radius = 0;
    bool clockwise = true; // the direction the loop runs in the picture
};

struct Diagram {
    std::string svg;
    double width = 0, height = 0;
    std::vector<DiagramNode> nodes;
    std::vector<LoopMarker> markers;
};

// The map must have at least one variable (callers warn and draw nothing otherwise). Throws
// RenderError when Graphviz fails.
Diagram draw_diagram(const CausalGraph &graph, const DiagramOptions &options);

// The kinds the diagram styles differently, with the words the legend uses for them.
struct KindStyle {
    const char *kind;    // as in the shared model: stock, flow, aux, ...
    const char *legend;  // "stock (accumulation)", ...
    const char *shape;   // Graphviz shape
    const char *style;   // Graphviz style
    const char *fill;
    const char *stroke;
    double penwidth;
    int peripheries;
    const char *font_colour;
};
const KindStyle &kind_style(const std::string &kind);

} // namespace holon_cld
