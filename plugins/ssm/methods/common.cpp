#include "methods/common.hpp"

#include <holon/inputs.hpp>

#include <algorithm>

namespace holon_ssm::methods {

using nlohmann::json;

Inputs read_inputs(const holon::Context &ctx) {
    Inputs in;
    in.params = holon::read_params(ctx);
    const json document = holon::read_model(ctx);
    in.inquiry = model::read_inquiry(document);
    if (in.inquiry.models.empty()) holon::fail_model("/activity_models", "the model has no activity models (SSM root definitions) to work on");
    if (in.params.contains("models")) {
        const json &wanted = in.params["models"];
        for (std::size_t i = 0; i < wanted.size(); ++i) {
            const std::string id = wanted[i].get<std::string>();
            if (std::none_of(in.inquiry.models.begin(), in.inquiry.models.end(), [&](const model::ActivityModel &m) { return m.id == id; }))
                holon::fail_params(holon::at("/models", i), "unknown activity model '" + id + "'");
            in.only.push_back(id);
        }
    }
    for (const model::ActivityModel &m : in.inquiry.models)
        if (in.only.empty() || std::find(in.only.begin(), in.only.end(), m.id) != in.only.end()) in.models.push_back(&m);
    return in;
}

checks::Options check_options(const json &params) {
    checks::Options options;
    options.owner_min_power = params.value("owner_min_power", options.owner_min_power);
    options.min_operational = params.value("min_operational", options.min_operational);
    options.max_operational = params.value("max_operational", options.max_operational);
    if (options.min_operational > options.max_operational)
        holon::fail_params("/max_operational", "max_operational is less than min_operational");
    return options;
}

json findings_json(const std::vector<checks::Finding> &findings) {
    json out = json::array();
    for (const checks::Finding &f : findings) {
        json entities = json::array();
        for (const checks::Entity &e : f.entities) entities.push_back({{"type", e.type}, {"id", e.id}, {"name", e.name}});
        out.push_back({{"code", f.code},
                       {"severity", checks::severity_name(f.severity)},
                       {"model", f.model},
                       {"model_name", f.model_name},
                       {"entities", std::move(entities)},
                       {"message", f.message}});
    }
    return out;
}

json counts_json(const std::vector<checks::Finding> &findings) {
    json counts = {{"error", 0}, {"warning", 0}, {"info", 0}};
    for (const checks::Finding &f : findings) counts[checks::severity_name(f.severity)] = counts[checks::severity_name(f.severity)].get<int>() + 1;
    return counts;
}

json report_json(const checks::Report &report) {
    json assessed = json::array();
    for (const checks::Assessment &a : report.assessed) {
        json skipped = json::array();
        for (const auto &[code, why] : a.not_assessed) skipped.push_back({{"code", code}, {"reason", why}});
        assessed.push_back({{"model", a.model}, {"name", a.name}, {"passed", a.passed}, {"failed", a.failed}, {"not_assessed", skipped}});
    }
    json joins = json::array();
    for (const checks::Joins &j : report.joins)
        joins.push_back({{"model", j.model}, {"t_path", j.t_path}, {"worldview_answers", j.worldview_answers}});
    return {{"findings", findings_json(report.findings)}, {"counts", counts_json(report.findings)}, {"assessed", assessed}, {"joins", joins}};
}

} // namespace holon_ssm::methods
