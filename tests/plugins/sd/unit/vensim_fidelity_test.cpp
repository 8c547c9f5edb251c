// Issue 19: Vensim constructs real models use, each on a small model of our own whose expected
// output is worked out by hand from Vensim's documented semantics (never from Holon's output).
#include "helpers.hpp"
#include "ir/error.hpp"
#include "model_json/model_json.hpp"
#include "xmile/reader.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>

using namespace holon_sd;
using namespace holon_sd::test;

namespace {

// The shared model's id pattern (schemas/model.schema.json, definitions/id).
bool valid_id(const std::string &id) {
    static const std::regex pattern("^[A-Za-z][A-Za-z0-9_.:-]*$");
    return id.size() <= 128 && std::regex_match(id, pattern);
}

const nlohmann::json *variable_named(const nlohmann::json &doc, const std::string &name) {
    for (const auto &v : doc["variables"])
        if (v["name"] == name) return &v;
    return nullptr;
}

} // namespace

// Vensim accepts any name, also one that starts with a digit: a variable named 1995 on the left,
// referred to quoted on the right ("1995"); unquoted on the right, 1995 is the number.
TEST(SdVensimFidelity, NamesThatStartWithDigitsOrHoldPunctuationKeepTheirNameAndGetAValidId) {
    Model m = mdl(R"mdl(
1995 = 3 ~ ~ |
2050 target = 4 ~ ~ |
y = "1995" * 2 + "2050 target" + 1995 ~ ~ |
"a.b" = 5 ~ ~ |
"c+d/e (%)" = "a.b" + 1 ~ ~ |
"line
break" = "c+d/e (%)" * 10 ~ ~ |
)mdl");
    EXPECT_DOUBLE_EQ(series(m, "y")[0], 3 * 2 + 4 + 1995);
    EXPECT_DOUBLE_EQ(series(m, "line\nbreak")[0], 60);
    nlohmann::json doc = nlohmann::json::parse(to_model_json(m, "mdl"));
    for (const auto &v : doc["variables"]) EXPECT_TRUE(valid_id(v["id"])) << v["id"] << " for " << v["name"];
    for (const auto &l : doc["links"]) EXPECT_TRUE(valid_id(l["id"])) << l["id"];
    EXPECT_TRUE(valid_id(doc["id"]));
    const nlohmann::json *v1995 = variable_named(doc, "1995");
    ASSERT_NE(v1995, nullptr);
    EXPECT_EQ((*v1995)["id"], "v_1995");
    ASSERT_NE(variable_named(doc, "2050 target"), nullptr);
    EXPECT_EQ((*variable_named(doc, "2050 target"))["id"], "v_2050_target");
    ASSERT_NE(variable_named(doc, "line\nbreak"), nullptr);
    EXPECT_EQ((*variable_named(doc, "line\nbreak"))["id"], "line_break");
    ASSERT_NE(variable_named(doc, "c+d/e (%)"), nullptr);
    // The document simulates as the file did.
    EXPECT_DOUBLE_EQ(series(from_model_json(doc.dump()), "y")[0], 2005);
}

// One id rule for both front ends: the same names read from XMILE get the same ids.
TEST(SdVensimFidelity, XmileAndMdlDeriveTheSameIdsFromTheSameNames) {
    Model x = read_xmile(R"xml(<?xml version="1.0" encoding="UTF-8"?>
<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
  <header><name>1995 model</name></header>
  <sim_specs><start>0</start><stop>1</stop><dt>1</dt></sim_specs>
  <model><variables>
    <aux name="1995"><eqn>3</eqn></aux>
    <aux name="c+d/e (%)"><eqn>"1995" + 1</eqn></aux>
  </variables></model>
</xmile>)xml");
    EXPECT_DOUBLE_EQ(series(x, "c+d/e (%)")[0], 4);
    nlohmann::json xd = nlohmann::json::parse(to_model_json(x, "xmile"));
    nlohmann::json md = nlohmann::json::parse(to_model_json(mdl("1995 = 3 ~~|\n\"c+d/e (%)\" = \"1995\" + 1 ~~|\n"), "mdl"));
    EXPECT_TRUE(valid_id(xd["id"])) << xd["id"];
    for (const char *name : {"1995", "c+d/e (%)"}) {
        ASSERT_NE(variable_named(xd, name), nullptr) << name;
        ASSERT_NE(variable_named(md, name), nullptr) << name;
        EXPECT_EQ((*variable_named(xd, name))["id"], (*variable_named(md, name))["id"]) << name;
    }
}

