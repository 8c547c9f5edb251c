// The durable store behind the REST API and the job engine: workspaces (tenants), API tokens,
// models with immutable revisions, runs (durable jobs with a lease), run events and outputs.
//
// `Store` is the interface; `open_sqlite_store` gives the embedded SQLite implementation,
// `open_postgres_store` the PostgreSQL one that several hosts share (`open_store` picks by location). Every workspace-scoped call takes the
// workspace id and behaves as if rows of other workspaces did not exist (NotFound).
//
// Every method is safe to call from several threads at once. A returned write has been committed
// durably (fsync'd) before the call returns. A Store must only be used in the process that opened
// it: open stores after fork, never before.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace holon::store {

// Milliseconds since the Unix epoch, UTC.
using Millis = std::int64_t;

// ---------------------------------------------------------------------------------------------
// Errors. Messages are one line and never contain token secrets or model bodies.

class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The id does not exist in this workspace (or at all: the caller cannot tell which).
class NotFound : public StoreError {
public:
    using StoreError::StoreError;
};

// A write based on a stale ETag (the API answers 412).
class Conflict : public StoreError {
public:
    using StoreError::StoreError;
};

// A malformed argument: an unknown role or state, a bad cursor, an empty name.
class InvalidArgument : public StoreError {
public:
    using StoreError::StoreError;
};

// The database cannot be reached or lost its connection (PostgreSQL down, network gone). Nothing
// was written; the API answers 503 and the client may try again.
class Unavailable : public StoreError {
public:
    using StoreError::StoreError;
};

// The database was written by a newer Holon (its schema version is above what this code knows).
class SchemaTooNew : public StoreError {
public:
    using StoreError::StoreError;
};

// ---------------------------------------------------------------------------------------------
// Pagination: keyset cursors, stable under concurrent inserts (no duplicates, no gaps).

struct PageRequest {
    std::size_t limit = 50;  // clamped to [1, StoreOptions::max_page_size]
    std::string after;       // "" for the first page, else a previous Page::next
};

template <class T>
struct Page {
    std::vector<T> items;
    std::string next;  // "" when there is nothing after this page
};

// ---------------------------------------------------------------------------------------------
// Workspaces

struct Workspace {
    std::string id;  // "ws_..."
    std::string name;
    Millis created_at = 0;
    Millis updated_at = 0;
};

// ---------------------------------------------------------------------------------------------
// Tokens

enum class Role { viewer, editor, admin };
std::string_view to_string(Role role);
Role role_from_string(std::string_view text);  // throws InvalidArgument

struct TokenInfo {
    std::string id;            // "tok_..."
    std::string workspace_id;  // "" for a global (server-wide) token
    Role role = Role::viewer;
    Millis created_at = 0;
    std::optional<Millis> expires_at;
    std::optional<Millis> revoked_at;
};

struct NewToken {
    std::string id;
    std::string secret;  // "hol_" + 43 base64url chars; shown once, only its SHA-256 is stored
};

// Who a presented secret belongs to.
struct Principal {
    std::string token_id;
    std::string workspace_id;  // "" for a global token
    Role role = Role::viewer;
};

// ---------------------------------------------------------------------------------------------
// Models

struct ModelWrite {
    std::string name;
    std::string format = "holon-model/1";  // the format of `body` as stored
    std::string body;
};

// What a create or update produced.
struct ModelRef {
    std::string id;  // "mdl_..."
    std::int64_t revision = 0;
    std::string etag;  // strong HTTP entity tag including its quotes: "r3-0123456789abcdef"
};

// One immutable revision, with its body.
struct ModelRevision {
    std::string id;
    std::string workspace_id;
    std::int64_t revision = 0;
    std::string etag;
    std::string name;
    std::string format;
    std::string body;
    std::int64_t bytes = 0;
    Millis created_at = 0;  // when this revision was written
};

// A revision without its body (for listings).
struct RevisionInfo {
    std::int64_t revision = 0;
    std::string etag;
    std::string name;
    std::string format;
    std::int64_t bytes = 0;
    Millis created_at = 0;
};

struct ModelSummary {
    std::string id;
    std::string workspace_id;
    std::string name;  // of the latest revision
    std::int64_t latest_revision = 0;
    std::string etag;  // of the latest revision
    std::string format;
    std::int64_t bytes = 0;
    Millis created_at = 0;  // of the model (revision 1)
    Millis updated_at = 0;  // of the latest revision
};

// ---------------------------------------------------------------------------------------------
// Runs (durable jobs)

