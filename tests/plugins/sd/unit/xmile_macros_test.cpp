// XMILE macros, expanded where they are called. The reference numbers of the macro_* tests come
// from the conformance suite's output.tab (Vensim runs of the .mdl versions; the suite's .xmile
// files lack the <macro> definitions, which these documents write out).
#include "helpers.hpp"
#include "ir/error.hpp"
#include "xmile/reader.hpp"
#include "xmile/writer.hpp"

#include <string>
#include <vector>

using namespace holon_sd;
using namespace holon_sd::test;

namespace {

std::string xmile(const std::string &macros, const std::string &variables, double stop = 1, const std::string &models = {}) {
    return R"(<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
  <header><name>macros</name><options><uses_macros recursive_macros="false" option_filters="false"/></options></header>
  <sim_specs method="Euler"><start>0</start><stop>)" +
           std::to_string(stop) + R"(</stop><dt>1</dt></sim_specs>
)" + macros + "\n  <model><variables>\n" + variables + "\n  </variables></model>" + models + "\n</xmile>";
}

const char *macro_output = R"(<aux name="macro output"><eqn>EXPRESSION_MACRO(macro_input, macro_parameter)</eqn></aux>)";

const char *conformance_inputs = R"(
    <aux name="macro parameter"><eqn>1.1</eqn></aux>
    <aux name="macro input"><eqn>5</eqn></aux>)";

// ACC(rate, start): a stock starting at `start` that rises by `rate` at each step.
const char *acc_macro = R"(
  <macro name="ACC">
    <parm>rate</parm>
    <parm>start</parm>
    <eqn>total</eqn>
    <variables>
      <stock name="total"><eqn>start</eqn><inflow>rising</inflow></stock>
      <flow name="rising"><eqn>rate</eqn></flow>
    </variables>
  </macro>)";

std::string error_of(const std::string &document) {
    try {
        Model m = read_xmile(document);
        compile(m);
    } catch (const ModelError &e) {
        return e.what();
    }
    return "no error";
}

bool has_variable(const Model &m, const std::string &name) {
    for (const Variable &v : m.variables)
        if (v.name == name) return true;
    return false;
}

} // namespace

TEST(SdXmileMacros, ExpressionMacroMatchesTheConformanceOutput) {
    // macro_expression: EXPRESSION MACRO = input * parameter; output.tab: 5.5.
    Model m = read_xmile(xmile(R"(
  <macro name="EXPRESSION MACRO"><parm>input</parm><parm>parameter</parm><eqn>input * parameter</eqn></macro>)",
                               std::string(conformance_inputs) +
                                   macro_output));
    EXPECT_EQ(m.variables.size(), 3u); // an expression macro adds no variables
    EXPECT_EQ(m.variables[2].equation, "((macro_input) * (macro_parameter))");
    EXPECT_EQ(series(m, "macro output"), (std::vector<double>{5.5, 5.5}));
}

TEST(SdXmileMacros, MacroWithIntermediateVariableMatchesTheConformanceOutput) {
    // macro_multi_expression, in the form xmutil writes (<eqn> names the output variable);
    // output.tab: 16.5.
    Model m = read_xmile(xmile(R"(
  <macro name="EXPRESSION MACRO">
    <eqn>EXPRESSION MACRO</eqn>
    <parm>input</parm>
    <parm>parameter</parm>
    <variables>
      <aux name="EXPRESSION MACRO"><eqn>input*intermediate</eqn></aux>
      <aux name="intermediate"><eqn>parameter * 3</eqn><units>myunit</units></aux>
    </variables>
  </macro>)",
                               std::string(conformance_inputs) +
                                   macro_output));
    EXPECT_DOUBLE_EQ(series(m, "macro output")[0], 16.5);
    EXPECT_DOUBLE_EQ(series(m, "macro output.EXPRESSION MACRO#1.intermediate")[0], 3.3);
    EXPECT_TRUE(has_variable(m, "macro output.EXPRESSION MACRO#1.input"));
}

