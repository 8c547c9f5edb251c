// Store written once in SQL for both engines (sql.hpp): SQLite (open_sqlite_store) and
// PostgreSQL (open_postgres_store). Private to holon_store. The member functions are spread over
// sql_<entity>.cpp files, one per entity; the few places where the engines differ ask the
// connection for its dialect.
#pragma once

#include "store/sql.hpp"
#include "store/store.hpp"
#include "store/token_cache.hpp"

#include <memory>

namespace holon::store {

// Throws NotFound unless the workspace exists. For use inside the callers' transactions.
void require_workspace(Connection& db, const std::string& workspace_id);

// Throws InvalidArgument for tables with ragged columns or duplicate table or blob names.
void validate_outputs(const RunOutputs& outputs);

class SqlStore final : public Store {
public:
    // Applies pending migrations through `pool`. options.clock must be set.
    SqlStore(std::unique_ptr<Pool> pool, const StoreOptions& options);

    Workspace create_workspace(const std::string& name) override;
    Workspace get_workspace(const std::string& id) override;
    Page<Workspace> list_workspaces(const PageRequest& page) override;
    Workspace rename_workspace(const std::string& id, const std::string& name) override;
    void delete_workspace(const std::string& id) override;

    NewToken create_token(const std::string& workspace_id, Role role, std::optional<Millis> expires_at) override;
    std::string register_token(const std::string& workspace_id, Role role, std::optional<Millis> expires_at,
                               const std::string& secret) override;
    std::optional<Principal> authenticate(const std::string& secret) override;
    TokenInfo get_token(const std::string& workspace_id, const std::string& token_id) override;
    Page<TokenInfo> list_tokens(const std::string& workspace_id, const PageRequest& page) override;
    void revoke_token(const std::string& workspace_id, const std::string& token_id) override;

    ModelRef create_model(const std::string& workspace_id, const ModelWrite& model) override;
    ModelRef update_model(const std::string& workspace_id, const std::string& model_id,
                          const std::string& expected_etag, const ModelWrite& model) override;
    ModelRevision get_model(const std::string& workspace_id, const std::string& model_id,
                            std::optional<std::int64_t> revision) override;
    Page<ModelSummary> list_models(const std::string& workspace_id, const PageRequest& page) override;
    Page<RevisionInfo> list_revisions(const std::string& workspace_id, const std::string& model_id,
                                      const PageRequest& page) override;
    void delete_model(const std::string& workspace_id, const std::string& model_id) override;

    Run create_run(const std::string& workspace_id, const NewRun& run) override;
    Run get_run(const std::string& workspace_id, const std::string& run_id) override;
    Page<Run> list_runs(const std::string& workspace_id, const PageRequest& page,
                        std::optional<RunState> state) override;
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

    std::int64_t append_event(const std::string& run_id, const std::string& type,
                              const std::string& data_json) override;
    std::vector<RunEvent> list_events(const std::string& workspace_id, const std::string& run_id,
                                      std::int64_t after_id, std::size_t limit) override;

    RunOutputs get_outputs(const std::string& workspace_id, const std::string& run_id) override;
    ResultTable get_result_table(const std::string& workspace_id, const std::string& run_id,
                                 const std::string& name) override;
    ResultBlob get_result_blob(const std::string& workspace_id, const std::string& run_id,
                               const std::string& name) override;

    std::string integrity_check() override;
    int schema_version() override;

private:
    Millis now() const;
    std::size_t page_limit(const PageRequest& page) const;

    // Helpers that run inside a transaction the caller holds on `db`.
    std::int64_t append_event_in(Connection& db, const std::string& run_id, const std::string& workspace_id,
                                 const std::string& type, const std::string& data_json);
    void append_state_event_in(Connection& db, const std::string& run_id, const std::string& workspace_id,
                               RunState state);
    void store_outputs_in(Connection& db, const std::string& run_id, const std::string& workspace_id,
                          const RunOutputs& outputs);
    // PostgreSQL: tells the hosts LISTENing on kQueueChannel that a run is queued (at commit).
    void notify_queued_in(Connection& db);
    // Re-queues, fails or cancels one running run whose host is gone; records which in report.
    void settle_orphan_in(Connection& db, const std::string& run_id, RecoveryReport& report);
    Run load_run_in(Connection& db, const std::string& run_id);  // any workspace; NotFound if absent
    // claim and claim_run: the oldest queued run, or run_id when given (then no orphans are settled).
    std::optional<Run> claim_queued(const std::string& owner, std::int64_t lease_ms, const std::optional<std::string>& run_id);

    StoreOptions options_;
    std::unique_ptr<Pool> pool_;
    TokenCache token_cache_;
};

}  // namespace holon::store
