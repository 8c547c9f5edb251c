// Issue 19: XMILE/Stella constructs real files use, each on a small model of our own whose
// expected output is worked out by hand from the XMILE 1.0 specification and Stella's behaviour.
#include "helpers.hpp"
#include "ir/error.hpp"
#include "xmile/reader.hpp"

#include <cmath>

using namespace holon_sd;
using namespace holon_sd::test;

namespace {

std::string xmile(const std::string &dimensions, const std::string &variables) {
    return R"(<?xml version="1.0" encoding="UTF-8"?>
<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
  <header><name>fidelity</name></header>
  <sim_specs><start>0</start><stop>1</stop><dt>1</dt></sim_specs>
  <dimensions>)" + dimensions + R"(</dimensions>
  <model><variables>)" + variables + R"(</variables></model>
</xmile>)";
}

} // namespace

// Stella writes an arrayed variable with different values per element as one equation listing
// them in element order, the last dimension varying fastest: "3, 1, 2" over D = a, b, c, and
// "1, 2, 3, 4, 5, 6" over R = r1, r2 by C = c1, c2, c3. MIN and MAX of one array argument are
// its extremes.
TEST(SdXmileFidelity, CommaSeparatedElementValuesAndMinMaxOfOneArray) {
    Model m = read_xmile(xmile(R"(<dim name="D"><elem name="a"/><elem name="b"/><elem name="c"/></dim>
      <dim name="R"><elem name="r1"/><elem name="r2"/></dim><dim name="C"><elem name="c1"/><elem name="c2"/><elem name="c3"/></dim>)",
                               R"(<aux name="arr"><dimensions><dim name="D"/></dimensions><eqn>3, 1, 2</eqn></aux>
      <aux name="grid"><dimensions><dim name="R"/><dim name="C"/></dimensions><eqn>1, 2, 3, 4, 5, MAX(6, 0)</eqn></aux>
      <aux name="largest"><eqn>MAX(arr)</eqn></aux>
      <aux name="smallest"><eqn>MIN(arr[*])</eqn></aux>)"));
    EXPECT_DOUBLE_EQ(series(m, "arr[a]")[0], 3);
    EXPECT_DOUBLE_EQ(series(m, "arr[b]")[0], 1);
    EXPECT_DOUBLE_EQ(series(m, "arr[c]")[0], 2);
    EXPECT_DOUBLE_EQ(series(m, "grid[r1,c3]")[0], 3);
    EXPECT_DOUBLE_EQ(series(m, "grid[r2,c1]")[0], 4);
    EXPECT_DOUBLE_EQ(series(m, "grid[r2,c3]")[0], 6);
    EXPECT_DOUBLE_EQ(series(m, "largest")[0], 3);
    EXPECT_DOUBLE_EQ(series(m, "smallest")[0], 1);
    try {
        read_xmile(xmile(R"(<dim name="D"><elem name="a"/><elem name="b"/><elem name="c"/></dim>)",
                         R"(<aux name="arr"><dimensions><dim name="D"/></dimensions><eqn>3, 1</eqn></aux>)"));
        FAIL() << "read";
    } catch (const ModelError &e) {
        EXPECT_EQ(std::string(e.what()), "variable 'arr': the equation lists 2 values for 3 array elements");
    }
}

