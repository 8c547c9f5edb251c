// Every curl command in docs/rest.md must name an operation that exists in openapi.yaml.
#include "api_fixture.hpp"
#include "openapi_checker.hpp"

#include <regex>

namespace holon::test {
namespace {

TEST(RestDocs, EveryCurlCommandIsAnOpenApiOperation) {
    const std::string text = read_text(std::string(HOLON_SOURCE_DIR) + "/docs/rest.md");
    ASSERT_FALSE(text.empty());
    // Join continued lines, then look at each line that runs curl.
    std::string joined = std::regex_replace(text, std::regex("\\\\\n\\s*"), " ");
    std::istringstream lines(joined);
    std::string line;
    int commands = 0;
    const std::regex url("\\$HOLON(/[^\"'\\s?)]*)");
    const std::regex method("-X ([A-Z]+)");
    while (std::getline(lines, line)) {
        if (line.find("curl ") == std::string::npos) continue;
        std::smatch u;
        if (!std::regex_search(line, u, url)) continue;
        std::string path = u[1];
        std::smatch m;
        std::string verb = std::regex_search(line, m, method) ? std::string(m[1]) : std::string("GET");
        // $VARIABLES stand for ids.
        path = std::regex_replace(path, std::regex("\\$[A-Z_]+"), "id");
        ++commands;
        EXPECT_TRUE(match_operation(verb, path).has_value()) << "docs/rest.md: " << verb << " " << path;
    }
    EXPECT_GE(commands, 15);
}

}  // namespace
}  // namespace holon::test
