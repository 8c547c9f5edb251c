#include "store/retrying_store.hpp"

#include "store/postgres_db.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

namespace holon::store {

namespace {

// Up to 100 tries (about 5 s of waiting at most), waiting a little longer (with jitter) after
// each lost race so that writers that collided do not collide again in step: two hosts claiming
// from one queue under SERIALIZABLE can lose to each other many times in a row on a busy machine.
template <class Call>
auto retried(Call&& call) -> decltype(call()) {
    thread_local std::minstd_rand random{std::random_device{}()};
    for (int attempt = 1;; ++attempt) {
        try {
            return call();
        } catch (const RetryableConflict&) {
            if (attempt >= 100) throw;
            const int ceiling = std::min(100, 1 + attempt * 5);
            std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, ceiling)(random)));
        }
    }
}

}  // namespace

Workspace RetryingStore::create_workspace(const std::string& name) {
    return retried([&] { return inner_->create_workspace(name); });
}

Workspace RetryingStore::get_workspace(const std::string& id) {
    return retried([&] { return inner_->get_workspace(id); });
}

Page<Workspace> RetryingStore::list_workspaces(const PageRequest& page) {
    return retried([&] { return inner_->list_workspaces(page); });
}

Workspace RetryingStore::rename_workspace(const std::string& id, const std::string& name) {
    return retried([&] { return inner_->rename_workspace(id, name); });
}

void RetryingStore::delete_workspace(const std::string& id) {
    return retried([&] { return inner_->delete_workspace(id); });
}

NewToken RetryingStore::create_token(const std::string& workspace_id, Role role, std::optional<Millis> expires_at) {
    return retried([&] { return inner_->create_token(workspace_id, role, expires_at); });
}

std::string RetryingStore::register_token(const std::string& workspace_id, Role role, std::optional<Millis> expires_at, const std::string& secret) {
    return retried([&] { return inner_->register_token(workspace_id, role, expires_at, secret); });
}

std::optional<Principal> RetryingStore::authenticate(const std::string& secret) {
    return retried([&] { return inner_->authenticate(secret); });
}

TokenInfo RetryingStore::get_token(const std::string& workspace_id, const std::string& token_id) {
    return retried([&] { return inner_->get_token(workspace_id, token_id); });
}

Page<TokenInfo> RetryingStore::list_tokens(const std::string& workspace_id, const PageRequest& page) {
    return retried([&] { return inner_->list_tokens(workspace_id, page); });
}

void RetryingStore::revoke_token(const std::string& workspace_id, const std::string& token_id) {
    return retried([&] { return inner_->revoke_token(workspace_id, token_id); });
}

ModelRef RetryingStore::create_model(const std::string& workspace_id, const ModelWrite& model) {
    return retried([&] { return inner_->create_model(workspace_id, model); });
}

ModelRef RetryingStore::update_model(const std::string& workspace_id, const std::string& model_id, const std::string& expected_etag, const ModelWrite& model) {
    return retried([&] { return inner_->update_model(workspace_id, model_id, expected_etag, model); });
}

ModelRevision RetryingStore::get_model(const std::string& workspace_id, const std::string& model_id, std::optional<std::int64_t> revision) {
    return retried([&] { return inner_->get_model(workspace_id, model_id, revision); });
}

Page<ModelSummary> RetryingStore::list_models(const std::string& workspace_id, const PageRequest& page) {
    return retried([&] { return inner_->list_models(workspace_id, page); });
}

Page<RevisionInfo> RetryingStore::list_revisions(const std::string& workspace_id, const std::string& model_id, const PageRequest& page) {
    return retried([&] { return inner_->list_revisions(workspace_id, model_id, page); });
}

void RetryingStore::delete_model(const std::string& workspace_id, const std::string& model_id) {
    return retried([&] { return inner_->delete_model(workspace_id, model_id); });
}

Run RetryingStore::create_run(const std::string& workspace_id, const NewRun& run) {
    return retried([&] { return inner_->create_run(workspace_id, run); });
}

Run RetryingStore::get_run(const std::string& workspace_id, const std::string& run_id) {
    return retried([&] { return inner_->get_run(workspace_id, run_id); });
}

