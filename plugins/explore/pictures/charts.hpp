// The pictures of the explore analyses as SVG documents (PNG via plugins/common/drawing): Sobol
// indices with confidence bars, the Morris mu*-sigma plane, PRIM's coverage-density trade-off and
// a PRIM box's limits. Plain structs in, SVG text out; no SDK types.
#pragma once

#include <string>
#include <vector>

namespace holon_explore::pictures {

struct SobolBar {
    std::string factor;
    double s1 = 0, s1_conf = 0, st = 0, st_conf = 0; // NaN confidence: no bar
};
std::string sobol_chart(const std::string &outcome, const std::vector<SobolBar> &bars, double confidence);

struct MorrisPoint {
    std::string factor;
    double mu_star = 0, sigma = 0, mu_star_conf = 0;
};
std::string morris_chart(const std::string &outcome, const std::vector<MorrisPoint> &points);

struct TradeoffPoint {
    double coverage = 0, density = 0;
    int restricted = 0;
};
// `selected` is the index of the box to ring (-1: none).
std::string prim_tradeoff_chart(const std::string &title, const std::vector<TradeoffPoint> &points, int selected);

struct BoxLimit {
    std::string factor;
    double lower = 0, upper = 0;         // the box
    double minimum = 0, maximum = 0;     // the whole range of the data
    double qp_lower = -1, qp_upper = -1; // quasi-p of each restricted side; < 0: side not restricted
};
std::string prim_box_chart(const std::string &title, const std::vector<BoxLimit> &limits, double coverage, double density,
                           double mass);

} // namespace holon_explore::pictures
