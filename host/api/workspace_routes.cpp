// Workspaces: the tenant boundary. Only the server admin creates and deletes them.
#include "api/routes.hpp"
#include "api/usage.hpp"
#include "batch_runs/batch_outputs.hpp"
#include "batch_runs/batch_runs.hpp"

namespace holon::api {

namespace {

nlohmann::json view(const store::Workspace& w) {
    return {{"id", w.id}, {"name", w.name}, {"created_at", iso_time(w.created_at)},
            {"updated_at", iso_time(w.updated_at)}};
}

Response list(Call& call) {
    auto items = nlohmann::json::array();
    const auto& own = call.principal->workspace_id;
    if (!own.empty()) {
        items.push_back(view(call.store().get_workspace(own)));
        return json_response(200, {{"items", items}, {"next", nullptr}});
    }
    const auto page = call.store().list_workspaces(call.page());
    for (const auto& w : page.items) items.push_back(view(w));
    return json_response(200, {{"items", items}, {"next", next_cursor(page.next)}});
}

Response create(Call& call) {
    const auto body = call.json_body();
    const auto w = call.store().create_workspace(body["name"].get<std::string>());
    call.log.workspace = w.id;
    auto r = json_response(201, view(w));
    r.header("Location", "/v1/workspaces/" + w.id);
    return r;
}

// With the storage it uses against its quota (null: no quota).
Response get(Call& call) {
    auto doc = view(call.store().get_workspace(call.param("ws")));
    const auto quota = call.services.limits.workspace_bytes;
    doc["storage"] = {{"used_bytes", workspace_usage(call.services, call.param("ws"))},
                      {"quota_bytes", quota > 0 ? nlohmann::json(quota) : nlohmann::json(nullptr)}};
    return json_response(200, doc);
}

Response rename(Call& call) {
    const auto body = call.json_body();
    return json_response(200, view(call.store().rename_workspace(call.param("ws"), body["name"].get<std::string>())));
}

Response remove(Call& call) {
    const auto& ws = call.param("ws");
    // The batches' output folders live outside the database: find them before the rows go.
    std::vector<std::string> batches;
    store::PageRequest page;
    page.limit = 1000;
    do {
        const auto runs = call.store().list_runs(ws, page);
        for (const auto& run : runs.items)
            if (run.method == batch_runs::batch_method) batches.push_back(run.id);
        page.after = runs.next;
    } while (!page.after.empty());
    call.store().delete_workspace(ws);
    if (!call.services.batch_root.empty()) batch_runs::remove_batch_dirs(call.services.batch_root, batches);
    return no_content();
}

}  // namespace

void add_workspace_routes(std::vector<RouteDef>& routes) {
    routes.push_back({"listWorkspaces", Access::any_token, list});
    routes.push_back({"createWorkspace", Access::server_admin, create});
    routes.push_back({"getWorkspace", Access::read, get});
    routes.push_back({"renameWorkspace", Access::workspace_admin, rename});
    routes.push_back({"deleteWorkspace", Access::server_admin, remove});
}

}  // namespace holon::api
