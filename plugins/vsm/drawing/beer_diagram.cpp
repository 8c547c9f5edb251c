#include "drawing/beer_diagram.hpp"

#include "drawing/svg_png.hpp"
#include "text/markdown.hpp"
#include "text/wrap.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

namespace holon_vsm {
namespace {

using holon_plugins::drawing::xml_escape;

const char *const font = "font-family=\"DejaVu Sans\"";

// Splits text into at most `lines` lines of about `width` characters, at spaces (plugins/common);
// when more would be needed the last kept line ends in "…", never cut inside a UTF-8 character.
std::vector<std::string> wrap(const std::string &text, std::size_t width, std::size_t lines = 2) {
    std::vector<std::string> out = holon_plugins::text::wrap_words(text, width);
    if (out.size() > lines) {
        out.resize(lines);
        std::string &last = out.back();
        last = last.size() + 1 <= width ? last + "…" : holon_plugins::text::shorten(last, width - 1 + 3);
    }
    return out;
}

// An operation's name inside its circle of radius r: the largest font size from 13 px down to
// 10 px at which the name wraps into at most three lines that each fit the circle's chord at that
// line (DejaVu Sans bold is about 0.68 em per character), so no name spills over the outline.
struct CircleLabel {
    std::vector<std::string> lines;
    int size = 13;
};
CircleLabel fit_in_circle(const std::string &name, double r) {
    for (int size = 13; size >= 10; --size) {
        const double dy = 1.2 * size; // the outer lines of three sit one line height from the centre
        const double chord = 2 * std::sqrt(r * r - (dy + size * 0.5) * (dy + size * 0.5)) - 6;
        const auto chars = static_cast<std::size_t>(chord / (0.68 * size));
        std::vector<std::string> lines = wrap(name, chars, 3);
        const bool fits = std::all_of(lines.begin(), lines.end(), [&](const std::string &l) { return l.size() <= chars; });
        if (fits || size == 10) return {std::move(lines), size};
    }
    return {};
}

class Svg {
public:
    Svg(int width, int height) : width_(width), height_(height) {}
    void raw(const std::string &s) { body_ << s << '\n'; }
    void rect(double x, double y, double w, double h, const std::string &fill, const std::string &stroke, double rx = 6,
              double stroke_width = 2) {
        body_ << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << w << "\" height=\"" << h << "\" rx=\"" << rx
              << "\" fill=\"" << fill << "\" stroke=\"" << stroke << "\" stroke-width=\"" << stroke_width << "\"/>\n";
    }
    void circle(double cx, double cy, double r, const std::string &fill, const std::string &stroke) {
        body_ << "<circle cx=\"" << cx << "\" cy=\"" << cy << "\" r=\"" << r << "\" fill=\"" << fill << "\" stroke=\"" << stroke
              << "\" stroke-width=\"2\"/>\n";
    }
    void ellipse(double cx, double cy, double rx, double ry, const std::string &fill, const std::string &stroke) {
        body_ << "<ellipse cx=\"" << cx << "\" cy=\"" << cy << "\" rx=\"" << rx << "\" ry=\"" << ry << "\" fill=\"" << fill
              << "\" stroke=\"" << stroke << "\" stroke-width=\"2\"/>\n";
    }
    void line(double x1, double y1, double x2, double y2, const std::string &style) {
        body_ << "<line x1=\"" << x1 << "\" y1=\"" << y1 << "\" x2=\"" << x2 << "\" y2=\"" << y2 << "\" " << style << "/>\n";
    }
    void path(const std::string &d, const std::string &style) { body_ << "<path d=\"" << d << "\" fill=\"none\" " << style << "/>\n"; }
    // Lines of text centred on (x, y).
    void text(double x, double y, const std::vector<std::string> &lines, int size, const std::string &extra = "",
              const char *anchor = "middle") {
        const double first = y - (static_cast<double>(lines.size()) - 1) * size * 0.6 + size * 0.35;
        for (std::size_t i = 0; i < lines.size(); ++i)
            body_ << "<text x=\"" << x << "\" y=\"" << first + static_cast<double>(i) * size * 1.2 << "\" " << font
                  << " font-size=\"" << size << "\" text-anchor=\"" << anchor << "\" " << extra << ">" << xml_escape(lines[i])
                  << "</text>\n";
    }
    std::string str() const {
        std::ostringstream out;
        out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width_ << "\" height=\"" << height_ << "\" viewBox=\"0 0 "
            << width_ << ' ' << height_ << "\">\n"
            << "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
               "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"context-stroke\"/></marker></defs>\n"
            << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
            << body_.str() << "</svg>\n";
        return out.str();
    }

private:
    int width_, height_;
    std::ostringstream body_;
};

// Line styles per channel type; "missing" is an expected channel that is not there.
const std::string s_command = "stroke=\"#1f2937\" stroke-width=\"3\"";
const std::string s_bargain = "stroke=\"#6b7280\" stroke-width=\"3\"";
const std::string s_coordination = "stroke=\"#2563eb\" stroke-width=\"3\"";
const std::string s_audit = "stroke=\"#059669\" stroke-width=\"2.5\" stroke-dasharray=\"8 4\"";
const std::string s_algedonic = "stroke=\"#dc2626\" stroke-width=\"2\" stroke-dasharray=\"3 4\"";
const std::string s_homeostat = "stroke=\"#7c3aed\" stroke-width=\"3\"";
const std::string s_environment = "stroke=\"#0f766e\" stroke-width=\"2.5\"";
const std::string s_missing = "stroke=\"#f97316\" stroke-width=\"2.5\" stroke-dasharray=\"2 5\" stroke-linecap=\"round\"";
const std::string s_s1s1 = "stroke=\"#db2777\" stroke-width=\"2\" stroke-dasharray=\"10 3 2 3\"";

struct Level {
    const Organisation &org;
    int u;
    const Unit &unit(int i) const { return org.units[static_cast<std::size_t>(i)]; }
    bool linked(int a, int b, ChannelType t) const {
        for (int c : unit(a).channels_out)
            if (org.channels[static_cast<std::size_t>(c)].to == b && org.channels[static_cast<std::size_t>(c)].type == t) return true;
        for (int c : unit(a).channels_in)
            if (org.channels[static_cast<std::size_t>(c)].from == b && org.channels[static_cast<std::size_t>(c)].type == t) return true;
        return false;
    }
    bool internal(ChannelType t, System x, System y) const {
        for (int c : unit(u).channels_out) {
            const Channel &ch = org.channels[static_cast<std::size_t>(c)];
            if (ch.to == u && (ch.type == t || (ch.from_system == x && ch.to_system == y) || (ch.from_system == y && ch.to_system == x)))
                return true;
        }
        return false;
    }
    bool out_of(int a, ChannelType t) const {
        for (int c : unit(a).channels_out)
            if (org.channels[static_cast<std::size_t>(c)].type == t) return true;
        return false;
    }
    std::string actor_of(int a, System s) const {
        for (const Role &r : unit(a).roles)
            if (r.system == s && r.actor >= 0) return org.actors[static_cast<std::size_t>(r.actor)].name;
        return "";
    }
};

// The S2 bar's vertical label on two lines ("S2 Coordination" and who holds it), at the largest
// size from 14 px down to 11 px at which both fit the bar's height (DejaVu Sans is about 0.6 em
// per character); a name too long even then is cut.
struct BarLabel {
    std::vector<std::string> lines;
    int size = 14;
};
BarLabel s2_label(const std::string &second, double height) {
    BarLabel out{{"S2 Coordination", second}, 14};
    for (; out.size > 11; --out.size)
        if (static_cast<double>(second.size()) * 0.6 * out.size <= height) return out;
    const auto fits = static_cast<std::size_t>(std::max(4.0, height / (0.6 * out.size)));
    if (second.size() > fits) out.lines[1] = holon_plugins::text::shorten(second, fits - 1 + 3);
    return out;
}

void badge(Svg &svg, double x, double y, int count) {
    if (count <= 0) return;
    svg.circle(x, y, 13, "#dc2626", "white");
    svg.text(x, y, {std::to_string(count)}, 13, "fill=\"white\" font-weight=\"bold\"");
}

} // namespace

std::string level_svg(const Organisation &org, int u, const FindingCounts &findings) {
    const Level L{org, u};
    const Unit &U = org.units.at(static_cast<std::size_t>(u));
    constexpr std::size_t max_rows = 24;
    const std::size_t shown = std::min(U.children.size(), max_rows);
    const int width = 1200;
    const double row_h = 140, top = 410;
    const int height = static_cast<int>(top + static_cast<double>(std::max<std::size_t>(shown, 1)) * row_h + 120);
    Svg svg(width, height);
    auto count = [&](int unit) { const auto it = findings.find(unit); return it == findings.end() ? 0 : it->second; };

    svg.text(30, 30, {U.name + " — recursion level " + std::to_string(U.level) + " (Beer's viable system diagram)"}, 22,
             "font-weight=\"bold\"", "start");
    if (U.parent >= 0) svg.text(30, 58, {"System 1 of " + org.units[static_cast<std::size_t>(U.parent)].name}, 15, "fill=\"#4b5563\"", "start");

    // Metasystem: S5, S4, S3 stacked; S3* to the left of S3.
    const double mx = 740, mw = 220, bh = 70;
    const double y5 = 80, y4 = 180, y3 = 280;
    auto system_box = [&](System s, double y, const char *title, const char *fill) {
        const bool present = U.has(s);
        svg.rect(mx, y, mw, bh, present ? fill : "#f3f4f6", present ? "#111827" : "#9ca3af", 4, present ? 2 : 1.5);
        std::vector<std::string> lines{std::string(title)};
        const std::string who = L.actor_of(u, s);
        if (!present) lines.emplace_back("absent");
        else if (!who.empty()) for (const std::string &w : wrap(who, 24, 2)) lines.push_back(w);
        else lines.emplace_back("no actor");
        svg.text(mx + mw / 2, y + bh / 2, lines, lines.size() > 2 ? 13 : 15, present ? "" : "fill=\"#6b7280\"");
    };
    system_box(System::S5, y5, "S5 Policy / identity", "#fde68a");
    system_box(System::S4, y4, "S4 Intelligence", "#bfdbfe");
    system_box(System::S3, y3, "S3 Control (inside and now)", "#c7d2fe");
    // S3* sits left of S3.
    const double ax = 580, aw = 140;
    {
        const bool present = U.has(System::S3star);
        svg.rect(ax, y3 + 2, aw, 66, present ? "#bbf7d0" : "#f3f4f6", present ? "#111827" : "#9ca3af", 4);
        std::vector<std::string> lines{"S3* Audit"};
        const std::string who = L.actor_of(u, System::S3star);
        if (!present) lines.emplace_back("absent");
        else if (who.empty()) lines.emplace_back("no actor");
        else for (const std::string &w : wrap(who, 19, 2)) lines.push_back(w);
        svg.text(ax + aw / 2, y3 + 35, lines, 12);
    }
    // Homeostats between the boxes.
    const bool s4s5 = L.internal(ChannelType::s4_s5, System::S4, System::S5);
    const bool s3s4 = L.internal(ChannelType::s3_s4, System::S3, System::S4);
    // A homeostat works both ways: one arrow down, one up.
    for (double dx : {-12.0, 12.0}) {
        const std::string head = dx < 0 ? " marker-end=\"url(#arrow)\"" : " marker-start=\"url(#arrow)\"";
        svg.line(mx + mw / 2 + dx, y5 + bh, mx + mw / 2 + dx, y4, (s4s5 ? s_homeostat : s_missing) + head);
        svg.line(mx + mw / 2 + dx, y4 + bh, mx + mw / 2 + dx, y3, (s3s4 ? s_homeostat : s_missing) + head);
    }
    svg.line(ax + aw, y3 + 35, mx, y3 + 35, "stroke=\"#111827\" stroke-width=\"2\"");
    // The outside-and-then environment of S4.
    const double ex = 300;
    svg.ellipse(ex, y4 + 35, 180, 62, "#ecfdf5", "#0f766e");
    svg.text(ex, y4 + 35, wrap(U.environment.empty() ? "Environment: outside and then" : U.environment, 30, 4), 14);
    bool s4env = false;
    for (int c : U.channels_out) {
        const Channel &ch = org.channels[static_cast<std::size_t>(c)];
        if (ch.type == ChannelType::s4_environment || (ch.from_system == System::S4 && ch.to < 0)) s4env = true;
    }
    svg.line(ex + 180, y4 + 35, mx, y4 + 35, (s4env ? s_environment : s_missing) + " marker-start=\"url(#arrow)\" marker-end=\"url(#arrow)\"");
    badge(svg, mx, y5, count(u));
    if (U.parent >= 0) {
        bool represented = false;
        for (int c : U.channels_out) {
            const Channel &ch = org.channels[static_cast<std::size_t>(c)];
            if (ch.to == U.parent && (ch.type == ChannelType::representation || ch.from_system == System::S5)) represented = true;
        }
        svg.line(mx + mw / 2, y5, mx + mw / 2, 62, (represented ? s_command : s_missing) + " marker-end=\"url(#arrow)\"");
        svg.text(mx + mw / 2 + 10, 66, {"to " + org.units[static_cast<std::size_t>(U.parent)].name}, 12, "fill=\"#374151\"", "start");
    }

    // Operations: environment, operation circle, its management square; the command axis runs
    // down from S3 through the management squares, S2 stands to their right.
    const double ox = 560, mgx = 790, mgw = 130, trunk = mgx + mgw / 2, s2x = 1010, audit_x = 655, alg_x = 1150;
    const double first_y = top + row_h / 2, last_y = top + (static_cast<double>(std::max<std::size_t>(shown, 1)) - 0.5) * row_h;
    if (shown > 0) {
        svg.line(trunk - 8, y3 + bh, trunk - 8, last_y - 35, s_command);
        svg.line(trunk + 8, y3 + bh, trunk + 8, last_y - 35, s_bargain);
        svg.line(ax + aw / 2, y3 + 65, ax + aw / 2, y3 + 95, s_audit);
        svg.line(ax + aw / 2, y3 + 95, audit_x, y3 + 95, s_audit);
        svg.line(audit_x, y3 + 95, audit_x, last_y - 20, s_audit);
        svg.line(alg_x, last_y + 50, alg_x, y5 + 35, s_algedonic);
        svg.line(alg_x, y5 + 35, mx + mw, y5 + 35, s_algedonic + " marker-end=\"url(#arrow)\"");
    }
    for (std::size_t i = 0; i < shown; ++i) {
        const int c = U.children[i];
        const Unit &C = org.units[static_cast<std::size_t>(c)];
        const double y = top + (static_cast<double>(i) + 0.5) * row_h;
        // environment
        svg.ellipse(ex, y, 170, 48, "#f0fdf4", "#15803d");
        svg.text(ex, y, wrap(C.environment.empty() ? "Environment of " + C.name : C.environment, 32, 2), 13);
        bool s1env = false;
        for (int k : C.channels_out)
            if (org.channels[static_cast<std::size_t>(k)].type == ChannelType::s1_environment) s1env = true;
        svg.line(ex + 170, y, ox - 52, y, (s1env ? s_environment : "stroke=\"#86efac\" stroke-width=\"2\"") +
                                             " marker-start=\"url(#arrow)\" marker-end=\"url(#arrow)\"");
        // operation and its management
        svg.circle(ox, y, 52, C.expanded() ? "#fef3c7" : "#fff7ed", "#92400e");
        const CircleLabel label = fit_in_circle(C.name, 52);
        svg.text(ox, y, label.lines, label.size, "font-weight=\"bold\"");
        svg.rect(mgx, y - 35, mgw, 70, "#e0e7ff", "#111827", 4);
        std::string manager = L.actor_of(c, System::S3);
        if (manager.empty()) manager = L.actor_of(c, System::S1);
        if (manager.empty()) manager = L.actor_of(c, System::S5);
        std::vector<std::string> mlines{"Management"};
        for (const std::string &w : wrap(manager.empty() ? std::string("(unnamed)") : manager, 15, 3)) mlines.push_back(w);
        svg.text(mgx + mgw / 2, y, mlines, 12);
        svg.line(ox + 52, y, mgx, y, "stroke=\"#92400e\" stroke-width=\"2\"");
        badge(svg, ox + 40, y - 40, count(c));
        // command and bargain arrive at the top of the square; missing ones are dotted
        const bool command = L.linked(u, c, ChannelType::command), bargain = L.linked(u, c, ChannelType::resource_bargain);
        if (!command) svg.line(trunk - 8, y - 35 - row_h + 70, trunk - 8, y - 35, s_missing);
        if (!bargain) svg.line(trunk + 8, y - 35 - row_h + 70, trunk + 8, y - 35, s_missing);
        const bool audit = L.linked(u, c, ChannelType::audit);
        svg.line(audit_x, y - 20, ox + 45, y - 26, (audit ? s_audit : s_missing) + " marker-end=\"url(#arrow)\"");
        if (U.children.size() >= 2) {
            const bool coordinated = L.linked(u, c, ChannelType::coordination);
            svg.line(mgx + mgw, y, s2x, y, coordinated ? s_coordination : s_missing);
        }
        const bool alarm = L.out_of(c, ChannelType::algedonic);
        svg.path("M" + std::to_string(ox + 30) + "," + std::to_string(y + 42) + " L" + std::to_string(ox + 30) + "," +
                     std::to_string(y + 56) + " L" + std::to_string(alg_x) + "," + std::to_string(y + 56),
                 alarm ? s_algedonic : s_missing);
        // S1-S1 links, bulging left of the circles
        for (int k : C.channels_out) {
            const Channel &ch = org.channels[static_cast<std::size_t>(k)];
            if (ch.type != ChannelType::s1_s1 || ch.to < 0) continue;
            const auto j = std::find(U.children.begin(), U.children.begin() + static_cast<std::ptrdiff_t>(shown), ch.to);
            if (j == U.children.begin() + static_cast<std::ptrdiff_t>(shown)) continue;
            const double y2 = top + (static_cast<double>(j - U.children.begin()) + 0.5) * row_h;
            svg.path("M" + std::to_string(ox - 40) + "," + std::to_string(y + 30) + " C" + std::to_string(ox - 110) + "," +
                         std::to_string(y + 50) + " " + std::to_string(ox - 110) + "," + std::to_string(y2 - 50) + " " +
                         std::to_string(ox - 40) + "," + std::to_string(y2 - 30),
                     s_s1s1);
        }
    }
    // S2 after the rows, so the algedonic lines pass behind its bar instead of across its label.
    const bool s2 = U.has(System::S2);
    if (shown > 0 && (U.children.size() >= 2 || s2)) {
        svg.rect(s2x, first_y - 50, 46, last_y - first_y + 100, s2 ? "#dbeafe" : "#f3f4f6", s2 ? "#1e3a8a" : "#9ca3af", 4);
        const std::string who = L.actor_of(u, System::S2);
        const BarLabel label = s2_label(!s2 ? "absent" : who.empty() ? "no actor" : who, last_y - first_y + 80);
        const double cx = s2x + 23, cy = first_y + (last_y - first_y) / 2;
        svg.text(cx, cy, label.lines, label.size,
                 "transform=\"rotate(-90 " + std::to_string(cx) + " " + std::to_string(cy) + ")\"" +
                     (s2 ? "" : " fill=\"#6b7280\""));
    }
    if (U.children.size() > shown)
        svg.text(ox, top + static_cast<double>(shown) * row_h + 10,
                 {"… and " + std::to_string(U.children.size() - shown) + " more operations"}, 14, "fill=\"#4b5563\"");
    // Legend
    const double ly = height - 70;
    struct Key { const std::string *style; const char *label; };
    const Key keys[] = {{&s_command, "command"},       {&s_bargain, "resource bargain"}, {&s_coordination, "coordination (S2)"},
                        {&s_audit, "audit (S3*)"},     {&s_algedonic, "algedonic"},      {&s_homeostat, "S3–S4 / S4–S5"},
                        {&s_environment, "environment"}, {&s_s1s1, "between operations"}, {&s_missing, "expected but missing"}};
    for (std::size_t k = 0; k < std::size(keys); ++k) {
        const double x = 30 + static_cast<double>(k % 5) * 232, yy = ly + static_cast<double>(k / 5) * 30;
        svg.line(x, yy, x + 50, yy, *keys[k].style);
        svg.text(x + 60, yy, {keys[k].label}, 14, "", "start");
    }
    return svg.str();
}

namespace {

struct Box {
    double w = 0, h = 0;
};

class Nested {
public:
    Nested(const Organisation &org, const FindingCounts &findings, int max_units)
        : org_(org), findings_(findings), budget_(max_units) {}

