// Request counters and latency histograms for GET /metrics (Prometheus text format).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace holon::api {

class Metrics {
public:
    void record(const std::string& operation, int status, double seconds);
    // Prometheus text exposition of the HTTP metrics (the caller appends its own families).
    std::string render() const;

    static constexpr std::array<double, 12> buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                    0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

private:
    struct Histogram {
        std::array<std::uint64_t, buckets.size()> counts{};
        std::uint64_t count = 0;
        double sum = 0;
    };
    // Per operation: requests by status and the latency histogram. Looked up without building a
    // key string, since every request passes here.
    struct Operation {
        std::map<int, std::uint64_t> by_status;
        Histogram latency;
    };
    mutable std::mutex mutex_;
    std::map<std::string, Operation, std::less<>> operations_;
};

}  // namespace holon::api
