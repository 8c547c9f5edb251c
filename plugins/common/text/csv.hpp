// CSV text for the tables the methodology plugins hand back as files (header-only, part of the
// plugins' common library like markdown.hpp): RFC 4180 quoting and numbers written so that they
// read back exactly. The host's numeric tables cannot hold names; these files can.
#pragma once

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace holon_plugins::text {

// One CSV field: quoted when it holds a comma, a quote or a line break (quotes doubled).
inline std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

// The shortest text that reads back as exactly `value`; empty for NaN (a missing value).
inline std::string csv_number(double value) {
    if (std::isnan(value)) return {};
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    return std::string(buffer, end);
}

// A CSV document built row by row, CRLF line ends as RFC 4180 asks.
class CsvWriter {
public:
    void row(const std::vector<std::string> &fields) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i) text_ += ',';
            text_ += csv_field(fields[i]); // not "," + field: GCC 12 warns (-Wrestrict) on that inlined
        }
        text_ += "\r\n";
    }
    const std::string &text() const { return text_; }

private:
    std::string text_;
};

} // namespace holon_plugins::text
