// The web console's files, compiled into the host (see assets/ and README.md).
#pragma once

#include <optional>
#include <string_view>

namespace holon::console {

struct Asset {
    std::string_view content_type;
    std::string_view body;  // static storage: valid for the life of the process
};

// The file `name` of the console ("" is the page itself, index.html); nullopt for any other
// name. Names are flat (no folders), so no path can reach outside the embedded set.
std::optional<Asset> find_asset(std::string_view name);

// The Content-Security-Policy of the console page: its own scripts and styles only, API calls to
// its own origin only, pictures from the API as blob: URLs, no framing by other sites.
std::string_view content_security_policy();

}  // namespace holon::console
