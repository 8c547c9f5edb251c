#include "api/metrics.hpp"

#include <sstream>

namespace holon::api {

void Metrics::record(const std::string& operation, int status, double seconds) {
    const std::string_view op = operation.empty() ? std::string_view("unmatched") : std::string_view(operation);
    std::lock_guard lock(mutex_);
    auto it = operations_.find(op);
    if (it == operations_.end()) it = operations_.emplace(std::string(op), Operation{}).first;
    ++it->second.by_status[status];
    auto& h = it->second.latency;
    for (std::size_t i = 0; i < buckets.size(); ++i)
        if (seconds <= buckets[i]) ++h.counts[i];
    ++h.count;
    h.sum += seconds;
}

std::string Metrics::render() const {
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    out << "# HELP holon_http_requests_total HTTP requests answered, by operation and status.\n"
           "# TYPE holon_http_requests_total counter\n";
    for (const auto& [op, o] : operations_)
        for (const auto& [status, n] : o.by_status)
            out << "holon_http_requests_total{operation=\"" << op << "\",status=\"" << status << "\"} " << n << '\n';
    out << "# HELP holon_http_request_duration_seconds Time to answer, by operation.\n"
           "# TYPE holon_http_request_duration_seconds histogram\n";
    for (const auto& [op, o] : operations_) {
        const Histogram& h = o.latency;
        for (std::size_t i = 0; i < buckets.size(); ++i)
            out << "holon_http_request_duration_seconds_bucket{operation=\"" << op << "\",le=\"" << buckets[i]
                << "\"} " << h.counts[i] << '\n';
        out << "holon_http_request_duration_seconds_bucket{operation=\"" << op << "\",le=\"+Inf\"} " << h.count
            << '\n';
        out << "holon_http_request_duration_seconds_sum{operation=\"" << op << "\"} " << h.sum << '\n';
        out << "holon_http_request_duration_seconds_count{operation=\"" << op << "\"} " << h.count << '\n';
    }
    return out.str();
}

}  // namespace holon::api
