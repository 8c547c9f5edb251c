// XMILE modules: several <model>s, <module> instances with <connect>ions, flattened into one
// model whose instance variables are named "Module.variable". Numbers are hand-worked (Euler,
// dt 1, so a stock rises by its inflow at each step).
#include "helpers.hpp"
#include "ir/error.hpp"
#include "model_json/model_json.hpp"
#include "xmile/reader.hpp"
#include "xmile/writer.hpp"

#include <string>
#include <vector>

using namespace holon_sd;
using namespace holon_sd::test;

namespace {

std::string xmile(const std::string &body) {
    return R"(<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
  <header><name>modules</name></header>
  <sim_specs><start>0</start><stop>4</stop><dt>1</dt></sim_specs>
)" + body + "\n</xmile>";
}

// A tank whose level starts at 5 and rises by its input (1 when nothing is connected).
const char *tank_model = R"(
  <model name="tank"><variables>
    <aux name="inflow rate" access="input"><eqn>1</eqn></aux>
    <flow name="filling"><eqn>inflow_rate</eqn></flow>
    <stock name="level"><eqn>5</eqn><inflow>filling</inflow></stock>
  </variables></model>)";

std::string error_of(const std::string &document) {
    try {
        read_xmile(document);
    } catch (const ModelError &e) {
        return e.what();
    }
    return "no error";
}

std::vector<std::string> names(const Model &m) {
    std::vector<std::string> out;
    for (const Variable &v : m.variables) out.push_back(v.name);
    return out;
}

} // namespace

