#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/model.hpp"

namespace holon::model {
namespace {

struct Position {
    int line = 1;
    int column = 1;
};

Position position_of(std::string_view text, std::size_t offset) {
    Position p;
    offset = std::min(offset, text.size());
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++p.line;
            p.column = 1;
        } else {
            ++p.column;
        }
    }
    return p;
}

std::string where(const std::string& source, int line, int column, const std::string& path) {
    if (line > 0) {
        return source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
    }
    if (!path.empty()) {
        return source + ": " + path + ": ";
    }
    return source + ": ";
}

// nlohmann's parser recurses per nesting level, so an over-deep document must be refused before
// it is parsed. Brackets inside strings do not count.
void check_depth(std::string_view text, const std::string& source, std::size_t max_depth) {
    std::size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) {
                const Position p = position_of(text, i);
                throw ModelError(source, p.line, p.column, "",
                                 "nesting deeper than " + std::to_string(max_depth) + " levels");
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
}

std::string escape_token(const std::string& token) {
    std::string out;
    for (char c : token) {
        out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    }
    return out;
}

// A SAX pass that only looks for duplicate keys, reporting the first with its JSON pointer. A
// separate pass because nlohmann's callback parser scans the whole parent container at every
// end of an object (quadratic: 100,000 variables took most of a minute); both passes are linear.
class DuplicateKeyGuard {
public:
    using number_integer_t = nlohmann::json::number_integer_t;
    using number_unsigned_t = nlohmann::json::number_unsigned_t;
    using number_float_t = nlohmann::json::number_float_t;
    using string_t = nlohmann::json::string_t;
    using binary_t = nlohmann::json::binary_t;

    explicit DuplicateKeyGuard(const std::string& source) : source_(source) {}

    bool null() { return value(); }
    bool boolean(bool) { return value(); }
    bool number_integer(number_integer_t) { return value(); }
    bool number_unsigned(number_unsigned_t) { return value(); }
    bool number_float(number_float_t, const string_t&) { return value(); }
    bool string(string_t&) { return value(); }
    bool binary(binary_t&) { return value(); }
    bool start_object(std::size_t) {
        value();
        frames_.push_back(Frame{true, {}, {}, 0});
        return true;
    }
    bool start_array(std::size_t) {
        value();
        frames_.push_back(Frame{false, {}, {}, 0});
        return true;
    }
    bool end_object() {
        frames_.pop_back();
        return true;
    }
    bool end_array() {
        frames_.pop_back();
        return true;
    }
    bool key(string_t& key) {
        Frame& top = frames_.back();
        if (!top.keys.insert(key).second) {
            throw ModelError(source_, 0, 0, path() + "/" + escape_token(key), "duplicate key '" + key + "'");
        }
        top.key = key;
        return true;
    }
    // Syntax errors are reported by the parse that builds the document, with their position.
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

private:
    struct Frame {
        bool is_object;
        std::set<std::string> keys;
        std::string key;    // last key seen (objects)
        std::size_t count;  // elements started so far (arrays)
    };

    bool value() {
        if (!frames_.empty() && !frames_.back().is_object) {
            ++frames_.back().count;
        }
        return true;
    }

    std::string path() const {
        std::string out;
        for (const Frame& f : frames_) {
            if (&f == &frames_.back()) {
                break;
            }
            out += "/" + (f.is_object ? escape_token(f.key) : std::to_string(f.count - 1));
        }
        return out;
    }

    const std::string& source_;
    std::vector<Frame> frames_;
};

}  // namespace

ModelError::ModelError(std::string source_name, int line_number, int column_number, std::string json_path,
                       const std::string& message)
    : std::runtime_error(where(source_name, line_number, column_number, json_path) + message),
      source(std::move(source_name)),
      line(line_number),
      column(column_number),
      path(std::move(json_path)) {}

nlohmann::json parse(std::string_view text, const std::string& source_name, const ParseLimits& limits) {
    if (text.size() > limits.max_bytes) {
        throw ModelError(source_name, 0, 0, "",
                         "document is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                             std::to_string(limits.max_bytes));
    }
    check_depth(text, source_name, limits.max_depth);
    DuplicateKeyGuard guard(source_name);
    try {
        nlohmann::json::sax_parse(text, &guard);
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        const Position p = position_of(text, e.byte == 0 ? 0 : e.byte - 1);
        std::string reason = e.what();
        const auto colon = reason.find(": ", reason.find("parse error"));
        if (colon != std::string::npos) {
            reason = reason.substr(colon + 2);
        }
        throw ModelError(source_name, p.line, p.column, "", reason);
    } catch (const nlohmann::json::out_of_range& e) {
        // e.g. "number overflow parsing '1e999'": nlohmann gives no position for these.
        std::string reason = e.what();
        const auto bracket = reason.find("] ");
        throw ModelError(source_name, 0, 0, "", bracket == std::string::npos ? reason : reason.substr(bracket + 2));
    }
}

}  // namespace holon::model
