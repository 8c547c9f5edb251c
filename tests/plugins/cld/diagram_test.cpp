// The causal loop picture: every label fits its box at the measured font metrics, and every loop
// marker carries the right R/B name and sits clear of the variable boxes.
#include "formats/diagram.hpp"
#include "formats/text_measure.hpp"
#include "graph/model_json.hpp"
#include "loops/loop_names.hpp"
#include "test_graphs.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace holon_cld {
namespace {

std::string read_text(const char *path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::size_t count(const std::string &text, const std::string &what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

DiagramOptions all_loops(const CausalGraph &graph) {
    const LoopInventory inventory = find_loops(graph, {});
    const std::vector<std::string> names = loop_names(inventory.loops);
    DiagramOptions options;
    for (std::size_t i = 0; i < inventory.loops.size(); ++i) options.loops.push_back({names[i], inventory.loops[i], ""});
    return options;
}

// No line of a label is wider than its box less 8 points each side, and the lines fit its height.
void expect_labels_fit(const Diagram &diagram) {
    ASSERT_FALSE(diagram.nodes.empty());
    for (const DiagramNode &n : diagram.nodes) {
        ASSERT_FALSE(n.lines.empty()) << n.id;
        for (const std::string &line : n.lines)
            EXPECT_LE(text_width(line, n.font_size) + 2 * 8, n.box_width) << n.id << ": '" << line << "'";
        EXPECT_LE(static_cast<double>(n.lines.size()) * n.font_size * 1.2 + 2 * 4, n.box_height) << n.id;
    }
}

TEST(Diagram, LabelsFitTheirBoxesOnTheWorkedExample) {
    const CausalGraph graph = read_model(read_text(CLD_EXAMPLE_MODEL));
    const Diagram diagram = draw_diagram(graph, all_loops(graph));
    expect_labels_fit(diagram);
    // Long names wrap instead of widening the box: "Patients fit but awaiting discharge" is two lines.
    for (const DiagramNode &n : diagram.nodes)
        if (n.id == "delayed") {
            EXPECT_EQ(n.lines, (std::vector<std::string>{"Patients fit but", "awaiting discharge"}));
        }
}

TEST(Diagram, VeryLongNamesAndLongWordsStillFit) {
    CausalGraph graph;
    graph.add_variable({"a", "Number of patients medically fit for discharge who are still waiting for a package of home care", "stock"});
    graph.add_variable({"b", "Pneumonoultramicroscopicsilicovolcanoconiosis", "aux"});
    graph.add_variable({"c", "Pr\u00e9f\u00e9rence r\u00e9gionale \u00e0 l'\u00e9gard des d\u00e9placements", "outcome"});
    graph.add_link("ab", "a", "b", Polarity::positive);
    graph.add_link("ba", "b", "a", Polarity::negative, true);
    graph.add_link("bc", "b", "c", Polarity::unknown);
    const Diagram diagram = draw_diagram(graph, all_loops(graph));
    expect_labels_fit(diagram);
    EXPECT_GE(diagram.nodes[0].lines.size(), 4u);
    EXPECT_EQ(diagram.nodes[1].lines.size(), 1u); // one word stays whole; its box grows instead
    // The delayed link carries the two delay bars (the legend's sample is the other pair), the
    // unknown link its "?".
    EXPECT_EQ(count(diagram.svg, "stroke-width=\"1.8\"/><line"), 2u);
    const std::size_t unknown = diagram.svg.find("id=\"link:bc\"");
    ASSERT_NE(unknown, std::string::npos);
    EXPECT_LT(diagram.svg.find("?", unknown), diagram.svg.find("</g>", unknown));
}

TEST(Diagram, LoopMarkersNameTheLoopsWithTheirPolarity) {
    const CausalGraph graph = testing::yeast_alcohol();
    const Diagram diagram = draw_diagram(graph, all_loops(graph));
    // Yeast-alcohol: births (R) and three balancing loops (methods.md §2.4).
    std::vector<std::string> names;
    for (const LoopMarker &m : diagram.markers) names.push_back(m.name);
    EXPECT_EQ(names, (std::vector<std::string>{"R1", "B1", "B2", "B3"}));
    for (const std::string &name : names) {
        EXPECT_NE(diagram.svg.find("data-loop=\"" + name + "\""), std::string::npos) << name;
        EXPECT_NE(diagram.svg.find(">" + name + "</text>"), std::string::npos) << name;
    }
    // Markers cover no variable box and no other marker.
    for (std::size_t i = 0; i < diagram.markers.size(); ++i) {
        const LoopMarker &m = diagram.markers[i];
        for (const DiagramNode &n : diagram.nodes) {
            const bool overlaps = std::fabs(m.x - n.cx) < n.box_width / 2 + m.radius &&
                                  std::fabs(m.y - n.cy) < n.box_height / 2 + m.radius;
            EXPECT_FALSE(overlaps) << m.name << " covers " << n.id;
        }
        for (std::size_t j = 0; j < i; ++j)
            EXPECT_GE(std::hypot(m.x - diagram.markers[j].x, m.y - diagram.markers[j].y), 2 * m.radius) << m.name;
    }
    // The legend reads each loop out by name.
    EXPECT_NE(diagram.svg.find("reinforcing: Births \u2192 Yeast cells \u2192 Births"), std::string::npos);
    EXPECT_NE(diagram.svg.find("stock (accumulates)"), std::string::npos);
    EXPECT_NE(diagram.svg.find("flow (rate)"), std::string::npos);
}

TEST(Diagram, AMapWithoutLoopsSaysSoAndShowsNoIds) {
    CausalGraph graph;
    graph.add_variable({"fuel_price", "Fuel price", "exogenous"});
    graph.add_variable({"traffic", "Traffic", "aux"});
    graph.add_link("price-traffic", "fuel_price", "traffic", Polarity::negative);
    const Diagram diagram = draw_diagram(graph, {});
    EXPECT_TRUE(diagram.markers.empty());
    EXPECT_NE(diagram.svg.find("No feedback loops in this map."), std::string::npos);
    EXPECT_NE(diagram.svg.find("exogenous (outside the boundary)"), std::string::npos);
    // Graphviz's hover titles held ids; the picture shows names only.
    EXPECT_EQ(diagram.svg.find("fuel_price"), std::string::npos);
    EXPECT_EQ(count(diagram.svg, "<title>"), 1u);
}

} // namespace
} // namespace holon_cld
