#include "formats/dot.hpp"

#include <map>
#include <sstream>

namespace holon_cld {

const std::vector<std::string> &loop_palette() {
    static const std::vector<std::string> palette{"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e",
                                                  "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
    return palette;
}

namespace {

std::string quoted(const std::string &text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + '"';
}

std::string polarity_mark(Polarity p) {
    switch (p) {
    case Polarity::positive: return "+";
    case Polarity::negative: return "\u2212"; // a real minus sign reads better than a hyphen
    case Polarity::unknown: break;
    }
    return "?";
}

std::string loop_path(const CausalGraph &graph, const Loop &loop) {
    std::string path;
    for (std::size_t v : loop.variables) path += graph.variables()[v].name + " \u2192 ";
    return path + graph.variables()[loop.variables.front()].name;
}

} // namespace

std::string to_dot(const CausalGraph &graph, const DotOptions &options) {
    // Colours of each link: one per highlighted loop through it, in loop order.
    std::map<std::size_t, std::vector<std::string>> link_colours;
    const auto &palette = loop_palette();
    for (std::size_t i = 0; i < options.highlighted.size(); ++i)
        for (std::size_t l : options.highlighted[i].loop.links) link_colours[l].push_back(palette[i % palette.size()]);

    std::ostringstream out;
    out << "digraph cld {\n";
    out << "  graph [fontname=\"Helvetica\", nodesep=0.6, ranksep=0.7";
    if (!options.title.empty()) out << ", label=" << quoted(options.title) << ", labelloc=t";
    out << "];\n";
    out << "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=12];\n";
    out << "  edge [fontname=\"Helvetica\", fontsize=14, arrowsize=0.8];\n";
    for (const Variable &v : graph.variables()) out << "  " << quoted(v.id) << " [label=" << quoted(v.name) << "];\n";
    for (std::size_t l = 0; l < graph.link_count(); ++l) {
        const Link &link = graph.links()[l];
        std::string label = polarity_mark(link.polarity);
        if (link.delay) label += " ||";
        out << "  " << quoted(graph.variables()[link.from].id) << " -> " << quoted(graph.variables()[link.to].id)
            << " [id=" << quoted(link.id) << ", label=" << quoted(label);
        if (auto it = link_colours.find(l); it != link_colours.end()) {
            std::string colours;
            for (const std::string &c : it->second) colours += (colours.empty() ? "" : ":") + c;
            out << ", color=" << quoted(colours) << ", fontcolor=" << quoted(it->second.front()) << ", penwidth=2";
        }
        out << "];\n";
    }
    if (!options.highlighted.empty()) {
        // Plain-text legend nodes stacked by invisible edges: Graphviz 2.43 leaks memory on
        // HTML-like labels and on clusters, so the legend uses neither.
        for (std::size_t i = 0; i < options.highlighted.size(); ++i) {
            const HighlightedLoop &h = options.highlighted[i];
            const std::string text =
                (h.name.empty() ? h.label + " (" + std::string(loop_polarity_letter(h.loop.polarity)) + ")" : h.name) +
                ": " + loop_path(graph, h.loop);
            out << "  \"holon:legend:" << i << "\" [shape=plaintext, style=\"\", fontcolor="
                << quoted(palette[i % palette.size()]) << ", label=" << quoted(text) << "];\n";
            if (i > 0) out << "  \"holon:legend:" << i - 1 << "\" -> \"holon:legend:" << i << "\" [style=invis];\n";
        }
    }
    out << "}\n";
    return out.str();
}

} // namespace holon_cld
