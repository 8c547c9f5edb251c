// API tokens of a workspace. The secret is returned once, by create; only its hash is stored.
#include "api/routes.hpp"

#include <chrono>

namespace holon::api {

namespace {

nlohmann::json view(const store::TokenInfo& t) {
    return {{"id", t.id},
            {"workspace", t.workspace_id},
            {"role", std::string(store::to_string(t.role))},
            {"created_at", iso_time(t.created_at)},
            {"expires_at", nullable_time(t.expires_at)},
            {"revoked_at", nullable_time(t.revoked_at)}};
}

store::Millis now_millis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Response list(Call& call) {
    const auto page = call.store().list_tokens(call.param("ws"), call.page());
    auto items = nlohmann::json::array();
    for (const auto& t : page.items) items.push_back(view(t));
    return json_response(200, {{"items", items}, {"next", next_cursor(page.next)}});
}

Response create(Call& call) {
    const auto body = call.json_body();
    const auto& ws = call.param("ws");
    call.store().get_workspace(ws);  // a server token may name a workspace that does not exist
    const auto role = store::role_from_string(body["role"].get<std::string>());
    std::optional<store::Millis> expires_at;
    if (body.contains("expires_in")) expires_at = now_millis() + body["expires_in"].get<std::int64_t>() * 1000;
    const auto created = call.store().create_token(ws, role, expires_at);
    auto r = json_response(201, {{"id", created.id},
                                 {"workspace", ws},
                                 {"role", std::string(store::to_string(role))},
                                 {"token", created.secret},
                                 {"expires_at", nullable_time(expires_at)}});
    r.header("Location", "/v1/workspaces/" + ws + "/tokens/" + created.id);
    r.header("Cache-Control", "no-store");
    return r;
}

Response get(Call& call) { return json_response(200, view(call.store().get_token(call.param("ws"), call.param("token")))); }

Response revoke(Call& call) {
    call.store().revoke_token(call.param("ws"), call.param("token"));
    return no_content();
}

}  // namespace

void add_token_routes(std::vector<RouteDef>& routes) {
    routes.push_back({"listTokens", Access::workspace_admin, list});
    routes.push_back({"createToken", Access::workspace_admin, create});
    routes.push_back({"getToken", Access::workspace_admin, get});
    routes.push_back({"revokeToken", Access::workspace_admin, revoke});
}

}  // namespace holon::api
