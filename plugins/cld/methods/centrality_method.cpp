#include "methods/centrality_method.hpp"
#include "cld_schemas.hpp"

#include "centrality/centrality.hpp"
#include "centrality/micmac.hpp"
#include "methods/model_input.hpp"

#include "text/csv.hpp"

namespace holon_cld::methods {
namespace {

constexpr const char *params_schema = schemas::centrality_params.data();

constexpr const char *result_schema = schemas::centrality_result.data();

nlohmann::json centrality_conventions(bool directed) {
    nlohmann::json c = {
        {"graph", directed ? "directed simple graph: parallel links count once, self-links are ignored, weights unused"
                           : "undirected simple graph: every link is a tie, parallel and opposite links count once, "
                             "self-links are ignored, weights unused"},
        {"degree", directed ? "in_degree + out_degree (distinct neighbours)" : "distinct neighbours"},
        {"degree_centrality", "degree / (n - 1), as networkx degree_centrality"},
        {"betweenness", directed ? "sum over ordered pairs s != v != t of sigma_st(v)/sigma_st, divided by (n-1)(n-2)"
                                 : "sum over unordered pairs s != v != t of sigma_st(v)/sigma_st, divided by (n-1)(n-2)/2"},
        {"betweenness_raw", "the same sum, not normalised (networkx normalized=False)"},
        {"closeness", std::string("(r-1)/sum(d) * (r-1)/(n-1), r = variables that ") +
                          (directed ? "reach v, d = distances to v" : "v reaches, d = distances from v") +
                          " (networkx wf_improved); (n-1)/sum(d) when connected"},
        {"eigenvector", std::string("principal eigenvector of A + I, ") + (directed ? "in-links (left eigenvector), " : "") +
                            "scaled to unit Euclidean norm (networkx eigenvector_centrality)"},
        {"n", "the number of variables, isolated ones included"}};
    return c;
}

nlohmann::json micmac_conventions() {
    return {{"matrix", "cell (i, j) = |weight| of the link i -> j, 1 when it has no weight, the largest of parallel "
                       "links; self-links ignored"},
            {"influence", "row sum (what the variable drives)"},
            {"dependence", "column sum (what drives the variable)"},
            {"indirect", "the matrix raised to the first power whose influence and dependence rankings equal those of the "
                         "power before; sums are shares of that matrix's total"},
            {"threshold", "the mean over all variables, for influence and dependence separately"},
            {"quadrants", "high means at or above the mean: influential = high influence and low dependence, relay = "
                          "both high, dependent = low influence and high dependence, autonomous = both low"},
            {"rank", "1 = largest; equal values share the better rank"}};
}

// units only when the model gives them: an absent member, not an empty string.
void add_name_and_units(nlohmann::json &row, const Variable &v) {
    row["name"] = v.name;
    if (!v.units.empty()) row["units"] = v.units;
}

std::string number_text(double value) { return holon_plugins::text::csv_number(value); }

// centrality.csv: one row per variable with its id, name, units, the centrality measures and MICMAC.
std::string centrality_csv(const CausalGraph &graph, const CentralityResult &c, const MicmacResult &m) {
    holon_plugins::text::CsvWriter csv;
    csv.row({"id", "name", "units", "degree", "in_degree", "out_degree", "degree_centrality", "in_degree_centrality",
             "out_degree_centrality", "betweenness", "betweenness_raw", "closeness", "eigenvector",
             "direct_influence", "direct_dependence", "direct_quadrant", "indirect_influence", "indirect_dependence",
             "indirect_quadrant"});
    for (std::size_t v = 0; v < graph.variable_count(); ++v) {
        const Variable &variable = graph.variables()[v];
        const CentralityScores &s = c.scores[v];
        csv.row({variable.id, variable.name, variable.units, std::to_string(s.degree), std::to_string(s.in_degree),
                 std::to_string(s.out_degree), number_text(s.degree_centrality), number_text(s.in_degree_centrality),
                 number_text(s.out_degree_centrality), number_text(s.betweenness), number_text(s.betweenness_raw),
                 number_text(s.closeness), s.eigenvector ? number_text(*s.eigenvector) : std::string(),
                 number_text(m.direct.influence[v]), number_text(m.direct.dependence[v]),
                 std::string(micmac_quadrant_name(m.direct.quadrant[v])), number_text(m.indirect.influence[v]),
                 number_text(m.indirect.dependence[v]), std::string(micmac_quadrant_name(m.indirect.quadrant[v]))});
    }
    return csv.text();
}

} // namespace

holon::MethodInfo CentralityMethod::info() {
    return {"cld.centrality",
            "Centrality and MICMAC",
            "Degree, in/out degree, betweenness, closeness and eigenvector centrality of every variable, normalised as "
            "networkx documents them (the conventions are part of the result), and a MICMAC structural analysis: "
            "direct and indirect influence and dependence, their rankings and the four quadrants. Every variable is "
            "listed with its id, name and units; the same table is put as centrality.csv.",
            params_schema,
            result_schema,
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT,
            ""};
}

void CentralityMethod::run(holon::Context &ctx) {
    const nlohmann::json params = holon::read_params(ctx);
    const CausalGraph graph = read_graph(ctx);
    const bool directed = params.value("directed", false);
    ctx.progress(0.0, "centrality");
    const CentralityResult c = compute_centrality(graph, directed);
    ctx.check_cancelled();
    ctx.progress(0.5, "MICMAC");
    const MicmacResult m = micmac(graph, params.value("max_power", 20));

    nlohmann::json variables = nlohmann::json::array();
    for (std::size_t v = 0; v < graph.variable_count(); ++v) {
        const CentralityScores &s = c.scores[v];
        nlohmann::json row = {{"id", graph.variables()[v].id},
                             {"degree", s.degree},
                             {"in_degree", s.in_degree},
                             {"out_degree", s.out_degree},
                             {"degree_centrality", s.degree_centrality},
                             {"in_degree_centrality", s.in_degree_centrality},
                             {"out_degree_centrality", s.out_degree_centrality},
                             {"betweenness", s.betweenness},
                             {"betweenness_raw", s.betweenness_raw},
                             {"closeness", s.closeness},
                             {"eigenvector", s.eigenvector ? nlohmann::json(*s.eigenvector) : nlohmann::json()}};
        add_name_and_units(row, graph.variables()[v]);
        variables.push_back(std::move(row));
    }
    nlohmann::json micmac_variables = nlohmann::json::array();
    for (std::size_t v = 0; v < graph.variable_count(); ++v) {
        nlohmann::json row = {{"id", graph.variables()[v].id},
                                    {"direct_influence", m.direct.influence[v]},
                                    {"direct_dependence", m.direct.dependence[v]},
                                    {"direct_influence_rank", m.direct.influence_rank[v]},
                                    {"direct_dependence_rank", m.direct.dependence_rank[v]},
                                    {"direct_quadrant", micmac_quadrant_name(m.direct.quadrant[v])},
                                    {"indirect_influence", m.indirect.influence[v]},
                                    {"indirect_dependence", m.indirect.dependence[v]},
                                    {"indirect_influence_rank", m.indirect.influence_rank[v]},
                                    {"indirect_dependence_rank", m.indirect.dependence_rank[v]},
                                    {"indirect_quadrant", micmac_quadrant_name(m.indirect.quadrant[v])}};
        add_name_and_units(row, graph.variables()[v]);
        micmac_variables.push_back(std::move(row));
    }
    const nlohmann::json result = {
        {"directed", directed},
        {"conventions", centrality_conventions(directed)},
        {"eigenvector_converged", c.eigenvector_converged},
        {"variables", std::move(variables)},
        {"micmac",
         {{"power", m.power},
          {"stable", m.stable},
          {"direct", {{"influence_threshold", m.direct.influence_threshold}, {"dependence_threshold", m.direct.dependence_threshold}}},
          {"indirect",
           {{"influence_threshold", m.indirect.influence_threshold}, {"dependence_threshold", m.indirect.dependence_threshold}}},
          {"conventions", micmac_conventions()},
          {"variables", std::move(micmac_variables)}}}};
    ctx.put_blob("centrality.csv", "text/csv", centrality_csv(graph, c, m));
    ctx.put_json(result.dump());
    ctx.progress(1.0, "done");
}

} // namespace holon_cld::methods
