// Statistics of one run's time series, and envelopes of many runs' series.
#pragma once

#include <string>
#include <vector>

namespace holon::batch {

// NaN values are skipped; a series with no number gives NaN everywhere.
struct SeriesStats {
    double final = 0;     // the last value
    double min = 0, max = 0;
    double mean = 0;      // arithmetic mean of the saved values
    double peak_time = 0; // the time of the first maximum
};

// "final", "min", "max", "mean", "peak_time": the order of the summary columns.
const std::vector<std::string> &statistic_names();
double statistic(const SeriesStats &stats, const std::string &name);

SeriesStats series_stats(const std::vector<double> &time, const std::vector<double> &values);

// The p-th percentile (0..100) of sorted values, linear between closest ranks (R type 7).
double percentile_of_sorted(const std::vector<double> &sorted, double p);

// Per time row, the spread of many runs' values of one variable.
struct Envelope {
    std::vector<double> time, min, p5, p25, median, p75, p95, max;
    size_t runs = 0;
};

// Runs whose series is shorter than `time` are left out; NaNs are skipped row by row.
Envelope envelope(const std::vector<double> &time, const std::vector<const std::vector<double> *> &runs);

// A number for people to read, rounded to `digits` significant digits: plain decimals from 1e-4
// to below 1e7 ("0.0002021", "119.6", "1235000" for 1234567), else scientific ("1.235e+09");
// "" for NaN, "-" never before a zero. The CSV and JSON files keep every digit.
std::string rounded_text(double value, int digits = 4);

} // namespace holon::batch
