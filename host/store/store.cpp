#include "store/store.hpp"

namespace holon::store {

std::string_view to_string(Role role) {
    switch (role) {
        case Role::viewer: return "viewer";
        case Role::editor: return "editor";
        case Role::admin: return "admin";
    }
    throw InvalidArgument("unknown role");
}

Role role_from_string(std::string_view text) {
    if (text == "viewer") return Role::viewer;
    if (text == "editor") return Role::editor;
    if (text == "admin") return Role::admin;
    throw InvalidArgument("unknown role '" + std::string(text) + "' (expected viewer, editor or admin)");
}

std::string_view to_string(RunState state) {
    switch (state) {
        case RunState::queued: return "queued";
        case RunState::running: return "running";
        case RunState::succeeded: return "succeeded";
        case RunState::failed: return "failed";
        case RunState::cancelled: return "cancelled";
    }
    throw InvalidArgument("unknown run state");
}

RunState run_state_from_string(std::string_view text) {
    if (text == "queued") return RunState::queued;
    if (text == "running") return RunState::running;
    if (text == "succeeded") return RunState::succeeded;
    if (text == "failed") return RunState::failed;
    if (text == "cancelled") return RunState::cancelled;
    throw InvalidArgument("unknown run state '" + std::string(text) + "'");
}

bool is_terminal(RunState state) {
    return state == RunState::succeeded || state == RunState::failed || state == RunState::cancelled;
}

std::filesystem::path database_path(const std::filesystem::path& data_dir) { return data_dir / "holon.db"; }

}  // namespace holon::store
