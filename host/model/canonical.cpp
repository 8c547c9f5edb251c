#include <cmath>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "digest/sha256.hpp"
#include "model/model.hpp"

namespace holon::model {
namespace {

// Up to 2^53 every integer is exactly representable as a double, so writing such doubles as
// integers cannot merge two different values.
constexpr double kExactIntegerLimit = 9007199254740992.0;

void write_string(const std::string& text, std::string& out) {
    try {
        out += nlohmann::json(text).dump();
    } catch (const nlohmann::json::type_error& e) {
        throw ModelError("", 0, 0, "", std::string("not valid UTF-8: ") + e.what());
    }
}

void write_number(const nlohmann::json& value, std::string& out) {
    if (value.is_number_float()) {
        const double d = value.get<double>();
        if (!std::isfinite(d)) {
            throw ModelError("", 0, 0, "", "numbers must be finite");
        }
        if (d == std::trunc(d) && std::fabs(d) <= kExactIntegerLimit) {
            out += std::to_string(static_cast<long long>(d));  // also turns -0.0 into 0
            return;
        }
    }
    out += value.dump();  // integers exactly; other doubles in nlohmann's shortest round-trip form
}

void write(const nlohmann::json& value, std::string& out) {
    switch (value.type()) {
        case nlohmann::json::value_t::object: {
            out += '{';
            bool first = true;
            for (const auto& [key, member] : value.items()) {  // std::map: sorted by bytes
                if (!first) {
                    out += ',';
                }
                first = false;
                write_string(key, out);
                out += ':';
                write(member, out);
            }
            out += '}';
            break;
        }
        case nlohmann::json::value_t::array: {
            out += '[';
            for (std::size_t i = 0; i < value.size(); ++i) {
                if (i > 0) {
                    out += ',';
                }
                write(value[i], out);
            }
            out += ']';
            break;
        }
        case nlohmann::json::value_t::string:
            write_string(value.get_ref<const std::string&>(), out);
            break;
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float:
            write_number(value, out);
            break;
        case nlohmann::json::value_t::binary:
            throw ModelError("", 0, 0, "", "binary values have no JSON form");
        case nlohmann::json::value_t::discarded:
            throw ModelError("", 0, 0, "", "discarded values have no JSON form");
        case nlohmann::json::value_t::boolean:
        case nlohmann::json::value_t::null:
            out += value.dump();
            break;
    }
}

}  // namespace

std::string canonical(const nlohmann::json& doc) {
    std::string out;
    write(doc, out);
    return out;
}

std::string hash(const nlohmann::json& doc) {
    const std::string text = canonical(doc);
    return "sha256:" + digest::sha256_hex(text);
}

}  // namespace holon::model