// Stella writes a line break inside a name as the two characters \n, in the name attribute and
// in equations that refer to it unquoted; a real line break (&#10;) names the same variable.
TEST(SdXmileFidelity, NamesWithEscapedLineBreaksInEquations) {
    Model m = read_xmile(xmile("", R"(<aux name="birth\nrate"><eqn>0.25</eqn></aux>
      <aux name="total&#10;population"><eqn>400</eqn></aux>
      <aux name="births"><eqn>birth\nrate * total\npopulation</eqn></aux>
      <aux name="quoted"><eqn>"birth\nrate" * 2</eqn></aux>)"));
    EXPECT_DOUBLE_EQ(series(m, "births")[0], 100);
    EXPECT_DOUBLE_EQ(series(m, "quoted")[0], 0.5);
}

// A non-negative stock (XMILE 1.0 section 3.6, as Stella applies it) keeps at zero by reducing its
// outflows in the order they are listed: tank starts at 5 and gains 1 per step; "to bucket" wants
// 4 and "spill" 3. First step: 6 available, to bucket 4, spill 2; then 1 available each step, all
// to the bucket. The bucket receives the reduced flow: 0, 4, 5, 6.
TEST(SdXmileFidelity, NonNegativeStocksReduceTheirOutflowsInPriorityOrder) {
    const std::string doc = R"(<?xml version="1.0" encoding="UTF-8"?>
<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
  <header><name>tank</name></header>
  <sim_specs><start>0</start><stop>3</stop><dt>1</dt></sim_specs>
  <model><variables>
    <stock name="tank"><eqn>5</eqn><inflow>filling</inflow><outflow>to bucket</outflow><outflow>spill</outflow><non_negative/></stock>
    <stock name="bucket"><eqn>0</eqn><inflow>to bucket</inflow></stock>
    <flow name="filling"><eqn>1</eqn></flow>
    <flow name="to bucket"><eqn>4</eqn><non_negative/></flow>
    <flow name="spill"><eqn>3</eqn><non_negative/></flow>
  </variables></model>
</xmile>)";
    Model m = read_xmile(doc);
    EXPECT_EQ(series(m, "tank"), (std::vector<double>{5, 0, 0, 0}));
    EXPECT_EQ(series(m, "to bucket"), (std::vector<double>{4, 1, 1, 1}));
    EXPECT_EQ(series(m, "spill"), (std::vector<double>{2, 0, 0, 0}));
    EXPECT_EQ(series(m, "bucket"), (std::vector<double>{0, 4, 5, 6}));
}

// XMILE 1.0 section 3.3.1: ^ binds tighter than the unary operators and, unlike the other binary
// operators, associates right to left; numbers may carry leading zeros or start with the point.
TEST(SdXmileFidelity, OperatorPrecedenceAndNumberForms) {
    Model m = read_xmile(xmile("", R"(<aux name="neg square"><eqn>-2^2</eqn></aux>
      <aux name="tower"><eqn>2^3^2</eqn></aux>
      <aux name="neg power"><eqn>-2^-1</eqn></aux>
      <aux name="times negative"><eqn>2*-3</eqn></aux>
      <aux name="left to right"><eqn>8/4/2 - 3 - 1</eqn></aux>
      <aux name="odd numbers"><eqn>007 + .5 + 0.25e1</eqn></aux>)"));
    EXPECT_DOUBLE_EQ(series(m, "neg square")[0], -4);
    EXPECT_DOUBLE_EQ(series(m, "tower")[0], 512);
    EXPECT_DOUBLE_EQ(series(m, "neg power")[0], -0.5);
    EXPECT_DOUBLE_EQ(series(m, "times negative")[0], -6);
    EXPECT_DOUBLE_EQ(series(m, "left to right")[0], -3);
    EXPECT_DOUBLE_EQ(series(m, "odd numbers")[0], 10);
}

// A built-in applied to a whole array (SIN(arr[*]), ABS(arr[*] - 2)) in an equation over the same
// dimension works element by element, as Stella computes it; inside an array function (SUM) the
// '*' still spans the dimension: sin 3 + sin 1 + sin 2.
TEST(SdXmileFidelity, BuiltinsAppliedToWholeArrays) {
    Model m = read_xmile(xmile(R"(<dim name="D"><elem name="a"/><elem name="b"/><elem name="c"/></dim>)",
                               R"(<aux name="arr"><dimensions><dim name="D"/></dimensions><eqn>3, 1, 2</eqn></aux>
      <aux name="sines"><dimensions><dim name="D"/></dimensions><eqn>SIN(arr[*])</eqn></aux>
      <aux name="distance"><dimensions><dim name="D"/></dimensions><eqn>ABS(arr[*] - 2)</eqn></aux>
      <aux name="sum of sines"><eqn>SUM(SIN(arr[*]))</eqn></aux>)"));
    EXPECT_DOUBLE_EQ(series(m, "sines[a]")[0], std::sin(3.0));
    EXPECT_DOUBLE_EQ(series(m, "sines[c]")[0], std::sin(2.0));
    EXPECT_DOUBLE_EQ(series(m, "distance[a]")[0], 1);
    EXPECT_DOUBLE_EQ(series(m, "distance[b]")[0], 1);
    EXPECT_DOUBLE_EQ(series(m, "distance[c]")[0], 0);
    EXPECT_NEAR(series(m, "sum of sines")[0], std::sin(3.0) + std::sin(1.0) + std::sin(2.0), 1e-12);
}
