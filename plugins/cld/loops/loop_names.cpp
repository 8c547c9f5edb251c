#include "loops/loop_names.hpp"

#include <map>

namespace holon_cld {

std::vector<std::string> loop_names(const std::vector<Loop> &loops) {
    std::map<LoopPolarity, std::size_t> counted;
    std::vector<std::string> names;
    names.reserve(loops.size());
    for (const Loop &loop : loops)
        names.push_back(std::string(loop_polarity_letter(loop.polarity)) + std::to_string(++counted[loop.polarity]));
    return names;
}

std::string loop_chain(const CausalGraph &graph, const Loop &loop) {
    std::string chain;
    for (std::size_t v : loop.variables) chain += graph.variables()[v].name + " \u2192 ";
    return chain + graph.variables()[loop.variables.front()].name;
}

} // namespace holon_cld
