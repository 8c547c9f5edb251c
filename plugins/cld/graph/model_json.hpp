// Reading the causal map out of a holon-model/1 document and writing one back (for importers).
#pragma once

#include "graph/causal_graph.hpp"

#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

namespace holon_cld {

// A model the cld methods cannot use; `pointer` is the JSON Pointer of the offending value.
class ModelError : public std::runtime_error {
public:
    ModelError(const std::string &message, std::string pointer)
        : std::runtime_error(message), pointer_(std::move(pointer)) {}
    const std::string &pointer() const { return pointer_; }

private:
    std::string pointer_;
};

// Reads `variables` and `links` of a holon-model/1 document; other members are ignored. A link
// without a polarity is "?"; a link without an id gets "link<n>" (its 1-based position).
CausalGraph read_model(std::string_view model_json);

// What a written model says about itself and its links.
struct ModelHeader {
    std::string id = "cld-map";  // must match the model schema's id pattern
    std::string name = "Causal map";
    std::string asserted_by;     // when set, every link gets provenance {asserted_by, method}
    std::string method = "import";
};

// Writes a holon-model/1 document holding the graph's variables and links. A variable without a
// kind is written as a "factor" (the model schema requires a kind).
std::string write_model(const CausalGraph &graph, const ModelHeader &header = {});

// True when `id` is a valid model id: a letter, then letters, digits, '_', '.', ':', '-'; at most
// 128 characters.
bool is_model_id(const std::string &id);

// A valid model id made from `raw` (invalid characters become '-', a leading non-letter gets
// `prefix`), never one of `taken`; the result is added to `taken`.
std::string model_id(const std::string &raw, const std::string &prefix, std::set<std::string> &taken);

} // namespace holon_cld
