// Lays a DOT graph out with Graphviz's dot engine and renders it as SVG.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace holon_cld {

class RenderError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Throws RenderError when Graphviz rejects the graph. Safe to call from several threads (Graphviz
// is not re-entrant, so calls are serialised).
std::string render_svg(std::string_view dot);

// One layout rendered twice: the SVG picture and Graphviz's "json0" description of the same
// layout (node positions and sizes, edge splines, in points with y upwards), for drawing on top.
struct RenderedGraph {
    std::string svg;
    std::string layout_json;
};
RenderedGraph render_with_layout(std::string_view dot);

} // namespace holon_cld
