// XMILE arrays: transposition (a'), ranges (a[2:4], a[Dim.b:Dim.d]), qualified elements
// (Dim.e), computed subscripts (a[index]) and dimension names used as numbers. Hand-written XMILE
// documents with hand-worked values, plus the Vensim conformance model subscript_transposition
// written again in XMILE with ' and compared with its reference output.
#include "helpers.hpp"

#include "equations/parser.hpp"
#include "ir/error.hpp"
#include "reference.hpp"
#include "xmile/reader.hpp"

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>

namespace holon_sd::test {

namespace {

const double nan = std::numeric_limits<double>::quiet_NaN();

// An XMILE document: time 0..4 by 1, the given <dimensions> body and <variables> body.
std::string document(const std::string &dimensions, const std::string &variables) {
    return R"(<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" version="1.0">
  <header><vendor>test</vendor><product>test</product></header>
  <sim_specs method="Euler"><start>0</start><stop>4</stop><dt>1</dt></sim_specs>
  <dimensions>)" + dimensions +
           R"(</dimensions>
  <model><variables>)" +
           variables + R"(</variables></model>
</xmile>)";
}

std::string dim(const std::string &name, const std::vector<std::string> &elements) {
    std::string s = "<dim name=\"" + name + "\">";
    for (const std::string &e : elements) s += "<elem name=\"" + e + "\"/>";
    return s + "</dim>";
}

std::string aux_xml(const std::string &name, const std::vector<std::string> &dims, const std::string &eqn) {
    std::string s = "<aux name=\"" + name + "\">";
    if (!dims.empty()) {
        s += "<dimensions>";
        for (const std::string &d : dims) s += "<dim name=\"" + d + "\"/>";
        s += "</dimensions>";
    }
    return s + "<eqn>" + eqn + "</eqn></aux>";
}

// Every output column of a run, by name.
std::map<std::string, std::vector<double>> run(const std::string &xml) {
    Program p = compile(read_xmile(xml));
    Simulator sim(p);
    const Results &r = sim.run();
    std::map<std::string, std::vector<double>> out;
    for (size_t c = 0; c < r.names.size(); ++c)
        for (size_t row = 0; row < r.times.size(); ++row) out[r.names[c]].push_back(r.value(row, c));
    return out;
}

std::string compile_error(const std::string &xml) {
    try {
        compile(read_xmile(xml));
    } catch (const ModelError &e) {
        return e.what();
    }
    return "(no error)";
}

void expect_series(const std::vector<double> &got, const std::vector<double> &want, const std::string &what) {
    ASSERT_EQ(got.size(), want.size()) << what;
    for (size_t i = 0; i < want.size(); ++i) {
        if (std::isnan(want[i])) EXPECT_TRUE(std::isnan(got[i])) << what << " at row " << i << ": " << got[i];
        else EXPECT_DOUBLE_EQ(got[i], want[i]) << what << " at row " << i;
    }
}

// m[X, Y] = 10 * X + Y over X = {x1, x2}, Y = {y1, y2, y3}: 11 12 13 / 21 22 23.
const std::string matrix_dims = dim("X", {"x1", "x2"}) + dim("Y", {"y1", "y2", "y3"}) + dim("P", {"p1", "p2", "p3"}) +
                                dim("Q", {"q1", "q2"});
const std::string matrix = aux_xml("m", {"X", "Y"}, "10 * X + Y");

// a[D] = D * D over D = {e1..e5}: 1 4 9 16 25.
const std::string vector_dims = dim("D", {"e1", "e2", "e3", "e4", "e5"}) + dim("D3", {"f1", "f2", "f3"});
const std::string squares = aux_xml("a", {"D"}, "D * D");

} // namespace

