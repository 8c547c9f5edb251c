// Issue 19: VECTOR SORT ORDER, VECTOR RANK and VECTOR REORDER as Vensim's reference describes
// them (fn_vector_sort_order, fn_vector_rank, fn_vector_reorder): a direction greater than 0
// sorts from smallest to biggest, any other (0 included) from biggest to smallest; sorting is
// done on the complete vector over the variable's last subscript ("subranges will not work"), so
// an argument written over a subrange still sorts the whole vector. Vensim gives tied elements
// contiguous ranks "arbitrarily"; Holon keeps them in element order ascending and reverses that
// order descending (as PySD does). Every expected value below is worked out by hand.
#include "helpers.hpp"

using namespace holon_sd;
using namespace holon_sd::test;

namespace {

// revenue = c1 5, c2 3, c3 8, c4 3, c5 1. From smallest to biggest: c5 (1), c2 (3), c4 (3, the tie
// after c2 in element order), c1 (5), c3 (8): zero-based positions 4, 1, 3, 0, 2. From biggest to
// smallest it is that order reversed: c3, c1, c4, c2, c5 = 2, 0, 3, 1, 4.
const char *revenue_model = R"mdl(
company : (c1-c5) -> scompany ~~|
scompany : (s1-s5) -> company ~~|
big : c1, c3, c4 ~~|
revenue[company] = 5, 3, 8, 3, 1 ~~|
so up[scompany] = VECTOR SORT ORDER(revenue[company], 1) ~~|
so zero[scompany] = VECTOR SORT ORDER(revenue[company], 0) ~~|
so down[scompany] = VECTOR SORT ORDER(revenue[company], -1) ~~|
sorted up[scompany] = VECTOR REORDER(revenue[company], so up[scompany]) ~~|
sorted down[scompany] = VECTOR REORDER(revenue[company], so down[scompany]) ~~|
rank up[company] = VECTOR RANK(revenue[company], 1) ~~|
rank zero[company] = VECTOR RANK(revenue[company], 0) ~~|
dir = 1 - 2 * STEP(1, 2) ~~|
so moving[scompany] = VECTOR SORT ORDER(revenue[company], dir) ~~|
rank moving[company] = VECTOR RANK(revenue[company], dir) ~~|
rank big[big] = VECTOR RANK(revenue[big], 1) ~~|
small[big] = 7, 2, 9 ~~|
rank small[big] = VECTOR RANK(small[big], -1) ~~|
so small[big] = VECTOR SORT ORDER(small[big], 1) ~~|
sorted small[big] = VECTOR REORDER(small[big], so small[big]) ~~|
)mdl";

void expect_elements(const Model &m, const std::string &name, const std::vector<std::string> &elements,
                     const std::vector<double> &expected, size_t at = 0) {
    ASSERT_EQ(elements.size(), expected.size());
    for (size_t i = 0; i < elements.size(); ++i)
        EXPECT_DOUBLE_EQ(series(m, name + "[" + elements[i] + "]").at(at), expected[i]) << name << "[" << elements[i] << "] at " << at;
}

const std::vector<std::string> s5{"s1", "s2", "s3", "s4", "s5"}, c5{"c1", "c2", "c3", "c4", "c5"}, big{"c1", "c3", "c4"};

} // namespace

TEST(SdVensimVectorOrder, DirectionAboveZeroAscendsAnyOtherDescends) {
    Model m = mdl(revenue_model);
    expect_elements(m, "so up", s5, {4, 1, 3, 0, 2});
    expect_elements(m, "so zero", s5, {2, 0, 3, 1, 4}); // 0 is not above 0: biggest first
    expect_elements(m, "so down", s5, {2, 0, 3, 1, 4});
    expect_elements(m, "sorted up", s5, {1, 3, 3, 5, 8});
    expect_elements(m, "sorted down", s5, {8, 5, 3, 3, 1});
    // Ranks: ascending c5 1, c2 2, c4 3, c1 4, c3 5; descending c3 1, c1 2, c4 3, c2 4, c5 5.
    expect_elements(m, "rank up", c5, {4, 2, 5, 3, 1});
    expect_elements(m, "rank zero", c5, {2, 4, 1, 3, 5});
}

TEST(SdVensimVectorOrder, ADirectionThatChangesDuringTheRunIsFollowed) {
    // dir is 1 before time 2 and -1 from then on.
    Model m = mdl(revenue_model);
    for (size_t t : {0u, 1u}) {
        expect_elements(m, "so moving", s5, {4, 1, 3, 0, 2}, t);
        expect_elements(m, "rank moving", c5, {4, 2, 5, 3, 1}, t);
    }
    for (size_t t : {2u, 3u, 4u}) {
        expect_elements(m, "so moving", s5, {2, 0, 3, 1, 4}, t);
        expect_elements(m, "rank moving", c5, {2, 4, 1, 3, 5}, t);
    }
}

TEST(SdVensimVectorOrder, SubrangesSortTheCompleteVectorOfTheLastSubscript) {
    Model m = mdl(revenue_model);
    // revenue[big] over the subrange big = c1, c3, c4 still ranks within all five companies.
    expect_elements(m, "rank big", big, {4, 5, 3});
    // A variable defined over the subrange itself: its complete vector is c1 7, c3 2, c4 9.
    // Biggest first: c4 1, c1 2, c3 3. Smallest first: c3 (position 1), c1 (0), c4 (2).
    expect_elements(m, "rank small", big, {2, 3, 1});
    expect_elements(m, "so small", big, {1, 0, 2});
    expect_elements(m, "sorted small", big, {2, 7, 9});
}

// Ties. Vensim's reference (fn_vector_rank): "If two elements are the same they will arbitrarily
// be assigned contiguous ranks"; fn_vector_sort_order says nothing about ties. Holon keeps PySD's
// rule (vector_sort_order: numpy's argsort, stable for vectors this short, flipped for a direction
// that is not above 0): tied elements in element order from smallest to biggest, in reverse
// element order from biggest to smallest. VECTOR RANK is the inverse of that order, plus 1.
// score = t1 4, t2 7, t3 4, t4 4, t5 7: ascending t1, t3, t4 (the three 4s in element order),
// then t2, t5; descending t5, t2, then t4, t3, t1.
TEST(SdVensimVectorOrder, TiesKeepElementOrderAscendingAndReverseItDescending) {
    Model m = mdl(R"mdl(
team : (t1-t5) ~~|
score[team] = 4, 7, 4, 4, 7 ~~|
so up[team] = VECTOR SORT ORDER(score[team], 1) ~~|
so down[team] = VECTOR SORT ORDER(score[team], -1) ~~|
rank up[team] = VECTOR RANK(score[team], 1) ~~|
rank down[team] = VECTOR RANK(score[team], -1) ~~|
same[team] = 2 ~~|
so same[team] = VECTOR SORT ORDER(same[team], 1) ~~|
rank same down[team] = VECTOR RANK(same[team], 0) ~~|
)mdl");
    const std::vector<std::string> t5{"t1", "t2", "t3", "t4", "t5"};
    expect_elements(m, "so up", t5, {0, 2, 3, 1, 4});
    expect_elements(m, "so down", t5, {4, 1, 3, 2, 0});
    expect_elements(m, "rank up", t5, {1, 4, 2, 3, 5});
    expect_elements(m, "rank down", t5, {5, 2, 4, 3, 1});
    // All equal: element order, and its reverse.
    expect_elements(m, "so same", t5, {0, 1, 2, 3, 4});
    expect_elements(m, "rank same down", t5, {5, 4, 3, 2, 1});
}
