// Issue 19: GET TIME VALUE relative to the computer's clock and in calendar measures. Vensim's
// reference (fn_get_time_value): relativeto 2 is "the current computer clock time", the offset
// "is ignored when relativeto is 2", measure 0 (the model's time units) is "only for relativeto 0
// and 1", and measures 1-10 are year, quarter, month, day of month, day of week (0 = Sunday), days
// since Jan 1, 1 BC ("year 1 BC is treated as year 0"), hour, minute, second (with its fraction)
// and elapsed seconds modulo 500,000. Calendar measures of the simulation time need the date of
// Vensim's time labelling, which a .mdl file does not carry in a documented form: refused.
#include "helpers.hpp"
#include "ir/error.hpp"
#include "vm/clock.hpp"

#include <chrono>
#include <ctime>

using namespace holon_sd;
using namespace holon_sd::test;

namespace {

std::string error_of(const std::string &equations) {
    try {
        compile(mdl(equations));
    } catch (const ModelError &e) {
        return e.what();
    }
    return "no error";
}

} // namespace

// 1709214330 s after the Unix epoch is Thursday 29 February 2024, 13:45:30 UTC (worked out with
// Python's datetime, independently of Holon). Days since 1 January of year 0: 2024-02-29 is day
// 739,310 (Python's toordinal() 738,945 counts from 1 January of year 1 as day 1, and year 0 is
// a 366-day leap year in the proleptic Gregorian calendar).
TEST(SdVensimGetTimeValue, ClockPartsOfAKnownInstant) {
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1709214330)) +
                     std::chrono::milliseconds(250);
    const std::time_t t = 1709214330;
    std::tm utc{};
    gmtime_r(&t, &utc);
    const std::vector<double> expected{2024, 1, 2, 29, 4, 739310, 13, 45, 30.25, 214330};
    for (int measure = 1; measure <= 10; ++measure)
        EXPECT_DOUBLE_EQ(clock_part(measure, utc, now).value(), expected[static_cast<size_t>(measure - 1)]) << measure;
    EXPECT_FALSE(clock_part(0, utc, now).has_value());
    EXPECT_FALSE(clock_part(11, utc, now).has_value());
}

// 1 January 2000 was a Saturday (6) and is day 730,485 since 1 January of year 0.
TEST(SdVensimGetTimeValue, DaysSinceYearZeroAgreeWithTheWeekday) {
    const std::time_t t = 946684800; // 2000-01-01 00:00:00 UTC
    std::tm utc{};
    gmtime_r(&t, &utc);
    const auto now = std::chrono::system_clock::from_time_t(t);
    EXPECT_DOUBLE_EQ(clock_part(6, utc, now).value(), 730485);
    EXPECT_DOUBLE_EQ(clock_part(5, utc, now).value(), 6);
    EXPECT_DOUBLE_EQ(clock_part(1, utc, now).value(), 2000);
}

// A run reads the clock as it goes: the year and the day it reports lie between the clock read
// just before and just after the run, the offset is ignored, and the run warns that it cannot be
// repeated.
TEST(SdVensimGetTimeValue, RelativeToTheClockReadsTheComputersDateAndSaysTheRunIsNotRepeatable) {
    Model m = mdl("year now = GET TIME VALUE(2, 0, 1) ~~|\nyear moved = GET TIME VALUE(2, 99, 1) ~~|\n"
                  "day number = GET TIME VALUE(2, 0, 6) ~~|\nseed = GET TIME VALUE(2, 0, 10) ~~|\n");
    Program p = compile(m);
    const double year_before = clock_now(1), day_before = clock_now(6);
    Simulator sim(p);
    const Results &r = sim.run();
    const double year_after = clock_now(1), day_after = clock_now(6);
    auto column = [&](const std::string &name) {
        for (size_t c = 0; c < r.names.size(); ++c)
            if (r.names[c] == name) return c;
        ADD_FAILURE() << name;
        return size_t{0};
    };
    for (size_t row = 0; row < r.times.size(); ++row) {
        EXPECT_GE(r.value(row, column("year now")), year_before);
        EXPECT_LE(r.value(row, column("year now")), year_after);
        EXPECT_GE(r.value(row, column("year moved")), year_before); // the offset of 99 is ignored
        EXPECT_LE(r.value(row, column("year moved")), year_after);
        EXPECT_GE(r.value(row, column("day number")), day_before);
        EXPECT_LE(r.value(row, column("day number")), day_after);
        EXPECT_GE(r.value(row, column("seed")), 0);
        EXPECT_LT(r.value(row, column("seed")), 500000);
    }
    EXPECT_GT(day_before, 738000); // after 2020
    ASSERT_EQ(r.warnings.size(), 4u);
    EXPECT_EQ(r.warnings[0], "variable 'year now' reads the computer's clock (GET TIME VALUE relative to 2): this run cannot be repeated");
}

TEST(SdVensimGetTimeValue, WhatCannotBeComputedIsRefusedWithTheLineAndWhatToWriteInstead) {
    EXPECT_EQ(error_of("clock = GET TIME VALUE(2, 0, 0) ~~|\n"),
              "test.mdl:2: variable 'clock': GET TIME VALUE relative to the computer's clock (2) takes a measure from 1 "
              "to 10 (a part of the date or time), not 0; measure 0, the model's time units, is only for relative to 0 "
              "and 1");
    EXPECT_EQ(error_of("month = GET TIME VALUE(0, 0, 3) ~~|\n"),
              "test.mdl:2: variable 'month': GET TIME VALUE(0, offset, 3) reads the simulation time as a calendar date, "
              "which needs the date Vensim's Time Bounds settings give the initial time; a .mdl file does not carry "
              "that date in a documented form. Compute the date part in the model instead, e.g. for a model in months "
              "that starts in January: month of year = MODULO(INTEGER(Time), 12) + 1");
    EXPECT_NE(error_of("x = GET TIME VALUE(1, 0, 11) ~~|\n").find("measure 11 is not one of 0"), std::string::npos);
}