TEST(SdXmileMacros, TwoMacrosMatchTheConformanceOutput) {
    // macro_multi_macros; output.tab: 5.5 and 4.54545.
    Model m = read_xmile(xmile(R"(
  <macro name="EXPRESSION MACRO"><parm>input</parm><parm>parameter</parm><eqn>input * parameter</eqn></macro>
  <macro name="SECOND MACRO"><parm>input</parm><parm>parameter</parm><eqn>input / parameter</eqn></macro>)",
                               std::string(conformance_inputs) + R"(
    <aux name="macro output"><eqn>EXPRESSION_MACRO(macro_input, macro_parameter)</eqn></aux>
    <aux name="second macro output"><eqn>SECOND MACRO(macro input, macro parameter)</eqn></aux>)"));
    EXPECT_DOUBLE_EQ(series(m, "macro output")[0], 5.5);
    EXPECT_NEAR(series(m, "second macro output")[0], 4.54545, 1e-5);
}

TEST(SdXmileMacros, StockMacroMatchesTheConformanceOutput) {
    // macro_stock: EXPRESSION MACRO = INTEG(input, parameter); output.tab, months 0..10.
    Model m = read_xmile(xmile(R"(
  <macro name="EXPRESSION MACRO">
    <eqn>EXPRESSION MACRO</eqn>
    <parm>input</parm>
    <parm>parameter</parm>
    <variables>
      <stock name="EXPRESSION MACRO"><eqn>parameter</eqn><inflow>change</inflow></stock>
      <flow name="change"><eqn>input</eqn></flow>
    </variables>
  </macro>)",
                               std::string(conformance_inputs) +
                                   macro_output,
                               10));
    std::vector<double> expected{1.1, 6.1, 11.1, 16.1, 21.1, 26.1, 31.1, 36.1, 41.1, 46.1, 51.1};
    std::vector<double> got = series(m, "macro output");
    ASSERT_EQ(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-9) << i;
}

TEST(SdXmileMacros, EachCallHasItsOwnStock) {
    Model m = read_xmile(xmile(acc_macro, R"(
    <aux name="a"><eqn>ACC(1, 0)</eqn></aux>
    <aux name="b"><eqn>ACC(2, 10)</eqn></aux>
    <aux name="c"><eqn>ACC(1, 0) + acc(3, a)</eqn></aux>)",
                               4));
    EXPECT_EQ(series(m, "a"), (std::vector<double>{0, 1, 2, 3, 4}));
    EXPECT_EQ(series(m, "b"), (std::vector<double>{10, 12, 14, 16, 18}));
    // c: a stock rising by 1 from 0 plus one rising by 3 from a's initial 0.
    EXPECT_EQ(series(m, "c"), (std::vector<double>{0, 4, 8, 12, 16}));
    EXPECT_EQ(series(m, "c.ACC#1.total"), (std::vector<double>{0, 1, 2, 3, 4}));
    EXPECT_EQ(series(m, "c.acc#2.total"), (std::vector<double>{0, 3, 6, 9, 12}));
    EXPECT_EQ(series(m, "c.ACC#2.start"), (std::vector<double>{0, 1, 2, 3, 4}));

    // A name already taken moves the instance to the next number.
    Model taken = read_xmile(xmile(acc_macro, R"(
    <aux name="d.ACC#1.total"><eqn>7</eqn></aux>
    <aux name="d"><eqn>ACC(1, 0)</eqn></aux>)", 4));
    EXPECT_EQ(series(taken, "d.ACC#1.total"), (std::vector<double>{7, 7, 7, 7, 7}));
    EXPECT_EQ(series(taken, "d.ACC#2.total"), (std::vector<double>{0, 1, 2, 3, 4}));
}

