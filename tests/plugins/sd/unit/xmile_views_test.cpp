// XMILE views and model units: reading, writing, round trips through XMILE and the shared model,
// and a Vensim sketch exported as an XMILE diagram.
#include "helpers.hpp"
#include "ir/error.hpp"
#include "mdl/sketch.hpp"
#include "model_json/model_json.hpp"
#include "xmile/reader.hpp"
#include "xmile/writer.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace holon_sd;
using namespace holon_sd::test;

namespace {

std::string sample(const std::string &relative) {
    std::filesystem::path p = std::filesystem::path(HOLON_SD_TEST_MODELS) / "samples" / relative;
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const ViewElement *element(const View &v, const std::string &name) {
    for (const ViewElement &e : v.elements)
        if (canonical_name(e.name) == canonical_name(name)) return &e;
    return nullptr;
}

const ViewLink *link(const View &v, const std::string &from, const std::string &to) {
    const ViewElement *f = element(v, from), *t = element(v, to);
    for (const ViewLink &l : v.links)
        if (f && t && l.from == f->id && l.to == t->id) return &l;
    return nullptr;
}

// A document with one <view> holding `objects`, around a model of one stock, flow and aux.
std::string with_view(const std::string &objects, const std::string &units = "") {
    return R"(<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
<sim_specs><start>0</start><stop>2</stop><dt>1</dt></sim_specs>)" +
           units + R"(
<model><variables>
  <stock name="water"><eqn>10</eqn><outflow>drain</outflow></stock>
  <flow name="drain"><eqn>water * rate</eqn></flow>
  <aux name="rate"><eqn>0.5</eqn></aux>
</variables><views><view>)" +
           objects + "</view></views></model></xmile>";
}

void expect_same_views(const std::vector<View> &a, const std::vector<View> &b) {
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i].elements.size(), b[i].elements.size()) << "view " << i;
        for (size_t k = 0; k < a[i].elements.size(); ++k) {
            const ViewElement &x = a[i].elements[k], &y = b[i].elements[k];
            EXPECT_EQ(x.kind, y.kind) << x.name;
            EXPECT_EQ(x.name, y.name);
            EXPECT_DOUBLE_EQ(x.x, y.x) << x.name;
            EXPECT_DOUBLE_EQ(x.y, y.y) << x.name;
            EXPECT_DOUBLE_EQ(x.width, y.width) << x.name;
            EXPECT_EQ(x.points, y.points) << x.name;
        }
        ASSERT_EQ(a[i].links.size(), b[i].links.size());
        for (size_t k = 0; k < a[i].links.size(); ++k) {
            EXPECT_EQ(a[i].links[k].from, b[i].links[k].from);
            EXPECT_EQ(a[i].links[k].to, b[i].links[k].to);
        }
    }
}

} // namespace

TEST(SdXmileViews, StellaTeacupViewAndUnitsAreRead) {
    std::string text = sample("teacup/teacup.stmx");
    if (text.empty()) GTEST_SKIP() << "no conformance samples";
    Model m = read_xmile(text);
    // The interface view holds no diagram and is not kept.
    ASSERT_EQ(m.views.size(), 1u);
    const View &v = m.views[0];
    EXPECT_DOUBLE_EQ(v.width, 756);
    EXPECT_DOUBLE_EQ(v.height, 584);
    ASSERT_EQ(v.elements.size(), 4u);
    const ViewElement *stock = element(v, "teacup temperature");
    ASSERT_NE(stock, nullptr);
    EXPECT_EQ(stock->kind, ViewElementKind::stock);
    EXPECT_DOUBLE_EQ(stock->x, 132);
    EXPECT_DOUBLE_EQ(stock->y, 97);
    const ViewElement *flow = element(v, "heat loss to room");
    ASSERT_NE(flow, nullptr);
    EXPECT_EQ(flow->kind, ViewElementKind::flow);
    EXPECT_DOUBLE_EQ(flow->x, 231.25);
    EXPECT_EQ(flow->points, (std::vector<std::pair<double, double>>{{154.5, 92}, {332, 92}}));
    ASSERT_EQ(v.links.size(), 3u);
    const ViewLink *l = link(v, "characteristic time", "heat loss to room");
    ASSERT_NE(l, nullptr);
    ASSERT_TRUE(l->angle.has_value());
    EXPECT_DOUBLE_EQ(*l->angle, 220.601);
    ASSERT_EQ(m.units.size(), 2u);
    EXPECT_EQ(m.units[0].name, "Degrees");
    EXPECT_EQ(m.units[0].equation, "");
    EXPECT_EQ(m.units[0].aliases, (std::vector<std::string>{"deg", "degree"}));
    EXPECT_EQ(m.units[1].name, "Minutes");
    EXPECT_TRUE(m.warnings.empty()) << m.warnings.front();
}

