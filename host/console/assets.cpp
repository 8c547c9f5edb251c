#include "console/assets.hpp"

#include "embedded_console.hpp"

namespace holon::console {

std::optional<Asset> find_asset(std::string_view name) {
    if (name.empty() || name == "index.html") return Asset{"text/html; charset=utf-8", embedded::index_html};
    if (name == "app.js") return Asset{"text/javascript; charset=utf-8", embedded::app_js};
    if (name == "app.css") return Asset{"text/css; charset=utf-8", embedded::app_css};
    if (name == "uPlot.iife.min.js") return Asset{"text/javascript; charset=utf-8", embedded::uPlot_iife_min_js};
    if (name == "uPlot.min.css") return Asset{"text/css; charset=utf-8", embedded::uPlot_min_css};
    return std::nullopt;
}

std::string_view content_security_policy() {
    // No 'unsafe-inline' or 'unsafe-eval' for scripts: an injected string can never become script.
    // Inline styles are allowed because the batch report, shown from a blob: URL in a sandboxed
    // frame that runs no script, inherits this policy and carries its own <style>.
    return "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; "
           "connect-src 'self'; frame-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

}  // namespace holon::console
