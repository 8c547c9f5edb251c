// /livez, /readyz, /metrics and /v1/openapi.json.
#include "api/openapi.hpp"
#include "api/routes.hpp"
#include "jobs/job_engine.hpp"

#include <sstream>

namespace holon::api {

namespace {

Response livez(Call&) { return json_response(200, {{"status", "ok"}}); }

Response readyz(Call& call) {
    const std::string why = call.services.readiness ? call.services.readiness() : std::string();
    if (!why.empty()) throw problems::not_ready(why);
    return json_response(200, {{"status", "ok"}, {"checks", {{"store", "ok"}, {"runners", "ok"}}}});
}

Response metrics(Call& call) {
    std::ostringstream out;
    if (call.services.metrics) out << call.services.metrics->render();
    if (call.services.jobs) {
        const auto s = call.services.jobs->stats();
        out << "# HELP holon_runs_finished_total Runs this server finished, by final state.\n"
               "# TYPE holon_runs_finished_total counter\n"
            << "holon_runs_finished_total{state=\"succeeded\"} " << s.succeeded << '\n'
            << "holon_runs_finished_total{state=\"failed\"} " << s.failed << '\n'
            << "holon_runs_finished_total{state=\"cancelled\"} " << s.cancelled << '\n'
            << "# HELP holon_runs_started_total Runs this server claimed and started.\n"
               "# TYPE holon_runs_started_total counter\n"
            << "holon_runs_started_total " << s.started << '\n'
            << "# HELP holon_runs_running Runs executing on this server now.\n"
               "# TYPE holon_runs_running gauge\n"
            << "holon_runs_running " << s.active << '\n'
            << "# HELP holon_runner_crashes_total Runs whose runner process died of a signal.\n"
               "# TYPE holon_runner_crashes_total counter\n"
            << "holon_runner_crashes_total " << s.runner_crashes << '\n';
    }
    Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = out.str();
    return r;
}

Response openapi(Call&) {
    Response r;
    r.content_type = "application/json";
    r.body = OpenApi::embedded().json_text();
    return r;
}

}  // namespace

void add_health_routes(std::vector<RouteDef>& routes) {
    routes.push_back({"getLivez", Access::open, livez});
    routes.push_back({"getReadyz", Access::open, readyz});
    routes.push_back({"getMetrics", Access::open, metrics});
    routes.push_back({"getOpenApi", Access::any_token, openapi});
}

}  // namespace holon::api
