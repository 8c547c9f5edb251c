// Kumu blueprint JSON ({"elements": [...], "connections": [...]}, docs.kumu.io "JSON / Blueprints").
//
// Export: elements carry id, label and (when known) type = kind; connections carry id, from/to
// (element labels when those are unique, else ids), type = polarity ("+", "-", "?"), delay, weight
// and direction "directed". Import resolves from/to by element id first, then by label, and reads
// polarity from "polarity", "connection type", "type" or "sign", also inside "attributes".
#pragma once

#include "formats/import_error.hpp"
#include "graph/causal_graph.hpp"

#include <string>
#include <string_view>

namespace holon_cld {

std::string write_kumu(const CausalGraph &graph);

// Throws ImportError (with line and column for syntax errors).
Imported read_kumu(std::string_view json_text, std::size_t max_bytes = 64u << 20);

} // namespace holon_cld
