// GET TIME VALUE relative to the computer's clock (Vensim's relativeto 2): one part of the
// current local date and time. Reading the clock makes a run unrepeatable; the compiler lists the
// variables that do it so that a run can say so.
#pragma once

#include <chrono>
#include <ctime>
#include <optional>

namespace holon_sd {

// Vensim's measures 1-10 (fn_get_time_value): 1 year, 2 quarter (1-4), 3 month (1-12), 4 day of
// month, 5 day of week (0 = Sunday), 6 days since 1 January of 1 BC (year 0 of the proleptic
// Gregorian calendar), 7 hour, 8 minute, 9 second with its fraction, 10 seconds since the Unix
// epoch modulo 500,000. `local` is the broken-down local time of `now`. Other measures: nullopt.
std::optional<double> clock_part(int measure, const std::tm &local, std::chrono::system_clock::time_point now);

// The same for the computer's clock at this moment, in the process's local time zone.
double clock_now(double measure);

} // namespace holon_sd
