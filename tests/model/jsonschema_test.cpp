#include "jsonschema/json_schema.hpp"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using holon::jsonschema::Schema;
using holon::jsonschema::SchemaError;
using holon::jsonschema::Violation;
using nlohmann::json;

namespace {

const char* const kModelLikeSchema = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "required": ["id", "variables"],
  "additionalProperties": false,
  "properties": {
    "id": {"$ref": "#/definitions/id"},
    "variables": {"type": "array", "items": {"$ref": "#/definitions/variable"}},
    "weight": {"type": "number", "minimum": 0},
    "value": {"oneOf": [{"type": "string"}, {"type": "number"}]},
    "when": {"type": "string", "format": "date-time"}
  },
  "definitions": {
    "id": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_.-]*$"},
    "variable": {
      "type": "object",
      "required": ["id", "kind"],
      "additionalProperties": false,
      "properties": {
        "id": {"$ref": "#/definitions/id"},
        "kind": {"enum": ["stock", "flow", "aux"]},
        "equation": {"type": "string"}
      }
    }
  }
})";

std::vector<std::string> paths(const std::vector<Violation>& violations) {
    std::vector<std::string> out;
    for (const auto& v : violations) {
        out.push_back(v.path);
    }
    return out;
}

class JsonSchemaTest : public ::testing::Test {
protected:
    Schema schema = Schema::parse(kModelLikeSchema);
};

TEST_F(JsonSchemaTest, ValidDocumentHasNoViolations) {
    const json doc = json::parse(R"({"id": "m1", "variables": [{"id": "v1", "kind": "stock"}],
                                     "weight": 0, "value": 3, "when": "2024-05-01T10:00:00Z"})");
    EXPECT_TRUE(schema.validate(doc).empty());
}

TEST_F(JsonSchemaTest, MissingRequiredPropertyNamesTheProperty) {
    const auto v = schema.validate(json::parse(R"({"variables": []})"));
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].path, "");
    EXPECT_EQ(v[0].message, "missing required property 'id'");
}

TEST_F(JsonSchemaTest, NestedErrorReportsOnlyTheDeepestPath) {
    const json doc = json::parse(R"({"id": "m", "variables": [
        {"id": "a", "kind": "stock"}, {"id": "b", "kind": "stock"}, {"id": "c", "kind": "valve"}]})");
    const auto v = schema.validate(doc);
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].path, "/variables/2/kind");
    EXPECT_EQ(v[0].message,
              "value \"valve\" is not one of the allowed values (allowed: \"stock\", \"flow\", \"aux\")");
}

TEST_F(JsonSchemaTest, TypeErrorNamesTheActualType) {
    const auto v = schema.validate(json::parse(R"({"id": "m", "variables": {}})"));
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].path, "/variables");
    EXPECT_EQ(v[0].message, "wrong type: object is not allowed here");
}

TEST_F(JsonSchemaTest, PatternThroughRefReportsTheString) {
    const auto v = schema.validate(json::parse(R"({"id": "9lives", "variables": []})"));
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].path, "/id");
    EXPECT_EQ(v[0].message, "string \"9lives\" does not match the required pattern");
}

TEST_F(JsonSchemaTest, AdditionalPropertyPointsAtTheProperty) {
    const auto v = schema.validate(
        json::parse(R"({"id": "m", "variables": [{"id": "a", "kind": "aux", "equaton": "1"}]})"));
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].path, "/variables/0/equaton");
    EXPECT_EQ(v[0].message,
              "property 'equaton' is not allowed; did you mean 'equation'? (allowed: 'equation', 'id', 'kind')");
}

TEST_F(JsonSchemaTest, MinimumAndOneOf) {
    const auto v = schema.validate(json::parse(R"({"id": "m", "variables": [], "weight": -1, "value": true})"));
    EXPECT_EQ(paths(v), (std::vector<std::string>{"/value", "/weight"}));
    EXPECT_EQ(v[0].message, "wrong type: boolean is not allowed here");
    EXPECT_NE(v[1].message.find("greater than or equal to 0"), std::string::npos) << v[1].message;
}

