// The one "did you mean" helper (host/suggest) every error message uses.
#include "suggest/suggest.hpp"

#include <gtest/gtest.h>

using namespace holon::suggest;

TEST(Suggest, DistanceCountsEditsAndSwapsIgnoringCaseAndSeparators) {
    EXPECT_EQ(distance("sd.simulat", "sd.simulate"), 1u);
    EXPECT_EQ(distance("metod", "method"), 1u);
    EXPECT_EQ(distance("infectoius", "infectious"), 1u);  // two neighbours swapped
    EXPECT_EQ(distance("Birth_Rate", "birth rate"), 0u);
    EXPECT_EQ(distance("", "abc"), 3u);
    EXPECT_EQ(distance("kitten", "sitting"), 3u);
}

TEST(Suggest, ClosestOnlyWhenItIsASlip) {
    const std::vector<std::string> methods = {"sd.simulate", "sd.structure", "sd.import-xmile", "cld.loops"};
    EXPECT_EQ(closest("sd.simulat", methods), "sd.simulate");
    EXPECT_EQ(closest("sd.structur", methods), "sd.structure");
    EXPECT_EQ(closest("vsm.diagnose", methods), std::nullopt);
    EXPECT_EQ(closest("rk5", {"euler", "rk2", "rk4", "cvode"}), "rk2");  // ties: the first listed
    EXPECT_EQ(closest("x", {"y"}), std::nullopt);
    EXPECT_EQ(closest("X", {"x"}), "x");
    EXPECT_EQ(closest("ab", {"xyz"}), std::nullopt);
    EXPECT_EQ(closest("same", {"same"}), std::nullopt);
}

TEST(Suggest, MessagesQuoteTheSuggestionAndListAllowedValues) {
    EXPECT_EQ(did_you_mean("equaton", {"id", "name", "equation"}), "; did you mean 'equation'?");
    EXPECT_EQ(did_you_mean("zzz", {"id", "name"}), "");
    EXPECT_EQ(did_you_mean("rk5", {"rk4"}, "\""), "; did you mean \"rk4\"?");
    EXPECT_EQ(quoted_list({"a", "b", "c"}), "'a', 'b', 'c'");
    EXPECT_EQ(quoted_list({"a", "b", "c"}, 2), "'a', 'b', ... (1 more)");
}
