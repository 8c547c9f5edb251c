// /livez, /readyz, /metrics and /v1/openapi.json.
#include "api/openapi.hpp"
#include "api/routes.hpp"
#include "jobs/job_engine.hpp"
#include "store/store.hpp"

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
    if (call.services.store) {
        // From the store, so that every host sharing the database reports the same queue.
        out << "# HELP holon_runs Runs in the store by state, over all workspaces and hosts.\n"
               "# TYPE holon_runs gauge\n";
        for (const auto& [state, count] : call.services.store->count_runs_by_state())
            out << "holon_runs{state=\"" << store::to_string(state) << "\"} " << count << '\n';
        out << "# HELP holon_runs_rescued_total Runs whose lease expired and were returned to the queue (or failed), over all hosts.\n"
               "# TYPE holon_runs_rescued_total counter\n"
            << "holon_runs_rescued_total " << call.services.store->count_rescues() << '\n';
    }
    if (call.services.jobs) {
        // This process's own counters: they start at zero with every server start.
        const auto s = call.services.jobs->stats();
        out << "# HELP holon_process_runs_finished_total Runs this server process finished, by final state.\n"
               "# TYPE holon_process_runs_finished_total counter\n"
            << "holon_process_runs_finished_total{state=\"succeeded\"} " << s.succeeded << '\n'
            << "holon_process_runs_finished_total{state=\"failed\"} " << s.failed << '\n'
            << "holon_process_runs_finished_total{state=\"cancelled\"} " << s.cancelled << '\n'
            << "# HELP holon_process_runs_started_total Runs this server process claimed and started.\n"
               "# TYPE holon_process_runs_started_total counter\n"
            << "holon_process_runs_started_total " << s.started << '\n'
            << "# HELP holon_process_runs_released_total Runs this server process gave back to the queue when it stopped.\n"
               "# TYPE holon_process_runs_released_total counter\n"
            << "holon_process_runs_released_total " << s.released << '\n'
            << "# HELP holon_process_runs_active Runs executing in this server process now.\n"
               "# TYPE holon_process_runs_active gauge\n"
            << "holon_process_runs_active " << s.active << '\n'
            << "# HELP holon_process_runner_crashes_total Runs of this server process whose runner died of a signal.\n"
               "# TYPE holon_process_runner_crashes_total counter\n"
            << "holon_process_runner_crashes_total " << s.runner_crashes << '\n';
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
