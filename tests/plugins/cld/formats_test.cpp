#include "formats/dot.hpp"
#include "formats/graphml.hpp"
#include "formats/kumu.hpp"
#include "formats/svg.hpp"
#include "graph/model_json.hpp"
#include "test_graphs.hpp"

#include <gtest/gtest.h>

namespace holon_cld {
namespace {

CausalGraph weighted_yeast() {
    CausalGraph g = testing::yeast_alcohol();
    g.add_variable({"sugar", "Sugar \"free\" & <fermentable>", "exogenous"});
    g.add_link("sugar-births", "sugar", "births", Polarity::unknown, false, 2.5);
    return g;
}

void expect_same_graph(const CausalGraph &a, const CausalGraph &b) {
    ASSERT_EQ(a.variable_count(), b.variable_count());
    ASSERT_EQ(a.link_count(), b.link_count());
    for (std::size_t i = 0; i < a.variable_count(); ++i) {
        EXPECT_EQ(a.variables()[i].id, b.variables()[i].id);
        EXPECT_EQ(a.variables()[i].name, b.variables()[i].name);
        EXPECT_EQ(a.variables()[i].kind, b.variables()[i].kind);
    }
    for (std::size_t i = 0; i < a.link_count(); ++i) {
        const Link &x = a.links()[i];
        const Link &y = b.links()[i];
        EXPECT_EQ(x.id, y.id);
        EXPECT_EQ(a.variables()[x.from].id, b.variables()[y.from].id);
        EXPECT_EQ(a.variables()[x.to].id, b.variables()[y.to].id);
        EXPECT_EQ(x.polarity, y.polarity) << x.id;
        EXPECT_EQ(x.delay, y.delay) << x.id;
        EXPECT_EQ(x.weight, y.weight) << x.id;
    }
}

TEST(Dot, CarriesPolarityAndDelayMarks) {
    const std::string dot = to_dot(testing::yeast_alcohol());
    EXPECT_NE(dot.find("\"births\" -> \"cells\" [id=\"births-cells\", label=\"+\"]"), std::string::npos) << dot;
    EXPECT_NE(dot.find("\"deaths\" -> \"cells\" [id=\"deaths-cells\", label=\"\u2212\"]"), std::string::npos) << dot;
    EXPECT_NE(dot.find("label=\"+ ||\""), std::string::npos) << dot; // the delayed cells -> alcohol
    EXPECT_EQ(dot.find("holon:legend"), std::string::npos);
}

TEST(Dot, HighlightedLoopsAreColouredAndLabelled) {
    const CausalGraph g = testing::yeast_alcohol();
    const LoopInventory inventory = find_loops(g, {});
    DotOptions options;
    options.highlighted = {{"L1", inventory.loops[0]}, {"L4", inventory.loops[3]}};
    const std::string dot = to_dot(g, options);
    const std::string red = loop_palette()[0], blue = loop_palette()[1];
    // births -> cells is only in L1; alcohol -> deaths only in L4.
    EXPECT_NE(dot.find("[id=\"births-cells\", label=\"+\", color=\"" + red + "\""), std::string::npos) << dot;
    EXPECT_NE(dot.find("[id=\"alcohol-deaths\", label=\"+\", color=\"" + blue + "\""), std::string::npos) << dot;
    EXPECT_NE(dot.find("label=\"L1 (R): Births \u2192 Yeast cells \u2192 Births\""), std::string::npos) << dot;
    EXPECT_NE(dot.find("label=\"L4 (B): Alcohol \u2192 Deaths \u2192 Yeast cells \u2192 Alcohol\""), std::string::npos) << dot;
    EXPECT_EQ(dot.find("[id=\"alcohol-births\", label=\"\u2212\", color"), std::string::npos);
}

TEST(Svg, GraphvizRendersTheDiagram) {
    const CausalGraph g = weighted_yeast();
    const LoopInventory inventory = find_loops(g, {});
    DotOptions options;
    options.title = "Yeast & alcohol";
    options.highlighted = {{"L2", inventory.loops[1]}};
    const std::string svg = render_svg(to_dot(g, options));
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find("Yeast cells"), std::string::npos);
    EXPECT_NE(svg.find("Sugar &quot;free&quot; &amp; &lt;fermentable&gt;"), std::string::npos);
    EXPECT_NE(svg.find("\u2212"), std::string::npos);
    EXPECT_NE(svg.find("L2 (B): Yeast cells"), std::string::npos);
    EXPECT_NE(svg.find(loop_palette()[0]), std::string::npos);
}

TEST(Svg, MalformedDotIsARenderError) { EXPECT_THROW(render_svg("digraph { a -> }"), RenderError); }

TEST(Graphml, RoundTripKeepsEverything) {
    const CausalGraph g = weighted_yeast();
    const Imported back = read_graphml(write_graphml(g));
    expect_same_graph(g, back.graph);
    EXPECT_TRUE(back.warnings.empty());
}

TEST(Graphml, ReadsOtherToolsKeysDefaultsAndUndirectedEdges) {
    const std::string xml = R"(<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="label" attr.type="string"/>
  <key id="d1" for="edge" attr.name="sign" attr.type="string"><default>+</default></key>
  <graph edgedefault="undirected">
    <node id="n0"><data key="d0">Stress</data></node>
    <node id="n1"/>
    <edge source="n0" target="n1" directed="true"/>
    <edge source="n1" target="n0"><data key="d1">negative</data></edge>
  </graph>
</graphml>)";
    const Imported imported = read_graphml(xml);
    const CausalGraph &g = imported.graph;
    ASSERT_EQ(g.variable_count(), 2u);
    EXPECT_EQ(g.variables()[0].name, "Stress");
    EXPECT_EQ(g.variables()[1].name, "n1");
    ASSERT_EQ(g.link_count(), 2u);
    EXPECT_EQ(g.links()[0].id, "e1");
    EXPECT_EQ(g.links()[0].polarity, Polarity::positive);
    EXPECT_EQ(g.links()[1].polarity, Polarity::negative);
    ASSERT_EQ(imported.warnings.size(), 1u); // only the second edge is undirected
}