enum class RunState { queued, running, succeeded, failed, cancelled };
std::string_view to_string(RunState state);
RunState run_state_from_string(std::string_view text);  // throws InvalidArgument
bool is_terminal(RunState state);

struct NewRun {
    std::string method;                       // e.g. "sd.simulate"
    std::optional<std::string> model_id;      // must exist in the workspace when given
    std::optional<std::int64_t> model_revision;  // pinned to the latest revision when absent
    std::string params_json = "{}";
    std::string limits_json = "{}";
    std::optional<int> max_attempts;  // StoreOptions::default_max_attempts when absent
    // A run that is one part of another (a chunk of points of a batch): must be a run of the same
    // workspace. Child runs are not listed by list_runs, not counted by count_in_flight (their
    // parent was), and are deleted with their parent.
    std::optional<std::string> parent_id = std::nullopt;
};

struct Run {
    std::string id;  // "run_..."
    std::string workspace_id;
    std::string method;
    std::optional<std::string> model_id;
    std::optional<std::int64_t> model_revision;
    std::string params_json;
    std::string limits_json;
    RunState state = RunState::queued;
    double progress = 0;  // 0..1
    std::string stage;
    bool cancel_requested = false;
    int attempts = 0;  // how many times the run was claimed
    int max_attempts = 1;
    std::optional<std::string> lease_owner;
    std::optional<Millis> lease_expires_at;
    std::string error_json;  // problem details object; "" unless failed or cancelled with one
    Millis created_at = 0;
    std::optional<Millis> started_at;
    std::optional<Millis> finished_at;
    Millis updated_at = 0;
    std::optional<std::string> parent_id;  // see NewRun::parent_id
};

// A column table of doubles; values[column][row]. Every column has the same number of rows.
// labels (display names) and units are empty when the producer gave none, else one per column
// ("" where a column has none).
struct ResultTable {
    std::string name;
    std::vector<std::string> columns;
    std::vector<std::vector<double>> values;
    std::vector<std::string> labels = {};
    std::vector<std::string> units = {};
};

struct ResultBlob {
    std::string name;
    std::string media_type;
    std::string data;
};

struct RunOutputs {
    std::string result_json;  // "" when the run produced none
    std::vector<ResultTable> tables;
    std::vector<ResultBlob> blobs;
};

// How a claimed run ended. `state` is succeeded, failed or cancelled.
struct RunOutcome {
    RunState state = RunState::succeeded;
    std::string error_json;  // a problem details object for failed (and optionally cancelled)
    RunOutputs outputs;
};

// Which `running` runs recover_after_crash treats as orphaned.
enum class RecoveryScope {
    // Every running run: right for the embedded store, where only this process holds leases.
    all_running,
    // Only runs whose lease has expired: right when several hosts share one database.
    expired_leases,
};

struct RecoveryReport {
    std::vector<std::string> requeued;   // attempts left: back to queued
    std::vector<std::string> failed;     // attempts exhausted: failed with /problems/host-crashed
    std::vector<std::string> cancelled;  // cancel had been requested: cancelled
};

// Server-sent events: ids increase by one per run, starting at 1.
struct RunEvent {
    std::int64_t id = 0;
    std::string type;
    std::string data_json;
    Millis created_at = 0;
};

// ---------------------------------------------------------------------------------------------

class Store {
public:
    virtual ~Store() = default;

    // Workspaces. Deleting one deletes its tokens, models, runs and everything they own.
    virtual Workspace create_workspace(const std::string& name) = 0;
    virtual Workspace get_workspace(const std::string& id) = 0;
    virtual Page<Workspace> list_workspaces(const PageRequest& page) = 0;
    virtual Workspace rename_workspace(const std::string& id, const std::string& name) = 0;
    virtual void delete_workspace(const std::string& id) = 0;

    // Tokens. workspace_id "" means a global token (for admins of the whole server).
    virtual NewToken create_token(const std::string& workspace_id, Role role,
                                  std::optional<Millis> expires_at) = 0;
    // Stores a secret chosen by the operator (e.g. HOLON_ADMIN_TOKEN); returns the token id.
    // Throws InvalidArgument for a secret shorter than 16 characters, Conflict if already stored.
    virtual std::string register_token(const std::string& workspace_id, Role role,
                                       std::optional<Millis> expires_at,
                                       const std::string& secret) = 0;
    // Nothing for an unknown, revoked or expired secret.
    virtual std::optional<Principal> authenticate(const std::string& secret) = 0;
    virtual TokenInfo get_token(const std::string& workspace_id, const std::string& token_id) = 0;
    virtual Page<TokenInfo> list_tokens(const std::string& workspace_id, const PageRequest& page) = 0;
    virtual void revoke_token(const std::string& workspace_id, const std::string& token_id) = 0;

