#include "alarms/alarms.hpp"

#include <algorithm>

namespace holon_vsm {

std::vector<double> running_median(const std::vector<double> &values, int window) {
    std::vector<double> out(values.size());
    const std::size_t w = static_cast<std::size_t>(std::max(1, window));
    std::vector<double> buffer;
    for (std::size_t t = 0; t < values.size(); ++t) {
        const std::size_t from = t + 1 >= w ? t + 1 - w : 0;
        buffer.assign(values.begin() + static_cast<std::ptrdiff_t>(from), values.begin() + static_cast<std::ptrdiff_t>(t) + 1);
        std::sort(buffer.begin(), buffer.end());
        const std::size_t n = buffer.size();
        out[t] = n % 2 ? buffer[n / 2] : (buffer[n / 2 - 1] + buffer[n / 2]) / 2;
    }
    return out;
}

namespace {

bool breached(const Threshold &th, double v) { return th.below ? v < th.value.value : v > th.value.value; }

// A steady drift into the breach (the raw values move monotonically toward it over the run of
// breached periods and the one before) is a trend; anything else a step.
std::string pattern_of(const Threshold &th, const std::vector<double> &raw, int raised) {
    const int from = std::max(0, raised - th.periods);
    if (raised - from < 2) return "step";
    for (int t = from + 1; t <= raised; ++t) {
        const double d = raw[static_cast<std::size_t>(t)] - raw[static_cast<std::size_t>(t - 1)];
        if (th.below ? d >= 0 : d <= 0) return "step";
    }
    return "trend";
}

} // namespace

std::vector<Alarm> indicator_alarms(const Organisation &org, const Indicator &indicator, int unit,
                                    const std::vector<double> &values, const AlarmOptions &options,
                                    std::optional<int> acknowledged_at) {
    std::vector<Alarm> out;
    const std::vector<double> filtered = running_median(values, options.window);
    const int n = static_cast<int>(values.size());
    for (std::size_t k = 0; k < indicator.thresholds.size(); ++k) {
        const Threshold &th = indicator.thresholds[k];
        int run = 0;
        for (int t = 0; t < n; ++t) {
            run = breached(th, filtered[static_cast<std::size_t>(t)]) ? run + 1 : 0;
            if (run != th.periods) continue; // raised exactly when the run reaches its length
            Alarm a;
            a.threshold = k;
            a.unit = unit;
            a.raised = t;
            a.value = values[static_cast<std::size_t>(t)];
            a.filtered = filtered[static_cast<std::size_t>(t)];
            a.pattern = pattern_of(th, values, t);
            int end = t + 1;
            while (end < n && breached(th, filtered[static_cast<std::size_t>(end)])) ++end;
            if (end < n) a.cleared = end;
            if (acknowledged_at && *acknowledged_at >= t && *acknowledged_at < end) a.acknowledged = *acknowledged_at;
            // Up one level per delay while active and unacknowledged.
            int at = unit, when = t;
            const int delay = std::max(1, options.escalation_delay);
            while (org.units[static_cast<std::size_t>(at)].parent >= 0) {
                when += delay;
                if (when >= end || when >= n) break;
                if (a.acknowledged && *a.acknowledged <= when) break;
                at = org.units[static_cast<std::size_t>(at)].parent;
                a.escalations.push_back({at, when});
            }
            a.reached_root = at == org.root;
            out.push_back(std::move(a));
        }
    }
    return out;
}

} // namespace holon_vsm
