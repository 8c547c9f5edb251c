// What every ssm method does first: read the model and params, pick the activity models, and
// write findings as JSON.
#pragma once

#include "checks/checks.hpp"
#include "model/inquiry.hpp"

#include <holon/plugin.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace holon_ssm::methods {

struct Inputs {
    nlohmann::json params;
    model::Inquiry inquiry;
    std::vector<std::string> only; // params.models, checked against the model (empty: all)
    std::vector<const model::ActivityModel *> models;
};

// Refuses a model without activity models, and params.models naming an unknown model.
Inputs read_inputs(const holon::Context &ctx);

checks::Options check_options(const nlohmann::json &params);

nlohmann::json findings_json(const std::vector<checks::Finding> &findings);
nlohmann::json counts_json(const std::vector<checks::Finding> &findings);
nlohmann::json report_json(const checks::Report &report);

} // namespace holon_ssm::methods
