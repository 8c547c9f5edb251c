#include "reference.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace holon::conformance {

namespace {

std::vector<std::string> split_lines(const std::string &text) {
    std::vector<std::string> lines;
    std::string cur;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            lines.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) lines.push_back(cur);
    while (!lines.empty() && lines.back().find_first_not_of(" \t") == std::string::npos) lines.pop_back();
    return lines;
}

std::vector<std::string> split_fields(const std::string &line, char sep) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (char c : line) {
        if (c == '"') quoted = !quoted;
        else if (c == sep && !quoted) {
            out.push_back(cur);
            cur.clear();
        } else cur += c;
    }
    out.push_back(cur);
    return out;
}

std::string trim(const std::string &s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

bool is_control(const std::string &normalized) {
    return normalized == "initial time" || normalized == "final time" || normalized == "time step" ||
           normalized == "saveper";
}

} // namespace

std::string normalize_column(const std::string &name) {
    std::string out;
    bool space = false;
    for (char c : name) {
        if (c == '"') continue;
        if (c == ' ' || c == '_' || c == '\t') {
            space = true;
            continue;
        }
        bool bracket = c == '[' || c == ']' || c == ',';
        if (space && !out.empty() && !bracket && out.back() != '[' && out.back() != ',') out += ' ';
        space = false;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

Series read_reference(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    char sep = path.size() >= 4 && path.substr(path.size() - 4) == ".tab" ? '\t' : ',';
    std::vector<std::string> lines = split_lines(ss.str());
    if (lines.size() < 2) throw std::runtime_error(path + ": no data rows");
    std::vector<std::string> header = split_fields(lines[0], sep);
    int time_col = -1;
    for (size_t i = 0; i < header.size(); ++i)
        if (normalize_column(trim(header[i])) == "time") time_col = static_cast<int>(i);
    if (time_col < 0) throw std::runtime_error(path + ": no Time column");
    std::vector<std::vector<std::string>> cells;
    for (size_t r = 1; r < lines.size(); ++r) {
        auto f = split_fields(lines[r], sep);
        f.resize(header.size());
        cells.push_back(std::move(f));
    }
    Series s;
    for (const auto &row : cells) {
        char *end = nullptr;
        std::string t = trim(row[static_cast<size_t>(time_col)]);
        double v = std::strtod(t.c_str(), &end);
        if (t.empty() || *end) throw std::runtime_error(path + ": bad time '" + t + "'");
        s.times.push_back(v);
    }
    for (size_t c = 0; c < header.size(); ++c) {
        if (static_cast<int>(c) == time_col) continue;
        std::string name = trim(header[c]);
        if (name.empty()) continue;
        bool rest_blank = true;
        for (size_t r = 1; r < cells.size(); ++r) rest_blank = rest_blank && trim(cells[r][c]).empty();
        std::vector<double> col;
        for (size_t r = 0; r < cells.size(); ++r) {
            std::string cell = trim(cells[rest_blank && r > 0 ? 0 : r][c]);
            if (cell.empty()) {
                col.push_back(std::nan(""));
                continue;
            }
            char *end = nullptr;
            double v = std::strtod(cell.c_str(), &end);
            col.push_back(*end ? std::nan("") : v);
        }
        s.names.push_back(name);
        s.columns.push_back(std::move(col));
    }
    return s;
}

Comparison compare(const Series &ref, const Series &sim) {
    Comparison out;
    std::unordered_map<std::string, size_t> sim_cols;
    for (size_t i = 0; i < sim.names.size(); ++i) sim_cols.emplace(normalize_column(sim.names[i]), i);
    // Reference row -> simulated row (nearest time within 1e-5 * max(1, |t|)).
    std::vector<size_t> rows;
    for (double t : ref.times) {
        size_t best = 0;
        double best_d = INFINITY;
        for (size_t i = 0; i < sim.times.size(); ++i) {
            double d = std::fabs(sim.times[i] - t);
            if (d < best_d) {
                best_d = d;
                best = i;
            }
        }
        if (!(best_d <= 1e-5 * std::max(1.0, std::fabs(t)))) {
            out.problems.push_back("no simulated time matches reference time " + std::to_string(t));
            return out;
        }
        rows.push_back(best);
    }
    size_t mismatches = 0;
    for (size_t c = 0; c < ref.names.size(); ++c) {
        std::string n = normalize_column(ref.names[c]);
        if (is_control(n)) continue;
        auto it = sim_cols.find(n);
        if (it == sim_cols.end()) {
            out.problems.push_back("column '" + ref.names[c] + "' is missing from the simulation");
            ++mismatches;
            continue;
        }
        ++out.columns_compared;
        const auto &simcol = sim.columns[it->second];
        for (size_t r = 0; r < ref.times.size(); ++r) {
            double a = ref.columns[c][r], b = simcol[rows[r]];
            bool ok = (std::isnan(a) && std::isnan(b)) || std::fabs(a - b) <= 1e-5 + 1e-5 * std::fabs(b);
            if (!ok) {
                ++mismatches;
                if (out.problems.size() < 5) {
                    std::ostringstream m;
                    m.precision(10);
                    m << "'" << ref.names[c] << "' at time " << ref.times[r] << ": expected " << a << ", simulated " << b;
                    out.problems.push_back(m.str());
                }
                break; // one message per column
            }
        }
    }
    out.passed = mismatches == 0 && out.columns_compared > 0;
    if (out.columns_compared == 0 && out.problems.empty()) out.problems.push_back("no columns to compare");
    return out;
}

} // namespace holon::conformance
