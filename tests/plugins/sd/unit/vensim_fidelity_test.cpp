// Issue 19: Vensim constructs real models use, each on a small model of our own whose expected
// output is worked out by hand from Vensim's documented semantics (never from Holon's output).
#include "helpers.hpp"
#include "ir/error.hpp"
#include "model_json/model_json.hpp"
#include "xmile/reader.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
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