TEST(SdXmileMacros, DefaultParametersAndNestedCalls) {
    // SCALE(x [, factor = x * 2]); TWICE calls SCALE inside its own equation.
    Model m = read_xmile(xmile(R"(
  <macro name="SCALE"><parm>x</parm><parm default="x * 2">factor</parm><eqn>x * factor</eqn></macro>
  <macro name="TWICE"><parm>y</parm><eqn>SCALE(y, 2)</eqn></macro>)",
                               R"(
    <aux name="defaulted"><eqn>SCALE(3)</eqn></aux>
    <aux name="given"><eqn>SCALE(3, 1)</eqn></aux>
    <aux name="nested"><eqn>TWICE(SCALE(2, 5)) + TIME</eqn></aux>)"));
    EXPECT_DOUBLE_EQ(series(m, "defaulted")[0], 18);
    EXPECT_DOUBLE_EQ(series(m, "given")[0], 3);
    EXPECT_EQ(series(m, "nested"), (std::vector<double>{20, 21}));
}

TEST(SdXmileMacros, MacroInsideAModuleAndRoundTrip) {
    Model first = read_xmile(xmile(acc_macro, R"(
    <aux name="r"><eqn>2</eqn></aux>
    <module name="M" model="sub"><connect to="M.rate" from="r"/></module>
    <aux name="both"><eqn>M.out + ACC(1, 0)</eqn></aux>)",
                                   4, R"(
  <model name="sub"><variables>
    <aux name="rate"><eqn>0</eqn></aux>
    <aux name="out"><eqn>ACC(rate, 100)</eqn></aux>
  </variables></model>)"));
    EXPECT_EQ(series(first, "M.out"), (std::vector<double>{100, 102, 104, 106, 108}));
    EXPECT_EQ(series(first, "M.out.ACC#1.total"), (std::vector<double>{100, 102, 104, 106, 108}));
    EXPECT_EQ(series(first, "both"), (std::vector<double>{100, 103, 106, 109, 112}));
    Model second = read_xmile(write_xmile(first));
    ASSERT_EQ(second.variables.size(), first.variables.size());
    for (const Variable &v : first.variables) EXPECT_EQ(series(second, v.name), series(first, v.name)) << v.name;
}

TEST(SdXmileMacros, RefusesExpansionThatExplodes) {
    // M1 calls M2 twice, M2 calls M3 twice, ...: 2^30 calls if nothing stopped it.
    std::string macros;
    for (int k = 1; k < 30; ++k)
        macros += "<macro name=\"M" + std::to_string(k) + "\"><parm>x</parm><eqn>M" + std::to_string(k + 1) + "(x) + M" +
                  std::to_string(k + 1) + "(x)</eqn></macro>\n";
    macros += "<macro name=\"M30\"><parm>x</parm><eqn>x</eqn></macro>";
    EXPECT_EQ(error_of(xmile(macros, R"(<aux name="a"><eqn>M1(1)</eqn></aux>)")), "variable 'a': more than 10000 macro calls");
    std::string deep = "1";
    for (int i = 0; i < 150; ++i) deep = "ID(" + deep + ")";
    const std::string identity = R"(<macro name="ID"><parm>x</parm><eqn>x</eqn></macro>)";
    EXPECT_EQ(error_of(xmile(identity, "<aux name=\"b\"><eqn>" + deep + "</eqn></aux>")),
              "variable 'b': macro calls nested more than 100 deep");
}

TEST(SdXmileMacros, MacroReplacesABuiltinAndSaysSo) {
    Model m = read_xmile(xmile(R"(<macro name="ABS"><parm>x</parm><eqn>x * 100</eqn></macro>)",
                               R"(<aux name="a"><eqn>ABS(-2)</eqn></aux>)"));
    EXPECT_DOUBLE_EQ(series(m, "a")[0], -200);
    ASSERT_EQ(m.warnings.size(), 1u);
    EXPECT_EQ(m.warnings[0], "macro 'ABS' replaces the builtin function of the same name");
}

