// How a failed run is described: runner and executor problem ids ("wall-clock-limit", "crashed",
// "invalid-params", ...) become RFC 9457 problem details with stable type URIs
// (/problems/run-time-limit, /problems/runner-crashed, /problems/invalid-params, ...).
#pragma once

#include <string>

namespace holon::jobs {

// "/problems/<slug>" for a runner/executor problem id; "/problems/run-failed" for an unknown one.
std::string run_problem_type(const std::string& problem_id);

// The problem details object (JSON text). Schema violations in details_json
// ({"violations": [{"path","message"}]}) become its "errors" list.
std::string run_problem_json(const std::string& problem_id, const std::string& message,
                             const std::string& details_json);

}  // namespace holon::jobs