TEST(SdXmileViews, TeacupAndSirRoundTripThroughXmile) {
    for (const char *file : {"teacup/teacup.stmx", "teacup/teacup_w_diagram.xmile", "SIR/SIR.xmile", "SIR/SIR.stmx"}) {
        SCOPED_TRACE(file);
        std::string text = sample(file);
        if (text.empty()) GTEST_SKIP() << "no conformance samples";
        Model first = read_xmile(text);
        ASSERT_FALSE(first.views.empty());
        Model second = read_xmile(write_xmile(first));
        expect_same_views(first.views, second.views);
        for (size_t i = 0; i < first.views[0].links.size(); ++i)
            if (first.views[0].links[i].angle) {
                EXPECT_EQ(first.views[0].links[i].angle, second.views[0].links[i].angle);
            }
        ASSERT_EQ(first.units.size(), second.units.size());
        for (size_t i = 0; i < first.units.size(); ++i) EXPECT_EQ(first.units[i].aliases, second.units[i].aliases);
        // The same simulation, every variable at every step.
        for (const Variable &var : first.variables) EXPECT_EQ(series(first, var.name), series(second, var.name)) << var.name;
    }
}

TEST(SdXmileViews, SirViewHasEightObjectsAndSixConnectors) {
    std::string text = sample("SIR/SIR.xmile");
    if (text.empty()) GTEST_SKIP() << "no conformance samples";
    Model m = read_xmile(text);
    ASSERT_EQ(m.views.size(), 1u); // the empty "interface" view is left out
    EXPECT_EQ(m.views[0].elements.size(), 8u);
    EXPECT_EQ(m.views[0].links.size(), 6u);
    const ViewLink *l = link(m.views[0], "infectious", "recovering");
    ASSERT_NE(l, nullptr);
    EXPECT_FALSE(l->angle.has_value()); // this file gives none
    // Exported, it gets the straight direction from (212,134) to (266,133): atan(1/54) = 1.061
    // degrees (the page's y grows downwards, XMILE's angle counterclockwise).
    Model back = read_xmile(write_xmile(m));
    const ViewLink *lb = link(back.views[0], "infectious", "recovering");
    ASSERT_NE(lb, nullptr);
    EXPECT_DOUBLE_EQ(*lb->angle, 1.061);
    const ViewElement *flow = element(m.views[0], "succumbing");
    ASSERT_NE(flow, nullptr);
    EXPECT_EQ(flow->points, (std::vector<std::pair<double, double>>{{124, 135}, {190, 135}}));
}

TEST(SdXmileViews, TextBoxesAreKeptByCentreAndWrittenByCorner) {
    Model m = read_xmile(with_view(R"(<text_box x="10" y="20" width="100" height="40">Fill &amp; drain</text_box>)"));
    ASSERT_EQ(m.views.size(), 1u);
    const ViewElement &note = m.views[0].elements.at(0);
    EXPECT_EQ(note.kind, ViewElementKind::comment);
    EXPECT_EQ(note.name, "Fill & drain");
    EXPECT_DOUBLE_EQ(note.x, 60);
    EXPECT_DOUBLE_EQ(note.y, 40);
    std::string out = write_xmile(m);
    EXPECT_NE(out.find(R"(<text_box uid="1" x="10" y="20" width="100" height="40">Fill &amp; drain</text_box>)"),
              std::string::npos)
        << out;
}

