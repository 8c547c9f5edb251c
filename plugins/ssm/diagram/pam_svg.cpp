#include "diagram/pam_svg.hpp"

#include "drawing/svg_png.hpp"
#include "text/wrap.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <vector>

namespace holon_ssm::diagram {
namespace {

using holon_plugins::drawing::xml_escape;

constexpr double rx = 98, ry = 44;          // activity oval
constexpr double col_gap = 64, row_gap = 26;
constexpr double pad = 28;
constexpr double char_w = 7.1;             // DejaVu Sans at 13 px, mean advance

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

struct Node {
    const model::Activity *activity;
    int number = 0;
    double x = 0, y = 0; // centre
};

// Where the segment from the centre of `a` towards `b` leaves a's oval.
std::pair<double, double> rim(const Node &a, double bx, double by) {
    const double dx = bx - a.x, dy = by - a.y;
    const double len = std::sqrt((dx / rx) * (dx / rx) + (dy / ry) * (dy / ry));
    if (len == 0) return {a.x, a.y};
    return {a.x + dx / len, a.y + dy / len};
}

class Svg {
public:
    void text(double x, double y, const std::string &s, int size, const char *anchor = "middle", const char *weight = "normal",
              const char *fill = "#1f2933") {
        out_ << "<text x=\"" << num(x) << "\" y=\"" << num(y) << "\" font-size=\"" << size << "\" text-anchor=\"" << anchor
             << "\" font-weight=\"" << weight << "\" fill=\"" << fill << "\">" << xml_escape(s) << "</text>\n";
    }
    void raw(const std::string &s) { out_ << s << "\n"; }
    void arrow(double x1, double y1, double x2, double y2, const char *colour = "#334e68", double width = 1.6) {
        out_ << "<line x1=\"" << num(x1) << "\" y1=\"" << num(y1) << "\" x2=\"" << num(x2) << "\" y2=\"" << num(y2)
             << "\" stroke=\"" << colour << "\" stroke-width=\"" << width << "\" marker-end=\"url(#head)\"/>\n";
    }
    void curve(double x1, double y1, double cx, double cy, double x2, double y2) {
        out_ << "<path d=\"M" << num(x1) << "," << num(y1) << " Q" << num(cx) << "," << num(cy) << " " << num(x2) << "," << num(y2)
             << "\" fill=\"none\" stroke=\"#334e68\" stroke-width=\"1.6\" marker-end=\"url(#head)\"/>\n";
    }
    void oval(const Node &n, const char *fill, const char *stroke) {
        out_ << "<ellipse cx=\"" << num(n.x) << "\" cy=\"" << num(n.y) << "\" rx=\"" << rx << "\" ry=\"" << ry << "\" fill=\""
             << fill << "\" stroke=\"" << stroke << "\" stroke-width=\"1.6\"/>\n";
        const std::vector<std::string> lines = holon_plugins::text::wrap_words(n.activity->name, 22);
        const std::size_t shown = std::min<std::size_t>(lines.size(), 4);
        double y = n.y - (static_cast<double>(shown) - 1) * 8 + 4.5;
        for (std::size_t i = 0; i < shown; ++i, y += 16) {
            std::string line = lines[i];
            if (i + 1 == shown && lines.size() > shown) line += " ...";
            text(n.x, y, line, 13);
        }
        out_ << "<circle cx=\"" << num(n.x - rx + 14) << "\" cy=\"" << num(n.y - ry + 12) << "\" r=\"11\" fill=\"#ffffff\" stroke=\""
             << stroke << "\" stroke-width=\"1.2\"/>\n";
        text(n.x - rx + 14, n.y - ry + 16.5, std::to_string(n.number), 12, "middle", "bold", stroke);
    }
    void box(double x, double y, double w, double h, const char *stroke, const char *fill) {
        out_ << "<rect x=\"" << num(x) << "\" y=\"" << num(y) << "\" width=\"" << num(w) << "\" height=\"" << num(h)
             << "\" rx=\"18\" fill=\"" << fill << "\" stroke=\"" << stroke << "\" stroke-width=\"1.4\" stroke-dasharray=\"7 5\"/>\n";
    }
    std::string str() const { return out_.str(); }

private:
    std::ostringstream out_;
};

// Columns by longest path from the activities nothing depends on (back edges of cycles ignored).
std::map<std::string, int> layers(const std::vector<Node> &nodes, const std::vector<model::Dependency> &deps) {
    std::set<std::string> ids;
    for (const Node &n : nodes) ids.insert(n.activity->id);
    std::map<std::string, std::vector<std::string>> next;
    for (const model::Dependency &d : deps)
        if (ids.count(d.from) && ids.count(d.to) && d.from != d.to) next[d.from].push_back(d.to);
    std::map<std::string, int> state, layer;
    std::vector<std::string> order; // reverse post-order = topological order of the DAG without back edges
    std::vector<std::pair<std::string, std::string>> dag;
    std::vector<std::pair<std::string, std::size_t>> stack;
    for (const Node &n : nodes) {
        if (state[n.activity->id]) continue;
        stack.push_back({n.activity->id, 0});
        state[n.activity->id] = 1;
        while (!stack.empty()) {
            auto &[v, i] = stack.back();
            if (i < next[v].size()) {
                const std::string w = next[v][i++];
                if (state[w] == 0) {
                    dag.emplace_back(v, w);
                    state[w] = 1;
                    stack.push_back({w, 0});
                } else if (state[w] == 2) {
                    dag.emplace_back(v, w);
                }
            } else {
                state[v] = 2;
                order.push_back(v);
                stack.pop_back();
            }
        }
    }
    std::reverse(order.begin(), order.end());
    for (const std::string &v : order) layer[v] = 0;
    for (const std::string &v : order)
        for (const auto &[from, to] : dag)
            if (from == v) layer[to] = std::max(layer[to], layer[v] + 1);
    return layer;
}

} // namespace

std::string pam_svg(const model::Inquiry &inquiry, const model::ActivityModel &m) {
    std::vector<Node> ops, mc;
    int number = 0;
    for (const model::Activity &a : m.activities)
        if (a.operational()) ops.push_back({&a, ++number});
    for (int pass = 0; pass < 3; ++pass) // monitors, then combined, then control: the order people read them
        for (const model::Activity &a : m.activities)
            if ((pass == 0 && a.kind == model::Kind::monitor) || (pass == 1 && a.kind == model::Kind::monitor_and_control) ||
                (pass == 2 && a.kind == model::Kind::control))
                mc.push_back({&a, 0});
    for (Node &n : mc) n.number = ++number;

    // Operational subsystem: columns by dependency depth, rows ordered by the mean row of predecessors.
    const std::map<std::string, int> layer = layers(ops, m.dependencies);
    int columns = 0;
    for (const auto &[id, l] : layer) columns = std::max(columns, l + 1);
    std::vector<std::vector<Node *>> column(static_cast<std::size_t>(std::max(columns, 1)));
    for (Node &n : ops) column[static_cast<std::size_t>(layer.at(n.activity->id))].push_back(&n);

    const std::vector<std::string> rd_lines = holon_plugins::text::wrap_words(m.rd_text, 110);
    const double title_h = 40 + 17.0 * static_cast<double>(rd_lines.size()) + 14;
    // Long chains wrap into bands of at most four columns, serpentine (left to right, then right to
    // left), so the arrow from one band to the next is a short drop and the picture fits a page.
    const int per_band = std::min(std::max(columns, 1), 4);
    const int bands = (std::max(columns, 1) + per_band - 1) / per_band;
    std::vector<int> band_rows(static_cast<std::size_t>(bands), 1);
    for (int c = 0; c < columns; ++c) {
        int &rows = band_rows[static_cast<std::size_t>(c / per_band)];
        rows = std::max(rows, static_cast<int>(column[static_cast<std::size_t>(c)].size()));
    }
    // Each activity gets a row slot in its band: level with the mean slot of what it depends on, so
    // most arrows run straight; activities without predecessors in the band are centred.
    std::map<std::string, int> slot_of;
    for (int c = 0; c < columns; ++c) {
        const int b = c / per_band;
        auto &col = column[static_cast<std::size_t>(c)];
        std::vector<std::pair<double, Node *>> keyed;
        for (std::size_t i = 0; i < col.size(); ++i) {
            double sum = 0;
            int count = 0;
            for (const model::Dependency &d : m.dependencies)
                if (d.to == col[i]->activity->id && slot_of.count(d.from) && layer.at(d.from) / per_band == b) {
                    sum += slot_of[d.from];
                    ++count;
                }
            const double centred = (band_rows[static_cast<std::size_t>(b)] - static_cast<double>(col.size())) / 2 + static_cast<double>(i);
            keyed.push_back({count ? sum / count : centred, col[i]});
        }
        std::stable_sort(keyed.begin(), keyed.end(), [](const auto &x, const auto &y) { return x.first < y.first; });
        std::vector<int> slots;
        double wanted = 0, got = 0;
        for (std::size_t i = 0; i < keyed.size(); ++i) {
            col[i] = keyed[i].second;
            slots.push_back(i == 0 ? static_cast<int>(std::lround(keyed[i].first))
                                   : std::max(static_cast<int>(std::lround(keyed[i].first)), slots.back() + 1));
            wanted += keyed[i].first;
            got += slots.back();
        }
        // Centre the column on where its activities want to be (three wanting row 1 take rows 0-2).
        const int shift = keyed.empty() ? 0 : static_cast<int>(std::lround((wanted - got) / static_cast<double>(keyed.size())));
        for (std::size_t i = 0; i < col.size(); ++i) slot_of[col[i]->activity->id] = slots[i] + shift;
    }
    // Rows start at 0 in every band.
    for (int b = 0; b < bands; ++b) {
        int low = 1 << 20, high = 0;
        for (int c = b * per_band; c < std::min(columns, (b + 1) * per_band); ++c)
            for (Node *n : column[static_cast<std::size_t>(c)]) {
                low = std::min(low, slot_of[n->activity->id]);
                high = std::max(high, slot_of[n->activity->id]);
            }
        if (low > high) continue;
        for (int c = b * per_band; c < std::min(columns, (b + 1) * per_band); ++c)
            for (Node *n : column[static_cast<std::size_t>(c)]) slot_of[n->activity->id] -= low;
        band_rows[static_cast<std::size_t>(b)] = high - low + 1;
    }
    const double band_gap = 40;
    const auto band_height = [&](int b) {
        const double rows = band_rows[static_cast<std::size_t>(b)];
        return rows * (2 * ry) + (rows - 1) * row_gap;
    };
    double op_inner_h = 0;
    for (int b = 0; b < bands; ++b) op_inner_h += band_height(b) + (b ? band_gap : 0);
    const double op_inner_w = per_band * (2 * rx) + (per_band - 1) * col_gap;
    const double op_x = pad, op_y = title_h + 10;
    double op_w = std::max(op_inner_w + 2 * pad, 520.0);
    const double op_h = op_inner_h + 2 * pad + 34;
    double band_top = op_y + pad + 34;
    for (int b = 0; b < bands; ++b) {
        for (int k = 0; k < per_band && b * per_band + k < columns; ++k) {
            const int position = b % 2 == 0 ? k : per_band - 1 - k;
            for (Node *n : column[static_cast<std::size_t>(b * per_band + k)]) {
                n->x = op_x + (op_w - op_inner_w) / 2 + rx + position * (2 * rx + col_gap);
                n->y = band_top + ry + slot_of[n->activity->id] * (2 * ry + row_gap);
            }
        }
        band_top += band_height(b) + band_gap;
    }

    // Monitor-and-control subsystem, below and apart: its activities in a row, the measures beside them.
    std::vector<std::string> measure_lines;
    for (const model::Measure &e : m.measures) {
        std::string e_name = e.e;
        if (!e_name.empty()) e_name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(e_name[0])));
        std::string line = e_name + ": " + e.criterion;
        line += e.indicator.empty() ? " [no indicator]" : " [" + inquiry.indicator_name(e.indicator) + "]";
        for (const std::string &l : holon_plugins::text::wrap_words(line, 72)) measure_lines.push_back(l);
    }
    const double mc_y = op_y + op_h + 70;
    const double mc_nodes_w = static_cast<double>(mc.size()) * (2 * rx) + static_cast<double>(mc.empty() ? 0 : mc.size() - 1) * col_gap;
    const double measures_w = 72 * char_w * 0.92;
    const double mc_w = std::max(op_w, mc_nodes_w + measures_w + 3 * pad);
    if (mc_w > op_w) { // one width for both subsystems, the operations centred in theirs
        for (Node &n : ops) n.x += (mc_w - op_w) / 2;
        op_w = mc_w;
    }
    const double measures_h = 24 + 17.0 * static_cast<double>(std::max<std::size_t>(measure_lines.size(), 1));
    const double mc_h = std::max(2 * ry, measures_h) + 2 * pad + 34;
    for (std::size_t i = 0; i < mc.size(); ++i) {
        mc[i].x = op_x + pad + rx + static_cast<double>(i) * (2 * rx + col_gap);
        mc[i].y = mc_y + 34 + pad + ry;
    }
    const double width = std::max(op_w, mc_w) + 2 * pad;
    const double height = mc_y + mc_h + pad;

    Svg svg;
    svg.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" + num(height) +
            "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\" font-family=\"DejaVu Sans\">");
    svg.raw("<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
            "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#334e68\"/></marker>"
            "<marker id=\"bighead\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"5\" markerHeight=\"5\" "
            "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#9aa5b1\"/></marker></defs>");
    svg.raw("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
    svg.text(pad, 30, m.name + " \u2014 purposeful activity model", 19, "start", "bold");
    double y = 52;
    for (const std::string &l : rd_lines) {
        svg.text(pad, y, l, 13, "start", "normal", "#52606d");
        y += 17;
    }

    svg.box(op_x, op_y, op_w, op_h, "#334e68", "#f5f7fa");
    std::string t_label = "Operational subsystem";
    if (m.t.present) t_label += "   T: " + m.t.input + " \u2192 " + m.t.output;
    svg.text(op_x + 16, op_y + 24, t_label, 14, "start", "bold", "#334e68");

    std::map<std::string, const Node *> by_id;
    for (const Node &n : ops) by_id[n.activity->id] = &n;
    for (const Node &n : mc) by_id[n.activity->id] = &n;
    for (const model::Dependency &d : m.dependencies) {
        const auto from = by_id.find(d.from), to = by_id.find(d.to);
        if (from == by_id.end() || to == by_id.end() || d.from == d.to) continue;
        const bool op_edge = from->second->activity->operational() && to->second->activity->operational();
        const bool mc_edge = !from->second->activity->operational() && !to->second->activity->operational();
        if (!op_edge && !mc_edge) continue; // drawn as the subsystem arrows below
        const Node &a = *from->second, &b = *to->second;
        bool blocked = false; // does the straight segment cross another oval?
        for (const auto &[id, n] : by_id) {
            if (n == &a || n == &b) continue;
            for (double t = 0.1; t < 0.95 && !blocked; t += 0.05) {
                const double px = a.x + (b.x - a.x) * t, py = a.y + (b.y - a.y) * t;
                blocked = ((px - n->x) / rx) * ((px - n->x) / rx) + ((py - n->y) / ry) * ((py - n->y) / ry) < 1.1;
            }
        }
        if (!blocked) {
            const auto [x1, y1] = rim(a, b.x, b.y);
            const auto [x2, y2] = rim(b, a.x, a.y);
            svg.arrow(x1, y1, x2, y2);
            continue;
        }
        // Bow the arrow round the activities in between: a quadratic curve above the straight line.
        const double mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2, dx = b.x - a.x, dy = b.y - a.y;
        const double len = std::max(1.0, std::sqrt(dx * dx + dy * dy));
        // High enough to clear the number badges of the activities in between.
        const double bow = ry + 50;
        const double cx = mx + dy / len * bow * (dx >= 0 ? 1 : -1), cy = my - std::fabs(dx) / len * bow;
        // An end that would land on the oval's number badge (upper left) moves to the top of the oval.
        const auto end_at = [&](const Node &n) {
            const auto p = rim(n, cx, cy);
            const double bx = n.x - rx + 14, by = n.y - ry + 12;
            return std::hypot(p.first - bx, p.second - by) < 36 ? rim(n, n.x, n.y - 1) : p;
        };
        const auto [x1, y1] = end_at(a);
        const auto [x2, y2] = end_at(b);
        svg.curve(x1, y1, cx, cy, x2, y2);
    }
    for (const Node &n : ops) svg.oval(n, n.activity->takes_input ? "#e3f8ff" : "#ffffff", "#334e68");

    svg.box(op_x, mc_y, mc_w, mc_h, "#8d2b0b", "#fffbea");
    svg.text(op_x + 16, mc_y + 24, "Monitoring and control", 14, "start", "bold", "#8d2b0b");
    for (const Node &n : mc) svg.oval(n, "#ffffff", "#8d2b0b");
    if (mc.empty())
        svg.text(op_x + pad, mc_y + 34 + pad + ry, "No monitoring or control activity (SSM-PAM-002)", 14, "start", "bold", "#c81e1e");
    const double mx = op_x + pad + mc_nodes_w + (mc.empty() ? 420 : pad);
    svg.text(mx, mc_y + 34 + pad + 4, "Measures of performance", 13, "start", "bold", "#8d2b0b");
    double my = mc_y + 34 + pad + 24;
    if (measure_lines.empty()) svg.text(mx, my, "none defined (SSM-PAM-003)", 13, "start", "normal", "#c81e1e");
    for (const std::string &l : measure_lines) {
        svg.text(mx, my, l, 13, "start", "normal", l.find("[no indicator]") != std::string::npos ? "#c81e1e" : "#1f2933");
        my += 17;
    }

    // The subsystem arrows: operations are watched; control acts back on them.
    const auto wide = [&](double x1, double y1, double x2, double y2, const std::string &label) {
        svg.raw("<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) +
                "\" stroke=\"#9aa5b1\" stroke-width=\"7\" marker-end=\"url(#bighead)\"/>");
        svg.text(x1 + 24, (y1 + y2) / 2 + 4, label, 12, "start", "normal", "#52606d");
    };
    const double gap_top = op_y + op_h + 4, gap_bottom = mc_y - 4;
    const auto first_monitor = std::find_if(mc.begin(), mc.end(), [](const Node &n) { return n.activity->monitor(); });
    const auto last_control = std::find_if(mc.rbegin(), mc.rend(), [](const Node &n) { return n.activity->control(); });
    double monitor_x = -1e9;
    if (first_monitor != mc.end()) {
        monitor_x = first_monitor->x;
        wide(monitor_x, gap_top, monitor_x, gap_bottom, "monitor the operations");
    }
    if (last_control != mc.rend()) {
        // Far enough from the monitoring arrow for both labels (one activity may do both).
        const double x = std::max(last_control->x, monitor_x + 260);
        wide(x, gap_bottom, x, gap_top, "take control action");
    }
    svg.raw("</svg>");
    return svg.str();
}

} // namespace holon_ssm::diagram
