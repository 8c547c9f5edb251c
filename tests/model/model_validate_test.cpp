#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model/model.hpp"

using holon::model::Issue;
using holon::model::validate;
using nlohmann::json;

namespace {

json minimal() { return json{{"format", "holon-model/1"}, {"id", "m"}, {"name", "M"}}; }

std::vector<std::string> paths(const std::vector<Issue>& issues) {
    std::vector<std::string> out;
    for (const auto& issue : issues) {
        out.push_back(issue.path);
    }
    return out;
}

TEST(ModelValidate, MinimalModelIsValid) { EXPECT_TRUE(validate(minimal()).empty()); }

TEST(ModelValidate, MessagesNameTheProblem) {
    json doc = minimal();
    doc["variables"] = json::parse(R"([{"id": "a", "name": "A", "kind": "factor"}, {"id": "a", "name": "B", "kind": "factor"}])");
    doc["links"] = json::parse(R"([{"id": "l", "from": "a", "to": "zz", "polarity": "+"}])");
    const auto issues = validate(doc);
    ASSERT_EQ(issues.size(), 2u);
    EXPECT_EQ(issues[0], (Issue{"/variables/1/id", "duplicate id 'a' (already used by /variables/0)"}));
    EXPECT_EQ(issues[1], (Issue{"/links/0/to", "unknown variable 'zz'"}));
}

TEST(ModelValidate, IdsAreUniquePerCollectionNotAcrossCollections) {
    json doc = minimal();
    doc["variables"] = json::parse(R"([{"id": "x", "name": "X", "kind": "aux"}])");
    doc["actors"] = json::parse(R"([{"id": "x", "name": "X"}])");
    doc["indicators"] = json::parse(R"([{"id": "x", "name": "X"}])");
    EXPECT_TRUE(validate(doc).empty());
}

TEST(ModelValidate, ExtensionsAreAllowedOnlyWhereDocumented) {
    json doc = minimal();
    doc["x-acme-origin"] = "import";
    doc["metadata"] = {{"anything", {1, 2}}};
    doc["methods"] = {{"sd", {{"free", "form"}}}, {"com.acme.risk", json::object()}};
    doc["variables"] = json::parse(R"([{"id": "a", "name": "A", "kind": "aux", "x-colour": "red", "sd": {"non_negative": true}}])");
    EXPECT_TRUE(validate(doc).empty());

    doc["colour"] = "red";
    doc["methods"]["Bad Namespace"] = json::object();
    doc["methods"]["sd"] = "not an object";
    EXPECT_EQ(paths(validate(doc)), (std::vector<std::string>{"/colour", "/methods/Bad Namespace", "/methods/sd"}));
}

TEST(ModelValidate, UnitTreeRecursionLevels) {
    json doc = minimal();
    doc["organisation"]["units"] = json::parse(R"([
        {"id": "root", "name": "R", "recursion_level": 1},
        {"id": "a", "name": "A", "parent": "root", "recursion_level": 1},
        {"id": "b", "name": "B", "parent": "a", "recursion_level": 2},
        {"id": "c", "name": "C", "parent": "c"}])");
    // Only the root's own level is wrong: its children are one below it as stated.
    EXPECT_EQ(paths(validate(doc)), (std::vector<std::string>{"/organisation/units/3/parent",
                                                              "/organisation/units/0/recursion_level"}));
}

TEST(ModelValidate, NoRootUnit) {
    json doc = minimal();
    doc["organisation"]["units"] = json::parse(R"([{"id": "a", "name": "A", "parent": "b"}, {"id": "b", "name": "B", "parent": "a"}])");
    const auto issues = validate(doc);
    EXPECT_EQ(paths(issues), (std::vector<std::string>{"/organisation/units", "/organisation/units/0/parent",
                                                       "/organisation/units/1/parent"}));
}

TEST(ModelValidate, ActivityModelReferences) {
    json doc = minimal();
    doc["activity_models"] = json::parse(R"([{"id": "pam", "name": "P", "root_definition": {"text": "do P by Q to R"},
        "catwoe": {"owners": [{"actor": "nobody"}], "environment": [{"text": "t", "variables": ["gone"]}]},
        "worldview_record": "b-missing",
        "activities": [{"id": "a1", "name": "One"}],
        "dependencies": [{"from": "a1", "to": "a2"}],
        "measures": [{"id": "e1", "e": "efficacy", "criterion": "c", "indicator": "i-missing"}],
        "comparison": [{"activity": "a3"}]}])");
    EXPECT_EQ(paths(validate(doc)),
              (std::vector<std::string>{"/activity_models/0/catwoe/owners/0/actor",
                                        "/activity_models/0/catwoe/environment/0/variables/0",
                                        "/activity_models/0/worldview_record", "/activity_models/0/dependencies/0/to",
                                        "/activity_models/0/measures/0/indicator",
                                        "/activity_models/0/comparison/0/activity"}));
}

