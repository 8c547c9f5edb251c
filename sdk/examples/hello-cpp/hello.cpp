// hello.summary — an example Holon method written with the C++ layer of the SDK.
//
// It reads the shared model (holon-model/1 JSON), counts the variables by kind and the causal
// links by polarity, and ranks the variables by how many links touch them. Small, but it does
// everything a real method does: JSON Schemas for params and result, precise errors, progress,
// cancellation, and a result that the host validates.
#include <holon/plugin.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

constexpr const char *params_schema = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {
    "top": {"type": "integer", "minimum": 1, "maximum": 100, "default": 1,
            "description": "How many of the most connected variables to report."}
  },
  "additionalProperties": false
})";

constexpr const char *result_schema = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "required": ["variables", "links", "most_connected"],
  "properties": {
    "variables": {
      "type": "object",
      "required": ["total", "by_kind"],
      "properties": {
        "total": {"type": "integer", "minimum": 0},
        "by_kind": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}}
      }
    },
    "links": {
      "type": "object",
      "required": ["total", "by_polarity", "dangling"],
      "properties": {
        "total": {"type": "integer", "minimum": 0},
        "by_polarity": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}},
        "dangling": {"type": "integer", "minimum": 0,
                     "description": "Links whose from or to names no variable of the model."}
      }
    },
    "most_connected": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["id", "name", "degree", "in", "out"],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "degree": {"type": "integer", "minimum": 1},
          "in": {"type": "integer", "minimum": 0},
          "out": {"type": "integer", "minimum": 0}
        }
      }
    }
  }
})";

// Poll cancellation and report progress every this many items: cheap enough to keep the
// 100 ms polling promise on models far larger than any real one.
constexpr std::size_t check_every = 1024;

struct Degree {
    std::string name;
    long long in = 0;
    long long out = 0;
};

// The model's array at `key`; a missing key is an empty array, anything else but an array is an
// error that names the JSON path.
const json &array_at(const json &model, const char *key) {
    static const json empty = json::array();
    auto it = model.find(key);
    if (it == model.end()) return empty;
    if (!it->is_array())
        throw holon::Error(HOLON_ERR_INVALID_MODEL, std::string("'") + key + "' must be an array",
                           json{{"path", std::string("/") + key}}.dump());
    return *it;
}

std::string string_or(const json &object, const char *key, const char *fallback) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string(fallback);
}

struct Summary {
    static holon::MethodInfo info() {
        return {"hello.summary", "Model summary",
                "Counts the model's variables by kind and its causal links by polarity, and lists the "
                "most connected variables (by the number of links that touch them).",
                params_schema, result_schema, HOLON_METHOD_KIND_ANALYSIS, HOLON_METHOD_FLAG_CONCURRENT};
    }

    void run(holon::Context &ctx) {
        const int top = read_top(ctx.params_json());
        if (ctx.model_json().empty()) throw holon::Error(HOLON_ERR_INVALID_MODEL, "this method needs a model");
        const json model = json::parse(ctx.model_json(), nullptr, false);
        if (model.is_discarded() || !model.is_object())
            throw holon::Error(HOLON_ERR_INVALID_MODEL, "the model is not a JSON object");
        const json &variables = array_at(model, "variables");
        const json &links = array_at(model, "links");
        const double total_items = static_cast<double>(variables.size() + links.size()) + 1.0;

        std::map<std::string, long long> by_kind;
        std::map<std::string, Degree> degrees;
        for (std::size_t i = 0; i < variables.size(); ++i) {
            tick(ctx, i, static_cast<double>(i) / total_items, "variables");
            const json &v = variables[i];
            if (!v.is_object() || !v.contains("id") || !v["id"].is_string())
                throw holon::Error(HOLON_ERR_INVALID_MODEL, "a variable has no string 'id'",
                                   json{{"path", "/variables/" + std::to_string(i)}}.dump());
            ++by_kind[string_or(v, "kind", "unspecified")];
            degrees[v["id"].get<std::string>()].name = string_or(v, "name", "");
        }

        std::map<std::string, long long> by_polarity;
        long long dangling = 0;
        for (std::size_t i = 0; i < links.size(); ++i) {
            tick(ctx, i, static_cast<double>(variables.size() + i) / total_items, "links");
            const json &l = links[i];
            if (!l.is_object())
                throw holon::Error(HOLON_ERR_INVALID_MODEL, "a link is not an object",
                                   json{{"path", "/links/" + std::to_string(i)}}.dump());
            ++by_polarity[string_or(l, "polarity", "unspecified")];
            auto from = degrees.find(string_or(l, "from", ""));
            auto to = degrees.find(string_or(l, "to", ""));
            if (from == degrees.end() || to == degrees.end()) {
                ++dangling;
                continue;
            }
            ++from->second.out;
            ++to->second.in;
        }

        ctx.progress(0.95, "ranking");
        std::vector<std::pair<std::string, Degree>> ranked;
        for (const auto &[id, d] : degrees)
            if (d.in + d.out > 0) ranked.emplace_back(id, d);
        // Highest degree first; ties by id so that the answer does not depend on map order.
        std::sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) {
            const long long da = a.second.in + a.second.out, db = b.second.in + b.second.out;
            return da != db ? da > db : a.first < b.first;
        });
        if (ranked.size() > static_cast<std::size_t>(top)) ranked.resize(static_cast<std::size_t>(top));

        json most = json::array();
        for (const auto &[id, d] : ranked)
            most.push_back({{"id", id}, {"name", d.name}, {"degree", d.in + d.out}, {"in", d.in}, {"out", d.out}});
        const json result = {
            {"variables", {{"total", variables.size()}, {"by_kind", by_kind}}},
            {"links", {{"total", links.size()}, {"by_polarity", by_polarity}, {"dangling", dangling}}},
            {"most_connected", most},
        };
        ctx.put_json(result.dump());
        ctx.progress(1.0, "done");
    }

private:
    // The host has validated params against params_schema; the checks here keep the method honest
    // when it is called by something that has not (a test harness, another host).
    static int read_top(std::string_view params_text) {
        const json params = json::parse(params_text, nullptr, false);
        if (params.is_discarded() || !params.is_object())
            throw holon::Error(HOLON_ERR_INVALID_PARAMS, "params must be a JSON object");
        auto it = params.find("top");
        if (it == params.end()) return 1;
        if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 100)
            throw holon::Error(HOLON_ERR_INVALID_PARAMS, "'top' must be an integer from 1 to 100",
                               R"({"path": "/top"})");
        return it->get<int>();
    }

    static void tick(const holon::Context &ctx, std::size_t i, double fraction, const char *stage) {
        if (i % check_every != 0) return;
        ctx.check_cancelled();
        ctx.progress(fraction, stage);
    }
};

} // namespace

HOLON_PLUGIN("hello", "1.0.0", Summary)