TEST_F(JsonSchemaTest, SeveralErrorsAreAllReportedOnceEach) {
    json doc = json::parse(R"({"variables": [{"kind": "stock"}, {"id": "", "kind": "flow"}]})");
    for (int i = 0; i < 9; ++i) {
        doc["variables"].push_back(json{{"id", "v"}, {"kind", "aux"}});
    }
    doc["variables"].push_back(json{{"id", "v"}, {"kind", 1}});
    const auto v = schema.validate(doc);
    EXPECT_EQ(paths(v), (std::vector<std::string>{"", "/variables/0", "/variables/1/id", "/variables/11/kind"}));
}

TEST_F(JsonSchemaTest, FormatDateTimeIsChecked) {
    const auto v = schema.validate(json::parse(R"({"id": "m", "variables": [], "when": "yesterday"})"));
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].path, "/when");
}

TEST_F(JsonSchemaTest, FormatOnNonStringIsATypeErrorNotACrash) {
    const auto v = schema.validate(json::parse(R"({"id": "m", "variables": [], "when": 5})"));
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].path, "/when");
    EXPECT_EQ(v[0].message, "wrong type: number is not allowed here");
}

TEST_F(JsonSchemaTest, VeryLongStringUnderPatternIsRejectedWithoutCrashing) {
    json doc = json::parse(R"({"variables": []})");
    doc["id"] = std::string(200000, 'a');
    const auto v = schema.validate(doc);
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].path, "/id");
    EXPECT_NE(v[0].message.find("no more than 2048"), std::string::npos) << v[0].message;
}

TEST(JsonSchemaPointer, KeysWithSlashAndTildeAreEscaped) {
    const Schema schema = Schema::parse(R"({"additionalProperties": {"type": "integer"}})");
    const auto v = schema.validate(json::parse(R"({"a/b~c": "x", "[d]": 1.5})"));
    EXPECT_EQ(paths(v), (std::vector<std::string>{"/[d]", "/a~1b~0c"}));
}

TEST(JsonSchemaPointer, LongKeysUnderPatternPropertiesAreReported) {
    const Schema schema = Schema::parse(R"({"patternProperties": {"^x-": {}}, "additionalProperties": false})");
    json doc = json::object();
    doc["ok"] = json::object({{std::string(5000, 'k'), 1}});
    const auto v = schema.validate(doc);
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].path, "/ok/" + std::string(5000, 'k'));
}

TEST(JsonSchemaParse, NotJsonIsASchemaError) {
    try {
        (void)Schema::parse("{\"type\": \"object\",\n  oops}");
        FAIL() << "expected SchemaError";
    } catch (const SchemaError& e) {
        EXPECT_NE(std::string(e.what()).find("line 2, column 3"), std::string::npos) << e.what();
    }
}

