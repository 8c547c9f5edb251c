// The csh.critique report: a self-contained HTML page and a Markdown document with the 12 x 2
// table per perspective, the gaps, the divergence heat map (SVG; the PNG is made by the method)
// and the findings.
#pragma once

#include "core/model.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace holon_csh {

// Perspectives (rows) x the 24 cells (columns): each perspective's mean Jaccard distance to the
// others in that cell. Grey where it binds nothing there.
std::string divergence_heatmap_svg(const nlohmann::json &critique_result);

struct Report {
    std::string markdown; // refers to the picture as csh-divergence.png
    std::string html;     // the SVG inline: one file
};

Report render_report(const std::string &model_name, const nlohmann::json &critique_result, const std::string &heatmap_svg);

} // namespace holon_csh
