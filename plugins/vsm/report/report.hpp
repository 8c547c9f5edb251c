// The engagement report of vsm.diagnose: Beer's diagrams, the findings grouped by recursion level,
// what could not be assessed, completeness per metasystem and the variety table, as one
// self-contained HTML page (SVG inline) and as Markdown (pictures by PNG file name).
#pragma once

#include "org/organisation.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace holon_vsm {

struct ReportPicture {
    std::string title;
    std::string svg;      // inlined in HTML
    std::string png_name; // linked from Markdown
};

std::string report_html(const Organisation &org, const nlohmann::json &diagnosis, const nlohmann::json &variety,
                        const std::vector<ReportPicture> &pictures);
std::string report_markdown(const Organisation &org, const nlohmann::json &diagnosis, const nlohmann::json &variety,
                            const std::vector<ReportPicture> &pictures);

} // namespace holon_vsm
