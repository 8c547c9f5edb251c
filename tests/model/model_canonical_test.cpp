#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model/model.hpp"

using holon::model::canonical;
using holon::model::hash;
using nlohmann::json;

namespace {

json from(const std::string& text) { return holon::model::parse(text, "test"); }

TEST(ModelCanonical, SortsKeysAndDropsWhitespace) {
    const json doc = from("{\n  \"b\": [1, 2.5, \"x\\n\u00fc\"],\n  \"a\": {\"z\": null, \"y\": true}\n}");
    EXPECT_EQ(canonical(doc), "{\"a\":{\"y\":true,\"z\":null},\"b\":[1,2.5,\"x\\n\u00fc\"]}");
}

TEST(ModelCanonical, HashIsSha256OfTheCanonicalBytes) {
    // Oracle: printf '%s' '{"a":{"y":true,"z":null},"b":[1,2.5,"x\nü"]}' | sha256sum
    const json doc = from(R"({"b": [1, 2.5, "x\nü"], "a": {"z": null, "y": true}})");
    EXPECT_EQ(hash(doc), "sha256:294cbe2ce5e0e15b28bed8659061f684b72de6631161440f9d6f8c512fb23d87");
}

TEST(ModelCanonical, KeyOrderAndWhitespaceDoNotChangeTheHash) {
    const json a = from(R"({"format":"holon-model/1","id":"m","name":"M","variables":[{"id":"v","name":"V","kind":"aux"}]})");
    const json b = from(R"({
        "variables": [ { "kind": "aux", "name": "V", "id": "v" } ],
        "name": "M",   "id": "m",
        "format": "holon-model/1"
    })");
    EXPECT_EQ(hash(a), hash(b));
}

TEST(ModelCanonical, AChangedValueChangesTheHash) {
    const json a = from(R"({"links": [{"id": "l", "polarity": "+"}]})");
    const json b = from(R"({"links": [{"id": "l", "polarity": "-"}]})");
    EXPECT_NE(hash(a), hash(b));
    const json reordered = from(R"({"x": [1, 2]})");
    EXPECT_NE(hash(reordered), hash(from(R"({"x": [2, 1]})")));  // array order is significant
}

TEST(ModelCanonical, NumbersInShortestRoundTripForm) {
    EXPECT_EQ(canonical(from("[1.0, -0.0, 0.1, 1e21, 1.5e-7, 100, -7, 18446744073709551615, 9007199254740993.0]")),
              "[1,0,0.1,1e+21,1.5e-07,100,-7,18446744073709551615,9007199254740992]");
    EXPECT_EQ(hash(from(R"({"w": 1})")), hash(from(R"({"w": 1.0})")));
    EXPECT_EQ(hash(from(R"({"w": 0.5})")), hash(from(R"({"w": 5e-1})")));
}

TEST(ModelCanonical, StringEscapesAreMinimal) {
    EXPECT_EQ(canonical(from(R"(["\u0041\u00e9\/\t\u0001\"\\"])")), "[\"A\u00e9/\\t\\u0001\\\"\\\\\"]");
}

TEST(ModelCanonical, CanonicalTextParsesBackToAnEqualDocument) {
    const json doc = from(R"({"b": {"d": [1.25, false, null], "c": "text"}, "a": -3})");
    const json again = from(canonical(doc));
    EXPECT_EQ(again, doc);
    EXPECT_EQ(canonical(again), canonical(doc));
}

TEST(ModelCanonical, InvalidUtf8BuiltInMemoryIsAModelError) {
    const json doc = {{"name", std::string("caf\xe9")}};
    EXPECT_THROW((void)canonical(doc), holon::model::ModelError);
}

TEST(ModelCanonical, NonFiniteNumbersAreRejected) {
    const json doc = {{"w", std::numeric_limits<double>::infinity()}};
    EXPECT_THROW((void)hash(doc), holon::model::ModelError);
}

}  // namespace