TEST(SdArraysParse, QuoteAfterAnOperandIsTransposeAndColonMakesARange) {
    ExprPtr t = parse_equation("m' + 1");
    ASSERT_EQ(t->kind, ExprKind::binary);
    ASSERT_EQ(t->args[0]->kind, ExprKind::transpose);
    EXPECT_EQ(t->args[0]->args[0]->name, "m");
    ExprPtr st = parse_equation("SUM(a[X, *]')");
    ASSERT_EQ(st->args[0]->kind, ExprKind::transpose);
    EXPECT_EQ(st->args[0]->args[0]->kind, ExprKind::subscript);
    EXPECT_EQ(parse_equation("m''")->kind, ExprKind::name); // transposed twice: the array itself
    ExprPtr r = parse_equation("a[2:4, D.e1:D.e3]");
    ASSERT_EQ(r->args.size(), 2u);
    ASSERT_EQ(r->args[0]->kind, ExprKind::range);
    EXPECT_EQ(r->args[0]->args[0]->value, 2);
    EXPECT_EQ(r->args[1]->args[1]->name, "d.e3");
    // A double-quoted name may hold a single quote: it is part of the name, not a transpose.
    ExprPtr q = parse_equation("\"Bob's rate\" * 2");
    EXPECT_EQ(q->args[0]->kind, ExprKind::name);
    EXPECT_EQ(q->args[0]->name, "bob's rate");
    EXPECT_THROW(parse_equation("a:b"), ModelError);
    EXPECT_THROW(parse_equation("'a"), ModelError);
}

TEST(SdArrays, DimensionNameIsTheElementPositionAndSizeCountsElements) {
    auto r = run(document(matrix_dims, matrix + aux_xml("n", {}, "SIZE(m)") + aux_xml("nx", {}, "SIZE(m[x1, *])")));
    EXPECT_EQ(r["m[x1,y1]"][0], 11);
    EXPECT_EQ(r["m[x1,y3]"][0], 13);
    EXPECT_EQ(r["m[x2,y2]"][0], 22);
    EXPECT_EQ(r["n"][0], 6);
    EXPECT_EQ(r["nx"][0], 3);
}

TEST(SdArrays, TransposeMatchesDimensionsByPositionWhereNoNameMatches) {
    // t[P, Q] = m': t[p_i, q_j] = m[x_j, y_i]. byname[Y, X] = m' matches by name: the same values.
    auto r = run(document(matrix_dims, matrix + aux_xml("t", {"P", "Q"}, "m'") + aux_xml("byname", {"Y", "X"}, "m'") +
                                           aux_xml("twice", {"X", "Y"}, "m''")));
    EXPECT_EQ(r["t[p1,q1]"][0], 11);
    EXPECT_EQ(r["t[p1,q2]"][0], 21);
    EXPECT_EQ(r["t[p2,q1]"][0], 12);
    EXPECT_EQ(r["t[p3,q2]"][0], 23);
    EXPECT_EQ(r["byname[y3,x1]"][0], 13);
    EXPECT_EQ(r["byname[y1,x2]"][0], 21);
    EXPECT_EQ(r["twice[x2,y1]"][0], 21);
}

TEST(SdArrays, TransposeInsideArrayFunctionsReordersTheElements) {
    // m' in row-major order: 11 21 12 22 13 23. RANK(.., 2): the second smallest (12) is 3rd there, 2nd in m.
    auto r = run(document(matrix_dims, matrix + aux_xml("total", {}, "SUM(m')") + aux_xml("r", {}, "RANK(m', 2)") +
                                           aux_xml("r_plain", {}, "RANK(m, 2)") +
                                           aux_xml("part", {}, "SUM(m[*, 2:3]')") +
                                           aux_xml("biggest", {}, "MAX(m[X, *]')")));
    EXPECT_EQ(r["total"][0], 102);
    EXPECT_EQ(r["r"][0], 3);
    EXPECT_EQ(r["r_plain"][0], 2);
    EXPECT_EQ(r["part"][0], 12 + 13 + 22 + 23);
    EXPECT_EQ(r["biggest"][0], 23);
}