namespace {

// A whole .mdl file: `equations` and then the control variables as written.
Model mdl_with_controls(const std::string &equations, const std::string &controls) {
    return read_mdl("{UTF-8}\n" + equations + controls, {"", "test.mdl"});
}

const Results &run(Simulator &sim) { return sim.run(); }

} // namespace

// Vensim: "Simulation control parameters can be defined with any equation". FINAL TIME computed
// from an array sum (1 + 1 + 2 = 4) and from a lookup (tbl(3) = 6 on a line from (0,0) to (10,20)):
// the run covers 0..4 and 0..6 with a one-month step, so the stock s = INTEG(1, 0) ends at 4 and 6.
TEST(SdVensimFidelity, FinalTimeComputedFromOtherVariablesSimulatesToThatTime) {
    const std::string common = "d : (d1-d3) ~~|\nlen[d] = 1, 1, 2 ~~|\ntbl((0,0),(10,20)) ~~|\ns = INTEG(1, 0) ~~|\n"
                               "INITIAL TIME = 0 ~ Month ~|\nTIME STEP = 1 ~ Month ~|\nSAVEPER = TIME STEP ~ Month ~|\n";
    for (auto [final_time, end] : {std::pair{"SUM(len[d!])", 4.0}, {"tbl(3)", 6.0}, {"LN(EXP(3)) + ABS(-1)", 4.0}}) {
        Model m = mdl_with_controls(common, std::string("FINAL TIME = ") + final_time + " ~ Month ~|\n");
        Program p = compile(m);
        Simulator sim(p);
        const Results &r = run(sim);
        ASSERT_FALSE(r.times.empty()) << final_time;
        EXPECT_DOUBLE_EQ(r.times.back(), end) << final_time;
        EXPECT_EQ(r.times.size(), static_cast<size_t>(end) + 1) << final_time;
        for (size_t c = 0; c < r.names.size(); ++c) {
            if (r.names[c] != "s") continue;
            EXPECT_DOUBLE_EQ(r.value(r.times.size() - 1, c), end) << final_time;
        }
    }
}

// A final time that moves ahead with Time is never reached: one clear message, not the memory
// running out.
TEST(SdVensimFidelity, FinalTimeThatKeepsMovingAheadStopsWithAMessage) {
    Model m = mdl_with_controls("s = INTEG(1, 0) ~~|\nlead = 5 ~~|\n",
                                "INITIAL TIME = 0 ~ Month ~|\nFINAL TIME = Time + lead ~ Month ~|\n"
                                "TIME STEP = 1 ~ Month ~|\nSAVEPER = TIME STEP ~ Month ~|\n");
    Program p = compile(m);
    Simulator sim(p);
    try {
        sim.run();
        FAIL() << "the run ended";
    } catch (const ModelError &e) {
        EXPECT_NE(std::string(e.what()).find("FINAL TIME moves ahead with Time"), std::string::npos) << e.what();
    }
}

