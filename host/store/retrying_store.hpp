// A Store that tries a call again when it lost a race with another host (RetryableConflict from
// a PostgreSQL SERIALIZABLE transaction): every Store call is one transaction, so running it again
// is safe. Wraps the PostgreSQL store; SQLite never needs it (one writer at a time).
#pragma once

#include "store/store.hpp"

#include <memory>

namespace holon::store {

class RetryingStore final : public Store {
public:
    explicit RetryingStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}
    Workspace create_workspace(const std::string& name) override;
    Workspace get_workspace(const std::string& id) override;
    Page<Workspace> list_workspaces(const PageRequest& page) override;
    Workspace rename_workspace(const std::string& id, const std::string& name) override;
    void delete_workspace(const std::string& id) override;
    NewToken create_token(const std::string& workspace_id, Role role, std::optional<Millis> expires_at) override;
    std::string register_token(const std::string& workspace_id, Role role, std::optional<Millis> expires_at, const std::string& secret) override;
    std::optional<Principal> authenticate(const std::string& secret) override;
    TokenInfo get_token(const std::string& workspace_id, const std::string& token_id) override;
    Page<TokenInfo> list_tokens(const std::string& workspace_id, const PageRequest& page) override;
    void revoke_token(const std::string& workspace_id, const std::string& token_id) override;
    ModelRef create_model(const std::string& workspace_id, const ModelWrite& model) override;
    ModelRef update_model(const std::string& workspace_id, const std::string& model_id, const std::string& expected_etag, const ModelWrite& model) override;
    ModelRevision get_model(const std::string& workspace_id, const std::string& model_id, std::optional<std::int64_t> revision) override;
    Page<ModelSummary> list_models(const std::string& workspace_id, const PageRequest& page) override;
    Page<RevisionInfo> list_revisions(const std::string& workspace_id, const std::string& model_id, const PageRequest& page) override;
    void delete_model(const std::string& workspace_id, const std::string& model_id) override;
    Run create_run(const std::string& workspace_id, const NewRun& run) override;
    Run get_run(const std::string& workspace_id, const std::string& run_id) override;
    Page<Run> list_runs(const std::string& workspace_id, const PageRequest& page, std::optional<RunState> state) override;
    Run request_cancel(const std::string& workspace_id, const std::string& run_id) override;
    std::int64_t count_in_flight(const std::string& workspace_id) override;
    void delete_run(const std::string& workspace_id, const std::string& run_id) override;
    std::int64_t stored_bytes(const std::string& workspace_id) override;
    std::map<RunState, std::int64_t> count_runs_by_state() override;
    std::optional<Run> claim(const std::string& owner, std::int64_t lease_ms) override;
    std::optional<Run> claim_run(const std::string& run_id, const std::string& owner, std::int64_t lease_ms) override;
    std::vector<Run> list_child_runs(const std::string& parent_id) override;
    std::vector<std::pair<std::string, RunState>> child_run_states(const std::string& parent_id) override;
    bool renew_lease(const std::string& run_id, const std::string& owner, int attempt, std::int64_t lease_ms) override;
    void set_progress(const std::string& run_id, double fraction, const std::string& stage) override;
    bool finish(const std::string& run_id, const std::string& owner, int attempt, const RunOutcome& outcome) override;
    bool release(const std::string& run_id, const std::string& owner, int attempt) override;
    RecoveryReport recover_after_crash(RecoveryScope scope) override;
    std::int64_t count_rescues() override;
    std::int64_t append_event(const std::string& run_id, const std::string& type, const std::string& data_json) override;
    std::vector<RunEvent> list_events(const std::string& workspace_id, const std::string& run_id, std::int64_t after_id, std::size_t limit) override;
    RunOutputs get_outputs(const std::string& workspace_id, const std::string& run_id) override;
    ResultTable get_result_table(const std::string& workspace_id, const std::string& run_id, const std::string& name) override;
    ResultBlob get_result_blob(const std::string& workspace_id, const std::string& run_id, const std::string& name) override;
    std::string integrity_check() override;
    int schema_version() override;

private:
    std::unique_ptr<Store> inner_;
};

}  // namespace holon::store
