#include "outcomes.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace holon::runner {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct KindName {
    OutcomeKind kind;
    const char *name;
};
constexpr KindName kKinds[] = {
    {OutcomeKind::initial, "initial"},         {OutcomeKind::final, "final"},
    {OutcomeKind::min, "min"},                 {OutcomeKind::max, "max"},
    {OutcomeKind::time_of_min, "time_of_min"}, {OutcomeKind::time_of_max, "time_of_max"},
    {OutcomeKind::mean, "mean"},               {OutcomeKind::integral, "integral"},
    {OutcomeKind::crossing, "crossing"},       {OutcomeKind::series, "series"},
};

double lerp(double t0, double v0, double t1, double v1, double t) {
    if (t1 == t0) return v0;
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0);
}

// Calls visit(t, v) for every (time, value) pair inside [from, to], in order, with interpolated
// end points where the window cuts between two saved times; NaN values are left out. No copy of
// the series: a sweep computes outcomes of every run.
template <class Visit>
void for_each_in_window(const Outcome &o, std::span<const double> time, std::span<const double> values, Visit &&visit) {
    const size_t n = std::min(time.size(), values.size());
    if (!o.from && !o.to) { // the whole run: the common case, without the window's tests
        for (size_t i = 0; i < n; ++i)
            if (!std::isnan(values[i]) && !std::isnan(time[i])) visit(time[i], values[i]);
        return;
    }
    const double lo = o.from.value_or(-INFINITY), hi = o.to.value_or(INFINITY);
    bool started = false;
    double last_t = 0;
    for (size_t i = 0; i < n; ++i) {
        if (std::isnan(values[i]) || std::isnan(time[i])) continue;
        const bool previous = i > 0 && !std::isnan(values[i - 1]) && !std::isnan(time[i - 1]);
        if (time[i] >= lo && time[i] <= hi) {
            if (!started && previous && time[i] > lo && time[i - 1] < lo) visit(lo, lerp(time[i - 1], values[i - 1], time[i], values[i], lo));
            started = true;
            last_t = time[i];
            visit(time[i], values[i]);
        } else if (time[i] > hi) {
            if (started && last_t < hi && previous) {
                visit(hi, lerp(time[i - 1], values[i - 1], time[i], values[i], hi));
            } else if (!started && previous && time[i - 1] < lo) {
                // The whole window lies between two saved times.
                visit(lo, lerp(time[i - 1], values[i - 1], time[i], values[i], lo));
                if (hi > lo) visit(hi, lerp(time[i - 1], values[i - 1], time[i], values[i], hi));
            }
            return;
        }
    }
}

} // namespace

const char *to_string(OutcomeKind kind) {
    for (const auto &k : kKinds)
        if (k.kind == kind) return k.name;
    return "final";
}

std::optional<OutcomeKind> outcome_kind(const std::string &name) {
    for (const auto &k : kKinds)
        if (name == k.name) return k.kind;
    return std::nullopt;
}

nlohmann::json OutcomeSpec::to_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto &o : outcomes) {
        nlohmann::json j{{"name", o.name}, {"variable", o.variable}, {"kind", to_string(o.kind)}};
        if (o.from) j["from"] = *o.from;
        if (o.to) j["to"] = *o.to;
        if (o.kind == OutcomeKind::crossing) {
            j["threshold"] = o.threshold;
            j["direction"] = o.direction > 0 ? "up" : o.direction < 0 ? "down" : "either";
        }
        list.push_back(std::move(j));
    }
    return nlohmann::json{{"table", table}, {"time", time}, {"outcomes", list}};
}

OutcomeSpec OutcomeSpec::from_json(const nlohmann::json &j) {
    OutcomeSpec spec;
    try {
        spec.table = j.value("table", "");
        spec.time = j.value("time", "time");
        for (const auto &item : j.at("outcomes")) {
            Outcome o;
            o.name = item.at("name").get<std::string>();
            o.variable = item.at("variable").get<std::string>();
            auto kind = outcome_kind(item.value("kind", "final"));
            if (!kind) throw std::invalid_argument("unknown outcome kind '" + item.value("kind", "") + "'");
            o.kind = *kind;
            if (item.contains("from")) o.from = item["from"].get<double>();
            if (item.contains("to")) o.to = item["to"].get<double>();
            o.threshold = item.value("threshold", 0.0);
            const std::string direction = item.value("direction", "either");
            o.direction = direction == "up" ? 1 : direction == "down" ? -1 : 0;
            spec.outcomes.push_back(std::move(o));
        }
    } catch (const nlohmann::json::exception &e) {
        throw std::invalid_argument(std::string("outcome spec: ") + e.what());
    }
    return spec;
}

