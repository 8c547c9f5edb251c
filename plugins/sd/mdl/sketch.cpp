#include "mdl/sketch.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

namespace holon_sd::mdl {

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
    double v = std::strtod(f[i].c_str(), nullptr);
    return std::isfinite(v) ? v : 0;
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
        i = close + 1;
        if (comma == std::string::npos) continue;
        double x = std::strtod(inside.c_str(), nullptr), y = std::strtod(inside.c_str() + comma + 1, nullptr);
        if (std::isfinite(x) && std::isfinite(y)) out.emplace_back(x, y);
    }
    return out;
}

// "12,42,..." : a number, a comma, a number, a comma.
bool looks_like_record(std::string_view line) {
    size_t i = 0;
    for (int field = 0; field < 2; ++field) {
        size_t start = i;
        while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
        if (i == start || i >= line.size() || line[i] != ',') return false;
        ++i;
    }
    return true;
}

} // namespace

std::vector<View> parse_sketch(std::string_view sketch) {
    struct Pending {
        std::string name;
        std::vector<SketchObject> objects;
        std::vector<SketchArrow> arrows;
    };
    std::vector<Pending> views;
    size_t items = 0;
    size_t pos = 0;
    bool text_follows = false; // a comment written as "0": its text is the next line
    while (pos < sketch.size()) {
        size_t eol = sketch.find('\n', pos);
        std::string_view line = sketch.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        pos = eol == std::string_view::npos ? sketch.size() : eol + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (text_follows) {
            text_follows = false;
            // Some such objects (lines, boxes) have no text: the next line is a record or a view.
            if (!looks_like_record(line) && line.rfind("*", 0) != 0 && line.rfind("///---", 0) != 0) {
                views.back().objects.back().name = std::string(line);
                continue;
            }
        }
        if (line.rfind("///---\\\\\\", 0) == 0) break; // end of the sketch
        if (line.rfind("*", 0) == 0) {
            if (views.size() >= max_views) break;
            views.push_back(Pending{std::string(line.substr(1)), {}, {}});
            continue;
        }
        if (views.empty() || line.empty() || line[0] < '0' || line[0] > '9') continue;
        if (++items > max_items) break;
        std::string points;
        std::vector<std::string> f = fields_of(line, points);
        int type = integer(f, 0);
        if (type == 1) {
            SketchArrow a;
            a.id = integer(f, 1);
            a.from = integer(f, 2);
            a.to = integer(f, 3);
            a.shape = integer(f, 4);
            a.points = parse_points(points);
            views.back().arrows.push_back(std::move(a));
        } else if (type == 10 || type == 11 || type == 12) {
            SketchObject o;
            o.type = type;
            o.id = integer(f, 1);
            std::string third = f.size() > 2 ? f[2] : std::string();
            if (type == 10) o.name = unquote(third);
            if (type == 12) {
                // A cloud is written with the character code of its symbol (48); anything else is a
                // comment whose text is the field itself, or the next line when the field is 0.
                o.cloud = third == "48";
                if (!o.cloud && third == "0") text_follows = true;
                else if (!o.cloud) o.name = unquote(third);
            }
            o.x = number(f, 3);
            o.y = number(f, 4);
            o.half_width = number(f, 5);
            o.half_height = number(f, 6);
            o.shape = integer(f, 7);
            views.back().objects.push_back(std::move(o));
        }
    }
    std::vector<View> out;
    for (Pending &p : views) out.push_back(view_from_sketch(std::move(p.name), p.objects, p.arrows));
    return out;
}

} // namespace holon_sd::mdl
