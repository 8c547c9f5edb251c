#include "server/json_log.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>

namespace holon::server {

namespace {

std::string now_text() {
    const auto now = std::chrono::system_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

}  // namespace

void JsonLog::info(const std::string& message, const nlohmann::json& fields) { write("info", message, fields); }
void JsonLog::warning(const std::string& message, const nlohmann::json& fields) { write("warning", message, fields); }
void JsonLog::error(const std::string& message, const nlohmann::json& fields) { write("error", message, fields); }

void JsonLog::write(const char* level, const std::string& message, const nlohmann::json& fields) {
    nlohmann::json line{{"ts", now_text()}, {"level", level}, {"msg", message}};
    if (fields.is_object())
        for (const auto& [k, v] : fields.items()) line[k] = v;
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::lock_guard lock(mutex_);
    out_ << text << '\n' << std::flush;
}

}  // namespace holon::server