TEST(SdArrays, RangesInArrayFunctions) {
    auto r = run(document(vector_dims, squares + aux_xml("s", {}, "SUM(a[2:4])") +
                                           aux_xml("mean", {}, "MEAN(a[e2:e4])") +
                                           aux_xml("mx", {}, "MAX(a[D.e1:D.e3])") + aux_xml("mn", {}, "MIN(a[3:5])") +
                                           aux_xml("n", {}, "SIZE(a[2:4])") + aux_xml("p", {}, "PROD(a[1:2])") +
                                           aux_xml("one", {}, "SUM(a[4:4])")));
    EXPECT_EQ(r["s"][0], 29);
    EXPECT_DOUBLE_EQ(r["mean"][0], 29.0 / 3);
    EXPECT_EQ(r["mx"][0], 9);
    EXPECT_EQ(r["mn"][0], 9);
    EXPECT_EQ(r["n"][0], 3);
    EXPECT_EQ(r["p"][0], 4);
    EXPECT_EQ(r["one"][0], 16);
}

TEST(SdArrays, ArrayFunctionsTakeExpressionsComputedElementByElement) {
    auto r = run(document(vector_dims + matrix_dims,
                          squares + matrix + aux_xml("squares", {}, "SUM(a[*] * a[*])") +
                              aux_xml("slice", {}, "SUM(a[2:3] * 2)") + aux_xml("far", {}, "MAX(ABS(a[*] - 10))") +
                              aux_xml("count", {}, "SUM(IF a[*] > 5 THEN 1 ELSE 0)") +
                              aux_xml("dot", {}, "SUM(m[x1, *] * m[x2, *])") +
                              aux_xml("same", {}, "SUM(m' * m')")));
    EXPECT_EQ(r["squares"][0], 1 + 16 + 81 + 256 + 625);
    EXPECT_EQ(r["slice"][0], 26);
    EXPECT_EQ(r["far"][0], 15);
    EXPECT_EQ(r["count"][0], 3);
    EXPECT_EQ(r["dot"][0], 11 * 21 + 12 * 22 + 13 * 23);
    EXPECT_EQ(r["same"][0], 11 * 11 + 12 * 12 + 13 * 13 + 21 * 21 + 22 * 22 + 23 * 23);
}

