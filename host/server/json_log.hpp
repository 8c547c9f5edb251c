// JSON-lines logging to a stream (stdout for the server): one object per line with "ts", "level",
// "msg" and the given fields. Callers must never pass token secrets or model content.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <mutex>
#include <ostream>
#include <string>

namespace holon::server {

class JsonLog {
public:
    explicit JsonLog(std::ostream& out) : out_(out) {}
    void info(const std::string& message, const nlohmann::json& fields);
    void warning(const std::string& message, const nlohmann::json& fields);
    void error(const std::string& message, const nlohmann::json& fields);
    void write(const char* level, const std::string& message, const nlohmann::json& fields);

private:
    std::mutex mutex_;
    std::ostream& out_;
};

}  // namespace holon::server