Page<Run> RetryingStore::list_runs(const std::string& workspace_id, const PageRequest& page, std::optional<RunState> state) {
    return retried([&] { return inner_->list_runs(workspace_id, page, state); });
}

Run RetryingStore::request_cancel(const std::string& workspace_id, const std::string& run_id) {
    return retried([&] { return inner_->request_cancel(workspace_id, run_id); });
}

std::int64_t RetryingStore::count_in_flight(const std::string& workspace_id) {
    return retried([&] { return inner_->count_in_flight(workspace_id); });
}

void RetryingStore::delete_run(const std::string& workspace_id, const std::string& run_id) {
    return retried([&] { return inner_->delete_run(workspace_id, run_id); });
}

std::int64_t RetryingStore::stored_bytes(const std::string& workspace_id) {
    return retried([&] { return inner_->stored_bytes(workspace_id); });
}

std::map<RunState, std::int64_t> RetryingStore::count_runs_by_state() {
    return retried([&] { return inner_->count_runs_by_state(); });
}

std::optional<Run> RetryingStore::claim(const std::string& owner, std::int64_t lease_ms) {
    return retried([&] { return inner_->claim(owner, lease_ms); });
}

std::optional<Run> RetryingStore::claim_run(const std::string& run_id, const std::string& owner, std::int64_t lease_ms) {
    return retried([&] { return inner_->claim_run(run_id, owner, lease_ms); });
}

std::vector<Run> RetryingStore::list_child_runs(const std::string& parent_id) {
    return retried([&] { return inner_->list_child_runs(parent_id); });
}

std::vector<std::pair<std::string, RunState>> RetryingStore::child_run_states(const std::string& parent_id) {
    return retried([&] { return inner_->child_run_states(parent_id); });
}

bool RetryingStore::renew_lease(const std::string& run_id, const std::string& owner, int attempt, std::int64_t lease_ms) {
    return retried([&] { return inner_->renew_lease(run_id, owner, attempt, lease_ms); });
}

void RetryingStore::set_progress(const std::string& run_id, double fraction, const std::string& stage) {
    return retried([&] { return inner_->set_progress(run_id, fraction, stage); });
}

bool RetryingStore::finish(const std::string& run_id, const std::string& owner, int attempt, const RunOutcome& outcome) {
    return retried([&] { return inner_->finish(run_id, owner, attempt, outcome); });
}

bool RetryingStore::release(const std::string& run_id, const std::string& owner, int attempt) {
    return retried([&] { return inner_->release(run_id, owner, attempt); });
}

RecoveryReport RetryingStore::recover_after_crash(RecoveryScope scope) {
    return retried([&] { return inner_->recover_after_crash(scope); });
}

std::int64_t RetryingStore::append_event(const std::string& run_id, const std::string& type, const std::string& data_json) {
    return retried([&] { return inner_->append_event(run_id, type, data_json); });
}

std::vector<RunEvent> RetryingStore::list_events(const std::string& workspace_id, const std::string& run_id, std::int64_t after_id, std::size_t limit) {
    return retried([&] { return inner_->list_events(workspace_id, run_id, after_id, limit); });
}

RunOutputs RetryingStore::get_outputs(const std::string& workspace_id, const std::string& run_id) {
    return retried([&] { return inner_->get_outputs(workspace_id, run_id); });
}

ResultTable RetryingStore::get_result_table(const std::string& workspace_id, const std::string& run_id, const std::string& name) {
    return retried([&] { return inner_->get_result_table(workspace_id, run_id, name); });
}

ResultBlob RetryingStore::get_result_blob(const std::string& workspace_id, const std::string& run_id, const std::string& name) {
    return retried([&] { return inner_->get_result_blob(workspace_id, run_id, name); });
}

std::string RetryingStore::integrity_check() {
    return retried([&] { return inner_->integrity_check(); });
}

int RetryingStore::schema_version() {
    return retried([&] { return inner_->schema_version(); });
}

std::int64_t RetryingStore::count_rescues() {
    return retried([&] { return inner_->count_rescues(); });
}

}  // namespace holon::store