// Vensim's :NA: is a number inside the model (comparisons against it work) and missing in the
// output: Vensim's output files leave those cells empty, read as NaN.
TEST(SdVensimFidelity, NotAvailableIsMissingInTheOutputAndANumberInsideTheModel) {
    Model m = mdl(R"(
a = :NA: ~~|
b = IF THEN ELSE(a = :NA:, 1, 2) ~~|
c = a * 0 ~~|
d : (d1-d2) ~~|
e[d] = 3, :NA: ~~|
)");
    for (double v : series(m, "a")) EXPECT_TRUE(std::isnan(v)) << v;
    for (double v : series(m, "b")) EXPECT_DOUBLE_EQ(v, 1);
    for (double v : series(m, "c")) EXPECT_DOUBLE_EQ(v, 0);
    EXPECT_DOUBLE_EQ(series(m, "e[d1]")[0], 3);
    EXPECT_TRUE(std::isnan(series(m, "e[d2]")[0]));
}

// A subscript range written twice with the same elements is one range: in .mdl beside an
// equivalence (X <-> Y with X also listed), in XMILE a <dim> repeated. Other elements under the
// same name stay an error.
TEST(SdVensimFidelity, ARangeWrittenTwiceWithTheSameElementsIsOneRange) {
    Model m = mdl(R"(
X : a, b ~~|
X <-> Y ~~|
Y : a, b ~~|
v[X] = 1, 2 ~~|
w[Y] = v[Y] * 10 ~~|
)");
    EXPECT_DOUBLE_EQ(series(m, "w[b]")[0], 20);
    const char *twice = R"xml(<?xml version="1.0" encoding="UTF-8"?>
<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
  <header><name>p</name></header>
  <sim_specs><start>0</start><stop>1</stop><dt>1</dt></sim_specs>
  <dimensions><dim name="X"><elem name="a"/><elem name="b"/></dim><dim name="x"><elem name="A"/><elem name="B"/></dim></dimensions>
  <model><variables><aux name="v"><dimensions><dim name="X"/></dimensions><eqn>3</eqn></aux></variables></model>
</xmile>)xml";
    Model x = read_xmile(twice);
    EXPECT_EQ(x.dimensions.size(), 1u);
    EXPECT_DOUBLE_EQ(series(x, "v[b]")[0], 3);
    std::string differ = twice;
    differ.replace(differ.find(R"(<elem name="B"/>)"), 16, R"(<elem name="C"/>)");
    try {
        read_xmile(differ);
        FAIL() << "read";
    } catch (const ModelError &e) {
        EXPECT_NE(std::string(e.what()).find("dimension 'x' is defined twice with different elements"), std::string::npos) << e.what();
    }
}

// Mappings onto a subrange (Vensim maps position by position): Dim1 -> Dim2 MAP sends A, B, C to
// X, Y, Z, so over Dim2 :EXCEPT: [W] the elements X, Y, Z read src[A], src[B], src[C]; the same
// when the subrange carries the mapping (Dim2 MAP: X, Y, Z -> Dim1). An element-by-element
// mapping (Dim3: P, Q -> (Dim2: W, X)) sends P to W and Q to X.
TEST(SdVensimFidelity, MappingsOntoSubrangesAndExceptOverSubranges) {
    for (const char *ranges : {"Dim1 : A, B, C -> Dim2 MAP ~~|\nDim2 : X, Y, Z, W ~~|\nDim2 MAP : X, Y, Z ~~|\n",
                               "Dim1 : A, B, C ~~|\nDim2 : X, Y, Z, W ~~|\nDim2 MAP : X, Y, Z -> Dim1 ~~|\n"}) {
        Model m = mdl(std::string(ranges) + R"(
src[Dim1] = 1, 2, 3 ~~|
dst[Dim2] :EXCEPT: [W] = src[Dim1] * 10 ~~|
dst[W] = 0 ~~|
other[Dim2] :EXCEPT: [Dim2 MAP] = 9 ~~|
other[Dim2 MAP] = src[Dim1] ~~|
back[Dim1] = other[Dim2 MAP] + 100 ~~|
Dim3 : P, Q -> (Dim2: W, X) ~~|
pq[Dim3] = 1000, 2000 ~~|
by element[Dim2] :EXCEPT: [Y], [Z] = pq[Dim3] ~~|
by element[Y] = 0 ~~|
by element[Z] = 0 ~~|
)");
        EXPECT_DOUBLE_EQ(series(m, "dst[X]")[0], 10) << ranges;
        EXPECT_DOUBLE_EQ(series(m, "dst[Z]")[0], 30) << ranges;
        EXPECT_DOUBLE_EQ(series(m, "dst[W]")[0], 0) << ranges;
        EXPECT_DOUBLE_EQ(series(m, "other[Y]")[0], 2) << ranges;
        EXPECT_DOUBLE_EQ(series(m, "other[W]")[0], 9) << ranges;
        EXPECT_DOUBLE_EQ(series(m, "back[C]")[0], 103) << ranges;
        EXPECT_DOUBLE_EQ(series(m, "by element[W]")[0], 1000) << ranges;
        EXPECT_DOUBLE_EQ(series(m, "by element[X]")[0], 2000) << ranges;
    }
}