TEST(JsonSchemaParse, UnusableSchemasAreSchemaErrors) {
    EXPECT_THROW((void)Schema::parse("42"), SchemaError);
    EXPECT_THROW((void)Schema::parse(R"({"type": 7})"), SchemaError);
    EXPECT_THROW((void)Schema::parse(R"({"pattern": "([a-z"})"), SchemaError);
    EXPECT_THROW((void)Schema::parse(R"({"$ref": "#/definitions/missing"})"), SchemaError);
    EXPECT_THROW((void)Schema::parse(R"({"properties": {"a": {"$ref": "http://example.com/s.json"}}})"),
                 SchemaError);
}

TEST(JsonSchemaParse, FromJsonMatchesParse) {
    const Schema schema = Schema::from_json(json{{"type", "array"}, {"minItems", 2}});
    EXPECT_TRUE(schema.validate(json::array({1, 2})).empty());
    EXPECT_EQ(schema.validate(json::array({1})).size(), 1u);
}

TEST(JsonSchemaText, ParseErrorsBecomeOneViolationWithLineAndColumn) {
    const Schema schema = Schema::parse(R"({"type": "object"})");
    const auto v = schema.validate_text("{\n  \"a\": 1,\n  \"b\": tru\n}");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].path, "");
    EXPECT_EQ(v[0].message.rfind("line 3, column ", 0), 0u) << v[0].message;
    EXPECT_EQ(v[0].message.find('\n'), std::string::npos);
    EXPECT_TRUE(schema.validate_text(R"({"a": 1})").empty());
    EXPECT_EQ(schema.validate_text("[1]").size(), 1u);
}

TEST(JsonSchemaThreads, CopiesValidateConcurrently) {
    const Schema original = Schema::parse(kModelLikeSchema);
    const json bad = json::parse(R"({"id": "m", "variables": [{"id": "a", "kind": "x"}]})");
    std::vector<std::thread> threads;
    std::vector<std::size_t> counts(4, 0);
    for (std::size_t t = 0; t < counts.size(); ++t) {
        threads.emplace_back([&, t, copy = original] {
            for (int i = 0; i < 200; ++i) {
                counts[t] += copy.validate(bad).size();
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    for (std::size_t count : counts) {
        EXPECT_EQ(count, 200u);
    }
}

// Issue 14: the validator recurses per level; a text nested 100,000 levels deep (a plugin's
// result, say) used to overflow the stack. It is refused before it is parsed.
TEST_F(JsonSchemaTest, TextsNestedTooDeeplyAreRefusedNotFollowed) {
    const std::string deep = R"({"id":"m","variables":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
    const auto violations = schema.validate_text(deep);
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].message, "nesting deeper than 256 levels");
    EXPECT_EQ(violations[0].path, "");
    // Brackets inside strings do not count: such a document is validated as usual (here the
    // id's pattern refuses it, at its own path).
    const std::string quoted = R"({"id":")" + std::string(1000, '[') +
                               R"(","variables":[{"id":"v1","kind":"stock"}],"weight":0,"value":3})";
    const auto usual = schema.validate_text(quoted);
    ASSERT_EQ(usual.size(), 1u);
    EXPECT_EQ(usual[0].path, "/id");
}

}  // namespace

// Issue 18: messages that say how to fix the input.
TEST(JsonSchemaMessages, EnumListsAllowedValuesAndSuggestsTheClosest) {
    const Schema schema = Schema::parse(R"({"type": "object", "properties": {
        "method": {"type": "string", "enum": ["euler", "rk2", "rk4", "cvode"]}}})");
    const auto v = schema.validate(json::parse(R"({"method": "eulr"})"));
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].path, "/method");
    EXPECT_EQ(v[0].message, "value \"eulr\" is not one of the allowed values; did you mean \"euler\"? "
                            "(allowed: \"euler\", \"rk2\", \"rk4\", \"cvode\")");
}

TEST(JsonSchemaMessages, UnknownPropertyThroughRefsAndOneOfListsEveryAllowedOne) {
    const Schema schema = Schema::parse(R"({"type": "object", "additionalProperties": false,
        "properties": {"runs": {"type": "array", "items": {"$ref": "#/definitions/run"}}},
        "definitions": {"run": {"type": "object", "additionalProperties": false,
            "properties": {"start": {"type": "number"}, "stop": {"type": "number"}, "save_step": {"type": "number"}}}}})");
    const auto v = schema.validate(json::parse(R"({"runs": [{"stop": 1}, {"savestep": 2}]})"));
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].path, "/runs/1/savestep");
    EXPECT_EQ(v[0].message, "property 'savestep' is not allowed; did you mean 'save_step'? "
                            "(allowed: 'save_step', 'start', 'stop')");
    const auto top = schema.validate(json::parse(R"({"rnus": []})"));
    ASSERT_EQ(top.size(), 1u);
    EXPECT_EQ(top[0].message, "property 'rnus' is not allowed; did you mean 'runs'? (allowed: 'runs')");
}

TEST(JsonSchemaMessages, NumbersArePrintedAsWritten) {
    const Schema schema = Schema::parse(R"({"properties": {"category": {"type": "integer", "maximum": 12},
        "dt": {"type": "number", "exclusiveMinimum": 0.25}}})");
    const auto v = schema.validate(json::parse(R"({"category": 13, "dt": 0})"));
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v[0].message, "expected number less than or equal to 12");
    EXPECT_EQ(v[1].message, "expected number greater than 0.25");
}
