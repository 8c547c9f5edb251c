// Private to holon_api: what a route handler gets, and the route tables of each resource group
// (one file per group: workspaces, tokens, models, plugins, runs, health).
#pragma once

#include "api/api.hpp"
#include "api/problem.hpp"
#include "store/store.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace holon::api {

// Who may call a route. Checked after tenancy, so another workspace's ids answer 404, not 403.
enum class Access {
    open,             // no token (health, metrics)
    any_token,        // any valid token
    read,             // viewer, editor or admin of the workspace (or a server token)
    edit,             // editor or admin
    workspace_admin,  // admin of the workspace or of the server
    server_admin,     // admin token not bound to a workspace
};

struct Call {
    const Request& request;
    RequestLog& log;
    const ApiServices& services;
    const std::string& operation_id;
    std::map<std::string, std::string> params;  // path parameters
    std::optional<store::Principal> principal;

    const std::string& param(const std::string& name) const { return params.at(name); }
    store::Store& store() const { return *services.store; }
    // The body as JSON, validated against the operation's request schema in openapi.yaml.
    // Malformed JSON or violations throw `reject` (invalid_request by default).
    nlohmann::json json_body(ApiError (*reject)(const std::string&, std::vector<FieldError>) =
                                 &problems::invalid_request) const;
    store::PageRequest page() const;
};

using Handler = std::function<Response(Call&)>;

struct RouteDef {
    std::string operation_id;
    Access access;
    Handler handler;
};

void add_health_routes(std::vector<RouteDef>& routes);
void add_workspace_routes(std::vector<RouteDef>& routes);
void add_token_routes(std::vector<RouteDef>& routes);
void add_model_routes(std::vector<RouteDef>& routes);
void add_plugin_routes(std::vector<RouteDef>& routes);
void add_run_routes(std::vector<RouteDef>& routes);
void add_batch_routes(std::vector<RouteDef>& routes);
void add_console_routes(std::vector<RouteDef>& routes);

// The JSON view of a run (GET .../runs/{run}).
nlohmann::json run_view(const store::Run& run);

// Helpers shared by the handlers.
Response json_response(int status, const nlohmann::json& body);
Response no_content();
std::string iso_time(store::Millis millis);  // 2024-01-02T03:04:05.678Z
nlohmann::json nullable_time(const std::optional<store::Millis>& millis);
nlohmann::json next_cursor(const std::string& next);  // null for ""
// Parses `text` as JSON (for stored documents); null when it is empty.
nlohmann::json parse_stored(const std::string& text);

}  // namespace holon::api
