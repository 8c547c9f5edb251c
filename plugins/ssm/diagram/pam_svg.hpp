// ssm.diagram: the purposeful activity model drawn as practitioners draw it: numbered activities
// as verb phrases in ovals, logical-dependency arrows, the operational subsystem in one boundary and
// the monitor-and-control subsystem set apart below it with the 3E/5E measures and their indicators.
#pragma once

#include "model/inquiry.hpp"

#include <string>

namespace holon_ssm::diagram {

// A complete SVG document (font-family "DejaVu Sans"), sized to its content.
std::string pam_svg(const model::Inquiry &inquiry, const model::ActivityModel &m);

} // namespace holon_ssm::diagram
