// Fixtures for the csh tests: the clean example (tests/plugins/csh/data/clean.model.json, which
// triggers no finding) and one mutation of it per check, each triggering exactly that finding.
#pragma once

#include "core/model.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace csh_test {

nlohmann::json load(const std::string &file); // from tests/plugins/csh/data
nlohmann::json clean();

// A model of csh records only: {perspective actor, category, mode, actor refs / variable refs}.
nlohmann::json record(const std::string &id, const std::string &perspective, int category, const std::string &mode,
                      const nlohmann::json &refs);

// The record of `doc` with this id (throws when absent).
nlohmann::json &record_of(nlohmann::json &doc, const std::string &id);

// Codes of the findings of csh.critique over `doc`, in order.
std::vector<std::string> codes(const nlohmann::json &doc);
nlohmann::json findings(const nlohmann::json &doc);

} // namespace csh_test