double scalar_outcome(const Outcome &o, std::span<const double> time, std::span<const double> values) {
    // One pass per outcome, each kind with its own small loop body (a sweep computes outcomes of
    // every run, so this is on the path of every point).
    size_t count = 0;
    double first_t = 0, first_v = 0, prev_t = 0, prev_v = 0;
    auto step = [&](double t, double v) {
        if (count++ == 0) first_t = t, first_v = v;
        prev_t = t;
        prev_v = v;
    };
    switch (o.kind) {
    case OutcomeKind::initial:
    case OutcomeKind::final:
        for_each_in_window(o, time, values, step);
        return count == 0 ? nan : o.kind == OutcomeKind::initial ? first_v : prev_v;
    case OutcomeKind::min:
    case OutcomeKind::max:
    case OutcomeKind::time_of_min:
    case OutcomeKind::time_of_max: {
        const bool want_max = o.kind == OutcomeKind::max || o.kind == OutcomeKind::time_of_max;
        double best = want_max ? -INFINITY : INFINITY, best_t = nan;
        for_each_in_window(o, time, values, [&](double t, double v) {
            ++count;
            if (want_max ? v > best : v < best) best = v, best_t = t;
        });
        if (count == 0) return nan;
        return (o.kind == OutcomeKind::min || o.kind == OutcomeKind::max) ? best : best_t;
    }
    case OutcomeKind::integral:
    case OutcomeKind::mean: {
        double area = 0;
        for_each_in_window(o, time, values, [&](double t, double v) {
            if (count > 0) area += 0.5 * (v + prev_v) * (t - prev_t);
            step(t, v);
        });
        if (count == 0) return nan;
        if (o.kind == OutcomeKind::integral) return area;
        return prev_t > first_t ? area / (prev_t - first_t) : first_v;
    }
    case OutcomeKind::crossing: {
        const double c = o.threshold;
        double crossed = nan;
        for_each_in_window(o, time, values, [&](double t, double v) {
            if (!std::isnan(crossed)) return;
            if (count == 0) {
                if (v == c) crossed = t;
            } else {
                const bool up = prev_v < c && v >= c, down = prev_v > c && v <= c;
                if ((up && o.direction >= 0) || (down && o.direction <= 0))
                    crossed = prev_t + (c - prev_v) / (v - prev_v) * (t - prev_t);
            }
            step(t, v);
        });
        return crossed;
    }
    case OutcomeKind::series: return nan;
    }
    return nan;
}

std::optional<size_t> find_column_loose(const std::vector<std::string> &columns, const std::string &name) {
    for (size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) return i;
    auto loose = [](const std::string &s) {
        std::string out;
        for (char ch : s) {
            const auto c = static_cast<unsigned char>(ch);
            out += (c == ' ' || c == '_') ? '_' : static_cast<char>(std::tolower(c));
        }
        return out;
    };
    const std::string want = loose(name);
    for (size_t i = 0; i < columns.size(); ++i)
        if (loose(columns[i]) == want) return i;
    return std::nullopt;
}

TableView view_of(const TableData &table) {
    TableView v{table.name, table.columns, {}};
    for (const auto &c : table.values) v.values.emplace_back(c.data(), c.size());
    return v;
}

bool is_outcome_table(const OutcomeSpec &spec, const std::string &name, bool first) {
    return spec.table.empty() ? first : name == spec.table;
}

std::string compute_outcomes(const OutcomeSpec &spec, const std::vector<TableView> &tables, std::vector<double> &scalars,
                             std::vector<double> &series_time, std::vector<std::vector<double>> &series) {
    scalars.clear();
    series.clear();
    series_time.clear();
    const TableView *table = nullptr;
    for (const auto &t : tables)
        if (spec.table.empty() || t.name == spec.table) {
            table = &t;
            break;
        }
    if (!table) return spec.table.empty() ? "the method put no table" : "the method put no table '" + spec.table + "'";
    const auto time_col = find_column_loose(table->columns, spec.time);
    if (!time_col) return "table '" + table->name + "' has no time column '" + spec.time + "'";
    const std::span<const double> time = table->values[*time_col];
    for (const auto &o : spec.outcomes) {
        const auto c = find_column_loose(table->columns, o.variable);
        if (!c) return "table '" + table->name + "' has no column '" + o.variable + "' (outcome '" + o.name + "')";
        const std::span<const double> values = table->values[*c];
        if (o.kind != OutcomeKind::series) {
            scalars.push_back(scalar_outcome(o, time, values));
            continue;
        }
        if (series_time.empty()) series_time.assign(time.begin(), time.end());
        std::vector<double> column(time.size(), nan);
        for (size_t i = 0; i < time.size() && i < values.size(); ++i)
            if (time[i] >= o.from.value_or(-INFINITY) && time[i] <= o.to.value_or(INFINITY)) column[i] = values[i];
        series.push_back(std::move(column));
    }
    return {};
}

} // namespace holon::runner