TEST(SdXmileViews, AliasesAndConnectorsFromThemRoundTrip) {
    Model m = read_xmile(with_view(R"(<stock name="water" x="100" y="100" width="45" height="35"/>
        <aux name="rate" x="200" y="50"/>
        <flow name="drain" x="200" y="100"><pts><pt x="122.5" y="100"/><pt x="280" y="100"/></pts></flow>
        <alias uid="9" x="150" y="180"><of>water</of></alias>
        <connector uid="3" angle="45"><from><alias uid="9"/></from><to>drain</to></connector>
        <connector uid="4" angle="270"><from>rate</from><to>drain</to></connector>)"));
    ASSERT_EQ(m.views.size(), 1u);
    const View &v = m.views[0];
    ASSERT_EQ(v.elements.size(), 4u);
    EXPECT_EQ(v.elements[3].kind, ViewElementKind::alias);
    EXPECT_EQ(v.elements[3].name, "water");
    ASSERT_EQ(v.links.size(), 2u);
    EXPECT_EQ(v.links[0].from, v.elements[3].id);
    EXPECT_EQ(v.links[0].to, v.elements[2].id);
    EXPECT_DOUBLE_EQ(*v.links[0].angle, 45);
    Model back = read_xmile(write_xmile(m));
    expect_same_views(m.views, back.views);
    EXPECT_DOUBLE_EQ(*back.views[0].links[1].angle, 270);
    EXPECT_TRUE(back.warnings.empty());
}

TEST(SdXmileViews, MalformedDisplayObjectsAreLeftOutWithAWarning) {
    Model m = read_xmile(with_view(R"(<stock x="1" y="2"/>
        <aux name="rate" x="wide" y="50"/>
        <flow name="drain" x="200" y="100"><pts><pt x="1"/></pts></flow>
        <stock name="water" x="100" y="100"/>
        <connector uid="1"><from>water</from><to>nowhere</to></connector>
        <connector uid="2"><from>water</from></connector>)"));
    // The model itself is read and runs: diagrams never stop an import.
    EXPECT_DOUBLE_EQ(series(m, "water").at(1), 5);
    ASSERT_EQ(m.views.size(), 1u);
    EXPECT_EQ(m.views[0].elements.size(), 1u);
    EXPECT_TRUE(m.views[0].links.empty());
    ASSERT_EQ(m.warnings.size(), 5u);
    EXPECT_EQ(m.warnings[0], "views: <stock> without a name (line 7, column 26), left out");
    EXPECT_EQ(m.warnings[1], "views: <aux> 'rate' without a valid position or size (line 8, column 9), left out");
    EXPECT_EQ(m.warnings[2], "views: <flow> 'drain' with a malformed <pts> (line 9, column 9), left out");
    EXPECT_EQ(m.warnings[3],
              "views: <connector> from 'water' to 'nowhere' whose ends are not in the view (line 11, column 9), left out");
    EXPECT_EQ(m.warnings[4], "views: <connector> without <from> and <to> (line 12, column 9), left out");
}

TEST(SdXmileViews, ManyBadObjectsGiveBoundedWarnings) {
    std::string objects;
    for (int i = 0; i < 500; ++i) objects += "<aux x=\"1\" y=\"1\"/>";
    Model m = read_xmile(with_view(objects));
    EXPECT_TRUE(m.views.empty()); // no object survived
    ASSERT_EQ(m.warnings.size(), 51u);
    EXPECT_EQ(m.warnings.back(), "views: 450 more display objects left out");
}

TEST(SdXmileViews, ModelUnitsWithEquationsRoundTrip) {
    Model m = read_xmile(with_view("", R"(<model_units>
        <unit name="litre"><alias>liter</alias><alias>l</alias></unit>
        <unit name="cubic metre"><eqn>1000 * litre</eqn></unit></model_units>)"));
    ASSERT_EQ(m.units.size(), 2u);
    EXPECT_EQ(m.units[1].equation, "1000 * litre");
    std::string out = write_xmile(m);
    EXPECT_NE(out.find("<unit name=\"litre\">\n            <alias>liter</alias>\n            <alias>l</alias>"),
              std::string::npos)
        << out;
    Model back = read_xmile(out);
    ASSERT_EQ(back.units.size(), 2u);
    EXPECT_EQ(back.units[0].aliases, (std::vector<std::string>{"liter", "l"}));
    EXPECT_EQ(back.units[1].equation, "1000 * litre");
}

// teacup.mdl's sketch: stock at (307,235) with half extents 40x20, valve at (408,235), its name
// below it, a cloud at (479,235); arrows into the flow's name from the stock, Room Temperature
// (arc through (437,284)) and Characteristic Time (straight down from (408,174)).
TEST(SdXmileViews, VensimSketchBecomesAnXmileDiagram) {
    std::string text = sample("teacup/teacup.mdl");
    if (text.empty()) GTEST_SKIP() << "no conformance samples";
    Model m = read_mdl(text, {});
    ASSERT_EQ(m.views.size(), 1u);
    const View &v = m.views[0];
    ASSERT_EQ(v.elements.size(), 5u); // stock, cloud, flow (valve and name), two auxiliaries
    const ViewElement *flow = element(v, "Heat Loss to Room");
    ASSERT_NE(flow, nullptr);
    EXPECT_EQ(flow->kind, ViewElementKind::flow);
    EXPECT_EQ(flow->id, 5); // the valve's id: arrows to the name now reach the flow
    EXPECT_DOUBLE_EQ(flow->x, 408);
    EXPECT_EQ(flow->label_side, "bottom");
    // From the stock's right edge (307 + 40) to the cloud's centre.
    EXPECT_EQ(flow->points, (std::vector<std::pair<double, double>>{{347, 235}, {479, 235}}));
    const ViewElement *stock = element(v, "Teacup Temperature");
    ASSERT_NE(stock, nullptr);
    EXPECT_EQ(stock->kind, ViewElementKind::stock);
    EXPECT_DOUBLE_EQ(stock->width, 80);
    EXPECT_DOUBLE_EQ(stock->height, 40);
    EXPECT_EQ(v.links.size(), 3u); // the two pipes are the flow's points, not links

    Model x = read_xmile(write_xmile(m));
    ASSERT_EQ(x.views.size(), 1u);
    const View &xv = x.views[0];
    EXPECT_EQ(xv.elements.size(), 4u); // XMILE has no clouds: the pipe's open end shows one
    const ViewElement *xflow = element(xv, "Heat Loss to Room");
    ASSERT_NE(xflow, nullptr);
    EXPECT_EQ(xflow->points, flow->points);
    const ViewElement *xstock = element(xv, "Teacup Temperature");
    ASSERT_NE(xstock, nullptr);
    EXPECT_DOUBLE_EQ(xstock->x, 307);
    EXPECT_DOUBLE_EQ(xstock->width, 80);
    const ViewLink *down = link(xv, "Characteristic Time", "Heat Loss to Room");
    ASSERT_NE(down, nullptr);
    EXPECT_DOUBLE_EQ(*down->angle, 270); // straight down the page
    // Arc (469,304) -> (437,284) -> (408,235): circle centre (505.126, 210.599), radius 100.144;
    // the tangent at the start, perpendicular to the radius and towards the control point, is
    // (-93.401, -36.126) on the page (y down): 158.855 degrees counterclockwise from east.
    const ViewLink *arc = link(xv, "Room Temperature", "Heat Loss to Room");
    ASSERT_NE(arc, nullptr);
    EXPECT_DOUBLE_EQ(*arc->angle, 158.855); // written to three decimals
    for (const Variable &var : m.variables) EXPECT_EQ(series(m, var.name), series(x, var.name)) << var.name;
}

TEST(SdXmileViews, SharedModelKeepsViewsAndUnits) {
    std::string text = sample("teacup/teacup.stmx");
    if (text.empty()) GTEST_SKIP() << "no conformance samples";
    Model m = read_xmile(text);
    Model back = from_model_json(to_model_json(m));
    expect_same_views(m.views, back.views);
    EXPECT_EQ(back.views[0].links[0].angle, m.views[0].links[0].angle);
    EXPECT_DOUBLE_EQ(back.views[0].width, 756);
    ASSERT_EQ(back.units.size(), 2u);
    EXPECT_EQ(back.units[1].name, "Minutes");
    EXPECT_EQ(back.units[1].aliases, (std::vector<std::string>{"min", "minute"}));
}

// Shared models stored before this form kept Vensim's records (type 10/11/12, half extents,
// pipes as links); they still read, the model's variables deciding the kinds.
TEST(SdXmileViews, StoredVensimRecordFormStillReads) {
    Model m = model({stock("stock", "1", {}, {"out"}), flow("out", "1"), aux("k", "2")});
    std::string doc = to_model_json(m, "mdl");
    std::string old = R"("views": [{"name": "View 1", "elements": [
        {"id": 1, "type": 10, "name": "stock", "x": 100, "y": 100, "width": 40, "height": 20},
        {"id": 2, "type": 12, "name": "", "x": 300, "y": 100, "width": 10, "height": 8},
        {"id": 3, "type": 11, "name": "", "x": 200, "y": 100, "width": 6, "height": 8},
        {"id": 4, "type": 10, "name": "out", "x": 200, "y": 116, "width": 20, "height": 8},
        {"id": 5, "type": 10, "name": "k", "x": 200, "y": 40, "width": 20, "height": 8}],
      "links": [{"id": 6, "from": 3, "to": 2, "points": [[250, 100]]},
                {"id": 7, "from": 3, "to": 1, "points": [[150, 100]]},
                {"id": 8, "from": 5, "to": 4, "points": [[200, 70]]}]}],)";
    size_t at = doc.find("\"sim_specs\"");
    ASSERT_NE(at, std::string::npos);
    doc.insert(at, old);
    Model back = from_model_json(doc);
    ASSERT_EQ(back.views.size(), 1u);
    const View &v = back.views[0];
    ASSERT_EQ(v.elements.size(), 4u);
    EXPECT_EQ(v.elements[0].kind, ViewElementKind::stock);
    EXPECT_DOUBLE_EQ(v.elements[0].width, 80);
    EXPECT_EQ(v.elements[1].kind, ViewElementKind::cloud);
    EXPECT_EQ(v.elements[2].kind, ViewElementKind::flow);
    EXPECT_EQ(v.elements[2].name, "out");
    EXPECT_EQ(v.elements[3].kind, ViewElementKind::aux);
    ASSERT_EQ(v.links.size(), 1u);
    EXPECT_EQ(v.links[0].from, 5);
    EXPECT_EQ(v.links[0].to, 3);
    // Without the pipes' shapes the first pipe is taken as the sink: cloud (300,100) and the
    // stock's right edge (100 + 40).
    EXPECT_EQ(v.elements[2].points, (std::vector<std::pair<double, double>>{{140, 100}, {300, 100}}));
}

