// Every example model in schemas/examples must validate; every broken one in
// schemas/examples/invalid must produce exactly the issue paths listed in its .expected file.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model/model.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kExamples = fs::path(HOLON_SCHEMAS_DIR) / "examples";

std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<fs::path> models_in(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && name.ends_with(".model.json")) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string describe(const std::vector<holon::model::Issue>& issues) {
    std::string out;
    for (const auto& issue : issues) {
        out += "  " + (issue.path.empty() ? std::string("(root)") : issue.path) + ": " + issue.message + "\n";
    }
    return out;
}

TEST(ModelExamples, EveryExampleIsValid) {
    const auto files = models_in(kExamples);
    ASSERT_GE(files.size(), 5u) << "examples missing from " << kExamples;
    for (const auto& file : files) {
        const nlohmann::json doc = holon::model::parse(read(file), file.string());
        const auto issues = holon::model::validate(doc);
        EXPECT_TRUE(issues.empty()) << file << ":\n" << describe(issues);
    }
}

TEST(ModelExamples, EveryInvalidExampleReportsExactlyTheExpectedPaths) {
    const auto files = models_in(kExamples / "invalid");
    ASSERT_GE(files.size(), 8u);
    for (const auto& file : files) {
        fs::path expected_file = file;
        expected_file.replace_extension().replace_extension(".expected");
        ASSERT_TRUE(fs::exists(expected_file)) << expected_file;
        std::set<std::string> expected;
        std::istringstream lines(read(expected_file));
        for (std::string line; std::getline(lines, line);) {
            if (!line.empty()) {
                expected.insert(line);
            }
        }
        const auto issues = holon::model::validate(holon::model::parse(read(file), file.string()));
        std::set<std::string> reported;
        for (const auto& issue : issues) {
            reported.insert(issue.path);
        }
        EXPECT_EQ(reported, expected) << file << " reported:\n" << describe(issues);
    }
}

}  // namespace
