// The one CSV writer that the REST API, the CLI and the batch runner share.
#include "tables/csv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace {

using holon::tables::csv;
using holon::tables::csv_field;
using holon::tables::number_text;
using holon::tables::parse_number;

constexpr double inf = std::numeric_limits<double>::infinity();

TEST(Csv, FieldsAreQuotedOnlyWhenTheyMustBe) {
    EXPECT_EQ(csv_field("Population"), "Population");
    EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_field("the \"old\" rate"), "\"the \"\"old\"\" rate\"");
    EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
}

TEST(Csv, NumbersAreShortestRoundTripAndSpecialValuesHaveOneSpelling) {
    EXPECT_EQ(number_text(0.1), "0.1");
    EXPECT_EQ(number_text(1e300), "1e+300");
    EXPECT_EQ(number_text(std::nan("")), "NaN");
    EXPECT_EQ(number_text(inf), "Infinity");
    EXPECT_EQ(number_text(-inf), "-Infinity");
    for (double v : {0.1, 1.0 / 3.0, -2.5e-12, 123456789.0, inf, -inf}) {
        const auto back = parse_number(number_text(v));
        ASSERT_TRUE(back.has_value());
        EXPECT_EQ(*back, v);
    }
    EXPECT_TRUE(std::isnan(*parse_number("NaN")));
}

TEST(Csv, OlderSpellingsReadBackAndGarbageDoesNot) {
    EXPECT_EQ(*parse_number("inf"), inf);
    EXPECT_EQ(*parse_number("-inf"), -inf);
    EXPECT_FALSE(parse_number("").has_value());
    EXPECT_FALSE(parse_number("12abc").has_value());
    EXPECT_FALSE(parse_number("many").has_value());
}

TEST(Csv, WholeTableWithHeaderLineEndsAndPadding) {
    const std::string text = csv({"time", "stock, total"}, {{0, 1, 2}, {10, inf}}, "\r\n");
    EXPECT_EQ(text, "time,\"stock, total\"\r\n0,10\r\n1,Infinity\r\n2,NaN\r\n");
    EXPECT_EQ(csv({"t"}, {}), "t\n");
}

} // namespace