    std::string draw() {
        if (org_.root < 0) return Svg(400, 100).str();
        // The first max_units units breadth-first, so every level near the root is drawn.
        std::vector<int> queue{org_.root};
        for (std::size_t q = 0; q < queue.size() && static_cast<int>(queue.size()) < budget_; ++q)
            for (int c : org_.units[static_cast<std::size_t>(queue[q])].children)
                if (static_cast<int>(queue.size()) < budget_) queue.push_back(c);
        shown_.assign(org_.units.size(), 0);
        for (int u : queue) shown_[static_cast<std::size_t>(u)] = 1;
        hidden_ = static_cast<int>(org_.units.size() - queue.size());
        const Box b = measure(org_.root);
        const int width = static_cast<int>(std::max(b.w + 40, 720.0)), height = static_cast<int>(b.h + 120);
        Svg svg(width, height);
        svg.text(20, 28, {"Recursion levels of " + org_.units[static_cast<std::size_t>(org_.root)].name}, 18, "font-weight=\"bold\"", "start");
        svg.text(20, 52, {"Each unfolded unit holds its System 1s; orange outline: neither unfolded nor marked leaf; red: findings"}, 13,
                 "fill=\"#4b5563\"", "start");
        place(svg, org_.root, 20, 70);
        if (hidden_ > 0)
            svg.text(20, height - 20, {std::to_string(hidden_) + " more units not drawn"}, 14, "fill=\"#4b5563\"", "start");
        return svg.str();
    }

private:
    static constexpr double leaf_w = 150, leaf_h = 64, pad = 14, header = 40, max_row = 1800;
    struct Placed {
        int unit;
        double dx, dy;
    };
    const char *fill(int level) const {
        static const char *const fills[] = {"#fef9c3", "#e0f2fe", "#ede9fe", "#dcfce7", "#ffe4e6", "#f1f5f9"};
        return fills[level % 6];
    }
    // Children laid out left to right in rows no wider than max_row, so a wide level wraps.
    Box measure(int u) {
        const Unit &U = org_.units[static_cast<std::size_t>(u)];
        Box b{leaf_w, leaf_h};
        const bool any_shown = std::any_of(U.children.begin(), U.children.end(),
                                           [&](int c) { return shown_[static_cast<std::size_t>(c)] != 0; });
        if (U.expanded() && any_shown) {
            double x = pad, y = header, row_h = 0, widest = 0;
            std::vector<Placed> placed;
            for (int c : U.children) {
                if (!shown_[static_cast<std::size_t>(c)]) continue;
                const Box cb = measure(c);
                if (x > pad && x + cb.w > max_row) {
                    y += row_h + pad;
                    x = pad;
                    row_h = 0;
                }
                placed.push_back({c, x, y});
                x += cb.w + pad;
                widest = std::max(widest, x);
                row_h = std::max(row_h, cb.h);
            }
            b = {std::max(widest, leaf_w + 2 * pad), y + row_h + pad};
            layout_[u] = std::move(placed);
        }
        boxes_[u] = b;
        return b;
    }
    void place(Svg &svg, int u, double x, double y) {
        const Unit &U = org_.units[static_cast<std::size_t>(u)];
        const Box b = boxes_[u];
        const auto it = findings_.find(u);
        const int count = it == findings_.end() ? 0 : it->second;
        if (!U.expanded() || !layout_.count(u)) {
            svg.rect(x, y, b.w, b.h, U.leaf || U.expanded() ? "#ffffff" : "#fff7ed", U.leaf || U.expanded() ? "#6b7280" : "#f97316",
                     30, U.leaf || U.expanded() ? 1.5 : 2.5);
            std::vector<std::string> lines = wrap(U.name, 18, 2);
            if (U.expanded()) lines.push_back("+" + std::to_string(U.children.size()) + " operations");
            svg.text(x + b.w / 2, y + b.h / 2, lines, 13);
        } else {
            svg.rect(x, y, b.w, b.h, fill(U.level), "#374151", 8);
            svg.text(x + 10, y + 20, wrap(U.name + " · level " + std::to_string(U.level), static_cast<std::size_t>(b.w / 8), 1), 14,
                     "font-weight=\"bold\"", "start");
            for (const Placed &p : layout_[u]) place(svg, p.unit, x + p.dx, y + p.dy);
        }
        if (count > 0) {
            svg.circle(x + b.w - 6, y + 6, 12, "#dc2626", "white");
            svg.text(x + b.w - 6, y + 6, {std::to_string(count)}, 12, "fill=\"white\" font-weight=\"bold\"");
        }
    }

    const Organisation &org_;
    const FindingCounts &findings_;
    int budget_;
    int hidden_ = 0;
    std::vector<char> shown_;
    std::map<int, Box> boxes_;
    std::map<int, std::vector<Placed>> layout_;
};

} // namespace

std::string nested_svg(const Organisation &org, const FindingCounts &findings, int max_units) {
    return Nested(org, findings, max_units).draw();
}

} // namespace holon_vsm
