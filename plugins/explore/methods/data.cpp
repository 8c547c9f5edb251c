#include "methods/data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace holon_explore::methods {
namespace {

using nlohmann::json;

double finite_number(const json &v, const std::string &path) {
    if (!v.is_number()) holon::fail_params(path, "expected a number");
    const double d = v.get<double>();
    if (!std::isfinite(d)) holon::fail_params(path, "expected a finite number");
    return d;
}

} // namespace

Columns read_columns(const holon::Context &ctx, const json &params, const std::string &key) {
    Columns c;
    const std::string base = "/" + key;
    if (auto it = params.find(key); it != params.end()) {
        if (it->is_object()) {
            for (const auto &[name, column] : it->items()) {
                const std::string path = holon::at(base, name);
                if (!column.is_array()) holon::fail_params(path, "expected an array of numbers (one per row)");
                std::vector<double> values;
                values.reserve(column.size());
                for (std::size_t r = 0; r < column.size(); ++r) values.push_back(finite_number(column[r], holon::at(path, r)));
                if (!c.values.empty() && values.size() != c.rows())
                    holon::fail_params(path, "column '" + name + "' has " + std::to_string(values.size()) + " rows, column '" +
                                                 c.names.front() + "' " + std::to_string(c.rows()));
                c.names.push_back(name);
                c.values.push_back(std::move(values));
            }
        } else if (it->is_array()) {
            for (std::size_t r = 0; r < it->size(); ++r) {
                const json &row = (*it)[r];
                const std::string path = holon::at(base, r);
                if (!row.is_object()) holon::fail_params(path, "expected an object (one row: column name -> number)");
                if (r == 0)
                    for (const auto &[name, v] : row.items()) {
                        c.names.push_back(name);
                        c.values.emplace_back();
                    }
                if (row.size() != c.names.size())
                    holon::fail_params(path, "row " + std::to_string(r) + " has " + std::to_string(row.size()) +
                                                 " columns, row 0 has " + std::to_string(c.names.size()));
                for (std::size_t k = 0; k < c.names.size(); ++k) {
                    const auto v = row.find(c.names[k]);
                    if (v == row.end()) holon::fail_params(path, "row " + std::to_string(r) + " has no '" + c.names[k] + "'");
                    c.values[k].push_back(finite_number(*v, holon::at(path, c.names[k])));
                }
            }
        } else {
            holon::fail_params(base, "expected an object of columns or an array of rows");
        }
        return c;
    }
    for (uint32_t t = 0; t < ctx.table_count(); ++t) {
        const holon::TableView table = ctx.table(t);
        if (table.name() != key) continue;
        for (uint32_t k = 0; k < table.column_count(); ++k) {
            const double *values = table.column(k);
            c.names.emplace_back(table.column_name(k));
            c.values.emplace_back(values, values + table.row_count());
            for (uint64_t r = 0; r < table.row_count(); ++r)
                if (!std::isfinite(values[r]))
                    holon::fail_params(base, "input table '" + key + "', column '" + c.names.back() + "', row " +
                                                 std::to_string(r) + " is not a finite number");
        }
        break;
    }
    return c;
}

Columns require_columns(const holon::Context &ctx, const json &params, const std::string &key) {
    Columns c = read_columns(ctx, params, key);
    if (c.empty() || c.rows() == 0)
        holon::fail_params("/" + key, "the " + key + " are missing: give them as params." + key +
                                          " (an object of columns or an array of rows) or as an input table named '" + key + "'");
    return c;
}

std::vector<std::size_t> selected_outcomes(const Columns &outcomes, const json &params) {
    std::vector<std::size_t> out;
    const auto it = params.find("outcome");
    if (it == params.end()) {
        for (std::size_t i = 0; i < outcomes.names.size(); ++i)
            if (outcomes.names[i] != "point") out.push_back(i);
        return out;
    }
    const json list = it->is_string() ? json::array({*it}) : *it;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string name = list[i].get<std::string>();
        const int k = outcomes.find(name);
        if (k < 0)
            holon::fail_params(it->is_string() ? "/outcome" : holon::at("/outcome", i),
                               "no outcome '" + name + "'; the outcomes are: " + join(outcomes.names));
        out.push_back(static_cast<std::size_t>(k));
    }
    return out;
}

