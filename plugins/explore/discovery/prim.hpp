// PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), as the EMA Workbench runs it
// for scenario discovery (quaquel/EMAworkbench, analysis/prim.py): one box over numeric
// experiments x and a binary outcome y (1 = case of interest).
//
// Peeling: from the box holding every row, each dimension offers two candidate boxes, one with
// its upper limit lowered to the (1 - peel_alpha) quantile of the rows still in the box, one with
// its lower limit raised to the peel_alpha quantile (quantiles as sdtoolkit computes them, see
// sdtoolkit_quantile). The candidate with the best objective wins, ties going to the one that
// restricts fewer dimensions, then to the earlier (dimensions in column order, upper before
// lower). It is taken while its mass stays at or above mass_min, it removes rows and its
// objective is positive. Objectives, with n the row counts and ybar the means of y:
//   lenient1 (default)  (ybar_new - ybar_old) / |n_old - n_new|
//   lenient2            n_new (ybar_new - ybar_old) / |n_old - n_new|
//   original            ybar_new
// Pasting then widens one limit of a restricted dimension at a time, to the paste_alpha
// quantile of the rows just outside it, while that raises the mean, keeps the objective positive
// and adds rows. Every box taken is one step of the trajectory. Box limits are inclusive.
//
// Statistics of a box: coverage = cases of interest in the box / all cases of interest,
// density = cases of interest in the box / rows in the box, mass = rows in the box / all rows,
// restricted dimensions = dimensions whose limits differ from the data's range.
// Quasi-p value of a restricted limit (Bryant & Lempert 2010, as EMA computes it): with H and T
// the cases of interest and rows in the box, and p the density of the box with that one limit
// dropped, the one-sided binomial test P(X >= H), X ~ Binomial(T, p).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace holon_explore::discovery {

enum class Objective { lenient1, lenient2, original };

struct PrimOptions {
    Objective objective = Objective::lenient1;
    double peel_alpha = 0.05;
    double paste_alpha = 0.05;
    double mass_min = 0.05;
    bool paste = true;
};

struct Limits {
    std::vector<double> lower, upper; // one per dimension
};

struct BoxStats {
    std::size_t rows = 0, interest = 0; // rows in the box, cases of interest among them
    double coverage = 0, density = 0, mass = 0;
    int restricted = 0;
};

struct QuasiP {
    double lower = -1, upper = -1; // < 0: that side is not restricted
};

struct TrajectoryBox {
    Limits limits;
    BoxStats stats;
    std::vector<QuasiP> qp; // one per dimension
    std::string phase;      // "start", "peel" or "paste"
};

struct PrimData {
    std::vector<std::vector<double>> x; // x[dimension][row]
    std::vector<int> y;                 // 1 = case of interest, 0 = not
};

// The quantile rule of sdtoolkit that EMA's PRIM uses: i = (n - 1) q; for q > 0.5 the mean of
// the sorted values at floor(i) and ceil(i), floor(i) first moved down past ties with ceil(i);
// for q <= 0.5 the same with ceil(i) moved up past ties.
double sdtoolkit_quantile(std::vector<double> data, double q);

// The data's own range: every dimension's minimum and maximum.
Limits data_range(const PrimData &data);

BoxStats box_stats(const PrimData &data, const Limits &box, const Limits &range);
std::vector<QuasiP> quasi_p(const PrimData &data, const Limits &box, const Limits &range);
bool restricted(const Limits &box, const Limits &range, std::size_t dimension);

// The peeling and pasting trajectory, first box the whole data. Throws std::invalid_argument
// when there are no rows or no case of interest.
std::vector<TrajectoryBox> prim(const PrimData &data, const PrimOptions &options);

} // namespace holon_explore::discovery
