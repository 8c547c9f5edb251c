// ScenarioWizard files: the CIB_global sample of sei-international/cibsa (methods.md T-CIB-2),
// round trips, and the solution list.
#include "cib/search.hpp"
#include "formats/scw.hpp"
#include "test_matrices.hpp"

#include <gtest/gtest.h>

namespace holon_scenarios {
namespace {

// The layout ScenarioWizard 4.0 writes (the CIB_global sample), with its blank description lines.
const char *cib_global_scw =
    "$ ScenarioWizard 4.0\nCIB_global.scw\n&WTRD\n -FT\n -Ntl\n -Mix\n&WSEC\n -Rlx\n -Mod\n -Alrt\n&WECO\n -Decl\n"
    " -Stag\n -ModGr\n -RpdGr\n#\n&\n \n \n \n&\n \n \n \n&\n \n \n \n \n#\n#\nFFFFFF\nFFFFFF\nFFFFFF\nFFFFFF\nFFFFFF\n"
    "FFFFFF\nFFFFFF\nFFFFFF\nFFFFFF\nFFFFFF\n#\n#\n"
    " 0 , 0 , 0 , 1 , 2 ,-3 ,-4 ,-2 , 3 , 3 \n"
    " 0 , 0 , 0 ,-2 , 1 , 1 , 3 , 5 ,-3 ,-5 \n"
    " 0 , 0 , 0 , 2 , 1 ,-3 ,-2 , 0 , 4 ,-2 \n"
    " 1 ,-3 , 2 , 0 , 0 , 0 ,-1 ,-1 , 1 , 1 \n"
    " 1 ,-2 , 1 , 0 , 0 , 0 , 0 , 1 , 0 ,-1 \n"
    "-2 , 3 ,-1 , 0 , 0 , 0 , 1 , 2 ,-1 ,-2 \n"
    "-3 , 5 ,-2 ,-3 , 1 , 2 , 0 , 0 , 0 , 0 \n"
    "-2 , 3 ,-1 ,-2 , 1 , 1 , 0 , 0 , 0 , 0 \n"
    " 2 ,-4 , 2 , 1 , 0 ,-1 , 0 , 0 , 0 , 0 \n"
    " 3 ,-6 , 3 ,-1 , 1 , 0 , 0 , 0 , 0 , 0 \n"
    "#\n# 0-0\n\"\"\n# \n\"\"\n#  -> \n\"\"\n#\n#\n";

const char *cib_global_sl = "$ ScenarioWizard 3.0\nSolution set\n 4 \n\n\" 2 2 2\",2763,0,0,9,\"\"\n\" 1 2 3\",5459,0,0,8,\"\"\n"
                            "\" 3 1 3\",33510,1,0,12,\"\"\n\" 2 3 2\",11080,0,0,15,\"\"\n";

TEST(Scw, ReadsTheCibGlobalSample) {
    const formats::ScwProject p = formats::read_scw(cib_global_scw);
    EXPECT_EQ(p.title, "CIB_global.scw");
    ASSERT_EQ(p.descriptors.size(), 3u);
    EXPECT_EQ(p.descriptors[0].name, "WTRD");
    EXPECT_EQ(p.descriptors[2].variants[3].name, "RpdGr");
    EXPECT_EQ(p.matrix, test::cib_global());
}

TEST(Scw, RoundTripGivesTheSameSet) {
    formats::ScwProject p = formats::read_scw(cib_global_scw);
    p.descriptors[1].description = "World security";
    p.descriptors[1].variants[2].description = "Alert";
    const std::string written = formats::write_scw(p);
    const formats::ScwProject again = formats::read_scw(written);
    EXPECT_EQ(again.title, p.title);
    ASSERT_EQ(again.descriptors.size(), p.descriptors.size());
    for (size_t d = 0; d < p.descriptors.size(); ++d) {
        EXPECT_EQ(again.descriptors[d].name, p.descriptors[d].name);
        EXPECT_EQ(again.descriptors[d].description, p.descriptors[d].description);
        ASSERT_EQ(again.descriptors[d].variants.size(), p.descriptors[d].variants.size());
        for (size_t v = 0; v < p.descriptors[d].variants.size(); ++v) {
            EXPECT_EQ(again.descriptors[d].variants[v].name, p.descriptors[d].variants[v].name);
            EXPECT_EQ(again.descriptors[d].variants[v].description, p.descriptors[d].variants[v].description);
        }
    }
    EXPECT_EQ(again.matrix, p.matrix);
    EXPECT_EQ(formats::write_scw(again), written);
}

TEST(Scw, RejectsMalformedFiles) {
    EXPECT_THROW(formats::read_scw("hello"), formats::FormatError);
    EXPECT_THROW(formats::read_scw("$ ScenarioWizard 4.0\nx\n&A\n -a1\n -a2\n&B\n -b1\n#\n#\n 0 , 0 , x \n"),
                 formats::FormatError);
}

// A cell inside a diagonal block (A's variant a1 on its own a2, as standardising a matrix leaves
// them) is read as ScenarioWizard reads it: a self-impact in the matrix like any other cell, and
// listed with its line so the importer can say where it is.
TEST(Scw, KeepsDiagonalBlockCellsAsSelfImpacts) {
    const formats::ScwProject p =
        formats::read_scw("$ ScenarioWizard 4.0\nx\n&A\n -a1\n -a2\n&B\n -b1\n#\n#\n 0 , 5 , 1 \n-2 , 0 , 0 \n 3 , 0 , 0 \n#\n");
    ASSERT_EQ(p.self_impacts.size(), 2u);
    EXPECT_EQ(p.self_impacts[0].descriptor, 0);
    EXPECT_EQ(p.self_impacts[0].from, 0);
    EXPECT_EQ(p.self_impacts[0].to, 1);
    EXPECT_EQ(p.self_impacts[0].value, 5);
    EXPECT_EQ(p.self_impacts[0].line, 10);
    EXPECT_EQ(p.self_impacts[1].from, 1);
    EXPECT_EQ(p.self_impacts[1].to, 0);
    EXPECT_EQ(p.self_impacts[1].value, -2);
    EXPECT_EQ(p.matrix.get(0, 0, 1, 0), 1);
    EXPECT_EQ(p.matrix.get(1, 0, 0, 0), 3);
    EXPECT_EQ(p.matrix.get(0, 0, 0, 1), 5);
    EXPECT_EQ(p.matrix.get(0, 1, 0, 0), -2);
    EXPECT_EQ(p.matrix.self_impact_cells(), 2);
}

// Self-impacts survive writing and reading again: the diagonal blocks are written as they are held.
TEST(Scw, RoundTripKeepsSelfImpacts) {
    const formats::ScwProject p = formats::read_scw(
        "$ ScenarioWizard 4.0\nx\n&A\n -a1\n -a2\n&B\n -b1\n -b2\n#\n#\n"
        " 3 , 0 , 1 ,-1 \n 0 , 0 ,-1 , 1 \n 1 ,-1 , 0 , 0 \n-1 , 1 , 0 , 3 \n#\n");
    const std::string written = formats::write_scw(p);
    EXPECT_NE(written.find(" 3 , 0 , 1 ,-1 \n"), std::string::npos) << written;
    EXPECT_NE(written.find("-1 , 1 , 0 , 3 \n"), std::string::npos) << written;
    const formats::ScwProject again = formats::read_scw(written);
    EXPECT_EQ(again.matrix, p.matrix);
    EXPECT_EQ(again.matrix.get(0, 0, 0, 0), 3);
    EXPECT_EQ(again.matrix.get(1, 1, 1, 1), 3);
    ASSERT_EQ(again.self_impacts.size(), 2u);
}

TEST(Sl, ReadsTheSolutionListAndItsScoresMatchTheSearch) {
    const formats::SolutionList sl = formats::read_sl(cib_global_sl);
    ASSERT_EQ(sl.rows.size(), 4u);
    EXPECT_EQ(sl.rows[0].scenario, (cib::Scenario{1, 1, 1}));
    const cib::SearchResult r = cib::search(test::cib_global(), {});
    for (const auto &row : sl.rows) {
        ASSERT_EQ(row.numbers.size(), 4u);
        bool found = false;
        for (const auto &f : r.scenarios)
            if (f.scenario == row.scenario) {
                found = true;
                EXPECT_EQ(f.total_impact_score, row.numbers[3]); // column 5 is the TIS
            }
        EXPECT_TRUE(found) << test::cib_global_label(row.scenario);
    }
}

} // namespace
} // namespace holon_scenarios
