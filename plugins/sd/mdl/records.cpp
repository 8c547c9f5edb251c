#include "mdl/records.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"

namespace holon_sd::mdl {

namespace {

constexpr size_t max_size = 64u << 20;
constexpr size_t max_records = 1'000'000;

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
        char a = s[i], b = prefix[i];
        if (a >= 'a' && a <= 'z') a = static_cast<char>(a - 'a' + 'A');
        if (a != b) return false;
    }
    return true;
}

} // namespace

MdlParts split_mdl(std::string_view text) {
    if (text.size() > max_size) throw ModelError("the file is larger than 64 MiB");
    MdlParts parts;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    // The sketch starts at a line "\\\\\\---///" (some writers use two backslashes).
    size_t sketch_at = text.find("\\\\---///");
    while (sketch_at != std::string_view::npos && sketch_at > 0 && text[sketch_at - 1] == '\\') --sketch_at;
    std::string_view eqs = text.substr(0, sketch_at);
    if (sketch_at != std::string_view::npos) {
        parts.sketch = std::string(text.substr(sketch_at));
        int line = 1;
        for (size_t i = 0; i < sketch_at; ++i) line += text[i] == '\n';
        parts.sketch_line = line;
    }

    int line = 1;
    std::string fields[3];
    int field = 0;
    int record_line = 0;
    bool in_macro = false;
    MacroDefinition macro;
    auto finish = [&] {
        Record r{trim(fields[0]), trim(fields[1]), trim(fields[2]), record_line};
        for (auto &f : fields) f.clear();
        field = 0;
        record_line = 0;
        if (r.equation.empty() || r.equation[0] == '*') return; // a group header ("****\n.Control\n****")
        if (parts.records.size() + macro.records.size() > max_records) throw ModelError("more than a million equations");
        (in_macro ? macro.records : parts.records).push_back(std::move(r));
    };
    size_t i = 0;
    while (i < eqs.size()) {
        char c = eqs[i];
        if (c == '\r' && i + 1 < eqs.size() && eqs[i + 1] == '\n') {
            ++i;
            continue;
        }
        if (c == '\n' || c == '\r') {
            ++line;
            fields[field] += '\n';
            ++i;
            continue;
        }
        if (record_line == 0) {
            if (c == ' ' || c == '\t') {
                ++i;
                continue;
            }
            if (c == '{') { // a comment between records ({UTF-8} first of all)
                size_t close = eqs.find('}', i);
                if (close == std::string_view::npos) throw ModelError("line " + std::to_string(line) + ": unterminated comment '{'");
                for (size_t k = i; k < close; ++k) line += eqs[k] == '\n';
                i = close + 1;
                continue;
            }
            std::string_view rest = eqs.substr(i);
            if (starts_with_ci(rest, ":MACRO:")) {
                if (in_macro) throw ModelError("line " + std::to_string(line) + ": a macro inside a macro");
                size_t eol = rest.find('\n');
                macro = MacroDefinition{};
                macro.header = trim(rest.substr(7, eol == std::string_view::npos ? std::string_view::npos : eol - 7));
                macro.line = line;
                in_macro = true;
                i += eol == std::string_view::npos ? rest.size() : eol;
                continue;
            }
            if (starts_with_ci(rest, ":END OF MACRO:")) {
                if (!in_macro) throw ModelError("line " + std::to_string(line) + ": :END OF MACRO: without :MACRO:");
                parts.macros.push_back(std::move(macro));
                macro = MacroDefinition{};
                in_macro = false;
                i += 14;
                continue;
            }
            record_line = line;
        }
        if (c == '\\' && i + 1 < eqs.size() && (eqs[i + 1] == '\n' || eqs[i + 1] == '\r')) {
            // A continued line: the break is not part of the text.
            i += 1;
            if (eqs[i] == '\r' && i + 1 < eqs.size() && eqs[i + 1] == '\n') ++i;
            ++i;
            ++line;
            continue;
        }
        if (field == 0 && c == '"') {
            size_t j = i + 1;
            for (; j < eqs.size() && eqs[j] != '"'; ++j) {
                if (eqs[j] == '\\' && j + 1 < eqs.size() && (eqs[j + 1] == '"' || eqs[j + 1] == '\\')) ++j;
                if (eqs[j] == '\n') ++line;
            }
            if (j >= eqs.size()) throw ModelError("line " + std::to_string(record_line) + ": unterminated quoted name");
            fields[0].append(eqs.substr(i, j + 1 - i));
            i = j + 1;
            continue;
        }
        if (field == 0 && c == '{') {
            size_t close = eqs.find('}', i);
            if (close == std::string_view::npos) throw ModelError("line " + std::to_string(line) + ": unterminated comment '{'");
            for (size_t k = i; k < close; ++k) line += eqs[k] == '\n';
            fields[0] += ' ';
            i = close + 1;
            continue;
        }
        if (c == '~') {
            if (field < 2) ++field;
            else fields[2] += c;
            ++i;
            continue;
        }
        if (c == '|') {
            finish();
            ++i;
            continue;
        }
        fields[field] += c;
        ++i;
    }
    if (!trim(fields[0]).empty()) {
        if (trim(fields[0]).rfind("{UTF-8}", 0) != 0)
            throw ModelError("line " + std::to_string(record_line) + ": the last equation has no closing '|'");
    }
    if (in_macro) throw ModelError("line " + std::to_string(macro.line) + ": :MACRO: without :END OF MACRO:");
    return parts;
}

} // namespace holon_sd::mdl
