#include "equations/parser.hpp"
#include "helpers.hpp"
#include "ir/error.hpp"

using namespace holon_sd;
using namespace holon_sd::test;

namespace {
double eval(const std::string &eqn) { return value_of({aux("x", eqn)}, "x"); }
} // namespace

TEST(SdParser, ArithmeticPrecedence) {
    EXPECT_DOUBLE_EQ(eval("1 + 2 * 3"), 7);
    EXPECT_DOUBLE_EQ(eval("(1 + 2) * 3"), 9);
    EXPECT_DOUBLE_EQ(eval("4 - 5 + 6"), 5);
    EXPECT_DOUBLE_EQ(eval("8 / 4 / 2"), 1);
}

TEST(SdParser, PowerIsRightAssociativeAndBindsTighterThanUnaryMinus) {
    EXPECT_DOUBLE_EQ(eval("2 ^ 3 ^ 2"), 512);
    EXPECT_DOUBLE_EQ(eval("-2 ^ 2"), -4);
    EXPECT_DOUBLE_EQ(eval("2 ^ -1"), 0.5);
}

TEST(SdParser, LogicAndComparisons) {
    EXPECT_DOUBLE_EQ(eval("IF 1 < 2 AND NOT 0 THEN 10 ELSE 20"), 10);
    EXPECT_DOUBLE_EQ(eval("IF 1 > 2 OR 3 <> 3 THEN 10 ELSE 20"), 20);
    EXPECT_DOUBLE_EQ(eval("if 2 >= 2 then 1 else 0"), 1);
    EXPECT_DOUBLE_EQ(eval("7 mod 3"), 1);
}

TEST(SdParser, ReportsTheOffsetOfASyntaxError) {
    try {
        parse_equation("1 + * 2");
        FAIL() << "no error";
    } catch (const ModelError &e) {
        EXPECT_NE(std::string(e.what()).find("character 5"), std::string::npos) << e.what();
    }
}

TEST(SdNames, CaseSpacesUnderscoresAndQuotesAreEquivalent) {
    EXPECT_EQ(canonical_name("Teacup_Temperature"), "teacup temperature");
    EXPECT_EQ(canonical_name("\"teacup  temperature\""), "teacup temperature");
    // Stella writes a line break in a label as the two characters \n.
    EXPECT_EQ(canonical_name("size of one\\ntime lynx harvest"), "size of one time lynx harvest");
    EXPECT_EQ(canonical_name("\\nlynx\\n"), "lynx");
    EXPECT_EQ(canonical_name("a\\_\\nb"), "a\\ b"); // a lone backslash stays part of the name
    EXPECT_EQ(canonical_name(" TEACUP__ temperature "), "teacup temperature");
    EXPECT_DOUBLE_EQ(value_of({aux("Room Temperature", "70"), aux("y", "room_TEMPERATURE + \"Room Temperature\"")}, "y"), 140);
}

TEST(SdParser, StellaPostfixNotBeforeThenElseOrClose) {
    EXPECT_DOUBLE_EQ(eval("IF 0 not THEN 1 ELSE 2"), 1);
    EXPECT_DOUBLE_EQ(eval("IF 3 not THEN 1 ELSE 2"), 2);
    EXPECT_DOUBLE_EQ(eval("(5 not) + 1"), 1);
    EXPECT_THROW(parse_equation("1 not 2"), ModelError);
}