    // Models. update_model throws Conflict when expected_etag is not the latest revision's.
    virtual ModelRef create_model(const std::string& workspace_id, const ModelWrite& model) = 0;
    virtual ModelRef update_model(const std::string& workspace_id, const std::string& model_id,
                                  const std::string& expected_etag, const ModelWrite& model) = 0;
    // The latest revision, or the given one.
    virtual ModelRevision get_model(const std::string& workspace_id, const std::string& model_id,
                                    std::optional<std::int64_t> revision = std::nullopt) = 0;
    virtual Page<ModelSummary> list_models(const std::string& workspace_id, const PageRequest& page) = 0;
    virtual Page<RevisionInfo> list_revisions(const std::string& workspace_id,
                                              const std::string& model_id,
                                              const PageRequest& page) = 0;
    virtual void delete_model(const std::string& workspace_id, const std::string& model_id) = 0;

    // Runs, as the API sees them (workspace-scoped).
    virtual Run create_run(const std::string& workspace_id, const NewRun& run) = 0;
    virtual Run get_run(const std::string& workspace_id, const std::string& run_id) = 0;
    virtual Page<Run> list_runs(const std::string& workspace_id, const PageRequest& page,
                                std::optional<RunState> state = std::nullopt) = 0;
    // A queued run is cancelled at once; a running one gets cancel_requested for its worker to
    // see; a finished one is left alone. Returns the run afterwards.
    virtual Run request_cancel(const std::string& workspace_id, const std::string& run_id) = 0;
    // Queued plus running runs of the workspace (for the per-workspace limit).
    virtual std::int64_t count_in_flight(const std::string& workspace_id) = 0;
    // Deletes a finished (succeeded, failed or cancelled) run with its events and outputs.
    // NotFound for an unknown run; Conflict while it is queued or running.
    virtual void delete_run(const std::string& workspace_id, const std::string& run_id) = 0;
    // Bytes the workspace holds in the database: model revisions and run outputs (results,
    // tables, files). For the storage quota; files outside the database are not counted here.
    virtual std::int64_t stored_bytes(const std::string& workspace_id) = 0;

    // Runs per state over all workspaces (for /metrics); every state is present, zero or not.
    // Child runs (a batch's points) are not counted: their batch is.
    virtual std::map<RunState, std::int64_t> count_runs_by_state() = 0;

    // Runs, as the job engine sees them (any workspace; identified by run id and lease owner).
    // Takes the oldest queued run, or a running one whose lease expired, and leases it to owner.
    virtual std::optional<Run> claim(const std::string& owner, std::int64_t lease_ms) = 0;
    // Takes that run if it is still queued (a batch running a chunk it queued itself, rather than
    // waiting for another host to claim it); nothing when it is not queued any more.
    virtual std::optional<Run> claim_run(const std::string& run_id, const std::string& owner,
                                         std::int64_t lease_ms) = 0;
    // The child runs of a run (NewRun::parent_id), oldest first, and their states alone (cheap
    // enough to poll).
    virtual std::vector<Run> list_child_runs(const std::string& parent_id) = 0;
    virtual std::vector<std::pair<std::string, RunState>> child_run_states(const std::string& parent_id) = 0;
    // renew_lease, finish and release are fenced by the claim: `owner` and `attempt` are the lease
    // owner a claim was made for and the Run::attempts it returned. A claim that is no longer the
    // run's current one (its lease expired and the run was claimed again, by another host or by
    // the same one) changes nothing and gets false.
    // False when this claim no longer holds the run (lease lost to another claim, or run finished).
    virtual bool renew_lease(const std::string& run_id, const std::string& owner, int attempt,
                             std::int64_t lease_ms) = 0;
    virtual void set_progress(const std::string& run_id, double fraction, const std::string& stage) = 0;
    // Ends a run this claim holds, storing its outputs in the same transaction. False (and nothing
    // stored) when the claim does not hold the run any more. Throws InvalidArgument unless
    // outcome.state is terminal.
    virtual bool finish(const std::string& run_id, const std::string& owner, int attempt,
                        const RunOutcome& outcome) = 0;
    // Gives a run owner holds back to the queue without counting the attempt (a draining server
    // stopped it; it did not fail): queued again with progress reset, or cancelled when a cancel
    // had been requested meanwhile. False (nothing changed) when the claim does not hold the run.
    virtual bool release(const std::string& run_id, const std::string& owner, int attempt) = 0;
    // At startup: runs left running by a dead host are re-queued, or failed explicitly with
    // problem type /problems/host-crashed once max_attempts claims were used.
    virtual RecoveryReport recover_after_crash(RecoveryScope scope) = 0;
    // Runs whose lease expired and were settled (by recover_after_crash or a claim), over all
    // workspaces and hosts: each left a "rescued" event naming the lease's previous owner (a
    // batch's point runs: a "points-rescued" event of the batch, naming the point run too).
    virtual std::int64_t count_rescues() = 0;

