#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model/model.hpp"

using holon::model::ModelError;
using holon::model::parse;
using holon::model::ParseLimits;

namespace {

ModelError parse_error(const std::string& text, const ParseLimits& limits = {}) {
    try {
        (void)parse(text, "model.json", limits);
    } catch (const ModelError& e) {
        return e;
    }
    ADD_FAILURE() << "no ModelError for: " << text.substr(0, 80);
    return ModelError("", 0, 0, "", "");
}

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(ModelParse, ParsesAValidDocument) {
    const auto doc = parse(R"({"format": "holon-model/1", "id": "m", "name": "M"})", "m.json");
    EXPECT_EQ(doc.at("id"), "m");
}

TEST(ModelParse, SyntaxErrorGivesFileLineAndColumn) {
    const ModelError e = parse_error("{\n  \"id\": \"m\",\n  \"name\": ,\n}");
    EXPECT_EQ(e.source, "model.json");
    EXPECT_EQ(e.line, 3);
    EXPECT_EQ(e.column, 11);
    EXPECT_EQ(std::string(e.what()).rfind("model.json:3:11: ", 0), 0u) << e.what();
}

TEST(ModelParse, TruncatedDocumentPointsAtTheEnd) {
    const ModelError e = parse_error("{\"a\": [1, 2");
    EXPECT_EQ(e.line, 1);
    EXPECT_EQ(e.column, 12);
}

TEST(ModelParse, InvalidUtf8IsRejected) {
    const ModelError e = parse_error("{\"name\": \"caf\xe9\"}");
    EXPECT_EQ(e.line, 1);
    EXPECT_GT(e.column, 0);
}

TEST(ModelParse, NumberOverflowIsAModelError) {
    const ModelError e = parse_error("{\"w\": 1e999}");
    EXPECT_NE(std::string(e.what()).find("1e999"), std::string::npos) << e.what();
}

TEST(ModelParse, DuplicateKeyIsReportedWithItsPath) {
    const ModelError e = parse_error(R"({"variables": [{"id": "a"}, {"id": "b", "name": "B", "id": "c"}]})");
    EXPECT_EQ(e.path, "/variables/1/id");
    EXPECT_EQ(std::string(e.what()), "model.json: /variables/1/id: duplicate key 'id'");
}

TEST(ModelParse, SameKeyInSiblingObjectsIsFine) {
    EXPECT_NO_THROW((void)parse(R"({"a": {"k": 1}, "b": {"k": 2}, "c": [{"k": 1}, {"k": 2}]})", "x"));
}

TEST(ModelParse, DepthLimitAllows256AndRejects257) {
    EXPECT_NO_THROW((void)parse(nested(256), "deep.json"));
    const ModelError e = parse_error(nested(257));
    EXPECT_EQ(e.line, 1);
    EXPECT_EQ(e.column, 257);
    EXPECT_NE(std::string(e.what()).find("nesting deeper than 256"), std::string::npos);
}

TEST(ModelParse, BracketsInsideStringsDoNotCountTowardsDepth) {
    const std::string text = "{\"equation\": \"" + std::string(1000, '[') + "\\\"" + std::string(1000, '{') + "\"}";
    EXPECT_NO_THROW((void)parse(text, "x"));
}

TEST(ModelParse, DepthLimitIsConfigurable) {
    ParseLimits limits;
    limits.max_depth = 3;
    EXPECT_NO_THROW((void)parse(R"({"a": {"b": []}})", "x", limits));
    EXPECT_EQ(parse_error(R"({"a": {"b": [[]]}})", limits).column, 14);
}

TEST(ModelParse, SizeLimit) {
    ParseLimits limits;
    limits.max_bytes = 16;
    EXPECT_NO_THROW((void)parse(R"({"a": 1})", "x", limits));
    const ModelError e = parse_error(R"({"abc": "defghijklmnop"})", limits);
    EXPECT_EQ(e.line, 0);
    EXPECT_NE(std::string(e.what()).find("more than the limit of 16"), std::string::npos) << e.what();
}

TEST(ModelParse, DefaultLimitsAre64MiBAnd256) {
    const ParseLimits limits;
    EXPECT_EQ(limits.max_bytes, 64u * 1024u * 1024u);
    EXPECT_EQ(limits.max_depth, 256u);
}

}  // namespace