TEST(SdArrays, ArrayFunctionOperandsMatchDimensionsByNameLikeEquations) {
    // sq[X, Q] = 11 12 / 21 22 and r[Q, X] = 1 only at r[q1, x2]: by name, sq * r is 21 at
    // [x2, q1] and 0 elsewhere. Paired by position (r's row-major 0 1 0 0) it would read 12.
    const std::string square = aux_xml("sq", {"X", "Q"}, "10 * X + Q") +
                               aux_xml("r", {"Q", "X"}, "IF Q = 1 AND X = 2 THEN 1 ELSE 0") +
                               aux_xml("prod", {"X", "Q"}, "sq * r");
    // n[Y, X] = 100 * Y + X; u[P, X] = P (P has Y's size, and no name matches it).
    auto res = run(document(
        matrix_dims, matrix + square + aux_xml("n", {"Y", "X"}, "100 * Y + X") + aux_xml("u", {"P", "X"}, "P") +
                         aux_xml("d", {"X", "X"}, "1") + aux_xml("total", {}, "SUM(sq * r)") +
                         aux_xml("stars", {}, "SUM(sq[*, *] * r[*, *])") + aux_xml("via_prod", {}, "SUM(prod)") +
                         aux_xml("biggest", {}, "MAX(sq * r)") + aux_xml("where", {}, "RANK(r * sq, -1)") +
                         aux_xml("mn", {}, "SUM(m * n)") + aux_xml("partly", {}, "SUM(m * u)") +
                         aux_xml("squares", {}, "SUM(m[*, *] * m')") + aux_xml("twice", {}, "SUM(d * d)")));
    EXPECT_EQ(res["prod[x2,q1]"][0], 21);
    EXPECT_EQ(res["prod[x1,q2]"][0], 0);
    EXPECT_EQ(res["total"][0], 21);
    EXPECT_EQ(res["stars"][0], 21);
    EXPECT_EQ(res["via_prod"][0], 21);
    EXPECT_EQ(res["biggest"][0], 21);
    // The result is laid out like the first array operand, r[Q, X]: [q1, x2] is its 2nd element.
    EXPECT_EQ(res["where"][0], 2);
    // (10x + y)(100y + x) over x in 1..2, y in 1..3: 1111 + 2412 + 3913 + 2142 + 4444 + 6946.
    EXPECT_EQ(res["mn"][0], 20968);
    // X by name, Y with P by position: (10x + y) * y summed: 74 + 134.
    EXPECT_EQ(res["partly"][0], 208);
    // m' is m[Y, X]: matched by name, the product is m squared element by element.
    EXPECT_EQ(res["squares"][0], 121 + 144 + 169 + 441 + 484 + 529);
    EXPECT_EQ(res["twice"][0], 4); // the same dimensions in the same order pair up by position
    EXPECT_EQ(compile_error(document(matrix_dims, matrix + aux_xml("t", {"P", "Q"}, "m'") +
                                                      aux_xml("s", {}, "SUM(m * t)"))),
              "variable 's': arrays of different shapes combined element by element: (X: 2, Y: 3) and (P: 3, Q: 2)");
    EXPECT_EQ(compile_error(document(matrix_dims, square + aux_xml("d", {"X", "X"}, "1") +
                                                      aux_xml("s", {}, "SUM(d * sq)"))),
              "variable 's': arrays combined element by element span dimension 'X' more than once: cannot match "
              "(X: 2, X: 2) with (X: 2, Q: 2) by name");
    EXPECT_EQ(compile_error(document(vector_dims, squares + aux_xml("s", {}, "SUM(a[2:4] * a[*])"))),
              "variable 's': arrays of different shapes combined element by element: (D: 3) and (D: 5)");
}

TEST(SdArrays, SliceAssignedToADimensionOfItsSizeAndQualifiedElements) {
    auto r = run(document(vector_dims + matrix_dims,
                          squares + matrix + aux_xml("b", {"D3"}, "a[3:5]") + aux_xml("row", {"Q"}, "m[x2, 2:3]") +
                              aux_xml("c", {}, "a[D.e4]") + aux_xml("pos", {}, "D.e4 * 10")));
    EXPECT_EQ(r["b[f1]"][0], 9);
    EXPECT_EQ(r["b[f3]"][0], 25);
    EXPECT_EQ(r["row[q1]"][0], 22);
    EXPECT_EQ(r["row[q2]"][0], 23);
    EXPECT_EQ(r["c"][0], 16);
    EXPECT_EQ(r["pos"][0], 40);
}