    // Run events. State changes (queued, running, succeeded, ...) append a "state" event by
    // themselves; the engine appends the rest (e.g. "progress"). Returns the new event's id.
    virtual std::int64_t append_event(const std::string& run_id, const std::string& type,
                                      const std::string& data_json) = 0;
    virtual std::vector<RunEvent> list_events(const std::string& workspace_id,
                                              const std::string& run_id, std::int64_t after_id,
                                              std::size_t limit) = 0;

    // Run outputs. get_outputs: NotFound for an unknown run; empty outputs until finished.
    virtual RunOutputs get_outputs(const std::string& workspace_id, const std::string& run_id) = 0;
    virtual ResultTable get_result_table(const std::string& workspace_id, const std::string& run_id,
                                         const std::string& name) = 0;
    virtual ResultBlob get_result_blob(const std::string& workspace_id, const std::string& run_id,
                                       const std::string& name) = 0;

    // "ok", or the problems PRAGMA integrity_check reports, one per line.
    virtual std::string integrity_check() = 0;
    virtual int schema_version() = 0;
};

struct StoreOptions {
    int busy_timeout_ms = 5000;        // how long a connection waits for a lock
    std::size_t max_readers = 8;       // read connections kept open (writes use one more)
    std::size_t max_page_size = 1000;  // PageRequest::limit is clamped to this
    int default_max_attempts = 3;      // claims per run before a crash fails it
    // How long an authenticated token is remembered (0: never). Revoking a token or deleting a
    // workspace through this store forgets it at once; a revocation by another host sharing the
    // database takes effect here within this time.
    Millis auth_cache_ms = 5000;
    // Milliseconds since the epoch; tests substitute their own clock. Empty: the system clock for
    // SQLite; for PostgreSQL the database server's clock (the system clock corrected by the
    // offset measured when the store opens), so that every host sharing it agrees on leases.
    std::function<Millis()> clock;
    // PostgreSQL only: the schema holding Holon's tables ("" for the connection's search path).
    std::string schema;
    // PostgreSQL only: connections this store keeps open at most.
    std::size_t max_connections = 10;
};

// The database file inside a data directory.
std::filesystem::path database_path(const std::filesystem::path& data_dir);

// Creates data_dir if needed, opens <data_dir>/holon.db, applies pending schema migrations.
// Throws SchemaTooNew when the database comes from a newer Holon.
std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& data_dir,
                                         const StoreOptions& options = {});

// The PostgreSQL channel a store NOTIFYs when a run is queued (created, released or rescued).
inline constexpr const char* kQueueChannel = "holon_run_queued";

// Opens the PostgreSQL store at `conninfo` (a postgresql:// URI or libpq key=value string),
// applies pending migrations (one host at a time, under an advisory lock). Calls that lose a race
// with another host are retried. Throws Unavailable when the server cannot be reached.
std::unique_ptr<Store> open_postgres_store(const std::string& conninfo, const StoreOptions& options = {});

// True for a location open_store opens with PostgreSQL (postgresql:// or postgres:// URIs).
bool is_postgres_location(const std::string& location);

// The store the server is configured with: a PostgreSQL location, or else the embedded SQLite
// database in data_dir.
std::unique_ptr<Store> open_store(const std::string& location, const std::filesystem::path& data_dir,
                                  const StoreOptions& options = {});

// The schema version this code creates (the number of the last migration).
int latest_schema_version();

// A consistent copy of the database, taken while a server may be using it. out_file must not
// exist. The copy is checked with PRAGMA integrity_check.
void backup(const std::filesystem::path& data_dir, const std::filesystem::path& out_file);

// Puts a backup in place as data_dir's database. Refuses a data_dir that is not empty unless
// force; refuses a backup that fails PRAGMA integrity_check or is from a newer Holon. No server
// may be running on data_dir.
void restore(const std::filesystem::path& backup_file, const std::filesystem::path& data_dir,
             bool force = false);

}  // namespace holon::store
