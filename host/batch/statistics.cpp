#include "batch/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdio>
#include <stdexcept>

namespace holon::batch {

const std::vector<std::string> &statistic_names() {
    static const std::vector<std::string> names{"final", "min", "max", "mean", "peak_time"};
    return names;
}

double statistic(const SeriesStats &s, const std::string &name) {
    if (name == "final") return s.final;
    if (name == "min") return s.min;
    if (name == "max") return s.max;
    if (name == "mean") return s.mean;
    if (name == "peak_time") return s.peak_time;
    throw std::invalid_argument("unknown statistic '" + name + "'");
}

SeriesStats series_stats(const std::vector<double> &time, const std::vector<double> &values) {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    SeriesStats s{nan, nan, nan, nan, nan};
    if (!values.empty()) s.final = values.back();
    double sum = 0;
    size_t count = 0;
    for (size_t i = 0; i < values.size(); ++i) {
        const double v = values[i];
        if (std::isnan(v)) continue;
        if (count == 0 || v < s.min) s.min = v;
        if (count == 0 || v > s.max) {
            s.max = v;
            s.peak_time = i < time.size() ? time[i] : nan;
        }
        sum += v;
        ++count;
    }
    if (count) s.mean = sum / static_cast<double>(count);
    return s;
}

double percentile_of_sorted(const std::vector<double> &sorted, double p) {
    if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
    const double rank = p / 100.0 * static_cast<double>(sorted.size() - 1);
    const auto lower = static_cast<size_t>(std::floor(rank));
    const size_t upper = std::min(lower + 1, sorted.size() - 1);
    const double frac = rank - static_cast<double>(lower);
    return sorted[lower] + frac * (sorted[upper] - sorted[lower]);
}

Envelope envelope(const std::vector<double> &time, const std::vector<const std::vector<double> *> &runs) {
    Envelope e;
    e.time = time;
    std::vector<const std::vector<double> *> usable;
    for (const auto *r : runs)
        if (r && r->size() >= time.size()) usable.push_back(r);
    e.runs = usable.size();
    std::vector<double> column;
    column.reserve(usable.size());
    for (size_t row = 0; row < time.size(); ++row) {
        column.clear();
        for (const auto *r : usable)
            if (!std::isnan((*r)[row])) column.push_back((*r)[row]);
        std::sort(column.begin(), column.end());
        e.min.push_back(percentile_of_sorted(column, 0));
        e.p5.push_back(percentile_of_sorted(column, 5));
        e.p25.push_back(percentile_of_sorted(column, 25));
        e.median.push_back(percentile_of_sorted(column, 50));
        e.p75.push_back(percentile_of_sorted(column, 75));
        e.p95.push_back(percentile_of_sorted(column, 95));
        e.max.push_back(percentile_of_sorted(column, 100));
    }
    return e;
}

std::string rounded_text(double value, int digits) {
    if (std::isnan(value)) return {};
    if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
    digits = std::clamp(digits, 1, 17);
    char buf[64];
    // Round first, so that 9999.7 becomes 1e4 and its exponent is decided on the rounded value.
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, value);
    const double rounded = std::strtod(buf, nullptr);
    if (rounded == 0) return "0";
    const double magnitude = std::fabs(rounded);
    if (magnitude >= 1e-4 && magnitude < 1e7) {
        const int exponent = static_cast<int>(std::floor(std::log10(magnitude)));
        const int decimals = std::max(0, digits - 1 - exponent);
        std::snprintf(buf, sizeof buf, "%.*f", decimals, rounded);
        std::string text = buf;
        if (text.find('.') != std::string::npos) {
            while (text.back() == '0') text.pop_back();
            if (text.back() == '.') text.pop_back();
        }
        return text;
    }
    std::string text = buf; // d.ddde+XX: drop the mantissa's trailing zeros
    const auto e = text.find('e');
    std::string mantissa = text.substr(0, e);
    if (mantissa.find('.') != std::string::npos) {
        while (mantissa.back() == '0') mantissa.pop_back();
        if (mantissa.back() == '.') mantissa.pop_back();
    }
    return mantissa + text.substr(e);
}

} // namespace holon::batch