// Cells within one descriptor (self-impacts, as ScenarioWizard's diagonal blocks carry them) are
// accepted only in a cross-impact matrix marked "self_impacts": true.
TEST(ModelValidate, SelfImpactsOnlyWhereTheMatrixSaysSo) {
    json doc = minimal();
    doc["scenario_sets"] = json::parse(R"([{"id": "s", "name": "S", "kind": "cib", "descriptors": [
        {"id": "A", "name": "A", "variants": [{"id": "a1", "name": "a1"}, {"id": "a2", "name": "a2"}]},
        {"id": "B", "name": "B", "variants": [{"id": "b1", "name": "b1"}]}],
        "matrices": [{"id": "cim", "kind": "cross-impact", "cells": [
            {"from": "a1", "to": "b1", "value": 1}, {"from": "a1", "to": "a2", "value": -2}]}]}])");
    auto issues = validate(doc);
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0], (Issue{"/scenario_sets/0/matrices/0/cells/1/to",
                                "variants 'a1' and 'a2' belong to the same descriptor 'A' (a self-impact needs the matrix "
                                "marked \"self_impacts\": true)"}));

    doc["scenario_sets"][0]["matrices"][0]["self_impacts"] = true;
    EXPECT_TRUE(validate(doc).empty());

    doc["scenario_sets"][0]["matrices"][0]["kind"] = "consistency";
    doc["scenario_sets"][0]["matrices"][0]["cells"] = json::parse(R"([{"from": "a1", "to": "a2", "value": 2}])");
    issues = validate(doc);
    EXPECT_EQ(paths(issues), (std::vector<std::string>{"/scenario_sets/0/matrices/0/self_impacts",
                                                       "/scenario_sets/0/matrices/0/cells/0/to"}));
}

TEST(ModelValidate, NeverThrowsOnOddDocuments) {
    for (const char* text : {"5", "null", "[]", "\"holon\"", R"({"variables": 3})", R"({"variables": [1, null, []]})",
                             R"({"links": [{"from": 1, "to": [2]}]})", R"({"organisation": {"units": [{"id": 5, "parent": {}}]}})",
                             R"({"scenario_sets": [{"descriptors": [{"variants": [{"id": 1}]}], "matrices": [{"cells": [{}]}]}]})"}) {
        const json doc = json::parse(text);
        EXPECT_NO_THROW({ EXPECT_FALSE(validate(doc).empty()) << text; }) << text;
    }
}

TEST(ModelValidate, EmbeddedSchemaIsTheSourceFile) {
    std::ifstream in(std::string(HOLON_SCHEMAS_DIR) + "/model.schema.json", std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    EXPECT_EQ(holon::model::schema_text(), text.str());
    EXPECT_EQ(json::parse(holon::model::schema_text()).at("$schema"), "http://json-schema.org/draft-07/schema#");
}

TEST(ModelValidate, EveryPropertyIsDocumented) {
    // Walk the schema: each entry of every "properties" map has a description.
    std::vector<std::string> undocumented;
    const auto walk = [&](const auto& self, const json& node, const std::string& where) -> void {
        if (node.is_object()) {
            if (node.contains("properties") && node["properties"].is_object()) {
                for (const auto& [name, sub] : node["properties"].items()) {
                    if (!sub.contains("description") && !sub.contains("$ref")) {
                        undocumented.push_back(where + "/properties/" + name);
                    }
                }
            }
            for (const auto& [key, sub] : node.items()) {
                self(self, sub, where + "/" + key);
            }
        } else if (node.is_array()) {
            for (std::size_t i = 0; i < node.size(); ++i) {
                self(self, node[i], where + "/" + std::to_string(i));
            }
        }
    };
    walk(walk, json::parse(holon::model::schema_text()), "");
    EXPECT_TRUE(undocumented.empty()) << undocumented.front();
}

}  // namespace
