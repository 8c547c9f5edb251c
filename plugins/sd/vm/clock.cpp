#include "vm/clock.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>

namespace holon_sd {

namespace {

// Days from 1 January 1970 to a proleptic Gregorian date (the standard library's calendar).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    using namespace std::chrono;
    const year_month_day date{year{static_cast<int>(y)}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    return sys_days{date}.time_since_epoch().count();
}

// 1 January of year 0 (1 BC) is 719,528 days before 1 January 1970.
constexpr int64_t days_year0_to_1970 = 719528;

} // namespace

std::optional<double> clock_part(int measure, const std::tm &local, std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    switch (measure) {
    case 1: return local.tm_year + 1900.0;
    case 2: return local.tm_mon / 3 + 1.0;
    case 3: return local.tm_mon + 1.0;
    case 4: return local.tm_mday;
    case 5: return local.tm_wday;
    case 6: return static_cast<double>(days_from_civil(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday) +
                                       days_year0_to_1970);
    case 7: return local.tm_hour;
    case 8: return local.tm_min;
    case 9: {
        const double fraction =
            static_cast<double>(duration_cast<microseconds>(now.time_since_epoch()).count() % 1000000) / 1e6;
        return local.tm_sec + fraction;
    }
    case 10: return static_cast<double>(duration_cast<seconds>(now.time_since_epoch()).count() % 500000);
    default: return std::nullopt;
    }
}

double clock_now(double measure) {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm local{};
    localtime_r(&t, &local);
    if (!std::isfinite(measure)) return std::nan("");
    return clock_part(static_cast<int>(std::lround(measure)), local, now).value_or(std::nan(""));
}

} // namespace holon_sd
