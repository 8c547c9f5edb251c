#include "pictures/charts.hpp"

#include "drawing/svg_png.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <tuple>

namespace holon_explore::pictures {
namespace {

using holon_plugins::drawing::xml_escape;

// Okabe-Ito, colour-blind safe.
const char *blue = "#0072B2", *orange = "#E69F00";

std::string num(double v, const char *format = "%.3g") {
    char buf[48];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

std::string shorten(const std::string &s, std::size_t n) { return s.size() <= n ? s : s.substr(0, n - 1) + "\u2026"; }

// The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 or 10 times a power of ten at or above v (v > 0).
double nice_ceiling(double v) {
    if (!(v > 0)) return 1;
    const double decade = std::pow(10.0, std::floor(std::log10(v)));
    for (double step : {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0})
        if (step * decade >= v * (1 - 1e-12)) return step * decade;
    return 10 * decade;
}

bool finite(double v) { return std::isfinite(v); }

void open(std::ostringstream &s, int w, int h, const std::string &title, const std::string &subtitle) {
    s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" viewBox=\"0 0 " << w << ' '
      << h << "\" font-family=\"DejaVu Sans\">\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    s << "<text x=\"12\" y=\"24\" font-size=\"15\" font-weight=\"bold\">" << xml_escape(title) << "</text>\n";
    s << "<text x=\"12\" y=\"42\" font-size=\"11\" fill=\"#444\">" << xml_escape(subtitle) << "</text>\n";
}

void line(std::ostringstream &s, double x1, double y1, double x2, double y2, const char *stroke, double width = 1,
          const char *extra = "") {
    s << "<line x1=\"" << num(x1, "%.1f") << "\" y1=\"" << num(y1, "%.1f") << "\" x2=\"" << num(x2, "%.1f") << "\" y2=\""
      << num(y2, "%.1f") << "\" stroke=\"" << stroke << "\" stroke-width=\"" << width << "\"" << extra << "/>\n";
}

void text(std::ostringstream &s, double x, double y, const std::string &t, int size, const char *anchor = "start",
          const char *extra = "") {
    s << "<text x=\"" << num(x, "%.1f") << "\" y=\"" << num(y, "%.1f") << "\" font-size=\"" << size << "\" text-anchor=\""
      << anchor << "\"" << extra << ">" << xml_escape(t) << "</text>\n";
}

// A vertical value axis from `lo` to `hi` with `ticks` intervals, grid lines across the plot.
void value_axis(std::ostringstream &s, double lo, double hi, int ticks, double left, double right, double top, double bottom) {
    for (int i = 0; i <= ticks; ++i) {
        const double v = lo + (hi - lo) * i / ticks;
        const double y = bottom - (bottom - top) * i / ticks;
        line(s, left, y, right, y, std::fabs(v) < 1e-12 ? "#333" : "#ddd");
        text(s, left - 6, y + 4, num(std::fabs(v) < 1e-12 ? 0.0 : v, "%.2f"), 10, "end", " fill=\"#444\"");
    }
}

} // namespace

std::string sobol_chart(const std::string &outcome, const std::vector<SobolBar> &bars, double confidence) {
    double top_value = 0.1, low_value = 0;
    for (const SobolBar &b : bars)
        for (auto [v, c] : {std::pair{b.s1, b.s1_conf}, std::pair{b.st, b.st_conf}}) {
            if (!finite(v)) continue;
            const double half = finite(c) ? c : 0;
            top_value = std::max(top_value, v + half);
            low_value = std::min(low_value, v - half);
        }
    // Ticks every 0.1 (every 0.2 past a range of 0.8), the axis ending on whole ticks.
    const double step = top_value - low_value > 0.8 ? 0.2 : 0.1;
    const double hi = std::ceil(top_value / step - 1e-9) * step, lo = std::floor(low_value / step + 1e-9) * step;
    const int ticks = static_cast<int>(std::lround((hi - lo) / step));
    const int group = 150, left = 64, top = 70, plot_h = 240;
    const int width = std::max(640, left + static_cast<int>(bars.size()) * group + 40), height = top + plot_h + 60;
    const double bottom = top + plot_h, right = left + static_cast<double>(bars.size()) * group;
    auto y_of = [&](double v) { return bottom - (v - lo) / (hi - lo) * plot_h; };
    std::ostringstream s;
    open(s, width, height, "Sobol indices of " + outcome,
         "Bars: first-order S1 and total ST; whiskers: " + num(confidence * 100, "%.0f") + " % bootstrap confidence interval");
    value_axis(s, lo, hi, std::max(ticks, 1), left, right, top, bottom);
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const SobolBar &b = bars[i];
        const double x0 = left + static_cast<double>(i) * group + 37;
        int k = 0;
        for (auto [v, c, colour] : {std::make_tuple(b.s1, b.s1_conf, blue), std::make_tuple(b.st, b.st_conf, orange)}) {
            const double x = x0 + k++ * 40;
            if (finite(v)) {
                const double y0 = y_of(0), y1 = y_of(v);
                s << "<rect x=\"" << x << "\" y=\"" << num(std::min(y0, y1), "%.1f") << "\" width=\"34\" height=\""
                  << num(std::max(std::fabs(y1 - y0), 0.5), "%.1f") << "\" fill=\"" << colour << "\"/>\n";
                if (finite(c)) {
                    const double cx = x + 17;
                    line(s, cx, y_of(v - c), cx, y_of(v + c), "#222", 1.2);
                    line(s, cx - 6, y_of(v - c), cx + 6, y_of(v - c), "#222", 1.2);
                    line(s, cx - 6, y_of(v + c), cx + 6, y_of(v + c), "#222", 1.2);
                }
                text(s, x + 17, std::min(y1, y0) - (finite(c) && v >= 0 ? (y1 - y_of(v + c)) + 4 : 4), num(v, "%.2f"), 9, "middle",
                     " fill=\"#222\"");
            }
        }
        text(s, left + static_cast<double>(i) * group + group / 2.0, bottom + 18, shorten(b.factor, 22), 12, "middle");
    }
    const double lx = width - 190;
    s << "<rect x=\"" << lx << "\" y=\"52\" width=\"12\" height=\"12\" fill=\"" << blue << "\"/>\n";
    text(s, lx + 18, 62, "first order S1", 11);
    s << "<rect x=\"" << lx + 100 << "\" y=\"52\" width=\"12\" height=\"12\" fill=\"" << orange << "\"/>\n";
    text(s, lx + 118, 62, "total ST", 11);
    text(s, 14, top + plot_h / 2.0, "share of output variance", 11, "middle",
         (" transform=\"rotate(-90 14 " + num(top + plot_h / 2.0, "%.1f") + ")\"").c_str());
    s << "</svg>\n";
    return s.str();
}

std::string morris_chart(const std::string &outcome, const std::vector<MorrisPoint> &points) {
    double mx = 0, my = 0;
    for (const MorrisPoint &p : points) {
        if (finite(p.mu_star)) mx = std::max(mx, p.mu_star + (finite(p.mu_star_conf) ? p.mu_star_conf : 0));
        if (finite(p.sigma)) my = std::max(my, p.sigma);
    }
    const double xmax = nice_ceiling(mx * 1.08), ymax = nice_ceiling(my * 1.08);
    const int left = 70, top = 64, plot_w = 420, plot_h = 300, width = left + plot_w + 60, height = top + plot_h + 56;
    const double bottom = top + plot_h, right = left + plot_w;
    auto x_of = [&](double v) { return left + v / xmax * plot_w; };
    auto y_of = [&](double v) { return bottom - v / ymax * plot_h; };
    std::ostringstream s;
    open(s, width, height, "Morris screening of " + outcome,
         "\u03bc*: mean |elementary effect| (influence); \u03c3: their spread (interactions, non-linearity)");
    for (int i = 0; i <= 5; ++i) {
        const double vx = xmax * i / 5, vy = ymax * i / 5;
        line(s, x_of(vx), top, x_of(vx), bottom, i == 0 ? "#333" : "#e4e4e4");
        line(s, left, y_of(vy), right, y_of(vy), i == 0 ? "#333" : "#e4e4e4");
        text(s, x_of(vx), bottom + 15, num(vx, "%.3g"), 10, "middle", " fill=\"#444\"");
        text(s, left - 6, y_of(vy) + 4, num(vy, "%.3g"), 10, "end", " fill=\"#444\"");
    }
    // sigma = mu*: above it, a factor's effect depends strongly on where the others are.
    const double end = std::min(xmax, ymax);
    line(s, x_of(0), y_of(0), x_of(end), y_of(end), "#999", 1, " stroke-dasharray=\"5 4\"");
    text(s, x_of(end * 0.92) + 6, y_of(end * 0.92) + 4, "\u03c3 = \u03bc*", 10, "start", " fill=\"#777\"");
    for (const MorrisPoint &p : points) {
        if (!finite(p.mu_star) || !finite(p.sigma)) continue;
        const double x = x_of(p.mu_star), y = y_of(p.sigma);
        if (finite(p.mu_star_conf) && p.mu_star_conf > 0) {
            line(s, x_of(std::max(0.0, p.mu_star - p.mu_star_conf)), y, x_of(p.mu_star + p.mu_star_conf), y, "#0072B2", 1.2);
        }
        s << "<circle cx=\"" << num(x, "%.1f") << "\" cy=\"" << num(y, "%.1f") << "\" r=\"5\" fill=\"" << blue
          << "\" stroke=\"#fff\"/>\n";
        text(s, x + 8, y - 6, shorten(p.factor, 28), 11);
    }
    text(s, left + plot_w / 2.0, height - 12, "\u03bc* (mean absolute elementary effect)", 11, "middle");
    text(s, 16, top + plot_h / 2.0, "\u03c3 (standard deviation of the effects)", 11, "middle",
         (" transform=\"rotate(-90 16 " + num(top + plot_h / 2.0, "%.1f") + ")\"").c_str());
    s << "</svg>\n";
    return s.str();
}

std::string prim_tradeoff_chart(const std::string &title, const std::vector<TradeoffPoint> &points, int selected) {
    static const char *palette[] = {"#440154", "#3b528b", "#21918c", "#5ec962", "#fde725", "#E69F00", "#D55E00", "#CC79A7"};
    int max_dims = 0;
    for (const TradeoffPoint &p : points) max_dims = std::max(max_dims, p.restricted);
    const int left = 64, top = 64, plot = 360, width = left + plot + 190, height = top + plot + 56;
    const double bottom = top + plot;
    auto x_of = [&](double v) { return left + v * plot; };
    auto y_of = [&](double v) { return bottom - v * plot; };
    std::ostringstream s;
    open(s, width, height, title, "Each point is a box on the peeling trajectory; colour: number of restricted dimensions");
    for (int i = 0; i <= 5; ++i) {
        const double v = i / 5.0;
        line(s, x_of(v), top, x_of(v), bottom, i == 0 ? "#333" : "#e4e4e4");
        line(s, left, y_of(v), left + plot, y_of(v), i == 0 ? "#333" : "#e4e4e4");
        text(s, x_of(v), bottom + 15, num(v, "%.1f"), 10, "middle", " fill=\"#444\"");
        text(s, left - 6, y_of(v) + 4, num(v, "%.1f"), 10, "end", " fill=\"#444\"");
    }
    for (std::size_t i = 0; i < points.size(); ++i) {
        const TradeoffPoint &p = points[i];
        s << "<circle cx=\"" << num(x_of(p.coverage), "%.1f") << "\" cy=\"" << num(y_of(p.density), "%.1f")
          << "\" r=\"4.5\" fill=\"" << palette[std::min(p.restricted, 7)] << "\" stroke=\"#fff\" stroke-width=\"0.6\"/>\n";
    }
    if (selected >= 0 && static_cast<std::size_t>(selected) < points.size()) {
        const TradeoffPoint &p = points[static_cast<std::size_t>(selected)];
        s << "<circle cx=\"" << num(x_of(p.coverage), "%.1f") << "\" cy=\"" << num(y_of(p.density), "%.1f")
          << "\" r=\"9\" fill=\"none\" stroke=\"#D55E00\" stroke-width=\"2\"/>\n";
        text(s, x_of(p.coverage) + 12, y_of(p.density) + 16, "box " + std::to_string(selected), 11, "start",
             " fill=\"#D55E00\" font-weight=\"bold\"");
    }
    const double lx = left + plot + 24;
    text(s, lx, top + 10, "restricted dimensions", 11);
    for (int k = 0; k <= std::min(max_dims, 7); ++k) {
        const double y = top + 28 + k * 18;
        s << "<circle cx=\"" << lx + 6 << "\" cy=\"" << y - 4 << "\" r=\"5\" fill=\"" << palette[k] << "\"/>\n";
        text(s, lx + 18, y, std::to_string(k) + (k == 7 && max_dims > 7 ? " or more" : ""), 11);
    }
    text(s, left + plot / 2.0, height - 12, "coverage (share of all cases of interest inside the box)", 11, "middle");
    text(s, 16, top + plot / 2.0, "density (share of the box's cases that are of interest)", 11, "middle",
         (" transform=\"rotate(-90 16 " + num(top + plot / 2.0, "%.1f") + ")\"").c_str());
    s << "</svg>\n";
    return s.str();
}

std::string prim_box_chart(const std::string &title, const std::vector<BoxLimit> &limits, double coverage, double density,
                           double mass) {
    const int label_w = 230, bar_w = 380, row_h = 46, top = 78;
    const int width = label_w + bar_w + 90, height = top + std::max(1, static_cast<int>(limits.size())) * row_h + 30;
    std::ostringstream s;
    open(s, width, height, title,
         "coverage " + num(coverage, "%.3f") + ", density " + num(density, "%.3f") + ", mass " + num(mass, "%.3f") +
             "; grey: the range of the data; blue: the box; (quasi-p of the lower, upper limit)");
    if (limits.empty()) text(s, 12, top + 10, "The box restricts no dimension: it is the whole data set.", 12);
    for (std::size_t i = 0; i < limits.size(); ++i) {
        const BoxLimit &b = limits[i];
        const double y = top + static_cast<double>(i) * row_h;
        const double span = b.maximum - b.minimum;
        auto x_of = [&](double v) { return label_w + (span > 0 ? (v - b.minimum) / span : 0.0) * bar_w; };
        std::string qp;
        auto side = [&](double q) { return q < 0 ? std::string("-") : num(q, "%.2g"); };
        qp = "(" + side(b.qp_lower) + ", " + side(b.qp_upper) + ")";
        text(s, label_w - 12, y + 14, shorten(b.factor, 26), 12, "end", " font-weight=\"bold\"");
        text(s, label_w - 12, y + 28, "qp " + qp, 10, "end", " fill=\"#555\"");
        s << "<rect x=\"" << label_w << "\" y=\"" << y + 8 << "\" width=\"" << bar_w
          << "\" height=\"14\" fill=\"#e6e6e6\"/>\n";
        s << "<rect x=\"" << num(x_of(b.lower), "%.1f") << "\" y=\"" << y + 8 << "\" width=\""
          << num(std::max(1.5, x_of(b.upper) - x_of(b.lower)), "%.1f") << "\" height=\"14\" fill=\"" << blue << "\"/>\n";
        text(s, label_w - 2, y + 36, num(b.minimum), 9, "start", " fill=\"#777\"");
        text(s, label_w + bar_w + 2, y + 36, num(b.maximum), 9, "end", " fill=\"#777\"");
        if (b.qp_lower >= 0) text(s, x_of(b.lower), y + 5, num(b.lower), 10, "middle", " fill=\"#0072B2\"");
        if (b.qp_upper >= 0) text(s, x_of(b.upper), y + 5, num(b.upper), 10, "middle", " fill=\"#0072B2\"");
    }
    s << "</svg>\n";
    return s.str();
}

} // namespace holon_explore::pictures