TEST(SdXmileMacros, RefusesBadMacrosAndCallsWithOneLine) {
    EXPECT_EQ(error_of(xmile(R"(
  <macro name="FACT"><parm>x</parm><eqn>IF x &lt;= 1 THEN 1 ELSE x * FACT(x - 1)</eqn></macro>)",
                             R"(<aux name="a"><eqn>FACT(3)</eqn></aux>)")),
              "macro 'FACT' calls itself (FACT -> FACT); recursive macros are not supported (line 5, column 3)");
    EXPECT_EQ(error_of(xmile(R"(
  <macro name="PING"><parm>x</parm><eqn>PONG(x)</eqn></macro>
  <macro name="PONG"><parm>x</parm><eqn>PING(x)</eqn></macro>)",
                             R"(<aux name="a"><eqn>1</eqn></aux>)")),
              "macro 'PING' calls itself (PING -> PONG -> PING); recursive macros are not supported (line 5, column 3)");
    EXPECT_EQ(error_of(xmile(acc_macro, R"(<aux name="a"><eqn>ACC(1)</eqn></aux>)")),
              "variable 'a': macro 'ACC' takes 2 arguments, not 1");
    EXPECT_EQ(error_of(xmile(R"(<macro name="SCALE"><parm>x</parm><parm default="2">f</parm><eqn>x * f</eqn></macro>)",
                             R"(<aux name="b"><eqn>SCALE(1, 2, 3)</eqn></aux>)")),
              "variable 'b': macro 'SCALE' takes 1 to 2 arguments, not 3");
    EXPECT_EQ(error_of(xmile(R"(<macro name="LEAKY"><parm>x</parm><eqn>x * elsewhere</eqn></macro>)",
                             R"(<aux name="elsewhere"><eqn>1</eqn></aux><aux name="c"><eqn>LEAKY(1)</eqn></aux>)")),
              "macro 'LEAKY' (called by 'c'): 'elsewhere' is neither a parameter nor a variable of the macro");
    EXPECT_EQ(error_of(xmile(R"(<macro name="RUNS"><parm>x</parm><eqn>v</eqn>
<sim_specs><stop>x</stop></sim_specs><variables><aux name="v"><eqn>x</eqn></aux></variables></macro>)",
                             R"(<aux name="d"><eqn>RUNS(1)</eqn></aux>)")),
              "macro 'RUNS' has its own <sim_specs> (macros that run their own simulation are not supported) (line 5, column 1)");
    EXPECT_EQ(error_of(xmile(R"(<dimensions><dim name="D" size="2"/></dimensions>)" + std::string(acc_macro),
                             R"(<aux name="e"><dimensions><dim name="D"/></dimensions><eqn>ACC(1, 0)</eqn></aux>)")),
              "variable 'e' is arrayed and calls macro 'ACC', which has variables (a copy per element is not supported)");
    // A call of something that is neither a macro nor a builtin is the compiler's unknown function.
    std::string unknown = error_of(xmile(acc_macro, R"(<aux name="f"><eqn>NOPE(1)</eqn></aux>)"));
    EXPECT_NE(unknown.find("nope"), std::string::npos) << unknown;
}

