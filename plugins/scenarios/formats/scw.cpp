#include "formats/scw.hpp"

#include <sstream>

namespace holon_scenarios::formats {
namespace {

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::string line;
    for (char c : text) {
        if (c == '\n') {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            lines.push_back(line);
            line.clear();
        } else {
            line += c;
        }
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

std::string trim(std::string_view s) {
    size_t a = 0, b = s.size();
    while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
    return std::string(s.substr(a, b - a));
}

bool is_separator(const std::string &line) { return !line.empty() && line[0] == '#'; }

} // namespace

ScwProject read_scw(std::string_view text) {
    const auto lines = split_lines(text);
    size_t i = 0;
    auto line_no = [&] { return static_cast<int>(i + 1); };
    if (lines.empty() || lines[0].rfind("$ ScenarioWizard", 0) != 0)
        throw FormatError("not a ScenarioWizard file: the first line must start with '$ ScenarioWizard'", 1);
    ScwProject p;
    p.title = lines.size() > 1 ? trim(lines[1]) : "";
    i = 2;
    // Descriptors and variants.
    for (; i < lines.size() && !is_separator(lines[i]); ++i) {
        const std::string t = trim(lines[i]);
        if (t.empty()) continue;
        if (t[0] == '&') {
            p.descriptors.push_back({trim(t.substr(1)), "", {}});
        } else if (t[0] == '-') {
            if (p.descriptors.empty()) throw FormatError("a variant before any descriptor", line_no());
            p.descriptors.back().variants.push_back({trim(t.substr(1)), ""});
        } else {
            throw FormatError("expected '&descriptor' or '-variant'", line_no());
        }
    }
    if (p.descriptors.empty()) throw FormatError("no descriptors", line_no());
    for (const auto &d : p.descriptors)
        if (d.variants.empty()) throw FormatError("descriptor '" + d.name + "' has no variants", line_no());
    ++i;
    // Descriptions: "&<descriptor description>" then one line per variant description.
    int d = -1;
    size_t v = 0;
    for (; i < lines.size() && !is_separator(lines[i]); ++i) {
        const std::string &raw = lines[i];
        if (!raw.empty() && raw[0] == '&') {
            ++d;
            v = 0;
            if (d < static_cast<int>(p.descriptors.size())) p.descriptors[static_cast<size_t>(d)].description = trim(raw.substr(1));
        } else if (d >= 0 && d < static_cast<int>(p.descriptors.size()) && v < p.descriptors[static_cast<size_t>(d)].variants.size()) {
            p.descriptors[static_cast<size_t>(d)].variants[v++].description = trim(raw);
        }
    }
    // Skip the sections up to the matrix: it is the first section whose rows hold commas.
    std::vector<int> counts;
    for (const auto &desc : p.descriptors) counts.push_back(static_cast<int>(desc.variants.size()));
    p.matrix = cib::Matrix(counts);
    for (; i < lines.size() && lines[i].find(',') == std::string::npos; ++i) {
    }
    if (i == lines.size()) throw FormatError("no cross-impact matrix", line_no());
    const int n = p.matrix.size();
    for (int r = 0; r < n; ++r, ++i) {
        if (i >= lines.size() || is_separator(lines[i])) throw FormatError("the matrix has too few rows", line_no());
        std::stringstream row(lines[i]);
        std::string cell;
        int c = 0;
        while (std::getline(row, cell, ',')) {
            const std::string t = trim(cell);
            if (t.empty()) continue;
            if (c >= n) throw FormatError("matrix row has too many cells", line_no());
            int value = 0;
            try {
                size_t used = 0;
                value = std::stoi(t, &used);
                if (used != t.size()) throw std::invalid_argument(t);
            } catch (const std::exception &) {
                throw FormatError("matrix cell '" + t + "' is not an integer", line_no());
            }
            int rd = 0, cd = 0;
            while (rd + 1 < p.matrix.descriptor_count() && p.matrix.offset(rd + 1) <= r) ++rd;
            while (cd + 1 < p.matrix.descriptor_count() && p.matrix.offset(cd + 1) <= c) ++cd;
            p.matrix.set(rd, r - p.matrix.offset(rd), cd, c - p.matrix.offset(cd), value);
            if (rd == cd && value != 0)
                p.self_impacts.push_back({rd, r - p.matrix.offset(rd), c - p.matrix.offset(cd), value, line_no()});
            ++c;
        }
        if (c != n) throw FormatError("matrix row has " + std::to_string(c) + " cells, expected " + std::to_string(n), line_no());
    }
    return p;
}

std::string write_scw(const ScwProject &p) {
    std::ostringstream out;
    out << "$ ScenarioWizard 4.0\n" << p.title << "\n";
    for (const auto &d : p.descriptors) {
        out << "&" << d.name << "\n";
        for (const auto &v : d.variants) out << " -" << v.name << "\n";
    }
    out << "#\n";
    for (const auto &d : p.descriptors) {
        out << "&" << d.description << "\n";
        for (const auto &v : d.variants) out << " " << v.description << "\n";
    }
    out << "#\n#\n";
    for (int r = 0; r < p.matrix.size(); ++r) out << "FFFFFF\n";
    out << "#\n#\n";
    for (int r = 0; r < p.matrix.size(); ++r) {
        for (int c = 0; c < p.matrix.size(); ++c) {
            const int32_t v = p.matrix.at(r, c);
            out << (c ? "," : "") << (v < 0 ? "" : " ") << v << " ";
        }
        out << "\n";
    }
    out << "#\n#\n";
    return out.str();
}

SolutionList read_sl(std::string_view text) {
    const auto lines = split_lines(text);
    if (lines.empty() || lines[0].rfind("$ ScenarioWizard", 0) != 0)
        throw FormatError("not a ScenarioWizard solution list: the first line must start with '$ ScenarioWizard'", 1);
    SolutionList sl;
    sl.header = lines.size() > 1 ? trim(lines[1]) : "";
    for (size_t i = 2; i < lines.size(); ++i) {
        const std::string t = trim(lines[i]);
        if (t.empty() || t[0] != '"') continue;
        const size_t close = t.find('"', 1);
        if (close == std::string::npos) throw FormatError("unterminated scenario", static_cast<int>(i + 1));
        SolutionRow row;
        std::istringstream digits(t.substr(1, close - 1));
        int v = 0;
        while (digits >> v) {
            if (v < 1) throw FormatError("variant numbers start at 1", static_cast<int>(i + 1));
            row.scenario.push_back(v - 1);
        }
        std::stringstream rest(t.substr(close + 1));
        std::string cell;
        while (std::getline(rest, cell, ',')) {
            const std::string c = trim(cell);
            if (c.empty()) continue;
            if (c[0] == '"') {
                row.note = c.size() >= 2 ? c.substr(1, c.size() - 2) : "";
                continue;
            }
            try {
                row.numbers.push_back(std::stoll(c));
            } catch (const std::exception &) {
                throw FormatError("'" + c + "' is not a number", static_cast<int>(i + 1));
            }
        }
        sl.rows.push_back(std::move(row));
    }
    return sl;
}

} // namespace holon_scenarios::formats
