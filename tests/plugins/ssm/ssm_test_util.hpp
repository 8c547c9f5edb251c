// Reading the fixtures and documented examples the ssm tests share.
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace ssm_test {

inline nlohmann::json read_json_file(const std::string &path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    return nlohmann::json::parse(text.str());
}

inline nlohmann::json fixture(const std::string &name) { return read_json_file(std::string(SSM_FIXTURES) + "/" + name); }
inline nlohmann::json example(const std::string &name) { return read_json_file(std::string(SSM_EXAMPLES) + "/" + name); }

} // namespace ssm_test
