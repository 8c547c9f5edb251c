#include "graph/components.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>

namespace holon_cld {

Components strong_components(const CausalGraph &graph) {
    using Digraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
    Digraph g(graph.variable_count());
    for (const Link &link : graph.links()) boost::add_edge(link.from, link.to, g);

    Components result;
    result.component_of.assign(graph.variable_count(), 0);
    const std::size_t count = graph.variable_count() == 0
                                  ? 0
                                  : static_cast<std::size_t>(boost::strong_components(
                                        g, boost::make_iterator_property_map(result.component_of.begin(),
                                                                             boost::get(boost::vertex_index, g))));
    result.members.resize(count);
    for (std::size_t v = 0; v < graph.variable_count(); ++v) result.members[result.component_of[v]].push_back(v);
    return result;
}

} // namespace holon_cld
