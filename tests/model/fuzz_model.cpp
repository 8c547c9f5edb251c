// libFuzzer target: any bytes through holon::model::parse, then validate, canonical and hash.
// Properties checked: nothing but ModelError escapes parse; validate never throws; the canonical
// form of a parsed document parses back to an equal document with the same canonical bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    nlohmann::json doc;
    try {
        doc = holon::model::parse(text, "fuzz");
    } catch (const holon::model::ModelError&) {
        return 0;
    }
    (void)holon::model::validate(doc);
    const std::string canonical = holon::model::canonical(doc);
    const nlohmann::json again = holon::model::parse(canonical, "canonical");
    if (again != doc || holon::model::canonical(again) != canonical) {
        std::abort();
    }
    (void)holon::model::hash(doc);
    return 0;
}
