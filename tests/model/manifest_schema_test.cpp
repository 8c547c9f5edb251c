#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jsonschema/json_schema.hpp"
#include "model/model.hpp"

using holon::jsonschema::Schema;
using nlohmann::json;

namespace {

class ManifestSchemaTest : public ::testing::Test {
protected:
    Schema schema = Schema::parse(holon::model::manifest_schema_text());

    static json manifest() {
        return json::parse(R"({"id": "sd", "version": "1.2.0", "abi": "1.0", "library": "sd.so",
            "license": "Apache-2.0", "description": "System dynamics", "homepage": "https://example.org/sd",
            "methods": ["sd.simulate", "sd.loops"],
            "limits": {"sd.simulate": {"wall_seconds": 60, "cpu_seconds": 50, "memory_mb": 512, "output_mb": 64}}})");
    }

    std::vector<std::string> paths_with(const std::string& pointer, const json& value) const {
        json doc = manifest();
        doc[json::json_pointer(pointer)] = value;
        std::vector<std::string> out;
        for (const auto& v : schema.validate(doc)) {
            out.push_back(v.path);
        }
        return out;
    }
};

TEST_F(ManifestSchemaTest, CompleteManifestIsValid) { EXPECT_TRUE(schema.validate(manifest()).empty()); }

TEST_F(ManifestSchemaTest, MinimalManifestIsValid) {
    EXPECT_TRUE(schema.validate(json::parse(R"({"id": "cld", "version": "0.1.0", "abi": "1.0",
        "library": "cld.so", "methods": ["cld.loops"]})")).empty());
}

TEST_F(ManifestSchemaTest, VersionMustBeSemver) {
    EXPECT_TRUE(paths_with("/version", "2.0.0-rc.1+build.5").empty());
    EXPECT_EQ(paths_with("/version", "1.2"), std::vector<std::string>{"/version"});
    EXPECT_EQ(paths_with("/version", "01.2.3"), std::vector<std::string>{"/version"});
}

TEST_F(ManifestSchemaTest, AbiIsMajorDotMinor) {
    EXPECT_EQ(paths_with("/abi", "1"), std::vector<std::string>{"/abi"});
    EXPECT_EQ(paths_with("/abi", 1.0), std::vector<std::string>{"/abi"});
}

TEST_F(ManifestSchemaTest, LibraryIsAPlainFileName) {
    EXPECT_EQ(paths_with("/library", "../evil.so"), std::vector<std::string>{"/library"});
    EXPECT_EQ(paths_with("/library", "lib/sd.so"), std::vector<std::string>{"/library"});
    EXPECT_EQ(paths_with("/library", ".."), std::vector<std::string>{"/library"});
    EXPECT_TRUE(paths_with("/library", "libsd-1.2.so").empty());
}

TEST_F(ManifestSchemaTest, MethodsAndLimits) {
    EXPECT_EQ(paths_with("/methods", json::array()), std::vector<std::string>{"/methods"});
    EXPECT_EQ(paths_with("/methods/1", "Simulate"), std::vector<std::string>{"/methods/1"});
    EXPECT_EQ(paths_with("/limits/sd.simulate/wall_seconds", 0), std::vector<std::string>{"/limits/sd.simulate/wall_seconds"});
    EXPECT_EQ(paths_with("/limits/sd.simulate/gpu", 1), std::vector<std::string>{"/limits/sd.simulate/gpu"});
    EXPECT_EQ(paths_with("/homepage", "ftp://x"), std::vector<std::string>{"/homepage"});
    EXPECT_EQ(paths_with("/extra", true), std::vector<std::string>{"/extra"});
}

}  // namespace