// A stored model is anybody's JSON: an id that does not fit an int is refused in one line, not
// converted (which would be undefined behaviour); 7.0 is the integer 7.
TEST(SdXmileViews, ViewIdsMustBeIntegersThatFit) {
    Model m = model({aux("k", "2")});
    const std::string doc = to_model_json(m, "xmile");
    const size_t at = doc.find("\"sim_specs\"");
    ASSERT_NE(at, std::string::npos);
    auto with_view = [&](const std::string &id) {
        std::string d = doc;
        d.insert(at, R"("views": [{"name": "v", "elements": [{"id": )" + id +
                         R"(, "kind": "aux", "name": "k", "x": 1, "y": 2, "width": 3, "height": 4}], "links": []}],)");
        return d;
    };
    EXPECT_EQ(from_model_json(with_view("7.0")).views.at(0).elements.at(0).id, 7);
    for (const std::string bad : {"1e300", "4294967296", "-3000000000", "2.5"}) {
        try {
            from_model_json(with_view(bad));
            ADD_FAILURE() << bad << " was accepted";
        } catch (const ModelError &e) {
            EXPECT_NE(std::string(e.what()).find("model JSON: a view's 'id' must be an integer that fits in 32 bits"),
                      std::string::npos) << e.what();
        }
    }
}

