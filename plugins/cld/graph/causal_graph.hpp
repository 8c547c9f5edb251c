// A causal map as the cld algorithms see it: variables and signed, possibly delayed links.
// Self-links and parallel links are legal (methods.md §1.2); links refer to variables by index.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace holon_cld {

enum class Polarity { positive, negative, unknown };

// "+", "-" or "?".
std::string_view polarity_symbol(Polarity p);
// Accepts "+", "-", "−" (U+2212) and "?"; nullopt for anything else.
std::optional<Polarity> parse_polarity(std::string_view text);

struct Variable {
    std::string id;
    std::string name;
    std::string kind; // empty when the model does not say
    std::string units = {}; // empty when the model does not say (a default: three-field initialisers stay valid)
};

struct Link {
    std::string id;
    std::size_t from = 0; // index into CausalGraph::variables()
    std::size_t to = 0;
    Polarity polarity = Polarity::unknown;
    bool delay = false;
    std::optional<double> weight;
};

// Thrown when a graph would become inconsistent (duplicate id, unknown endpoint).
class GraphError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class CausalGraph {
public:
    // Returns the new variable's index. Throws GraphError on an empty or duplicate id.
    std::size_t add_variable(Variable variable);
    // `from`/`to` are variable ids. Throws GraphError on an unknown endpoint or a duplicate id.
    std::size_t add_link(std::string id, std::string_view from, std::string_view to, Polarity polarity,
                         bool delay = false, std::optional<double> weight = std::nullopt);

    const std::vector<Variable> &variables() const { return variables_; }
    const std::vector<Link> &links() const { return links_; }
    std::size_t variable_count() const { return variables_.size(); }
    std::size_t link_count() const { return links_.size(); }

    std::optional<std::size_t> find_variable(std::string_view id) const;
    // Indices of the links leaving variable `v`, in insertion order.
    const std::vector<std::size_t> &out_links(std::size_t v) const { return out_links_[v]; }

private:
    std::vector<Variable> variables_;
    std::vector<Link> links_;
    std::vector<std::vector<std::size_t>> out_links_;
    std::unordered_map<std::string, std::size_t> variable_index_;
    std::unordered_map<std::string, std::size_t> link_index_;
};

} // namespace holon_cld
