// Algedonic alarms over an indicator's series: the series is filtered (a causal running median,
// which drops one-period transients but keeps steps and trends), a threshold breached for its
// number of consecutive periods raises an alarm at the indicator's unit, and an unacknowledged
// alarm escalates one recursion level per `escalation_delay` periods until the root's System 5.
#pragma once

#include "org/organisation.hpp"

#include <optional>
#include <string>
#include <vector>

namespace holon_vsm {

struct AlarmOptions {
    int window = 3;            // running-median window in periods (1: no filter)
    int escalation_delay = 2;  // periods an alarm waits for acknowledgement before going up a level
};

struct Escalation {
    int unit = -1;
    int period = 0;
};

struct Alarm {
    std::size_t threshold = 0; // index into the indicator's thresholds
    int unit = -1;             // where it was raised
    int raised = 0;            // period index
    std::optional<int> cleared, acknowledged;
    std::string pattern;       // "trend" (steady drift into breach) or "step"
    double value = 0, filtered = 0;
    std::vector<Escalation> escalations;
    bool reached_root = false;
};

// The causal running median of `values` over `window` periods (fewer at the start; an even count
// takes the mean of the two middle values).
std::vector<double> running_median(const std::vector<double> &values, int window);

// Alarms of one indicator (bound to `unit`) over `values`; `acknowledged_at` is the period at which
// the alarm was acknowledged, if it was.
std::vector<Alarm> indicator_alarms(const Organisation &org, const Indicator &indicator, int unit,
                                    const std::vector<double> &values, const AlarmOptions &options,
                                    std::optional<int> acknowledged_at);

} // namespace holon_vsm
