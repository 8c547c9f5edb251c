#include "test_models.hpp"

#include "critique/critique.hpp"

#include <fstream>
#include <stdexcept>

namespace csh_test {

using nlohmann::json;

json load(const std::string &file) {
    std::ifstream in(std::string(CSH_TEST_DATA) + "/" + file);
    if (!in) throw std::runtime_error("cannot read " + file);
    return json::parse(in);
}

json clean() { return load("clean.model.json"); }

json record(const std::string &id, const std::string &perspective, int category, const std::string &mode, const json &refs) {
    return {{"id", id}, {"category", category}, {"mode", mode}, {"perspective", {{"actor", perspective}}}, {"answer", id}, {"refs", refs}};
}

json &record_of(json &doc, const std::string &id) {
    for (json &r : doc["boundary"])
        if (r["id"] == id) return r;
    throw std::runtime_error("no record " + id);
}

json findings(const json &doc) { return holon_csh::critique(holon_csh::read_model(doc))["findings"]; }

std::vector<std::string> codes(const json &doc) {
    std::vector<std::string> out;
    for (const json &f : findings(doc)) out.push_back(f["code"].get<std::string>());
    return out;
}

} // namespace csh_test
