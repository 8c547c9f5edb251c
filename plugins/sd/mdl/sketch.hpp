// Reads the sketch section of a .mdl file (after "\\\---///") into views: variables, flows with
// their pipes, clouds, comments and the arrows between them (converted by sketch/).
#pragma once

#include "ir/model.hpp"
#include "sketch/sketch.hpp"

#include <string_view>
#include <vector>

namespace holon_sd::mdl {

// Lines it does not understand are skipped (the sketch is for diagrams, never for simulation);
// sizes are bounded. Never throws on malformed input.
std::vector<View> parse_sketch(std::string_view sketch);

} // namespace holon_sd::mdl
