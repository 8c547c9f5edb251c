#include "batch/report_explore.hpp"

#include "batch/plots.hpp"
#include "batch/report_text.hpp"
#include "batch/statistics.hpp"

#include <algorithm>
#include <sstream>

namespace holon::batch {
namespace {

using nlohmann::json;

std::string units_of_column(const UnitsOf &units, const std::string &column) { return units ? units(column) : std::string(); }

// "overrides.contact_infectivity = 0.25, overrides.x = 1" -> "contact_infectivity = 0.25, x = 1":
// a policy as the robustness method names it, by the names the model gives its levers.
std::string readable_policy(std::string text) {
    static const std::string prefix = "overrides.";
    for (size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at))
        if (at == 0 || text.compare(at - 2, 2, ", ") == 0) text.erase(at, prefix.size());
        else at += prefix.size();
    return text;
}

std::string number_cell(const json &v) {
    return "<td>" + (v.is_number() ? rounded_text(v.get<double>()) : std::string()) + "</td>";
}

std::string text_cell(const std::string &text, const std::string &title = "") {
    return "<td class=\"text\"" + (title.empty() ? std::string() : " title=\"" + html(title) + "\"") + ">" + html(text) + "</td>";
}

// A factor by the name the model gives it, its full path on hover.
std::string factor_cell(const json &name, const UnitsOf &units) {
    const std::string path = name.is_string() ? name.get<std::string>() : std::string();
    return text_cell(with_units(short_name(path), units_of_column(units, short_name(path))), path);
}

// An outcome by its name and units: "peak (people)".
std::string outcome_cell(const json &entry, const UnitsOf &units) {
    const std::string name = entry.value("outcome", "");
    return text_cell(with_units(name, units_of_column(units, name)));
}

bool any_policy(const json &outcomes) {
    return std::any_of(outcomes.begin(), outcomes.end(), [](const json &o) { return o.is_object() && o.contains("policy"); });
}

std::string policy_cell(const json &entry, const PolicyNamer &name) {
    if (!entry.contains("policy") || !entry["policy"].is_number()) return "<td></td>";
    const auto k = static_cast<size_t>(entry["policy"].get<double>());
    return text_cell(name ? name(k) : std::to_string(k));
}

std::string confidence_text(const json &result) {
    const double c = result.value("confidence", 0.95);
    return rounded_text(100 * c, 3) + " %";
}

std::string sobol_tables(const json &r, const PolicyNamer &policy_name, const UnitsOf &units) {
    const json &outcomes = r["outcomes"];
    const bool policies = any_policy(outcomes);
    const std::string conf = confidence_text(r);
    std::ostringstream h;
    h << "<table class=\"indices\"><caption>Sobol indices: first order S1 and total ST, with the half-width of their "
      << conf << " bootstrap interval</caption>\n<tr><th>outcome</th>" << (policies ? "<th>policy</th>" : "")
      << "<th>factor</th><th>S1</th><th>S1 &plusmn;</th><th>ST</th><th>ST &plusmn;</th></tr>\n";
    bool pairs = false;
    for (const json &o : outcomes) {
        if (!o.is_object() || !o.contains("factors")) continue;
        pairs = pairs || o.contains("pairs");
        for (const json &f : o["factors"]) {
            h << "<tr>" << outcome_cell(o, units) << (policies ? policy_cell(o, policy_name) : "") << factor_cell(f.value("name", json()), units)
              << number_cell(f.value("S1", json())) << number_cell(f.value("S1_conf", json())) << number_cell(f.value("ST", json()))
              << number_cell(f.value("ST_conf", json())) << "</tr>\n";
        }
        if (o.contains("note")) h << "<tr>" << outcome_cell(o, units) << "<td class=\"text\" colspan=\"" << (policies ? 6 : 5) << "\">" << html(o.value("note", "")) << "</td></tr>\n";
    }
    h << "</table>\n";
    if (!pairs) return h.str();
    h << "<table class=\"indices\"><caption>Second-order indices S2 of each pair of factors, with the half-width of their "
      << conf << " interval</caption>\n<tr><th>outcome</th>" << (policies ? "<th>policy</th>" : "")
      << "<th>factor</th><th>and factor</th><th>S2</th><th>S2 &plusmn;</th></tr>\n";
    for (const json &o : outcomes)
        if (o.is_object() && o.contains("pairs"))
            for (const json &p : o["pairs"])
                h << "<tr>" << outcome_cell(o, units) << (policies ? policy_cell(o, policy_name) : "") << factor_cell(p.value("a", json()), units)
                  << factor_cell(p.value("b", json()), units) << number_cell(p.value("S2", json())) << number_cell(p.value("S2_conf", json())) << "</tr>\n";
    h << "</table>\n";
    return h.str();
}

std::string morris_tables(const json &r, const PolicyNamer &policy_name, const UnitsOf &units) {
    const json &outcomes = r["outcomes"];
    const bool policies = any_policy(outcomes);
    bool intervals = false;
    for (const json &o : outcomes)
        for (const json &f : o.value("factors", json::array()))
            intervals = intervals || f.value("mu_star_conf", json()).is_number();
    std::ostringstream h;
    h << "<table class=\"indices\"><caption>Morris elementary effects (" << r.value("trajectories", 0) << " trajectories, "
      << r.value("levels", 0) << " levels): &mu;* the mean absolute effect, &mu; the mean effect, &sigma; their standard deviation"
      << (intervals ? ", &mu;* &plusmn; the half-width of its " + confidence_text(r) + " bootstrap interval" : std::string())
      << "</caption>\n<tr><th>outcome</th>" << (policies ? "<th>policy</th>" : "") << "<th>factor</th><th>&mu;*</th>"
      << (intervals ? "<th>&mu;* &plusmn;</th>" : "") << "<th>&mu;</th><th>&sigma;</th></tr>\n";
    for (const json &o : outcomes)
        for (const json &f : o.value("factors", json::array()))
            h << "<tr>" << outcome_cell(o, units) << (policies ? policy_cell(o, policy_name) : "") << factor_cell(f.value("name", json()), units)
              << number_cell(f.value("mu_star", json())) << (intervals ? number_cell(f.value("mu_star_conf", json())) : "")
              << number_cell(f.value("mu", json())) << number_cell(f.value("sigma", json())) << "</tr>\n";
    h << "</table>\n";
    return h.str();
}

std::string prim_tables(const json &r, const UnitsOf &units) {
    const json &box = r["box"];
    std::ostringstream h;
    h << "<p>Cases of interest: <code>" << html(r.value("interest", "")) << "</code>, " << r.value("cases_of_interest", 0) << " of "
      << r.value("rows", 0) << " rows. The chosen box (" << box.value("box", 0) << " on the peeling trajectory, objective "
      << html(r.value("objective", "")) << "): coverage " << rounded_text(box.value("coverage", 0.0)) << ", density "
      << rounded_text(box.value("density", 0.0)) << ", mass " << rounded_text(box.value("mass", 0.0)) << ", "
      << box.value("restricted", 0) << " restricted dimensions (" << box.value("cases_of_interest", 0) << " cases of interest among its "
      << box.value("rows", 0) << " rows).</p>\n";
    h << "<table class=\"indices\"><caption>The box's limits against the range of the data; quasi-p values of the restricted "
         "limits</caption>\n<tr><th>factor</th><th>lower</th><th>upper</th><th>data min</th><th>data max</th><th>restricted</th>"
         "<th>quasi-p lower</th><th>quasi-p upper</th></tr>\n";
    for (const json &l : box.value("limits", json::array()))
        h << "<tr>" << factor_cell(l.value("factor", json()), units) << number_cell(l.value("lower", json())) << number_cell(l.value("upper", json()))
          << number_cell(l.value("minimum", json())) << number_cell(l.value("maximum", json()))
          << text_cell(l.value("restricted", false) ? "yes" : "no") << number_cell(l.value("qp_lower", json()))
          << number_cell(l.value("qp_upper", json())) << "</tr>\n";
    h << "</table>\n";
    return h.str();
}

std::string robustness_tables(const json &r) {
    // The metrics the method reports, in the order of docs/methods/explore.md, as people call them.
    static const std::vector<std::pair<std::string, std::string>> metrics{
        {"worst_case", "worst case"},       {"best_case", "best case"},
        {"hurwicz", "Hurwicz"},             {"laplace", "Laplace (mean)"},
        {"max_regret", "maximum regret"},   {"regret_p90", "90th-percentile regret"},
        {"mean_variance", "mean-variance"}, {"satisficing", "satisficing (share of scenarios meeting the threshold)"},
        {"percentile_skewness", "percentile skewness"}, {"percentile_kurtosis", "percentile kurtosis"}};
    const json &policies = r["policies"];
    const json choice = r.value("choice", json::object());
    std::ostringstream h;
    h << "<table class=\"indices\"><caption>Robustness of each policy across " << r.value("scenarios", 0) << " scenarios of <code>"
      << html(r.value("outcome", "the outcome")) << "</code> (" << html(r.value("better", "")) << " is better"
      << (r.contains("threshold") ? ", threshold " + rounded_text(r.value("threshold", 0.0)) : std::string())
      << (r.contains("hurwicz_alpha") ? ", Hurwicz alpha " + rounded_text(r.value("hurwicz_alpha", 0.0)) : std::string())
      << ")</caption>\n<tr><th>metric</th>";
    for (const json &p : policies) h << "<th title=\"" << html(p.value("policy", "")) << "\">" << html(readable_policy(p.value("policy", ""))) << "</th>";
    h << "<th>preferred policy</th></tr>\n";
    for (const auto &[key, name] : metrics) {
        if (std::none_of(policies.begin(), policies.end(), [&](const json &p) { return p.contains(key); })) continue;
        h << "<tr>" << text_cell(name);
        for (const json &p : policies) h << number_cell(p.value(key, json()));
        std::string preferred;
        if (choice.contains(key))
            for (const json &c : choice[key]) preferred += (preferred.empty() ? "" : "; ") + readable_policy(value_text(c));
        h << text_cell(preferred) << "</tr>\n";
    }
    h << "</table>\n";
    return h.str();
}

std::string features_tables(const json &r, const UnitsOf &units) {
    std::ostringstream h;
    h << "<table class=\"indices\"><caption>Feature scores (extra trees, " << r.value("trees", 0)
      << " trees): each factor's share of the outcome's explained variation</caption>\n<tr><th>outcome</th><th>factor</th><th>score</th></tr>\n";
    for (const json &o : r["outcomes"])
        for (const json &s : o.value("scores", json::array()))
            h << "<tr>" << outcome_cell(o, units) << factor_cell(s.value("factor", json()), units) << number_cell(s.value("score", json())) << "</tr>\n";
    h << "</table>\n";
    return h.str();
}

} // namespace

std::string explore_tables(const std::string &method, const json &result, const PolicyNamer &policy_name, const UnitsOf &units) {
    if (!result.is_object()) return {};
    try {
        if (method == "explore.sobol" && result.contains("outcomes")) return sobol_tables(result, policy_name, units);
        if (method == "explore.morris" && result.contains("outcomes")) return morris_tables(result, policy_name, units);
        if (method == "explore.prim" && result.contains("box") && result["box"].is_object()) return prim_tables(result, units);
        if (method == "explore.robustness" && result.contains("policies")) return robustness_tables(result);
        if (method == "explore.features" && result.contains("outcomes")) return features_tables(result, units);
    } catch (const json::exception &) {
        return {}; // a result of another shape: the pictures and result.json still say it
    }
    return {};
}

std::vector<std::filesystem::path> run_pictures(const std::filesystem::path &run_dir) {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto &e : std::filesystem::directory_iterator(run_dir, ec))
        if (e.is_regular_file(ec) && e.path().extension() == ".svg") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace holon::batch