// A subscript element used as a value is its position in its range, the number a subscript bound
// to it stands for (Vensim's manual: IF THEN ELSE(stage = stage1, ...)).
TEST(SdVensimFidelity, SubscriptElementsAsValuesAreTheirPositions) {
    Model m = mdl(R"(
dim : A, B, C ~~|
is b[dim] = IF THEN ELSE(dim = B, 1, 0) ~~|
from b on[dim] = IF THEN ELSE(dim >= B, 10, 20) ~~|
reversed[dim] = IF THEN ELSE(B = dim, 5, 6) ~~|
position of c = C * 100 ~~|
)");
    EXPECT_DOUBLE_EQ(series(m, "is b[A]")[0], 0);
    EXPECT_DOUBLE_EQ(series(m, "is b[B]")[0], 1);
    EXPECT_DOUBLE_EQ(series(m, "is b[C]")[0], 0);
    EXPECT_DOUBLE_EQ(series(m, "from b on[A]")[0], 20);
    EXPECT_DOUBLE_EQ(series(m, "from b on[C]")[0], 10);
    EXPECT_DOUBLE_EQ(series(m, "reversed[B]")[0], 5);
    EXPECT_DOUBLE_EQ(series(m, "reversed[C]")[0], 6);
    EXPECT_DOUBLE_EQ(series(m, "position of c")[0], 300);
}

// Reality Check equations (:TEST INPUT:, :THE CONDITION: ... :IMPLIES:) are for Vensim's Reality
// Check tool; a run ignores them: s = INTEG(2, 10) gives 10, 12, 14, 16, 18.
TEST(SdVensimFidelity, RealityChecksAreIgnoredByARun) {
    Model m = mdl(R"(
s = INTEG(inflow, 10) ~~|
inflow = 2 ~~|
no inflow :TEST INPUT: inflow = 0 ~~|
stock stays :THE CONDITION: no inflow :IMPLIES: s = 10 ~~|
later :THE CONDITION: Time > 2
	:IMPLIES: s >= 10 :AND: "no inflow" = 0 ~~|
)");
    EXPECT_EQ(series(m, "s"), (std::vector<double>{10, 12, 14, 16, 18}));
    for (const Variable &v : m.variables) EXPECT_EQ(v.name.find("stays"), std::string::npos) << v.name;
}

