#include "helpers.hpp"
#include "ir/error.hpp"
#include "model_json/model_json.hpp"
#include "structure/dependencies.hpp"
#include "xmile/reader.hpp"
#include "xmile/writer.hpp"

#include <cmath>
#include <map>

using namespace holon_sd;
using namespace holon_sd::test;

namespace {

const char *teacup = R"(<?xml version="1.0" encoding="UTF-8"?>
<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
  <header><name>Teacup</name></header>
  <sim_specs method="RK4"><start>0</start><stop>30</stop><dt reciprocal="true">8</dt></sim_specs>
  <model><variables>
    <flow name="Heat Loss to Room"><eqn>("Teacup Temperature"-"Room Temperature")/"Characteristic Time"</eqn></flow>
    <aux name="Room Temperature"><eqn>70</eqn><units>deg</units><doc>Ambient</doc></aux>
    <stock name="Teacup Temperature"><outflow>"Heat Loss to Room"</outflow><eqn>180</eqn><non_negative/></stock>
    <aux name="Characteristic Time"><eqn>10</eqn></aux>
    <aux name="effect"><eqn>Room_Temperature</eqn>
      <gf type="extrapolate"><xscale min="0" max="100"/><ypts sep=";">1;0.5;0</ypts></gf></aux>
  </variables></model>
</xmile>)";

} // namespace

TEST(SdXmile, ReadsSimSpecsVariablesAndGraphicalFunctions) {
    Model m = read_xmile(teacup);
    EXPECT_EQ(m.name, "Teacup");
    EXPECT_DOUBLE_EQ(m.sim_specs.dt, 0.125);
    EXPECT_EQ(m.sim_specs.method, IntegrationMethod::rk4);
    ASSERT_EQ(m.variables.size(), 5u);
    EXPECT_EQ(m.variables[2].kind, VariableKind::stock);
    EXPECT_TRUE(m.variables[2].non_negative);
    EXPECT_EQ(m.variables[2].outflows, std::vector<std::string>{"\"Heat Loss to Room\""});
    EXPECT_EQ(m.variables[1].units, "deg");
    const GraphicalFunction &gf = *m.variables[4].gf;
    EXPECT_EQ(gf.type, GraphicalFunctionType::extrapolate);
    EXPECT_EQ(gf.xs, (std::vector<double>{0, 50, 100}));
    EXPECT_DOUBLE_EQ(series(m, "effect")[0], 0.3);
    // RK4 on a linear ODE: the first step matches the exact solution to ~1e-9.
    EXPECT_NEAR(series(m, "Teacup Temperature")[1], 70 + 110 * std::exp(-0.0125), 1e-8);
}

TEST(SdXmile, RefusesDtdsAndReportsLineAndColumn) {
    const char *bomb = R"(<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>
<xmile><model/></xmile>)";
    try {
        read_xmile(bomb);
        FAIL();
    } catch (const ModelError &e) {
        EXPECT_NE(std::string(e.what()).find("DTD"), std::string::npos) << e.what();
    }
    try {
        read_xmile("<xmile>\n  <model>\n    <variables>\n  </model>\n</xmile>");
        FAIL();
    } catch (const ModelError &e) {
        EXPECT_EQ(e.line(), 4);
        EXPECT_NE(std::string(e.what()).find("line 4"), std::string::npos) << e.what();
    }
}

TEST(SdXmile, RefusesDeepNesting) {
    std::string deep = "<xmile>";
    for (int i = 0; i < 100; ++i) deep += "<a>";
    for (int i = 0; i < 100; ++i) deep += "</a>";
    deep += "</xmile>";
    EXPECT_THROW(read_xmile(deep), ModelError);
}

TEST(SdXmile, RoundTripThroughWriterAndSharedModel) {
    Model m = read_xmile(teacup);
    Model again = read_xmile(write_xmile(m));
    Model via_json = from_model_json(to_model_json(again));
    for (const Model *x : {&again, &via_json}) {
        ASSERT_EQ(x->variables.size(), m.variables.size());
        for (size_t i = 0; i < m.variables.size(); ++i) {
            EXPECT_EQ(x->variables[i].name, m.variables[i].name);
            EXPECT_EQ(x->variables[i].equation, m.variables[i].equation);
            EXPECT_EQ(x->variables[i].kind, m.variables[i].kind);
            EXPECT_EQ(x->variables[i].outflows, m.variables[i].outflows);
            EXPECT_EQ(x->variables[i].non_negative, m.variables[i].non_negative);
        }
        EXPECT_EQ(x->variables[4].gf->xs, m.variables[4].gf->xs);
        EXPECT_EQ(x->sim_specs.method, m.sim_specs.method);
        EXPECT_DOUBLE_EQ(x->sim_specs.dt, m.sim_specs.dt);
        EXPECT_EQ(series(*x, "Teacup Temperature"), series(m, "Teacup Temperature"));
    }
}

TEST(SdXmile, DependencyPolarities) {
    Model m = read_xmile(teacup);
    std::map<std::pair<std::string, std::string>, char> pol;
    for (const Dependency &d : dependencies(m)) pol[{d.from, d.to}] = d.polarity;
    EXPECT_EQ((pol[{"Teacup Temperature", "Heat Loss to Room"}]), '+');
    EXPECT_EQ((pol[{"Room Temperature", "Heat Loss to Room"}]), '-');
    EXPECT_EQ((pol[{"Characteristic Time", "Heat Loss to Room"}]), '-');
    EXPECT_EQ((pol[{"Heat Loss to Room", "Teacup Temperature"}]), '-');
    EXPECT_EQ((pol[{"Room Temperature", "effect"}]), '-'); // through a decreasing table
}

TEST(SdXmile, SuppliesAMissingEndTagAndSaysWhere) {
    const char *doc = R"(<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
<sim_specs><start>0</start><stop>2</stop><dt>1</dt></sim_specs>
<model><variables>
<flow name="f"><eqn>-TIME</eqn><non_negative/>
</variables></model></xmile>)";
    Model m = read_xmile(doc);
    ASSERT_EQ(m.variables.size(), 1u);
    EXPECT_TRUE(m.variables[0].non_negative);
    ASSERT_EQ(m.warnings.size(), 1u);
    EXPECT_EQ(m.warnings[0], "XML: supplied the missing </flow> before line 5, column 1");
}

TEST(SdXmile, AnEndTagThatClosesNoOpenElementIsStillAnError) {
    const char *doc = "<xmile><model><variables></flow></variables></model></xmile>";
    try {
        read_xmile(doc);
        FAIL() << "expected a ModelError";
    } catch (const ModelError &e) {
        EXPECT_EQ(e.line(), 1);
        EXPECT_NE(std::string(e.what()).find("mismatched tag"), std::string::npos);
    }
}
