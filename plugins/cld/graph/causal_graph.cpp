#include "graph/causal_graph.hpp"

#include <utility>

namespace holon_cld {

std::string_view polarity_symbol(Polarity p) {
    switch (p) {
    case Polarity::positive: return "+";
    case Polarity::negative: return "-";
    case Polarity::unknown: break;
    }
    return "?";
}

std::optional<Polarity> parse_polarity(std::string_view text) {
    if (text == "+") return Polarity::positive;
    if (text == "-" || text == "\u2212") return Polarity::negative;
    if (text == "?") return Polarity::unknown;
    return std::nullopt;
}

std::size_t CausalGraph::add_variable(Variable variable) {
    if (variable.id.empty()) throw GraphError("a variable has an empty id");
    if (variable_index_.count(variable.id)) throw GraphError("duplicate variable id '" + variable.id + "'");
    const std::size_t index = variables_.size();
    variable_index_.emplace(variable.id, index);
    variables_.push_back(std::move(variable));
    out_links_.emplace_back();
    return index;
}

std::size_t CausalGraph::add_link(std::string id, std::string_view from, std::string_view to, Polarity polarity,
                                  bool delay, std::optional<double> weight) {
    if (id.empty()) throw GraphError("a link has an empty id");
    if (link_index_.count(id)) throw GraphError("duplicate link id '" + id + "'");
    const auto f = find_variable(from);
    if (!f) throw GraphError("link '" + id + "' comes from unknown variable '" + std::string(from) + "'");
    const auto t = find_variable(to);
    if (!t) throw GraphError("link '" + id + "' goes to unknown variable '" + std::string(to) + "'");
    const std::size_t index = links_.size();
    link_index_.emplace(id, index);
    links_.push_back(Link{std::move(id), *f, *t, polarity, delay, weight});
    out_links_[*f].push_back(index);
    return index;
}

std::optional<std::size_t> CausalGraph::find_variable(std::string_view id) const {
    const auto it = variable_index_.find(std::string(id));
    if (it == variable_index_.end()) return std::nullopt;
    return it->second;
}

} // namespace holon_cld