std::vector<std::size_t> selected_factors(const Columns &experiments, const json &params) {
    std::vector<std::size_t> out;
    auto it = params.find("factors");
    if (it == params.end()) {
        // A batch's design.json names its uncertainties: those are the factors.
        const auto design = params.find("design");
        if (design != params.end() && design->is_object() && design->contains("uncertainties")) {
            json names = json::array();
            for (const json &u : (*design)["uncertainties"])
                if (u.is_object() && u.contains("name")) names.push_back(u["name"]);
            for (std::size_t i = 0; i < names.size(); ++i) {
                const int k = experiments.find(names[i].get<std::string>());
                if (k < 0)
                    holon::fail_params(holon::at("/design/uncertainties", i), "the experiments have no column '" +
                                                                                names[i].get<std::string>() + "'; the columns are: " +
                                                                                join(experiments.names));
                out.push_back(static_cast<std::size_t>(k));
            }
            return out;
        }
        // Every column but the batch's row number, policy index and scenario index.
        for (std::size_t i = 0; i < experiments.names.size(); ++i)
            if (experiments.names[i] != "point" && experiments.names[i] != "policy" && experiments.names[i] != "scenario")
                out.push_back(i);
        return out;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
        const std::string name = (*it)[i].get<std::string>();
        const int k = experiments.find(name);
        if (k < 0)
            holon::fail_params(holon::at("/factors", i), "no experiments column '" + name + "'; the columns are: " +
                                                              join(experiments.names));
        out.push_back(static_cast<std::size_t>(k));
    }
    return out;
}

std::vector<RowGroup> policy_groups(const Columns &experiments, const json &params) {
    const int p = experiments.find("policy");
    std::vector<RowGroup> groups;
    if (p < 0) {
        if (params.contains("policy"))
            holon::fail_params("/policy", "the experiments have no 'policy' column (a batch writes one only with levers)");
        RowGroup all;
        for (std::size_t r = 0; r < experiments.rows(); ++r) all.rows.push_back(r);
        groups.push_back(std::move(all));
        return groups;
    }
    const std::vector<double> &column = experiments.values[static_cast<std::size_t>(p)];
    for (std::size_t r = 0; r < column.size(); ++r) {
        auto it = std::find_if(groups.begin(), groups.end(), [&](const RowGroup &g) { return *g.policy == column[r]; });
        if (it == groups.end()) {
            groups.push_back({column[r], {}});
            it = groups.end() - 1;
        }
        it->rows.push_back(r);
    }
    if (params.contains("policy")) {
        const double want = params["policy"].get<double>();
        std::vector<RowGroup> kept;
        for (RowGroup &g : groups)
            if (*g.policy == want) kept.push_back(std::move(g));
        if (kept.empty()) holon::fail_params("/policy", "no row has policy " + policy_text(want));
        return kept;
    }
    if (groups.size() == 1) groups[0].policy.reset();
    return groups;
}

std::string policy_text(double policy) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", policy);
    return buf;
}

Columns subset(const Columns &table, const std::vector<std::size_t> &rows) {
    Columns out;
    out.names = table.names;
    for (const auto &column : table.values) {
        std::vector<double> v;
        v.reserve(rows.size());
        for (std::size_t r : rows) v.push_back(column[r]);
        out.values.push_back(std::move(v));
    }
    return out;
}

void require_same_rows(const Columns &experiments, const Columns &outcomes) {
    if (experiments.rows() != outcomes.rows())
        holon::fail_params("/outcomes", "the experiments have " + std::to_string(experiments.rows()) +
                                            " rows and the outcomes " + std::to_string(outcomes.rows()) +
                                            "; they must be the same points in the same order");
}

std::string join(const std::vector<std::string> &names) {
    std::string out;
    for (const std::string &n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

std::string file_stem(const std::string &name) {
    std::string out;
    for (char ch : name) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                        ch == '_' || ch == '.';
        out += ok ? ch : '_';
    }
    return out.empty() ? "outcome" : out;
}

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

} // namespace holon_explore::methods