TEST(SdXmileModules, ConnectedInputFeedsTheModulesStock) {
    Model m = read_xmile(xmile(R"(
  <model><variables>
    <aux name="rate in"><eqn>2</eqn></aux>
    <module name="Tank" model="tank"><connect to="Tank.inflow_rate" from="rate_in"/></module>
    <aux name="level seen"><eqn>Tank.level * 10</eqn></aux>
  </variables></model>)" + std::string(tank_model)));
    EXPECT_EQ(names(m), (std::vector<std::string>{"rate in", "Tank.inflow rate", "Tank.filling", "Tank.level", "level seen"}));
    EXPECT_EQ(m.variables[1].equation, "\"rate in\"");
    EXPECT_EQ(m.variables[3].inflows, std::vector<std::string>{"Tank.filling"});
    EXPECT_EQ(series(m, "Tank.level"), (std::vector<double>{5, 7, 9, 11, 13}));
    EXPECT_EQ(series(m, "level seen"), (std::vector<double>{50, 70, 90, 110, 130}));
    EXPECT_TRUE(m.warnings.empty());
}

TEST(SdXmileModules, InstancesOfOneModelKeepTheirOwnStocks) {
    // A gets 2, B gets 3 (through Stella's <connect2>, which wins over <connect>), C keeps its
    // own input equation (1). The total reads the outputs in the three spellings XMILE allows.
    Model m = read_xmile(xmile(R"(
  <model><variables>
    <aux name="two"><eqn>2</eqn></aux>
    <aux name="three"><eqn>3</eqn></aux>
    <module name="A" model="tank"><connect to="inflow rate" from="two"/></module>
    <module name="B" model="tank">
      <connect to="B.inflow_rate" from="nothing at all"/>
      <connect2 to="B.inflow_rate" from="three"/>
    </module>
    <module name="C" model="tank"/>
    <aux name="total"><eqn>A.level + "B".level + "C"."level"</eqn></aux>
  </variables></model>)" + std::string(tank_model)));
    EXPECT_EQ(series(m, "A.level"), (std::vector<double>{5, 7, 9, 11, 13}));
    EXPECT_EQ(series(m, "B.level"), (std::vector<double>{5, 8, 11, 14, 17}));
    EXPECT_EQ(series(m, "C.level"), (std::vector<double>{5, 6, 7, 8, 9}));
    EXPECT_EQ(series(m, "total"), (std::vector<double>{15, 21, 27, 33, 39}));
}

TEST(SdXmileModules, StellaListsSiblingConnectionsUnderOneModule) {
    // As Stella writes them: under "hares", the binding of lynxes' input to hares' output, each
    // connection once as <connect> (with a leading '.') and again as <connect2>.
    Model m = read_xmile(xmile(R"(
  <model><variables>
    <aux name="area"><eqn>10</eqn></aux>
    <module name="hares">
      <connect to="hares.area" from=".area"/>
      <connect2 to="hares.area" from="area"/>
      <connect to="lynxes.hare_density" from="hares.hare_density"/>
      <connect2 to="lynxes.hare_density" from="hares.hare_density"/>
    </module>
    <module name="lynxes">
      <connect to="hares.lynxes" from="lynxes.lynxes"/>
      <connect2 to="hares.lynxes" from="lynxes.lynxes"/>
    </module>
  </variables></model>
  <model name="hares"><variables>
    <aux name="area" access="input"><eqn>1</eqn></aux>
    <stock name="hares"><eqn>100</eqn></stock>
    <aux name="hare density" access="output"><eqn>hares / area</eqn></aux>
    <stock name="lynxes" access="input"><eqn>{Enter equation for use when not hooked up}</eqn><non_negative/></stock>
    <aux name="lynxes seen"><eqn>lynxes * 2</eqn></aux>
  </variables></model>
  <model name="lynxes"><variables>
    <aux name="hare density" access="input"><eqn>0</eqn></aux>
    <flow name="eating"><eqn>hare_density</eqn></flow>
    <stock name="lynxes"><eqn>0</eqn><inflow>eating</inflow></stock>
  </variables></model>)"));
    EXPECT_EQ(series(m, "hares.hare density"), (std::vector<double>{10, 10, 10, 10, 10}));
    EXPECT_EQ(series(m, "lynxes.lynxes"), (std::vector<double>{0, 10, 20, 30, 40}));
    // hares' input stock "lynxes" (as Stella shows another module's stock) reads lynxes.lynxes.
    EXPECT_EQ(series(m, "hares.lynxes seen"), (std::vector<double>{0, 20, 40, 60, 80}));
    EXPECT_EQ(error_of(xmile(R"(<model><variables><aux name="a"><eqn>1</eqn></aux><aux name="b"><eqn>2</eqn></aux>
<module name="T" model="tank"><connect to="inflow rate" from="a"/><connect to="T.inflow rate" from="b"/></module>
</variables></model>)" + std::string(tank_model))),
              "module 'T': input 'T.inflow rate' is connected to two different variables (line 5, column 1)");
}

TEST(SdXmileModules, NestedModulesAndTheModelAttributeDefault) {
    // Outer doubles what Inner makes of x; Inner (model named like the module) accumulates y.
    Model m = read_xmile(xmile(R"(
  <model><variables>
    <aux name="x0"><eqn>4</eqn></aux>
    <module name="Outer" model="outer"><connect to="Outer.x" from="x0"/></module>
    <aux name="result"><eqn>Outer.doubled</eqn></aux>
    <aux name="deep"><eqn>Outer.Inner.acc</eqn></aux>
  </variables></model>
  <model name="outer"><variables>
    <aux name="x" access="input"><eqn>0</eqn></aux>
    <module name="Inner"><connect to="Inner.y" from="x"/></module>
    <aux name="doubled"><eqn>Inner.out * 2</eqn></aux>
  </variables></model>
  <model name="Inner"><variables>
    <aux name="y" access="input"><eqn>0</eqn></aux>
    <flow name="add"><eqn>y</eqn></flow>
    <stock name="acc"><eqn>0</eqn><inflow>add</inflow></stock>
    <aux name="out" access="output"><eqn>acc + y</eqn></aux>
  </variables></model>)"));
    EXPECT_EQ(m.variables[2].name, "Outer.Inner.y");
    EXPECT_EQ(m.variables[2].equation, "\"Outer.x\"");
    EXPECT_EQ(series(m, "Outer.Inner.acc"), (std::vector<double>{0, 4, 8, 12, 16}));
    EXPECT_EQ(series(m, "result"), (std::vector<double>{8, 16, 24, 32, 40}));
    EXPECT_EQ(series(m, "deep"), (std::vector<double>{0, 4, 8, 12, 16}));
}

TEST(SdXmileModules, ExportedFlatModelReadsBackToTheSameRun) {
    Model first = read_xmile(xmile(R"(
  <model><variables>
    <aux name="rate in"><eqn>2</eqn></aux>
    <module name="Tank 1" model="tank"><connect to="inflow rate" from="rate in"/></module>
    <module name="Tank 2" model="tank"/>
    <aux name="sum"><eqn>"Tank 1".level + Tank_2.level</eqn></aux>
  </variables></model>)" + std::string(tank_model)));
    Model second = read_xmile(write_xmile(first));
    EXPECT_EQ(names(second), names(first));
    for (const char *name : {"Tank 1.level", "Tank 2.level", "sum"}) EXPECT_EQ(series(second, name), series(first, name)) << name;
    EXPECT_EQ(series(second, "sum"), (std::vector<double>{10, 13, 16, 19, 22}));
}

TEST(SdXmileModules, InstanceNamesSurviveTheSharedModel) {
    // sd.import-xmile hands the shared model (holon-model/1) to sd.simulate: the same path.
    Model first = read_xmile(xmile(R"(
  <model><variables>
    <aux name="rate in"><eqn>2</eqn></aux>
    <module name="Tank" model="tank"><connect to="inflow rate" from="rate in"/></module>
  </variables></model>)" + std::string(tank_model)));
    Model second = from_model_json(to_model_json(first));
    EXPECT_EQ(names(second), names(first));
    EXPECT_EQ(series(second, "Tank.level"), (std::vector<double>{5, 7, 9, 11, 13}));
}

TEST(SdXmileModules, InputWithoutEquationTakesItsConnection) {
    const std::string doubler = R"(
  <model name="doubler"><variables>
    <aux name="x" access="input"/>
    <aux name="y"><eqn>x * 2</eqn></aux>
  </variables></model>)";
    Model m = read_xmile(xmile(R"(<model><variables><aux name="three"><eqn>3</eqn></aux>
<module name="D" model="doubler"><connect to="D.x" from="three"/></module></variables></model>)" + doubler));
    EXPECT_EQ(series(m, "D.y"), (std::vector<double>{6, 6, 6, 6, 6}));
    EXPECT_EQ(error_of(xmile(R"(<model><variables><module name="E" model="doubler"/></variables></model>)" + doubler)),
              "module input 'E.x' has no equation and nothing connected to it");
}

TEST(SdXmileModules, SubModelSimSpecsGiveAWarning) {
    Model m = read_xmile(xmile(R"(
  <model><variables><module name="T" model="tank"/><module name="U" model="tank"/></variables></model>
  <model name="tank">
    <sim_specs><start>0</start><stop>100</stop><dt>0.5</dt></sim_specs>
    <variables><stock name="level"><eqn>5</eqn></stock></variables>
  </model>)"));
    ASSERT_EQ(m.warnings.size(), 1u);
    EXPECT_NE(m.warnings[0].find("model 'tank' has its own sim_specs; module 'T' runs with the root model's"), std::string::npos)
        << m.warnings[0];
    EXPECT_DOUBLE_EQ(m.sim_specs.dt, 1);
}

TEST(SdXmileModules, RefusesBrokenModulesWithOneLineNamingThem) {
    EXPECT_EQ(error_of(xmile(R"(<model><variables>
<module name="M" model="nowhere"/></variables></model>)")),
              "module 'M': there is no model named 'nowhere' (line 5, column 1)");
    EXPECT_EQ(error_of(xmile(R"(<model><variables><aux name="a"><eqn>1</eqn></aux>
<module name="T" model="tank"><connect to="T.nope" from="a"/></module></variables></model>)" + std::string(tank_model))),
              "module 'T': connection to 'T.nope', which model 'tank' does not define (line 5, column 1)");
    EXPECT_EQ(error_of(xmile(R"(<model><variables>
<module name="T" model="tank"><connect to="inflow rate" from="ghost"/></module></variables></model>)" + std::string(tank_model))),
              "module 'T': connection from 'ghost', which the root model does not define (line 5, column 1)");
    EXPECT_EQ(error_of(xmile(R"(<model><variables><module name="L" model="loop"/></variables></model>
<model name="loop"><variables>
<module name="Again" model="loop"/></variables></model>)")),
              "module 'L.Again' contains itself: 'loop' -> 'loop' (line 6, column 1)");
    EXPECT_EQ(error_of(xmile(R"(<model><variables><module name="P" model="ping"/></variables></model>
<model name="ping"><variables><module name="Q" model="pong"/></variables></model>
<model name="pong"><variables><module name="R" model="ping"/></variables></model>)")),
              "module 'P.Q.R' contains itself: 'ping' -> 'pong' -> 'ping' (line 6, column 31)");
    EXPECT_EQ(error_of(xmile(R"(<model><variables><module name="T" model="leaky"/></variables></model>
<model name="leaky"><variables><aux name="a"><eqn>outside * 2</eqn></aux></variables></model>)")),
              "module 'T': variable 'a' refers to 'outside', which model 'leaky' does not define");
    EXPECT_EQ(error_of(xmile(R"(<model><variables><module name="T" model="arr"/></variables></model>
<model name="arr"><variables><aux name="a"><dimensions><dim name="D"/></dimensions><eqn>1</eqn></aux>
</variables></model>)")),
              "module 'T': arrayed variable 'a' of model 'arr' (arrays inside modules are not supported)");
    EXPECT_EQ(error_of(xmile(R"(<model><variables><aux name="T.level"><eqn>1</eqn></aux>
<module name="T" model="tank"/></variables></model>)" + std::string(tank_model))),
              "module 'T': its variable 'T.level' has the same name as variable 'T.level' of the root model (line 5, column 1)");
}

TEST(SdXmileModules, RefusesTooManyInstances) {
    // 40 modules of 40 leaves each: 1640 instances, over the bound of 1000.
    std::string forty_leaves, forty_middles;
    for (int i = 0; i < 40; ++i) {
        forty_leaves += "<module name=\"L" + std::to_string(i) + "\" model=\"leaf\"/>";
        forty_middles += "<module name=\"M" + std::to_string(i) + "\" model=\"middle\"/>";
    }
    const std::string leaf = R"(<model name="leaf"><variables><aux name="a"><eqn>1</eqn></aux></variables></model>)";
    std::string e = error_of(xmile("<model><variables>" + forty_middles + "</variables></model>\n" +
                                   "<model name=\"middle\"><variables>" + forty_leaves + "</variables></model>\n" + leaf));
    EXPECT_NE(e.find("more than 1000 module instances"), std::string::npos) << e;
}

TEST(SdXmileModules, RefusesModulesNestedTooDeep) {
    // The root contains m0, which contains m1, ... m20: 21 levels, over the bound of 16.
    std::string models = "<model><variables><module name=\"X\" model=\"m0\"/></variables></model>";
    for (int i = 0; i < 20; ++i)
        models += "<model name=\"m" + std::to_string(i) + "\"><variables><aux name=\"a\"><eqn>1</eqn></aux>" +
                  "<module name=\"X\" model=\"m" + std::to_string(i + 1) + "\"/></variables></model>";
    models += "<model name=\"m20\"><variables><aux name=\"a\"><eqn>1</eqn></aux></variables></model>";
    std::string e = error_of(xmile(models));
    EXPECT_NE(e.find("modules nested more than 16 deep"), std::string::npos) << e;
}

TEST(SdXmileModules, RefusesAConnectionIntoANestedModule) {
    // A connects B.inp itself; a root connection to A.B.inp would silently replace it.
    const std::string inner_models = R"(
  <model name="outer"><variables>
    <aux name="x"><eqn>3</eqn></aux>
    <module name="B" model="inner"><connect to="B.inp" from="x"/></module>
  </variables></model>
  <model name="inner"><variables>
    <aux name="inp" access="input"><eqn>1</eqn></aux>
    <aux name="val"><eqn>inp * 2</eqn></aux>
  </variables></model>)";
    EXPECT_EQ(error_of(xmile(R"(<model><variables>
<aux name="other"><eqn>100</eqn></aux>
<module name="A" model="outer"><connect to="A.B.inp" from="other"/></module>
<aux name="out"><eqn>A.B.val</eqn></aux>
</variables></model>)" + inner_models)),
              "module 'A': connection to 'A.B.inp' from 'other' reaches into a module nested inside a module; connect that "
              "input in the model that holds its module (line 6, column 1)");
    // Without it, A's own connection feeds B: 3 * 2.
    Model m = read_xmile(xmile(R"(<model><variables>
<module name="A" model="outer"/>
<aux name="out"><eqn>A.B.val</eqn></aux>
</variables></model>)" + inner_models));
    EXPECT_EQ(series(m, "out"), (std::vector<double>{6, 6, 6, 6, 6}));
}

TEST(SdXmileModules, RefusesModulesThatWouldMakeTooManyVariablesBeforeCopying) {
    // Each level holds 10 modules of the next: 10^6 leaves of 2 variables, refused from the sizes.
    std::string models = "<model><variables>";
    for (int i = 0; i < 10; ++i) models += "<module name=\"X" + std::to_string(i) + "\" model=\"m1\"/>";
    models += "</variables></model>";
    for (int level = 1; level < 6; ++level) {
        models += "<model name=\"m" + std::to_string(level) + "\"><variables>";
        for (int i = 0; i < 10; ++i)
            models += "<module name=\"X" + std::to_string(i) + "\" model=\"m" + std::to_string(level + 1) + "\"/>";
        models += "</variables></model>";
    }
    models += R"(<model name="m6"><variables><aux name="a"><eqn>1</eqn></aux><aux name="b"><eqn>a</eqn></aux></variables></model>)";
    EXPECT_EQ(error_of(xmile(models)),
              "the modules would give the model more than 1000000 variables (Holon's bound for modules and macros together)");
}