TEST(SdXmileMacros, ArgumentsAreValuesEvenWhenUsedTwice) {
    // SUB(x) = x - x on a random draw is 0: the draw is made once, in its own variable.
    const std::string sub = R"(<macro name="SUB"><parm>x</parm><eqn>x - x</eqn></macro>)";
    Model random = read_xmile(xmile(sub, R"(<aux name="r"><eqn>SUB(RANDOM(0, 1))</eqn></aux>)", 3));
    EXPECT_EQ(series(random, "r"), (std::vector<double>{0, 0, 0, 0}));
    EXPECT_TRUE(has_variable(random, "r.SUB#1.x"));

    // TWICE(ACC(1, 0)) builds one stock, read twice: 2 * (0, 1, 2, 3, 4).
    const std::string twice = R"(<macro name="TWICE"><parm>x</parm><eqn>x + x</eqn></macro>)";
    Model stock = read_xmile(xmile(twice + acc_macro, R"(
    <aux name="a"><eqn>5</eqn></aux>
    <aux name="c"><eqn>TWICE(ACC(1, 0))</eqn></aux>
    <aux name="d"><eqn>TWICE(a)</eqn></aux>)",
                                   4));
    EXPECT_EQ(series(stock, "c"), (std::vector<double>{0, 2, 4, 6, 8}));
    EXPECT_EQ(series(stock, "c.TWICE#1.x.ACC#1.total"), (std::vector<double>{0, 1, 2, 3, 4}));
    EXPECT_FALSE(has_variable(stock, "c.ACC#1.total"));
    EXPECT_FALSE(has_variable(stock, "c.TWICE#1.x.ACC#2.total"));
    // A bare name is pasted as it is: no variable for it.
    EXPECT_EQ(series(stock, "d"), (std::vector<double>{10, 10, 10, 10, 10}));
    EXPECT_FALSE(has_variable(stock, "d.TWICE#1.x"));

    // An apply-to-all caller gives the argument its dimensions.
    Model arrayed = read_xmile(xmile(R"(<dimensions><dim name="D" size="2"/></dimensions>)" + twice, R"(
    <aux name="b"><dimensions><dim name="D"/></dimensions><eqn>D * 3</eqn></aux>
    <aux name="e"><dimensions><dim name="D"/></dimensions><eqn>TWICE(b + 1)</eqn></aux>)"));
    EXPECT_EQ(series(arrayed, "e[1]"), (std::vector<double>{8, 8}));
    EXPECT_EQ(series(arrayed, "e[2]"), (std::vector<double>{14, 14}));
    // An element's own equation cannot: it is refused rather than pasted twice.
    EXPECT_EQ(error_of(xmile(R"(<dimensions><dim name="D" size="2"/></dimensions>)" + twice, R"(
    <aux name="f"><dimensions><dim name="D"/></dimensions>
      <element subscript="1"><eqn>TWICE(RANDOM(0, 1))</eqn></element><element subscript="2"><eqn>1</eqn></element></aux>)")),
              "variable 'f': an element equation passes an expression to macro 'TWICE' for parameter 'x', which the macro "
              "uses more than once; pass a variable instead");
}

TEST(SdXmileMacros, RefusesACallWhoseTextWouldBeTooLongBeforeBuildingIt) {
    // A plain argument is pasted at every use: 2000 uses of a 1000-character name would make a
    // 2 MB equation, refused from the sizes alone.
    std::string body = "x";
    for (int i = 1; i < 2000; ++i) body += "+x";
    const std::string name(1000, 'n');
    const std::string document =
        xmile("<macro name=\"WIDE\"><parm>x</parm><eqn>" + body + "</eqn></macro>",
              "<aux name=\"" + name + "\"><eqn>1</eqn></aux><aux name=\"a\"><eqn>WIDE(\"" + name + "\")</eqn></aux>");
    EXPECT_EQ(error_of(document),
              "variable 'a': its call of macro 'WIDE' would build an equation of more than 1000000 characters");
}

TEST(SdXmileMacros, RefusesCallsThatWouldAddTooManyVariables) {
    // ONE adds 2 variables per call; Mk calls M(k-1) ten times: M6 would add 2 million.
    std::string macros = R"(<macro name="M0"><parm>x</parm><eqn>v</eqn>
<variables><aux name="v"><eqn>x</eqn></aux></variables></macro>)";
    for (int k = 1; k <= 6; ++k) {
        std::string body = "0";
        for (int i = 0; i < 10; ++i) body += " + M" + std::to_string(k - 1) + "(x)";
        macros += "<macro name=\"M" + std::to_string(k) + "\"><parm>x</parm><eqn>" + body + "</eqn></macro>";
    }
    EXPECT_EQ(error_of(xmile(macros, R"(<aux name="a"><eqn>M6(1)</eqn></aux>)")),
              "macro calls would give the model more than 1000000 variables (Holon's bound for modules and macros together)");
    // M3 adds 2000: fine.
    Model m = read_xmile(xmile(macros, R"(<aux name="a"><eqn>M3(1)</eqn></aux>)"));
    EXPECT_EQ(m.variables.size(), 2001u);
    EXPECT_DOUBLE_EQ(series(m, "a")[0], 1000);
}

