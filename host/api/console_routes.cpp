// /console and /console/{asset}: the web console's static files (host/console). Open to anyone,
// like /livez: they hold no data; everything the console shows comes from API calls it makes with
// the token its user types in.
#include "api/routes.hpp"
#include "console/assets.hpp"

#include <string>

namespace holon::api {

namespace {

Response asset(std::string_view name) {
    const auto found = console::find_asset(name);
    if (!found) throw problems::not_found("the console has no file '" + std::string(name) + "'");
    Response r;
    r.content_type = std::string(found->content_type);
    r.body = std::string(found->body);
    // The console's own policy (scripts of this origin only) instead of the no-script policy every
    // other HTML answer gets; see add_security_headers.
    r.header("Content-Security-Policy", std::string(console::content_security_policy()));
    r.header("Referrer-Policy", "no-referrer");
    r.header("X-Frame-Options", "DENY");
    r.header("Cache-Control", "no-cache");
    return r;
}

}  // namespace

void add_console_routes(std::vector<RouteDef>& routes) {
    routes.push_back({"getConsole", Access::open, [](Call&) { return asset(""); }});
    routes.push_back({"getConsoleAsset", Access::open, [](Call& call) { return asset(call.param("asset")); }});
}

}  // namespace holon::api