TEST(SdArrays, ComputedSubscriptsReadTheElementAtTheirPositionEachStep) {
    Program p = compile(read_xmile(document(
        vector_dims + matrix_dims,
        squares + matrix + aux_xml("idx", {}, "INT(TIME / 2) + 1") + aux_xml("v", {}, "a[idx]") +
            aux_xml("w", {}, "a[TIME + 2]") + aux_xml("frac", {}, "a[1.5 + TIME / 2]") +
            aux_xml("z", {}, "m[1, TIME + 1]") + aux_xml("col", {"X"}, "m[X, TIME]") +
            aux_xml("shifted", {"D"}, "IF D = 1 THEN 0 ELSE a[D - 1]") + aux_xml("total", {}, "SUM(m[*, idx])") +
            aux_xml("diag", {}, "m[TIME, TIME]") + aux_xml("both", {}, "m[TIME - 2, TIME + 1]"))));
    Simulator sim(p);
    const Results &res = sim.run();
    std::map<std::string, std::vector<double>> r;
    for (size_t c = 0; c < res.names.size(); ++c)
        for (size_t row = 0; row < res.times.size(); ++row) r[res.names[c]].push_back(res.value(row, c));
    expect_series(r["v"], {1, 1, 4, 4, 9}, "a[idx]");
    expect_series(r["w"], {4, 9, 16, 25, nan}, "a[TIME + 2]"); // position 6 of 5: NaN
    expect_series(r["frac"], {1, 4, 4, 9, 9}, "a[1.5 + TIME / 2]"); // fractions dropped: 1.5 2 2.5 3 3.5
    // m[1, 4] must not wrap into m[2, 1] = 21: each computed subscript is checked on its own dimension.
    expect_series(r["z"], {11, 12, 13, nan, nan}, "m[1, TIME + 1]");
    expect_series(r["col[x2]"], {nan, 21, 22, 23, nan}, "m[X, TIME]");
    expect_series(r["shifted[e1]"], {0, 0, 0, 0, 0}, "guarded a[D - 1]");
    expect_series(r["shifted[e4]"], {9, 9, 9, 9, 9}, "a[D - 1]");
    expect_series(r["total"], {32, 32, 34, 34, 36}, "SUM(m[*, idx])");
    expect_series(r["diag"], {nan, 11, 22, nan, nan}, "m[TIME, TIME]");
    // At time 3, m[1, 4] would be the 4th of the 6 elements (21) if the positions were only combined.
    expect_series(r["both"], {nan, nan, nan, nan, nan}, "m[TIME - 2, TIME + 1]");
    // One warning per reference that went out of range, naming it and the time.
    std::string all;
    for (const std::string &w : res.warnings) all += w + "\n";
    EXPECT_NE(all.find("variable 'w': a subscript of 'a' is 6 at time 4, outside 1..5: the value is NaN"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find("variable 'z': a subscript of 'm'"), std::string::npos) << all;
    EXPECT_NE(all.find("variable 'col[x1]': a subscript of 'm' is 0 at time 0"), std::string::npos) << all;
    EXPECT_EQ(all.find("variable 'v'"), std::string::npos) << all;
    EXPECT_EQ(all.find("shifted"), std::string::npos) << all;
    EXPECT_NE(all.find("variable 'diag': a subscript of 'm' falls outside its dimension at time 0"), std::string::npos)
        << all;
    EXPECT_EQ(res.warnings.size(), 6u) << all; // w, z, col[x1], col[x2], diag, both
    // A second run starts with no warnings carried over and reports them again.
    EXPECT_EQ(sim.run().warnings.size(), 6u);
}

TEST(SdArrays, ComputedSubscriptRunsUnderCvodeToo) {
    // A flow a[k] with k = INT(TIME) + 1 over a = 1 2 3 4: the stock gains 1, 2, 3, 4 in the four
    // time units (0 1 3 6 10), under CVODE as under Euler with DT 1/4. The flow's own value at the
    // stop time reads position 5 of 4: NaN, and one warning.
    std::string xml = document(dim("D", {"e1", "e2", "e3", "e4"}),
                               aux_xml("a", {"D"}, "D") + aux_xml("k", {}, "INT(TIME) + 1") +
                                   "<stock name=\"s\"><eqn>0</eqn><inflow>f</inflow></stock>"
                                   "<flow name=\"f\"><eqn>a[k]</eqn></flow>");
    Model m = read_xmile(xml);
    m.sim_specs.dt = 0.25;
    m.sim_specs.save_step = 1;
    for (IntegrationMethod method : {IntegrationMethod::euler, IntegrationMethod::cvode, IntegrationMethod::rk4}) {
        m.sim_specs.method = method;
        Program p = compile(m);
        ASSERT_EQ(p.indexed_reads.size(), 1u); // read through an index, not resolved when compiling
        Simulator sim(p);
        const Results &r = sim.run();
        ASSERT_EQ(r.names.at(5), "s");
        ASSERT_EQ(r.names.at(6), "f");
        ASSERT_EQ(r.times.size(), 5u);
        expect_series({r.value(0, 6), r.value(1, 6), r.value(2, 6), r.value(3, 6), r.value(4, 6)}, {1, 2, 3, 4, nan},
                      std::string("f under ") + to_string(method));
        ASSERT_EQ(r.warnings.size(), 1u) << to_string(method);
        EXPECT_EQ(r.warnings[0], "variable 'f': a subscript of 'a' is 5 at time 4, outside 1..4: the value is NaN");
        if (method == IntegrationMethod::rk4) {
            // RK4's last stage of the last step evaluates the flow at the stop time: the stock is NaN there.
            EXPECT_TRUE(std::isnan(r.value(4, 5))) << r.value(4, 5);
            // Each step ending on a whole time sees the next element in its last stage (weight 1/6):
            // 1/4 * 1/6 more at times 1, 2 and 3.
            EXPECT_DOUBLE_EQ(r.value(3, 5), 6 + 3 * 0.25 / 6);
            continue;
        }
        const double want[5] = {0, 1, 3, 6, 10};
        for (size_t row = 0; row < 5; ++row) EXPECT_NEAR(r.value(row, 5), want[row], 1e-4) << to_string(method) << row;
    }
}

TEST(SdArrays, ComputedSubscriptSpanningManyElementsIsOneReadAndWarnsOnce) {
    // ss = SUM(m[k, *]) with k = TIME + 1: row 1 (36), row 2 (66), then outside X (1..2).
    Program p = compile(read_xmile(document(matrix_dims, matrix + aux_xml("k", {}, "TIME + 1") +
                                                             aux_xml("ss", {}, "SUM(m[k, *])"))));
    ASSERT_EQ(p.indexed_reads.size(), 1u);
    EXPECT_EQ(p.indexed_reads[0].stride, 2u);                  // the two rows a column may come from
    EXPECT_EQ(p.lists[p.indexed_reads[0].list].size(), 6u); // for each of the three columns
    Simulator sim(p);
    const Results &res = sim.run();
    std::vector<double> ss;
    for (size_t row = 0; row < res.times.size(); ++row) ss.push_back(res.value(row, res.names.size() - 1));
    ASSERT_EQ(res.names.back(), "ss");
    expect_series(ss, {36, 66, nan, nan, nan}, "SUM(m[k, *])");
    ASSERT_EQ(res.warnings.size(), 1u);
    EXPECT_EQ(res.warnings[0], "variable 'ss': a subscript of 'm' is 3 at time 2, outside 1..2: the value is NaN");
}

TEST(SdArrays, ComputedSubscriptDependsOnEveryElementItMayRead) {
    // v is listed before a and reads it through an index: it must be evaluated after all of a.
    auto r = run(document(vector_dims, aux_xml("v", {}, "a[k]") + aux_xml("k", {}, "TIME + 1") +
                                           aux_xml("a", {"D"}, "D * D + base") + aux_xml("base", {}, "100")));
    expect_series(r["v"], {101, 104, 109, 116, 125}, "a[k]");
    // x reads some element of a, and a[e3] reads x: a loop even though x may not read a[e3].
    std::string loop = compile_error(document(vector_dims, aux_xml("x", {}, "a[k]") + aux_xml("k", {}, "TIME + 1") +
                                                               aux_xml("a", {"D"}, "IF D = 3 THEN x ELSE D")));
    EXPECT_NE(loop.find("algebraic loop"), std::string::npos) << loop;
}

TEST(SdArrays, ErrorsNameTheVariableAndWhatIsWrong) {
    EXPECT_EQ(compile_error(document(vector_dims, aux_xml("s", {}, "5") + aux_xml("t", {}, "s'"))),
              "variable 't': 's' is not an array: it cannot be transposed");
    EXPECT_EQ(compile_error(document(vector_dims, squares + aux_xml("t", {}, "SUM((a + 1)')"))),
              "variable 't': the transpose operator ' applies to a variable or a subscripted variable, not to an "
              "expression");
    EXPECT_EQ(compile_error(document(matrix_dims, matrix + aux_xml("t", {}, "SUM(m[*, *] * m[x1, *])"))),
              "variable 't': arrays of different shapes combined element by element: (X: 2, Y: 3) and (Y: 3)");
    EXPECT_EQ(compile_error(document(vector_dims, squares + aux_xml("t", {"D"}, "(a + 1)'"))),
              "variable 't[e1]': the transpose operator ' applies to a variable or a subscripted variable, not to an "
              "expression");
    EXPECT_EQ(compile_error(document(vector_dims, squares + aux_xml("s", {}, "SUM(a[2:7])"))),
              "variable 's': range end 7 is outside 1..5 (dimension 'D' of 'a')");
    EXPECT_EQ(compile_error(document(vector_dims, squares + aux_xml("s", {}, "SUM(a[e2:x9])"))),
              "variable 's': range end 'x9' is not an element of dimension 'D' of 'a'");
    EXPECT_EQ(compile_error(document(vector_dims, squares + aux_xml("s", {}, "SUM(a[4:2])"))),
              "variable 's': range of 'a' is empty: its first end comes after its last");
    EXPECT_EQ(compile_error(document(vector_dims, squares + aux_xml("b", {"D3"}, "a[2:5]"))),
              "variable 'b[f1]': 'a' spans 4 elements where the equation's dimension 'D3' has 3");
    EXPECT_EQ(compile_error(document(vector_dims, squares + aux_xml("b", {}, "a[2:4]"))),
              "variable 'b': 'a' spans 1 dimension(s) here but the equation has 0 dimension(s) left to match them "
              "with (by position)");
    EXPECT_EQ(compile_error(document(vector_dims, squares + aux_xml("b", {}, "a[6]"))),
              "variable 'b': subscript 6 out of range 1..5 for 'a'");
    EXPECT_EQ(compile_error(document(vector_dims, squares + aux_xml("b", {}, "a[nothing]"))),
              "variable 'b': unknown subscript 'nothing' for dimension 'D' of 'a'");
    EXPECT_EQ(compile_error(document(vector_dims, squares + aux_xml("b", {}, "D + 1"))),
              "variable 'b': dimension 'D' used as a number where the equation is not over it");
}

// subscript_transposition (Vensim): output[i] = sum over j of input[j] * io matrix[j, i] and
// output2[i] = sum over j of input[j] * io matrix[i, j]. Written in XMILE with ': once matched
// by dimension name (the model's own columns, compared with the reference by its rule) and once
// with transposition load-bearing, into dimensions of other names matched by position.
TEST(SdArraysConformance, SubscriptTranspositionInXmileMatchesVensimsOutput) {
    const std::string folder = std::string(HOLON_SD_TEST_MODELS) + "/tests/subscript_transposition";
    if (!std::filesystem::is_directory(folder)) GTEST_SKIP() << "no conformance models at " << folder;
    const std::vector<std::string> sectors{"agriculture", "industry", "transport", "tourism", "comercial"};
    const double input[5] = {1, 10, 5, 7, 9};
    const double io[5][5] = {{1, 2, 3, 4, 5}, {10, 20, 30, 40, 50}, {1, 2, 3, 4, 5}, {2, 3, 4, 5, 6}, {-1, 2, -3, 4, -5}};
    std::string vars = "<aux name=\"input\"><dimensions><dim name=\"sector\"/></dimensions>";
    for (size_t j = 0; j < 5; ++j)
        vars += "<element subscript=\"" + sectors[j] + "\"><eqn>" + std::to_string(input[j]) + "</eqn></element>";
    vars += "</aux><aux name=\"io matrix\"><dimensions><dim name=\"sector\"/><dim name=\"sector1\"/></dimensions>";
    for (size_t i = 0; i < 5; ++i)
        for (size_t j = 0; j < 5; ++j)
            vars += "<element subscript=\"" + sectors[i] + ", " + sectors[j] + "\"><eqn>" + std::to_string(io[i][j]) +
                    "</eqn></element>";
    vars += "</aux>";
    // By name: io_matrix' over (sector1, sector) is io_matrix[sector, sector1].
    vars += aux_xml("weighted", {"sector1", "sector"}, "io_matrix' * input");
    vars += aux_xml("output", {"sector1"}, "SUM(weighted[sector1, *])");
    vars += aux_xml("weighted2", {"sector1", "sector"}, "io_matrix[sector1, sector] * input");
    vars += aux_xml("output2", {"sector1"}, "SUM(weighted2[sector1, *])");
    // By position: over (dest, origin) no name matches, so io_matrix' (sector1, sector) maps
    // sector1 -> dest and sector -> origin. Without the ' this would be output2's numbers.
    vars += aux_xml("flows", {"dest", "origin"}, "io_matrix' * input[origin]");
    vars += aux_xml("output_by_position", {"dest"}, "SUM(flows[dest, *])");
    // As a Stella user writes it: the products inside SUM.
    vars += aux_xml("output_sum", {"sector1"}, "SUM(input[*] * io_matrix[*, sector1])");
    vars += aux_xml("output2_sum", {"sector1"}, "SUM(input[*] * io_matrix[sector1, *])");
    // The transposed matrix through a range of all five sectors, in an array function.
    vars += aux_xml("output_agriculture", {}, "SUM(weighted[agriculture, 1:5])");
    std::string dims = dim("sector", sectors) + dim("sector1", sectors) +
                       dim("dest", {"d1", "d2", "d3", "d4", "d5"}) + dim("origin", {"o1", "o2", "o3", "o4", "o5"});
    std::string xml = document(dims, vars);
    xml.replace(xml.find("<stop>4</stop>"), 14, "<stop>1</stop>");

    Program p = compile(read_xmile(xml));
    Simulator sim(p);
    const Results &res = sim.run();
    holon::conformance::Series simulated;
    simulated.names = res.names;
    simulated.times = res.times;
    simulated.columns.assign(res.names.size(), {});
    for (size_t c = 0; c < res.names.size(); ++c)
        for (size_t row = 0; row < res.times.size(); ++row) simulated.columns[c].push_back(res.value(row, c));

    holon::conformance::Series reference = holon::conformance::read_reference(folder + "/output.tab");
    holon::conformance::Series wanted; // the reference's output columns only (the rest are the inputs)
    wanted.times = reference.times;
    for (size_t c = 0; c < reference.names.size(); ++c)
        if (reference.names[c].rfind("output", 0) == 0) {
            wanted.names.push_back(reference.names[c]);
            wanted.columns.push_back(reference.columns[c]);
        }
    ASSERT_EQ(wanted.names.size(), 10u);
    holon::conformance::Comparison cmp = holon::conformance::compare(wanted, simulated);
    EXPECT_TRUE(cmp.passed) << (cmp.problems.empty() ? std::string() : cmp.problems[0]);
    EXPECT_EQ(cmp.columns_compared, 10u);

    // The hand-checked first element (1*1 + 10*10 + 5*1 + 7*2 + 9*-1 = 111) and the positional copy.
    auto column = [&](const std::string &name) {
        for (size_t c = 0; c < res.names.size(); ++c)
            if (res.names[c] == name) return res.value(0, c);
        ADD_FAILURE() << "no column " << name;
        return nan;
    };
    EXPECT_EQ(column("output[agriculture]"), 111);
    EXPECT_EQ(column("output_agriculture"), 111);
    const std::vector<std::string> dests{"d1", "d2", "d3", "d4", "d5"};
    for (size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(column("output_by_position[" + dests[i] + "]"), column("output[" + sectors[i] + "]")) << dests[i];
        EXPECT_EQ(column("output_sum[" + sectors[i] + "]"), column("output[" + sectors[i] + "]")) << sectors[i];
        EXPECT_EQ(column("output2_sum[" + sectors[i] + "]"), column("output2[" + sectors[i] + "]")) << sectors[i];
    }
    EXPECT_NE(column("output_by_position[d2]"), column("output2[industry]"));
}

} // namespace holon_sd::test