TEST(SdXmileMacros, CallLimitHoldsPerVariable) {
    // 12 variables of 1000 calls each: 12000 calls in the model, 1000 per variable.
    std::string calls = "ID(1)";
    for (int i = 1; i < 1000; ++i) calls += " + ID(1)";
    std::string variables;
    for (int v = 0; v < 12; ++v) variables += "<aux name=\"a" + std::to_string(v) + "\"><eqn>" + calls + "</eqn></aux>";
    Model m = read_xmile(xmile(R"(<macro name="ID"><parm>x</parm><eqn>x</eqn></macro>)", variables));
    EXPECT_DOUBLE_EQ(series(m, "a11")[0], 1000);
}

TEST(SdXmileMacros, NestingThroughArgumentVariablesIsBoundedToo) {
    // Each argument below gets its own variable, expanded later: the nesting still counts.
    std::string stocks = "1", squares = "RANDOM(0, 1)";
    for (int i = 0; i < 150; ++i) {
        stocks = "ACC(" + stocks + ", 0)";
        squares = "SQ(" + squares + ")";
    }
    const std::string sq = R"(<macro name="SQ"><parm>x</parm><eqn>x * x</eqn></macro>)";
    for (const std::string &document : {xmile(acc_macro, "<aux name=\"a\"><eqn>" + stocks + "</eqn></aux>"),
                                        xmile(sq, "<aux name=\"b\"><eqn>" + squares + "</eqn></aux>")}) {
        const std::string e = error_of(document);
        EXPECT_NE(e.find("': macro calls nested more than 100 deep"), std::string::npos) << e.substr(0, 300);
    }
    // 3 deep is fine: ACC(ACC(1, 0), 0) rises by 0, 1, 2, ... from 0.
    Model m = read_xmile(xmile(acc_macro, R"(<aux name="c"><eqn>ACC(ACC(1, 0), 0)</eqn></aux>)", 3));
    EXPECT_EQ(series(m, "c"), (std::vector<double>{0, 0, 1, 3}));
}

TEST(SdXmileMacros, ModuleVariablesCountAgainstTheSameBound) {
    // M0 adds 2 variables per call and Mk calls M(k-1) ten times, so `a` (49 calls) would add
    // 999,998: with `a` itself that is 999,999, under the bound, but the module's 3 variables
    // take the model past 1,000,000, and the expansion is refused before it copies anything.
    std::string macros = R"(<macro name="M0"><parm>x</parm><eqn>v</eqn>
<variables><aux name="v"><eqn>x</eqn></aux></variables></macro>)";
    for (int k = 1; k <= 5; ++k) {
        std::string body = "0";
        for (int i = 0; i < 10; ++i) body += " + M" + std::to_string(k - 1) + "(x)";
        macros += "<macro name=\"M" + std::to_string(k) + "\"><parm>x</parm><eqn>" + body + "</eqn></macro>";
    }
    std::string calls = "M5(1) + M5(1) + M5(1) + M5(1)";
    for (int k = 4; k >= 0; --k)
        for (int i = 0; i < 9; ++i) calls += " + M" + std::to_string(k) + "(1)";
    const std::string tank = R"(
  <model name="tank"><variables>
    <aux name="inflow rate"><eqn>1</eqn></aux>
    <flow name="filling"><eqn>inflow_rate</eqn></flow>
    <stock name="level"><eqn>5</eqn><inflow>filling</inflow></stock>
  </variables></model>)";
    const std::string variables = "<aux name=\"a\"><eqn>" + calls + "</eqn></aux><module name=\"T\" model=\"tank\"/>";
    EXPECT_EQ(error_of(xmile(macros, variables, 1, tank)),
              "macro calls would give the model more than 1000000 variables (Holon's bound for modules and macros together)");
}