TEST(Graphml, MalformedXmlNamesLineAndColumn) {
    const std::string xml = "<graphml>\n  <graph>\n    <node id=\"a\">\n  </graph>\n</graphml>\n";
    try {
        read_graphml(xml);
        FAIL() << "malformed GraphML was accepted";
    } catch (const ImportError &e) {
        EXPECT_EQ(e.line(), 4u);
        EXPECT_EQ(e.column(), 5u); // the '/' of the mismatched </graph>
        EXPECT_NE(std::string(e.what()).find("line 4, column 5"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("mismatched tag"), std::string::npos) << e.what();
    }
}

TEST(Graphml, RefusesDtdsAndEntities) {
    const std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">]>\n<graphml>&lol;</graphml>";
    try {
        read_graphml(xml);
        FAIL() << "a DTD was accepted";
    } catch (const ImportError &e) {
        EXPECT_EQ(e.line(), 2u);
        EXPECT_NE(std::string(e.what()).find("DTD"), std::string::npos) << e.what();
    }
}

TEST(Graphml, BoundsDepthAndSize) {
    std::string deep = "<graphml>";
    for (int i = 0; i < 100; ++i) deep += "<x>";
    EXPECT_THROW(read_graphml(deep, {}), ImportError);
    XmlLimits small;
    small.max_bytes = 10;
    EXPECT_THROW(read_graphml(write_graphml(testing::yeast_alcohol()), small), ImportError);
}

TEST(Graphml, EdgeToAnUnknownNodeIsAnErrorAtTheEdge) {
    const std::string xml = "<graphml><graph edgedefault=\"directed\">\n<node id=\"a\"/>\n  <edge source=\"a\" target=\"b\"/>\n</graph></graphml>";
    try {
        read_graphml(xml);
        FAIL();
    } catch (const ImportError &e) {
        EXPECT_EQ(e.line(), 3u);
        EXPECT_EQ(e.column(), 3u);
        EXPECT_NE(std::string(e.what()).find("unknown variable 'b'"), std::string::npos) << e.what();
    }
}

TEST(Kumu, RoundTripKeepsEverything) {
    const CausalGraph g = weighted_yeast();
    const Imported back = read_kumu(write_kumu(g));
    expect_same_graph(g, back.graph);
}

TEST(Kumu, ReadsABlueprintByLabels) {
    const std::string blueprint = R"({
  "elements": [{"label": "Waiting list"}, {"label": "Referrals", "type": "Driver"}, {"label": "Capacity"}],
  "connections": [
    {"from": "Referrals", "to": "Waiting list", "type": "+"},
    {"from": "Waiting list", "to": "Capacity", "attributes": {"connection type": "-"}, "delay": "yes", "weight": 2},
    {"from": "Capacity", "to": "Referrals", "direction": "mutual"}
  ]
})";
    const Imported imported = read_kumu(blueprint);
    const CausalGraph &g = imported.graph;
    ASSERT_EQ(g.variable_count(), 3u);
    EXPECT_EQ(g.variables()[0].id, "waiting-list");
    EXPECT_EQ(g.variables()[1].kind, "Driver");
    ASSERT_EQ(g.link_count(), 4u);
    EXPECT_EQ(g.links()[0].polarity, Polarity::positive);
    EXPECT_EQ(g.links()[1].polarity, Polarity::negative);
    EXPECT_TRUE(g.links()[1].delay);
    EXPECT_EQ(g.links()[1].weight, 2.0);
    EXPECT_EQ(g.links()[3].id, "c3-back");
    EXPECT_EQ(g.variables()[g.links()[3].from].id, "referrals");
}

TEST(Kumu, SyntaxErrorsNameLineAndColumn) {
    try {
        read_kumu("{\n  \"elements\": [\n    {\"label\": \"A\",}\n  ]\n}");
        FAIL();
    } catch (const ImportError &e) {
        EXPECT_EQ(e.line(), 3u);
        EXPECT_GT(e.column(), 0u);
    }
    EXPECT_THROW(read_kumu(R"({"connections": [{"from": "A", "to": "B"}]})"), ImportError);
}

TEST(ModelJson, RoundTripAndPreciseErrors) {
    const CausalGraph g = weighted_yeast();
    expect_same_graph(g, read_model(write_model(g)));
    try {
        read_model(R"({"variables": [{"id": "a"}], "links": [{"id": "l", "from": "a", "to": "b", "polarity": "+"}]})");
        FAIL();
    } catch (const ModelError &e) {
        EXPECT_EQ(e.pointer(), "/links/0/to");
    }
    try {
        read_model(R"({"variables": [{"id": "a"}], "links": [{"from": "a", "to": "a", "polarity": "plus"}]})");
        FAIL();
    } catch (const ModelError &e) {
        EXPECT_EQ(e.pointer(), "/links/0/polarity");
    }
}

} // namespace
} // namespace holon_cld