// GET TIME VALUE(relative to, offset, measure) in the model's time units (measure 0), Vensim's
// reference: relative to the current time (0) it is Time + offset, relative to the initial time
// (1) INITIAL TIME + offset. The computer's clock (2) and calendar measures: vensim_get_time_value_test.
TEST(SdVensimFidelity, GetTimeValueRelativeToTheCurrentAndTheInitialTime) {
    Model m = mdl_with_controls(R"(
now = GET TIME VALUE(0, 0, 0) ~~|
ahead = GET TIME VALUE(0, 1.5, 0) ~~|
start = GET TIME VALUE(1, 0, 0) ~~|
after start = GET TIME VALUE(1, 2.5, 0) ~~|
)", "INITIAL TIME = 10 ~ Month ~|\nFINAL TIME = 12 ~ Month ~|\nTIME STEP = 1 ~ Month ~|\nSAVEPER = TIME STEP ~ Month ~|\n");
    EXPECT_EQ(series(m, "now"), (std::vector<double>{10, 11, 12}));
    EXPECT_EQ(series(m, "ahead"), (std::vector<double>{11.5, 12.5, 13.5}));
    EXPECT_EQ(series(m, "start"), (std::vector<double>{10, 10, 10}));
    EXPECT_EQ(series(m, "after start"), (std::vector<double>{12.5, 12.5, 12.5}));
}

// Spreadsheet cells that hold text where a number belongs ("n/a", "-") are missing data, as
// Vensim reads them: a gap in a data series (interpolated over: 10, 20, 30, 40, 50 from the points
// at 0, 2 and 4), :NA: for a constant (missing in the output, equal to :NA: in the model).
TEST(SdVensimFidelity, SpreadsheetCellsWithTextAreMissingData) {
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "holon_fidelity_text_cells";
    std::filesystem::create_directories(dir);
    {
        std::ofstream csv(dir / "data.csv");
        csv << "time,0,1,2,3,4\nvalue,10,n/a,30,-,50\nconst,7,x,9,,\n";
    }
    Model m = read_mdl("{UTF-8}\nseries := GET DIRECT DATA('data.csv', 'Sheet1', '1', 'B2') ~~|\n"
                       "k = GET DIRECT CONSTANTS('data.csv', 'Sheet1', 'C3') ~~|\n"
                       "k is missing = IF THEN ELSE(k = :NA:, 1, 0) ~~|\n" +
                           std::string(mdl_controls),
                       {dir.string(), "data.mdl"});
    EXPECT_EQ(series(m, "series"), (std::vector<double>{10, 20, 30, 40, 50}));
    EXPECT_TRUE(std::isnan(series(m, "k").at(0)));
    EXPECT_DOUBLE_EQ(series(m, "k is missing").at(0), 1);
    std::filesystem::remove_all(dir);
}

// Delays with their initial-value forms from the first step, worked by hand with TIME STEP 1 and
// an input that steps from 0 to 10 at month 1. DELAY3I(in, 3, 5): three stages of one month each
// holding 5, output 5, 5, 5, then the zero input reaches the end (0) and the step after it (10).
// DELAY N(in, 3, 5, 3) is the same delay. DELAY1I(in, 3, 5): one stage holding 15, output
// 5, 10/3, 50/9, 190/27, 650/81. DELAY FIXED(in, 2, 7): 7 until month 2, then the input 2 months ago.
TEST(SdVensimFidelity, DelaysWithInitialValuesFromTheFirstStep) {
    Model m = mdl(R"(
in = IF THEN ELSE(Time >= 1, 10, 0) ~~|
third = DELAY3I(in, 3, 5) ~~|
nth = DELAY N(in, 3, 5, 3) ~~|
first = DELAY1I(in, 3, 5) ~~|
fixed = DELAY FIXED(in, 2, 7) ~~|
)");
    EXPECT_EQ(series(m, "third"), (std::vector<double>{5, 5, 5, 0, 10}));
    EXPECT_EQ(series(m, "nth"), (std::vector<double>{5, 5, 5, 0, 10}));
    std::vector<double> first = series(m, "first");
    std::vector<double> expected{5, 10.0 / 3, 50.0 / 9, 190.0 / 27, 650.0 / 81};
    ASSERT_EQ(first.size(), expected.size());
    for (size_t i = 0; i < first.size(); ++i) EXPECT_NEAR(first[i], expected[i], 1e-12) << i;
    EXPECT_EQ(series(m, "fixed"), (std::vector<double>{7, 7, 0, 10, 10}));
}