// Every XMILE file of the conformance suite that has a diagram and reads: its views survive an
// export and a new import unchanged, and reading them warns of nothing.
TEST(SdXmileViews, EveryConformanceDiagramRoundTrips) {
    std::filesystem::path root(HOLON_SD_TEST_MODELS);
    if (!std::filesystem::is_directory(root)) GTEST_SKIP() << "no conformance models at " << root;
    size_t files = 0, elements = 0;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(root)) {
        std::string ext = entry.path().extension().string();
        if (ext != ".xmile" && ext != ".stmx") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        if (s.str().find("<views") == std::string::npos) continue;
        Model first;
        try {
            first = read_xmile(s.str());
        } catch (const std::exception &) {
            continue; // files the reader refuses are the conformance suite's concern
        }
        SCOPED_TRACE(entry.path().string());
        for (const std::string &w : first.warnings) EXPECT_EQ(w.rfind("views:", 0), std::string::npos) << w;
        Model second = read_xmile(write_xmile(first));
        expect_same_views(first.views, second.views);
        ++files;
        for (const View &v : first.views) elements += v.elements.size();
    }
    EXPECT_GE(files, 80u);
    EXPECT_GE(elements, 500u);
}

// Every Vensim model of the conformance suite that reads: its sketch, exported as XMILE, reads
// back without a warning, with each variable, flow and comment where the sketch put it.
TEST(SdXmileViews, EveryConformanceSketchExportsAsXmile) {
    std::filesystem::path root(HOLON_SD_TEST_MODELS);
    if (!std::filesystem::is_directory(root)) GTEST_SKIP() << "no conformance models at " << root;
    size_t files = 0, kept = 0;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(root)) {
        if (entry.path().extension() != ".mdl") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        Model m;
        std::string xmile;
        try {
            m = read_mdl(s.str(), {entry.path().parent_path().string(), entry.path().filename().string()});
            xmile = write_xmile(m);
        } catch (const std::exception &) {
            continue; // models the reader or XMILE cannot hold are the conformance suite's concern
        }
        if (m.views.empty()) continue;
        SCOPED_TRACE(entry.path().string());
        Model x = read_xmile(xmile);
        for (const std::string &w : x.warnings) EXPECT_EQ(w.rfind("views:", 0), std::string::npos) << w;
        std::map<std::string, std::pair<double, double>> where;
        for (const View &v : x.views)
            for (const ViewElement &e : v.elements)
                if (e.kind != ViewElementKind::alias)
                    where.emplace(v.name + "/" + (e.kind == ViewElementKind::comment ? "#" + e.name : canonical_name(e.name)),
                                  std::make_pair(e.x, e.y));
        for (const View &v : m.views)
            for (const ViewElement &e : v.elements) {
                if (e.kind == ViewElementKind::cloud || e.kind == ViewElementKind::alias || e.name.empty()) continue;
                std::string key = v.name + "/" + (e.kind == ViewElementKind::comment ? "#" + e.name : canonical_name(e.name));
                auto it = where.find(key);
                if (it == where.end()) continue; // a drawing of something that is not a variable
                ++kept;
                EXPECT_EQ(it->second, std::make_pair(e.x, e.y)) << e.name;
            }
        ++files;
    }
    EXPECT_GE(files, 80u);
    EXPECT_GE(kept, 500u);
}

