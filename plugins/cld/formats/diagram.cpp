#include "formats/diagram.hpp"

#include "drawing/svg_png.hpp"
#include "formats/svg.hpp"
#include "formats/text_measure.hpp"
#include "loops/loop_names.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace holon_cld {
namespace {

using holon_plugins::drawing::xml_escape;
using nlohmann::json;

constexpr double pi = 3.14159265358979323846;
constexpr double node_font = 12;       // variable names
constexpr double line_height = 14.4;   // Graphviz spaces label lines 1.2 font sizes apart
constexpr double max_text_width = 132; // names wrap beyond this
constexpr double pad_x = 10, pad_y = 7;
constexpr double marker_radius = 14;
constexpr double graph_pad = 4; // Graphviz's default pad around the drawing, in points
constexpr const char *ink = "#333333";
constexpr const char *link_ink = "#555555";

const std::vector<KindStyle> &kind_styles() {
    static const std::vector<KindStyle> styles{
        {"stock", "stock (accumulates)", "box", "filled", "#dbe8f6", "#1f4e79", 2.2, 1, "#10243a"},
        {"flow", "flow (rate)", "box", "rounded,filled", "#fde9d2", "#b35900", 1.2, 1, "#3d2000"},
        {"aux", "auxiliary", "box", "rounded", "#ffffff", "#777777", 1.0, 1, "#222222"},
        {"factor", "factor", "box", "rounded", "#ffffff", "#777777", 1.0, 1, "#222222"},
        {"exogenous", "exogenous (outside the boundary)", "box", "rounded,dashed,filled", "#f2f2f2", "#888888", 1.0, 1,
         "#555555"},
        {"lever", "lever (policy)", "box", "rounded,filled", "#e2f1df", "#2e7d32", 1.6, 1, "#173d19"},
        {"outcome", "outcome", "box", "filled", "#fff3c4", "#9c7a00", 1.2, 2, "#3b2e00"},
        {"indicator", "indicator (observed)", "box", "rounded,filled", "#efe6f5", "#6a3d9a", 1.2, 1, "#2c1840"},
    };
    return styles;
}

std::string number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
    return buffer;
}

