#include "mdl/sketch.hpp"

#include <cstdlib>
#include <string>

namespace holon::sd::mdl {

namespace {

constexpr size_t max_views = 1000;
constexpr size_t max_items = 1'000'000;

// Splits a sketch record at commas outside double quotes; the arrow's "|(x,y)|" point list is
// returned separately.
std::vector<std::string> fields_of(std::string_view line, std::string &points) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c == '"') quoted = !quoted;
        if (!quoted && c == '|') {
            points = std::string(line.substr(i));
            break;
        }
        if (!quoted && c == ',') {
            out.emplace_back();
            continue;
        }
        out.back() += c;
    }
    return out;
}

double number(const std::vector<std::string> &f, size_t i) {
    if (i >= f.size()) return 0;
    return std::strtod(f[i].c_str(), nullptr);
}

int integer(const std::vector<std::string> &f, size_t i) {
    double v = number(f, i);
    return v > -1e9 && v < 1e9 ? static_cast<int>(v) : 0;
}

std::string unquote(std::string s) {
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) ++i;
        out += s[i];
    }
    return out;
}

std::vector<std::pair<double, double>> parse_points(std::string_view text) {
    std::vector<std::pair<double, double>> out;
    size_t i = 0;
    while ((i = text.find('(', i)) != std::string_view::npos && out.size() < 1000) {
        size_t close = text.find(')', i);
        if (close == std::string_view::npos) break;
        std::string inside(text.substr(i + 1, close - i - 1));
        size_t comma = inside.find(',');
        if (comma != std::string::npos)
            out.emplace_back(std::strtod(inside.c_str(), nullptr), std::strtod(inside.c_str() + comma + 1, nullptr));
        i = close + 1;
    }
    return out;
}

} // namespace

std::vector<View> parse_sketch(std::string_view sketch) {
    std::vector<View> views;
    size_t items = 0;
    size_t pos = 0;
    while (pos < sketch.size()) {
        size_t eol = sketch.find('\n', pos);
        std::string_view line = sketch.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        pos = eol == std::string_view::npos ? sketch.size() : eol + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.rfind("///---\\\\\\", 0) == 0) break; // end of the sketch
        if (line.rfind("*", 0) == 0) {
            if (views.size() >= max_views) break;
            views.push_back(View{std::string(line.substr(1)), {}, {}});
            continue;
        }
        if (views.empty() || line.empty() || line[0] < '0' || line[0] > '9') continue;
        if (++items > max_items) break;
        std::string points;
        std::vector<std::string> f = fields_of(line, points);
        int type = integer(f, 0);
        if (type == 1) {
            ViewLink l;
            l.id = integer(f, 1);
            l.from = integer(f, 2);
            l.to = integer(f, 3);
            l.points = parse_points(points);
            views.back().links.push_back(std::move(l));
        } else if (type == 10 || type == 11 || type == 12) {
            ViewElement e;
            e.type = type;
            e.id = integer(f, 1);
            if (type == 10) e.name = unquote(f.size() > 2 ? f[2] : std::string());
            e.x = number(f, 3);
            e.y = number(f, 4);
            e.width = number(f, 5);
            e.height = number(f, 6);
            views.back().elements.push_back(std::move(e));
        }
    }
    return views;
}

} // namespace holon::sd::mdl