// The sketch of Vensim's own documentation example (population, births from a cloud, birth rate,
// a comment), plus a box without text and a second drawing of Population.
TEST(SdXmileViews, VensimSketchRecordsBecomeElements) {
    std::vector<View> views = mdl::parse_sketch(R"(\\\---/// Sketch information - do not modify anything except names
V300  Do not put anything below this section - it will be ignored
*View 1
$192-192-192,0,Times New Roman|12||0-0-0|0-0-0|0-0-255|-1--1--1|-1--1--1|96,96,100,0
10,1,Population,275,69,40,20,3,3,0,0,0,0,0,0
12,2,48,91,71,8,8,0,3,0,0,-1,0,0,0
1,3,5,1,4,0,0,22,0,0,0,-1--1--1,,1|(204,71)|
1,4,5,2,100,0,0,22,0,0,0,-1--1--1,,1|(130,71)|
11,5,48,167,71,6,8,34,3,0,0,1,0,0,0
10,6,births,167,90,19,11,40,3,0,0,-1,0,0,0
10,12,birth rate,99,118,29,11,8,3,0,0,0,0,0,0
1,14,12,6,0,0,0,0,0,64,0,-1--1--1,,1|(130,104)|
12,16,0,269,22,37,9,8,4,0,0,-1,0,0,0
Comment
12,17,0,421,512,247,1,3,131,0,0,-1,0,0,0
10,18,Population,500,69,40,20,8,2,0,0,0,0,0,0
1,19,18,6,0,0,0,0,0,64,0,-1--1--1,,1|(300,80)|
///---\\\
)");
    ASSERT_EQ(views.size(), 1u);
    const View &v = views[0];
    ASSERT_EQ(v.elements.size(), 7u);
    EXPECT_EQ(v.elements[0].kind, ViewElementKind::stock);
    EXPECT_EQ(v.elements[1].kind, ViewElementKind::cloud);
    const ViewElement &births = v.elements[2];
    EXPECT_EQ(births.kind, ViewElementKind::flow);
    EXPECT_EQ(births.name, "births");
    EXPECT_EQ(births.id, 5);
    // From the cloud (the pipe's tail) to the stock's left edge, 275 - 40.
    EXPECT_EQ(births.points, (std::vector<std::pair<double, double>>{{91, 71}, {235, 71}}));
    EXPECT_EQ(v.elements[3].kind, ViewElementKind::aux);
    EXPECT_EQ(v.elements[4].kind, ViewElementKind::comment);
    EXPECT_EQ(v.elements[4].name, "Comment");
    EXPECT_DOUBLE_EQ(v.elements[4].width, 74);
    EXPECT_EQ(v.elements[5].kind, ViewElementKind::comment); // the box: its next line is a record
    EXPECT_EQ(v.elements[5].name, "");
    EXPECT_EQ(v.elements[6].kind, ViewElementKind::alias);
    ASSERT_EQ(v.links.size(), 2u);
    EXPECT_EQ(v.links[0].from, 12);
    EXPECT_EQ(v.links[0].to, 5); // to the flow's name, which is the flow

    Model m = model({stock("Population", "100", {"births"}), flow("births", "Population * birth rate"), aux("birth rate", "0.1")});
    m.views = views;
    std::string out = write_xmile(m);
    EXPECT_NE(out.find(R"(<text_box uid="16" x="232" y="13" width="74" height="18">Comment</text_box>)"), std::string::npos) << out;
    EXPECT_NE(out.find(R"(<alias uid="18" x="500" y="69" width="80" height="40">)"), std::string::npos) << out;
    EXPECT_NE(out.find("<from><alias uid=\"18\"/></from>"), std::string::npos) << out;
    // The shared model keeps all seven, clouds, label sides and pipes included.
    Model shared = from_model_json(to_model_json(m, "mdl"));
    expect_same_views(m.views, shared.views);
    EXPECT_EQ(shared.views[0].elements[2].label_side, "bottom");
    EXPECT_EQ(shared.views[0].links[0].points, (std::vector<std::pair<double, double>>{{130, 104}}));
    Model back = read_xmile(out);
    ASSERT_EQ(back.views.size(), 1u);
    EXPECT_EQ(back.views[0].elements.size(), 5u); // no cloud, no empty box
    EXPECT_EQ(back.views[0].links.size(), 2u);
    EXPECT_TRUE(back.warnings.empty());
}
