#include "api/negotiation.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace holon::api {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

struct Range {
    std::string type;     // "text/csv", "text/*", "*/*"
    double q = 1;
    int specificity = 0;  // 2 exact, 1 type/*, 0 */*
};

std::vector<Range> parse_accept(std::string_view accept) {
    std::vector<Range> ranges;
    while (!accept.empty()) {
        const auto comma = accept.find(',');
        std::string_view item = accept.substr(0, comma);
        accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
        const auto semi = item.find(';');
        Range r;
        r.type = lower(trim(item.substr(0, semi)));
        if (r.type.empty()) continue;
        for (std::string_view params = semi == std::string_view::npos ? std::string_view() : item.substr(semi + 1);
             !params.empty();) {
            const auto next = params.find(';');
            std::string_view p = trim(params.substr(0, next));
            params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
            if (p.size() > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
                double q = 1;
                const auto text = p.substr(2);
                if (std::from_chars(text.data(), text.data() + text.size(), q).ec == std::errc())
                    r.q = std::clamp(q, 0.0, 1.0);
            }
        }
        r.specificity = r.type == "*/*" ? 0 : r.type.size() > 2 && r.type.substr(r.type.size() - 2) == "/*" ? 1 : 2;
        ranges.push_back(std::move(r));
    }
    return ranges;
}

bool covers(const Range& r, const std::string& offered) {
    if (r.specificity == 0) return true;
    if (r.specificity == 1) return offered.rfind(r.type.substr(0, r.type.size() - 1), 0) == 0;
    return r.type == offered;
}

// The q the client gives `offered`: that of the most specific range covering it; -1 when none.
double quality(const std::vector<Range>& ranges, const std::string& offered) {
    double q = -1;
    int best = -1;
    for (const auto& r : ranges)
        if (covers(r, offered) && r.specificity > best) {
            best = r.specificity;
            q = r.q;
        }
    return q;
}

}  // namespace

std::optional<std::string> negotiate(std::string_view accept, const std::vector<std::string>& offered) {
    if (offered.empty()) return std::nullopt;
    const auto ranges = parse_accept(accept);
    if (ranges.empty()) return offered.front();
    std::optional<std::string> chosen;
    double best = 0;
    for (const auto& type : offered) {
        // "text/html; charset=utf-8" is matched as text/html.
        const double q = quality(ranges, lower(trim(std::string_view(type).substr(0, type.find(';')))));
        if (q > best) {
            best = q;
            chosen = type;
        }
    }
    return chosen;
}

ApiError not_acceptable(std::string_view accept, const std::vector<std::string>& offered) {
    std::string list;
    for (const auto& type : offered) list += (list.empty() ? "" : ", ") + type;
    ApiError e(406, "/problems/not-acceptable", "None of the accepted media types is offered",
               "Accept: " + std::string(accept) + " matches nothing this resource offers; it offers " + list);
    e.offered = offered;
    return e;
}

std::string choose_media_type(const Request& request, const std::vector<std::string>& offered) {
    const std::string accept = request.header("Accept");
    if (auto chosen = negotiate(accept, offered)) return *chosen;
    throw not_acceptable(accept, offered);
}

}  // namespace holon::api