// A DOT string; a line break becomes DOT's centred line break.
std::string dot_quoted(const std::string &text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

std::string polarity_mark(Polarity p) {
    switch (p) {
    case Polarity::positive: return "+";
    case Polarity::negative: return "\u2212";
    case Polarity::unknown: break;
    }
    return "?";
}

struct Point {
    double x = 0, y = 0;
};

double distance(Point a, Point b) { return std::hypot(a.x - b.x, a.y - b.y); }

// "x,y" in Graphviz points (y upwards) to the overlay's coordinates (y downwards, same origin as
// Graphviz's own SVG group).
Point to_overlay(const std::string &text) {
    Point p;
    std::sscanf(text.c_str(), "%lf,%lf", &p.x, &p.y);
    p.y = -p.y;
    return p;
}

// An edge's "pos": an optional "e,x,y" / "s,x,y" arrow end, then 1 + 3k B-spline control points.
// Returns points along the curve, about every 2 points of length.
std::vector<Point> spline_samples(const std::string &pos) {
    std::vector<Point> control;
    std::istringstream in(pos);
    std::string token;
    Point arrow_end;
    bool has_end = false;
    while (in >> token) {
        if (token.rfind("e,", 0) == 0) {
            arrow_end = to_overlay(token.substr(2));
            has_end = true;
        } else if (token.rfind("s,", 0) != 0) {
            control.push_back(to_overlay(token));
        }
    }
    std::vector<Point> samples;
    for (std::size_t i = 0; i + 3 < control.size(); i += 3) {
        const Point &a = control[i], &b = control[i + 1], &c = control[i + 2], &d = control[i + 3];
        for (int k = 0; k <= 16; ++k) {
            const double t = k / 16.0, u = 1 - t;
            samples.push_back({u * u * u * a.x + 3 * u * u * t * b.x + 3 * u * t * t * c.x + t * t * t * d.x,
                               u * u * u * a.y + 3 * u * u * t * b.y + 3 * u * t * t * c.y + t * t * t * d.y});
        }
    }
    if (has_end) samples.push_back(arrow_end);
    return samples;
}

// The point at `share` of the curve's length and the unit tangent there.
std::pair<Point, Point> along(const std::vector<Point> &samples, double share) {
    double total = 0;
    for (std::size_t i = 1; i < samples.size(); ++i) total += distance(samples[i - 1], samples[i]);
    double walked = 0;
    for (std::size_t i = 1; i < samples.size(); ++i) {
        const double step = distance(samples[i - 1], samples[i]);
        if (step > 0 && walked + step >= share * total) {
            const double t = (share * total - walked) / step;
            const Point at{samples[i - 1].x + t * (samples[i].x - samples[i - 1].x),
                           samples[i - 1].y + t * (samples[i].y - samples[i - 1].y)};
            return {at, {(samples[i].x - samples[i - 1].x) / step, (samples[i].y - samples[i - 1].y) / step}};
        }
        walked += step;
    }
    return {samples.empty() ? Point{} : samples.front(), Point{1, 0}};
}

bool inside_polygon(Point p, const std::vector<Point> &polygon) {
    bool inside = false;
    for (std::size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
        const Point &a = polygon[i], &b = polygon[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
    }
    return inside;
}

struct Box {
    double x0, y0, x1, y1;
    bool near(Point p, double margin) const {
        return p.x > x0 - margin && p.x < x1 + margin && p.y > y0 - margin && p.y < y1 + margin;
    }
};

// What a loop marker must not cover.
struct Obstacles {
    std::vector<Box> boxes;         // variable boxes and link labels
    std::vector<Point> curve_points; // samples of every link
    std::vector<Point> markers;
    Box area;                        // the drawing

    bool free(Point p, double r) const {
        if (p.x - r < area.x0 || p.x + r > area.x1 || p.y - r < area.y0 || p.y + r > area.y1) return false;
        for (const Box &b : boxes)
            if (b.near(p, r + 2)) return false;
        for (const Point &q : curve_points)
            if (distance(p, q) < r + 3) return false;
        for (const Point &m : markers)
            if (distance(p, m) < 2 * r + 4) return false;
        return true;
    }
};

// The free spot nearest the loop's centre, inside the loop when there is one; the centre itself
// when nothing is free within reach.
Point place_marker(const std::vector<Point> &polygon, const Obstacles &obstacles) {
    Point centre;
    for (const Point &p : polygon) centre = {centre.x + p.x / polygon.size(), centre.y + p.y / polygon.size()};
    std::optional<Point> outside;
    for (double ring = 0; ring <= 240; ring += 4) {
        const int steps = ring == 0 ? 1 : static_cast<int>(2 * pi * ring / 6);
        for (int k = 0; k < steps; ++k) {
            const double angle = 2 * pi * k / steps;
            const Point p{centre.x + ring * std::cos(angle), centre.y + ring * std::sin(angle)};
            if (!obstacles.free(p, marker_radius)) continue;
            if (polygon.size() < 3 || inside_polygon(p, polygon)) return p;
            if (!outside) outside = p;
        }
    }
    return outside.value_or(centre);
}

// A circular arrow of radius r around (x, y) turning the way the loop runs, with the loop's name
// inside: the usual R/B loop marker of causal loop diagrams.
std::string marker_svg(const LoopMarker &m, const std::string &colour, double font) {
    const double r = m.radius, start = -pi / 2 + 0.45, sweep = 2 * pi - 0.9;
    const double direction = m.clockwise ? 1 : -1;
    const double a0 = m.clockwise ? start : pi - start, a1 = a0 + direction * sweep;
    const Point p0{m.x + r * std::cos(a0), m.y + r * std::sin(a0)};
    const Point p1{m.x + r * std::cos(a1), m.y + r * std::sin(a1)};
    // The arrowhead at p1, pointing along the direction of travel.
    const Point tangent{-std::sin(a1) * direction, std::cos(a1) * direction};
    const Point normal{-tangent.y, tangent.x};
    const Point tip{p1.x + 5 * tangent.x, p1.y + 5 * tangent.y};
    const Point left{p1.x + 3.5 * normal.x, p1.y + 3.5 * normal.y};
    const Point right{p1.x - 3.5 * normal.x, p1.y - 3.5 * normal.y};
    std::ostringstream out;
    out << "<g class=\"loop-marker\" data-loop=\"" << xml_escape(m.name) << "\">";
    out << "<circle cx=\"" << number(m.x) << "\" cy=\"" << number(m.y) << "\" r=\"" << number(r)
        << "\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"none\"/>";
    out << "<path d=\"M" << number(p0.x) << "," << number(p0.y) << " A" << number(r) << "," << number(r) << " 0 1,"
        << (m.clockwise ? 1 : 0) << " " << number(p1.x) << "," << number(p1.y) << "\" fill=\"none\" stroke=\"" << colour
        << "\" stroke-width=\"1.8\"/>";
    out << "<polygon points=\"" << number(tip.x) << "," << number(tip.y) << " " << number(left.x) << "," << number(left.y)
        << " " << number(right.x) << "," << number(right.y) << "\" fill=\"" << colour << "\"/>";
    out << "<text x=\"" << number(m.x) << "\" y=\"" << number(m.y + font * 0.36) << "\" text-anchor=\"middle\" font-family=\""
        << diagram_font << "\" font-size=\"" << number(font) << "\" font-weight=\"bold\" fill=\"" << colour << "\">"
        << xml_escape(m.name) << "</text></g>";
    return out.str();
}

// Two short bars across the link: the delay mark of causal loop diagrams.
std::string delay_svg(Point at, Point tangent) {
    const Point normal{-tangent.y, tangent.x};
    std::ostringstream out;
    for (double offset : {-2.5, 2.5}) {
        const Point c{at.x + offset * tangent.x, at.y + offset * tangent.y};
        out << "<line x1=\"" << number(c.x - 7 * normal.x) << "\" y1=\"" << number(c.y - 7 * normal.y) << "\" x2=\""
            << number(c.x + 7 * normal.x) << "\" y2=\"" << number(c.y + 7 * normal.y) << "\" stroke=\"" << ink
            << "\" stroke-width=\"1.8\"/>";
    }
    return out.str();
}

std::string text_svg(double x, double y, const std::string &text, double size, const std::string &colour,
                     bool bold = false, const char *anchor = "start") {
    std::ostringstream out;
    out << "<text x=\"" << number(x) << "\" y=\"" << number(y) << "\" text-anchor=\"" << anchor << "\" font-family=\""
        << diagram_font << "\" font-size=\"" << number(size) << "\"" << (bold ? " font-weight=\"bold\"" : "")
        << " fill=\"" << colour << "\">" << xml_escape(text) << "</text>";
    return out.str();
}

std::string kind_sample_svg(double x, double y, double w, double h, const KindStyle &s) {
    const std::string style(s.style);
    const bool rounded = style.find("rounded") != std::string::npos;
    const bool dashed = style.find("dashed") != std::string::npos;
    std::ostringstream out;
    auto rect = [&](double inset) {
        out << "<rect x=\"" << number(x - inset) << "\" y=\"" << number(y - inset) << "\" width=\"" << number(w + 2 * inset)
            << "\" height=\"" << number(h + 2 * inset) << "\"" << (rounded ? " rx=\"4\"" : "") << " fill=\""
            << (inset > 0 ? "none" : s.fill) << "\" stroke=\"" << s.stroke << "\" stroke-width=\"" << number(s.penwidth)
            << "\"" << (dashed ? " stroke-dasharray=\"5,2\"" : "") << "/>";
    };
    rect(0);
    if (s.peripheries > 1) rect(3);
    return out.str();
}

// The DOT the layout is computed from: every box at the size its wrapped name needs.
std::string diagram_dot(const CausalGraph &graph, const std::vector<DiagramNode> &nodes,
                        const std::map<std::size_t, std::vector<std::string>> &link_colours) {
    std::ostringstream out;
    out << "digraph cld {\n";
    out << "  graph [nodesep=0.55, ranksep=0.65, fontname=" << dot_quoted(diagram_font) << "];\n";
    out << "  node [fixedsize=true, fontname=" << dot_quoted(diagram_font) << ", fontsize=" << node_font << "];\n";
    out << "  edge [fontname=" << dot_quoted(diagram_font) << ", fontsize=15, arrowsize=0.75, color=\"" << link_ink
        << "\", penwidth=1.2];\n";
    for (std::size_t v = 0; v < nodes.size(); ++v) {
        const DiagramNode &n = nodes[v];
        const KindStyle &s = kind_style(graph.variables()[v].kind);
        std::string label;
        for (const std::string &line : n.lines) label += (label.empty() ? "" : "\n") + line;
        out << "  " << dot_quoted(n.id) << " [label=" << dot_quoted(label) << ", width=" << n.box_width / 72
            << ", height=" << n.box_height / 72 << ", shape=" << s.shape << ", style=" << dot_quoted(s.style)
            << ", fillcolor=\"" << s.fill << "\", color=\"" << s.stroke << "\", penwidth=" << s.penwidth
            << ", peripheries=" << s.peripheries << ", fontcolor=\"" << s.font_colour << "\"];\n";
    }
    for (std::size_t l = 0; l < graph.link_count(); ++l) {
        const Link &link = graph.links()[l];
        out << "  " << dot_quoted(graph.variables()[link.from].id) << " -> " << dot_quoted(graph.variables()[link.to].id)
            << " [id=" << dot_quoted("link:" + link.id) << ", label=" << dot_quoted(" " + polarity_mark(link.polarity) + " ");
        if (link.polarity == Polarity::negative) out << ", fontcolor=\"#b00020\"";
        if (auto it = link_colours.find(l); it != link_colours.end()) {
            std::string colours;
            for (const std::string &c : it->second) colours += (colours.empty() ? "" : ":") + c;
            out << ", color=" << dot_quoted(colours) << ", penwidth=1.8";
        }
        out << "];\n";
    }
    out << "}\n";
    return out.str();
}

// Graphviz's SVG without its XML prologue and outer <svg> element: the groups inside, to be placed
// in the larger picture.
std::string svg_body(const std::string &svg) {
    const auto open = svg.find("<svg");
    const auto body = svg.find('>', open) + 1;
    const auto close = svg.rfind("</svg>");
    if (open == std::string::npos || close == std::string::npos || close < body) throw RenderError("Graphviz wrote no SVG");
    std::string inner = svg.substr(body, close - body);
    // Its <title> elements and comments go too: they hold ids, which a viewer shows on hover.
    for (const auto &[open_tag, close_tag] : {std::pair<std::string, std::string>{"<title>", "</title>"}, {"<!--", "-->"}})
        for (auto at = inner.find(open_tag); at != std::string::npos; at = inner.find(open_tag, at)) {
            const auto end = inner.find(close_tag, at);
            if (end == std::string::npos) break;
            inner.erase(at, end + close_tag.size() - at);
        }
    return inner;
}

} // namespace

const KindStyle &kind_style(const std::string &kind) {
    for (const KindStyle &s : kind_styles())
        if (kind == s.kind) return s;
    return kind_styles()[3]; // a map that does not say: a factor
}

Diagram draw_diagram(const CausalGraph &graph, const DiagramOptions &options) {
    Diagram diagram;
    for (const Variable &v : graph.variables()) {
        DiagramNode n;
        n.id = v.id;
        n.font_size = node_font;
        n.lines = wrap_to_width(v.name, max_text_width, node_font);
        if (n.lines.empty()) n.lines.push_back(v.id);
        for (const std::string &line : n.lines) n.text_width = std::max(n.text_width, text_width(line, node_font));
        n.box_width = std::max(56.0, std::ceil(n.text_width + 2 * pad_x));
        n.box_height = std::ceil(static_cast<double>(n.lines.size()) * line_height + 2 * pad_y);
        diagram.nodes.push_back(std::move(n));
    }
    std::map<std::size_t, std::vector<std::string>> link_colours;
    for (const DiagramLoop &loop : options.loops)
        if (!loop.colour.empty())
            for (std::size_t l : loop.loop.links) link_colours[l].push_back(loop.colour);

    const RenderedGraph rendered = render_with_layout(diagram_dot(graph, diagram.nodes, link_colours));
    const json layout = json::parse(rendered.layout_json);
    double bb_width = 0, bb_height = 0;
    std::sscanf(layout.at("bb").get<std::string>().c_str(), "%*f,%*f,%lf,%lf", &bb_width, &bb_height);

    // Graphviz's picture goes below the title, its overlay coordinates start at its own origin.
    const double margin = 16;
    const double title_size = 15;
    std::vector<std::string> title_lines;
    const double graph_width = bb_width + 2 * graph_pad;
    const double width = std::max(graph_width + 2 * margin, 480.0);
    if (!options.title.empty()) title_lines = wrap_to_width(options.title, width - 2 * margin, title_size, true);
    const double graph_top = margin + static_cast<double>(title_lines.size()) * title_size * 1.35 + (title_lines.empty() ? 0 : 6);
    const double graph_left = (width - graph_width) / 2;
    const Point origin{graph_left + graph_pad, graph_top + graph_pad + bb_height}; // Graphviz (0, 0)

    Obstacles obstacles;
    obstacles.area = {0, -bb_height, bb_width, 0};
    std::map<std::string, Point> centres;
    for (const json &object : layout.value("objects", json::array())) {
        const std::string id = object.at("name").get<std::string>();
        const Point c = to_overlay(object.at("pos").get<std::string>());
        const double w = std::stod(object.at("width").get<std::string>()) * 72;
        const double h = std::stod(object.at("height").get<std::string>()) * 72;
        centres[id] = c;
        obstacles.boxes.push_back({c.x - w / 2, c.y - h / 2, c.x + w / 2, c.y + h / 2});
        for (DiagramNode &n : diagram.nodes)
            if (n.id == id) {
                n.box_width = w;
                n.box_height = h;
                n.cx = origin.x + c.x;
                n.cy = origin.y + c.y;
            }
    }
    std::ostringstream overlay;
    for (const json &edge : layout.value("edges", json::array())) {
        const std::vector<Point> samples = spline_samples(edge.value("pos", std::string()));
        obstacles.curve_points.insert(obstacles.curve_points.end(), samples.begin(), samples.end());
        if (edge.contains("lp")) {
            const Point lp = to_overlay(edge.at("lp").get<std::string>());
            obstacles.boxes.push_back({lp.x - 8, lp.y - 9, lp.x + 8, lp.y + 9});
        }
        const std::string id = edge.value("id", std::string());
        for (const Link &link : graph.links())
            if (link.delay && "link:" + link.id == id && samples.size() > 1) {
                // Near the middle, but as far from the polarity sign (which Graphviz puts beside the
                // middle) as the link allows.
                std::optional<Point> sign;
                if (edge.contains("lp")) sign = to_overlay(edge.at("lp").get<std::string>());
                std::pair<Point, Point> best = along(samples, 0.5);
                double best_distance = sign ? distance(best.first, *sign) : 1e9;
                for (double share : {0.4, 0.6, 0.32, 0.68}) {
                    if (!sign || best_distance >= 16) break;
                    const auto candidate = along(samples, share);
                    if (distance(candidate.first, *sign) > best_distance) {
                        best = candidate;
                        best_distance = distance(candidate.first, *sign);
                    }
                }
                overlay << delay_svg(best.first, best.second);
            }
    }
    for (const DiagramLoop &loop : options.loops) {
        std::vector<Point> polygon;
        for (std::size_t v : loop.loop.variables) polygon.push_back(centres[graph.variables()[v].id]);
        double area = 0; // shoelace, y downwards: positive is clockwise on screen
        for (std::size_t i = 0; i < polygon.size(); ++i) {
            const Point &a = polygon[i], &b = polygon[(i + 1) % polygon.size()];
            area += a.x * b.y - b.x * a.y;
        }
        const Point at = place_marker(polygon, obstacles);
        obstacles.markers.push_back(at);
        LoopMarker marker{loop.name, at.x, at.y, marker_radius, area >= 0};
        const std::string colour = loop.colour.empty() ? ink : loop.colour;
        overlay << marker_svg(marker, colour, loop.name.size() > 2 ? 9.5 : 11);
        marker.x += origin.x;
        marker.y += origin.y;
        diagram.markers.push_back(marker);
    }

    // The legend: loops (marker and chain of names), then the kinds of variable present, then the
    // link marks.
    std::ostringstream legend;
    double y = graph_top + bb_height + 2 * graph_pad + 18;
    const double legend_size = 11;
    const double text_left = margin + 2 * marker_radius + 10;
    if (!options.loops.empty()) {
        legend << text_svg(margin, y, "Feedback loops", 12, ink, true);
        y += 10;
        for (const DiagramLoop &loop : options.loops) {
            const char *kind = loop.loop.polarity == LoopPolarity::reinforcing ? "reinforcing"
                               : loop.loop.polarity == LoopPolarity::balancing ? "balancing"
                                                                              : "undetermined (a link is ?)";
            const std::string colour = loop.colour.empty() ? ink : loop.colour;
            const auto lines = wrap_to_width(std::string(kind) + ": " + loop_chain(graph, loop.loop),
                                             width - text_left - margin, legend_size);
            const double block = std::max(2 * marker_radius + 4, static_cast<double>(lines.size()) * legend_size * 1.3);
            legend << marker_svg(LoopMarker{loop.name, margin + marker_radius, y + marker_radius + 2, marker_radius, true},
                                 colour, loop.name.size() > 2 ? 9.5 : 11);
            double line_y = y + marker_radius + 2 - (static_cast<double>(lines.size()) - 1) * legend_size * 0.65 + 4;
            for (const std::string &line : lines) {
                legend << text_svg(text_left, line_y, line, legend_size, colour);
                line_y += legend_size * 1.3;
            }
            y += block + 6;
        }
        y += 8;
    } else {
        const std::string note = options.loop_count == 0
                                     ? "No feedback loops in this map."
                                     : std::to_string(options.loop_count) + " feedback loops, none marked (name them in highlight_loops).";
        legend << text_svg(margin, y, note, 12, ink, true);
        y += 18;
    }
    std::vector<const KindStyle *> kinds;
    std::set<std::string> seen;
    for (const Variable &v : graph.variables()) {
        const KindStyle &s = kind_style(v.kind);
        if (seen.insert(s.kind).second) kinds.push_back(&s);
    }
    std::sort(kinds.begin(), kinds.end(), [](const KindStyle *a, const KindStyle *b) {
        return std::find_if(kind_styles().begin(), kind_styles().end(), [&](const KindStyle &s) { return &s == a; }) <
               std::find_if(kind_styles().begin(), kind_styles().end(), [&](const KindStyle &s) { return &s == b; });
    });
    y += 6;
    double x = margin;
    for (const KindStyle *s : kinds) {
        const double item = 30 + 6 + text_width(s->legend, legend_size) + 18;
        if (x > margin && x + item > width - margin) {
            x = margin;
            y += 24;
        }
        legend << kind_sample_svg(x + 3, y - 10, 26, 14, *s);
        legend << text_svg(x + 36, y + 1, s->legend, legend_size, ink);
        x += item;
    }
    y += 26;
    // Link marks, drawn as they appear on the links.
    x = margin;
    const auto link_mark = [&](const std::string &mark, const char *colour, const std::string &meaning) {
        legend << text_svg(x, y, mark, 15, colour, false, "start");
        legend << text_svg(x + 16, y - 1, meaning, legend_size, ink);
        x += 16 + text_width(meaning, legend_size) + 20;
    };
    link_mark("+", ink, "same direction");
    link_mark("\u2212", "#b00020", "opposite direction");
    link_mark("?", ink, "unknown");
    legend << "<line x1=\"" << number(x) << "\" y1=\"" << number(y - 5) << "\" x2=\"" << number(x + 26) << "\" y2=\""
           << number(y - 5) << "\" stroke=\"" << link_ink << "\" stroke-width=\"1.2\"/>";
    legend << delay_svg({x + 13, y - 5}, {1, 0});
    legend << text_svg(x + 32, y - 1, "delay", legend_size, ink);
    const double height = y + margin;

    std::ostringstream svg;
    svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << number(width) << "\" height=\"" << number(height)
        << "\" viewBox=\"0 0 " << number(width) << " " << number(height) << "\">\n";
    svg << "<title>" << xml_escape(options.title.empty() ? std::string("Causal loop diagram") : options.title)
        << "</title>\n";
    svg << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    double title_y = margin + title_size;
    for (const std::string &line : title_lines) {
        svg << text_svg(width / 2, title_y, line, title_size, "#111111", true, "middle") << "\n";
        title_y += title_size * 1.35;
    }
    svg << "<g class=\"map\" transform=\"translate(" << number(graph_left) << "," << number(graph_top) << ")\">"
        << svg_body(rendered.svg) << "</g>\n";
    svg << "<g class=\"marks\" transform=\"translate(" << number(origin.x) << "," << number(origin.y) << ")\">"
        << overlay.str() << "</g>\n";
    svg << "<g class=\"legend\">" << legend.str() << "</g>\n";
    svg << "</svg>\n";
    diagram.svg = svg.str();
    diagram.width = width;
    diagram.height = height;
    return diagram;
}

} // namespace holon_cld
