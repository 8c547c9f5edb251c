#include "store/crypto.hpp"
#include "store/cursor.hpp"
#include "store/sql_store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace holon::store {

namespace {

constexpr const char* run_columns =
    "id, workspace_id, method, model_id, model_revision, params_json, limits_json, state, progress, stage,"
    " cancel_requested, attempts, max_attempts, lease_owner, lease_expires_at, error_json, created_at,"
    " started_at, finished_at, updated_at, parent_id";

Run read_run(const Statement& row) {
    Run run;
    run.id = row.column_text(0);
    run.workspace_id = row.column_text(1);
    run.method = row.column_text(2);
    run.model_id = row.column_optional_text(3);
    run.model_revision = row.column_optional_int(4);
    run.params_json = row.column_text(5);
    run.limits_json = row.column_text(6);
    run.state = run_state_from_string(row.column_text(7));
    run.progress = row.column_double(8);
    run.stage = row.column_text(9);
    run.cancel_requested = row.column_int(10) != 0;
    run.attempts = static_cast<int>(row.column_int(11));
    run.max_attempts = static_cast<int>(row.column_int(12));
    run.lease_owner = row.column_optional_text(13);
    run.lease_expires_at = row.column_optional_int(14);
    run.error_json = row.column_optional_text(15).value_or("");
    run.created_at = row.column_int(16);
    run.started_at = row.column_optional_int(17);
    run.finished_at = row.column_optional_int(18);
    run.updated_at = row.column_int(19);
    run.parent_id = row.column_optional_text(20);
    return run;
}

std::string host_crashed_problem(const std::string& run_id, std::int64_t attempts, std::int64_t max_attempts) {
    return nlohmann::json{
        {"type", "/problems/host-crashed"},
        {"title", "The host running this job stopped"},
        {"status", 500},
        {"detail", "run " + run_id + " was running when its host stopped; " + std::to_string(attempts) + " of " +
                       std::to_string(max_attempts) + " attempts used"},
    }.dump();
}

// One running run whose host is gone, and what to do with it.
struct Orphan {
    std::string id;
    std::string workspace_id;
    std::int64_t attempts = 0;
    std::int64_t max_attempts = 0;
    bool cancel_requested = false;
};

}  // namespace

Run SqlStore::load_run_in(Connection& db, const std::string& run_id) {
    auto row = db.prepare(std::string("SELECT ") + run_columns + " FROM runs WHERE id = ?1");
    row.bind_text(1, run_id);
    if (!row.step()) throw NotFound("run not found");
    return read_run(row);
}

Run SqlStore::create_run(const std::string& workspace_id, const NewRun& request) {
    if (request.method.empty()) throw InvalidArgument("run method must not be empty");
    if (request.model_revision && !request.model_id) throw InvalidArgument("a model revision needs a model id");
    Run run;
    run.id = new_id("run");
    run.workspace_id = workspace_id;
    run.method = request.method;
    run.model_id = request.model_id;
    run.params_json = request.params_json;
    run.limits_json = request.limits_json;
    run.max_attempts = std::max(1, request.max_attempts.value_or(options_.default_max_attempts));
    run.parent_id = request.parent_id;
    run.created_at = run.updated_at = now();

    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    require_workspace(*db, workspace_id);
    if (run.parent_id) {
        auto parent = db->prepare("SELECT 1 FROM runs WHERE id = ?1 AND workspace_id = ?2");
        parent.bind_text(1, *run.parent_id).bind_text(2, workspace_id);
        if (!parent.step()) throw NotFound("parent run not found");
    }
    if (run.model_id) {
        // Pin the input: revisions are immutable, so the run always sees the same model.
        auto model = db->prepare(request.model_revision
                                     ? "SELECT revision FROM model_revisions WHERE model_id = ?1 AND workspace_id = ?2 AND revision = ?3"
                                     : "SELECT latest_revision FROM models WHERE id = ?1 AND workspace_id = ?2");
        model.bind_text(1, *run.model_id).bind_text(2, workspace_id);
        if (request.model_revision) model.bind_int(3, *request.model_revision);
        if (!model.step()) throw NotFound(request.model_revision ? "model revision not found" : "model not found");
        run.model_revision = model.column_int(0);
    }
    db->prepare("INSERT INTO runs (id, workspace_id, method, model_id, model_revision, params_json, limits_json, state,"
                " progress, stage, cancel_requested, attempts, max_attempts, created_at, updated_at, parent_id)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', 0, '', 0, 0, ?8, ?9, ?9, ?10)")
        .bind_text(1, run.id)
        .bind_text(2, run.workspace_id)
        .bind_text(3, run.method)
        .bind_optional_text(4, run.model_id)
        .bind_optional_int(5, run.model_revision)
        .bind_text(6, run.params_json)
        .bind_text(7, run.limits_json)
        .bind_int(8, run.max_attempts)
        .bind_int(9, run.created_at)
        .bind_optional_text(10, run.parent_id)
        .run();
    append_state_event_in(*db, run.id, run.workspace_id, RunState::queued);
    notify_queued_in(*db);
    transaction.commit();
    return run;
}

Run SqlStore::get_run(const std::string& workspace_id, const std::string& run_id) {
    auto db = pool_->read();
    auto row = db->prepare(std::string("SELECT ") + run_columns + " FROM runs WHERE id = ?1 AND workspace_id = ?2");
    row.bind_text(1, run_id).bind_text(2, workspace_id);
    if (!row.step()) throw NotFound("run not found");
    return read_run(row);
}

Page<Run> SqlStore::list_runs(const std::string& workspace_id, const PageRequest& page,
                                 std::optional<RunState> state) {
    const std::size_t limit = page_limit(page);
    auto db = pool_->read();
    Transaction snapshot(*db, Transaction::Kind::read);
    require_workspace(*db, workspace_id);
    std::string sql = std::string("SELECT ") + run_columns + " FROM runs WHERE workspace_id = ?2 AND parent_id IS NULL";
    if (state) sql += " AND state = ?5";
    if (!page.after.empty()) sql += " AND (created_at > ?3 OR (created_at = ?3 AND id > ?4))";
    sql += " ORDER BY created_at, id LIMIT ?1";
    Page<Run> result;
    {
        auto rows = db->prepare(sql);
        rows.bind_int(1, static_cast<std::int64_t>(limit + 1)).bind_text(2, workspace_id);
        if (state) rows.bind_text(5, to_string(*state));
        if (!page.after.empty()) {
            const CursorKey after = decode_cursor(page.after);
            rows.bind_int(3, after.number).bind_text(4, after.id);
        }
        while (rows.step()) result.items.push_back(read_run(rows));
    }
    if (result.items.size() > limit) {
        result.items.pop_back();
        result.next = encode_cursor({result.items.back().created_at, result.items.back().id});
    }
    return result;
}

Run SqlStore::request_cancel(const std::string& workspace_id, const std::string& run_id) {
    const Millis at = now();
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    RunState state = RunState::queued;
    {
        auto row = db->prepare("SELECT state FROM runs WHERE id = ?1 AND workspace_id = ?2");
        row.bind_text(1, run_id).bind_text(2, workspace_id);
        if (!row.step()) throw NotFound("run not found");
        state = run_state_from_string(row.column_text(0));
    }
    if (state == RunState::queued) {
        db->prepare("UPDATE runs SET state = 'cancelled', cancel_requested = 1, finished_at = ?2, updated_at = ?2"
                    " WHERE id = ?1")
            .bind_text(1, run_id)
            .bind_int(2, at)
            .run();
        append_state_event_in(*db, run_id, workspace_id, RunState::cancelled);
    } else if (state == RunState::running) {
        db->prepare("UPDATE runs SET cancel_requested = 1, updated_at = ?2 WHERE id = ?1 AND cancel_requested = 0")
            .bind_text(1, run_id)
            .bind_int(2, at)
            .run();
        if (db->changes() > 0) append_event_in(*db, run_id, workspace_id, "cancel-requested", "{}");
    }
    Run run = load_run_in(*db, run_id);
    transaction.commit();
    return run;
}

std::int64_t SqlStore::count_in_flight(const std::string& workspace_id) {
    auto db = pool_->read();
    auto row = db->prepare("SELECT COUNT(*) FROM runs WHERE workspace_id = ?1 AND parent_id IS NULL"
                           " AND state IN ('queued', 'running')");
    row.bind_text(1, workspace_id);
    row.step();
    return row.column_int(0);
}

std::map<RunState, std::int64_t> SqlStore::count_runs_by_state() {
    std::map<RunState, std::int64_t> counts;
    for (RunState state : {RunState::queued, RunState::running, RunState::succeeded, RunState::failed, RunState::cancelled})
        counts[state] = 0;
    auto db = pool_->read();
    auto rows = db->prepare("SELECT state, COUNT(*) FROM runs WHERE parent_id IS NULL GROUP BY state");
    while (rows.step()) counts[run_state_from_string(rows.column_text(0))] = rows.column_int(1);
    return counts;
}

std::optional<Run> SqlStore::claim(const std::string& owner, std::int64_t lease_ms) {
    return claim_queued(owner, lease_ms, std::nullopt);
}

std::optional<Run> SqlStore::claim_run(const std::string& run_id, const std::string& owner, std::int64_t lease_ms) {
    return claim_queued(owner, lease_ms, run_id);
}

std::optional<Run> SqlStore::claim_queued(const std::string& owner, std::int64_t lease_ms,
                                          const std::optional<std::string>& run_id) {
    if (owner.empty()) throw InvalidArgument("lease owner must not be empty");
    if (lease_ms <= 0) throw InvalidArgument("a lease must last at least 1 ms");
    const Millis at = now();
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    // Runs whose lease ran out belong to a host that died or hung: settle them first, so that the
    // claim below only has to look at queued runs.
    // PostgreSQL: hosts claiming at the same moment skip each other's rows instead of queueing
    // behind them (FOR UPDATE SKIP LOCKED); SQLite's BEGIN IMMEDIATE already serialises claimers.
    const std::string skip_locked = db->dialect() == Dialect::postgres ? " FOR UPDATE SKIP LOCKED" : "";
    std::vector<std::string> orphans;
    if (!run_id) {
        auto rows = db->prepare("SELECT id FROM runs WHERE state = 'running' AND lease_expires_at < ?1" + skip_locked);
        rows.bind_int(1, at);
        while (rows.step()) orphans.push_back(rows.column_text(0));
    }
    RecoveryReport ignored;
    for (const std::string& id : orphans) settle_orphan_in(*db, id, ignored);

    // One statement picks and takes the oldest queued run (or the one asked for).
    std::optional<std::string> claimed;
    {
        const std::string pick = run_id ? "SELECT id FROM runs WHERE id = ?4 AND state = 'queued'"
                                        : "SELECT id FROM runs WHERE state = 'queued' ORDER BY created_at, id LIMIT 1";
        auto update = db->prepare(
            "UPDATE runs SET state = 'running', lease_owner = ?1, lease_expires_at = ?2, attempts = attempts + 1,"
            " started_at = COALESCE(started_at, ?3), updated_at = ?3"
            " WHERE id = (" + pick + skip_locked + ") AND state = 'queued' RETURNING id");
        update.bind_text(1, owner).bind_int(2, at + lease_ms).bind_int(3, at);
        if (run_id) update.bind_text(4, *run_id);
        if (update.step()) claimed = update.column_text(0);
        update.run();
    }
    if (!claimed) {
        transaction.commit();  // the settled orphans
        return std::nullopt;
    }
    Run run = load_run_in(*db, *claimed);
    append_state_event_in(*db, run.id, run.workspace_id, RunState::running);
    transaction.commit();
    return run;
}

std::vector<Run> SqlStore::list_child_runs(const std::string& parent_id) {
    auto db = pool_->read();
    auto rows = db->prepare(std::string("SELECT ") + run_columns + " FROM runs WHERE parent_id = ?1 ORDER BY created_at, id");
    rows.bind_text(1, parent_id);
    std::vector<Run> runs;
    while (rows.step()) runs.push_back(read_run(rows));
    return runs;
}

std::vector<std::pair<std::string, RunState>> SqlStore::child_run_states(const std::string& parent_id) {
    auto db = pool_->read();
    auto rows = db->prepare("SELECT id, state FROM runs WHERE parent_id = ?1 ORDER BY created_at, id");
    rows.bind_text(1, parent_id);
    std::vector<std::pair<std::string, RunState>> states;
    while (rows.step()) states.emplace_back(rows.column_text(0), run_state_from_string(rows.column_text(1)));
    return states;
}

bool SqlStore::renew_lease(const std::string& run_id, const std::string& owner, int attempt, std::int64_t lease_ms) {
    if (lease_ms <= 0) throw InvalidArgument("a lease must last at least 1 ms");
    const Millis at = now();
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    db->prepare("UPDATE runs SET lease_expires_at = ?3, updated_at = ?4"
                " WHERE id = ?1 AND lease_owner = ?2 AND attempts = ?5 AND state = 'running'")
        .bind_text(1, run_id)
        .bind_text(2, owner)
        .bind_int(3, at + lease_ms)
        .bind_int(4, at)
        .bind_int(5, attempt)
        .run();
    const bool renewed = db->changes() == 1;
    transaction.commit();
    return renewed;
}

void SqlStore::set_progress(const std::string& run_id, double fraction, const std::string& stage) {
    const double clamped = std::clamp(fraction, 0.0, 1.0);
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    db->prepare("UPDATE runs SET progress = ?2, stage = ?3, updated_at = ?4 WHERE id = ?1 AND state = 'running'")
        .bind_text(1, run_id)
        .bind_double(2, clamped)
        .bind_text(3, stage)
        .bind_int(4, now())
        .run();
    if (db->changes() == 0) load_run_in(*db, run_id);  // NotFound for an unknown run; else ignore
    transaction.commit();
}

bool SqlStore::finish(const std::string& run_id, const std::string& owner, int attempt, const RunOutcome& outcome) {
    if (!is_terminal(outcome.state)) throw InvalidArgument("a run can only finish as succeeded, failed or cancelled");
    validate_outputs(outcome.outputs);
    const Millis at = now();
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    std::string workspace_id;
    {
        // Fenced by the claim, not only by the host: the same host may hold a newer claim of a run
        // whose lease expired under a hung worker of its own.
        auto row = db->prepare("SELECT workspace_id FROM runs"
                               " WHERE id = ?1 AND state = 'running' AND lease_owner = ?2 AND attempts = ?3");
        row.bind_text(1, run_id).bind_text(2, owner).bind_int(3, attempt);
        if (!row.step()) return false;
        workspace_id = row.column_text(0);
    }
    db->prepare("UPDATE runs SET state = ?2, error_json = ?3, finished_at = ?4, updated_at = ?4,"
                " progress = CASE WHEN ?2 = 'succeeded' THEN 1 ELSE progress END,"
                " lease_owner = NULL, lease_expires_at = NULL WHERE id = ?1")
        .bind_text(1, run_id)
        .bind_text(2, to_string(outcome.state))
        .bind_optional_text(3, outcome.error_json.empty() ? std::nullopt : std::optional(outcome.error_json))
        .bind_int(4, at)
        .run();
    store_outputs_in(*db, run_id, workspace_id, outcome.outputs);
    append_state_event_in(*db, run_id, workspace_id, outcome.state);
    transaction.commit();
    return true;
}

bool SqlStore::release(const std::string& run_id, const std::string& owner, int attempt) {
    const Millis at = now();
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    std::string workspace_id;
    bool cancel_requested = false;
    {
        auto row = db->prepare("SELECT workspace_id, cancel_requested FROM runs"
                               " WHERE id = ?1 AND state = 'running' AND lease_owner = ?2 AND attempts = ?3");
        row.bind_text(1, run_id).bind_text(2, owner).bind_int(3, attempt);
        if (!row.step()) return false;
        workspace_id = row.column_text(0);
        cancel_requested = row.column_int(1) != 0;
    }
    const RunState next = cancel_requested ? RunState::cancelled : RunState::queued;
    db->prepare("UPDATE runs SET state = ?2, lease_owner = NULL, lease_expires_at = NULL,"
                " attempts = CASE WHEN ?2 = 'queued' AND attempts > 0 THEN attempts - 1 ELSE attempts END,"
                " progress = CASE WHEN ?2 = 'queued' THEN 0 ELSE progress END,"
                " stage = CASE WHEN ?2 = 'queued' THEN '' ELSE stage END,"
                " finished_at = CASE WHEN ?2 = 'queued' THEN NULL ELSE ?3 END, updated_at = ?3 WHERE id = ?1")
        .bind_text(1, run_id)
        .bind_text(2, to_string(next))
        .bind_int(3, at)
        .run();
    append_state_event_in(*db, run_id, workspace_id, next);
    if (next == RunState::queued) notify_queued_in(*db);
    transaction.commit();
    return true;
}

void SqlStore::settle_orphan_in(Connection& db, const std::string& run_id, RecoveryReport& report) {
    const Millis at = now();
    Orphan orphan;
    std::string previous_owner;
    std::optional<std::string> parent_id;
    {
        auto row = db.prepare("SELECT workspace_id, attempts, max_attempts, cancel_requested, lease_owner, parent_id"
                              " FROM runs WHERE id = ?1");
        row.bind_text(1, run_id);
        if (!row.step()) return;
        orphan = {run_id, row.column_text(0), row.column_int(1), row.column_int(2), row.column_int(3) != 0};
        previous_owner = row.column_optional_text(4).value_or("");
        parent_id = row.column_optional_text(5);
    }
    RunState next = RunState::queued;
    std::optional<std::string> error;
    if (orphan.cancel_requested) {
        next = RunState::cancelled;
        report.cancelled.push_back(run_id);
    } else if (orphan.attempts >= orphan.max_attempts) {
        next = RunState::failed;
        error = host_crashed_problem(run_id, orphan.attempts, orphan.max_attempts);
        report.failed.push_back(run_id);
    } else {
        report.requeued.push_back(run_id);
    }
    db.prepare("UPDATE runs SET state = ?2, error_json = ?3, lease_owner = NULL, lease_expires_at = NULL,"
               " progress = CASE WHEN ?2 = 'queued' THEN 0 ELSE progress END,"
               " stage = CASE WHEN ?2 = 'queued' THEN '' ELSE stage END,"
               " finished_at = CASE WHEN ?2 = 'queued' THEN NULL ELSE ?4 END, updated_at = ?4 WHERE id = ?1")
        .bind_text(1, run_id)
        .bind_text(2, to_string(next))
        .bind_optional_text(3, error)
        .bind_int(4, at)
        .run();
    // The rescue itself is on record (and counted in /metrics), not only the state it led to: a
    // run that keeps being rescued points at a host that keeps dying or hanging. A batch's points
    // (a child run) are on the batch's record instead, which outlives them: the batch deletes its
    // points' runs once their results are in its files.
    const auto rescue = nlohmann::json{{"previous_owner", previous_owner}, {"attempts", orphan.attempts},
                                       {"max_attempts", orphan.max_attempts}, {"state", std::string(to_string(next))}};
    if (parent_id) {
        auto on_batch = rescue;
        on_batch["run"] = run_id;
        append_event_in(db, *parent_id, orphan.workspace_id, "points-rescued", on_batch.dump());
    } else {
        append_event_in(db, run_id, orphan.workspace_id, "rescued", rescue.dump());
    }
    append_state_event_in(db, run_id, orphan.workspace_id, next);
    if (next == RunState::queued) notify_queued_in(db);
}

void SqlStore::notify_queued_in(Connection& db) {
    // PostgreSQL delivers it at commit to every host LISTENing (QueueListener), so idle hosts claim
    // at once instead of at their next poll. SQLite has one host: the job engine wakes itself.
    if (db.dialect() == Dialect::postgres) db.exec("NOTIFY " + std::string(kQueueChannel));
}

std::int64_t SqlStore::count_rescues() {
    auto db = pool_->read();
    auto row = db->prepare("SELECT COUNT(*) FROM run_events WHERE type IN ('rescued', 'points-rescued')");
    row.step();
    return row.column_int(0);
}

RecoveryReport SqlStore::recover_after_crash(RecoveryScope scope) {
    const Millis at = now();
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    std::vector<std::string> ids;
    {
        auto rows = db->prepare(scope == RecoveryScope::all_running
                                    ? "SELECT id FROM runs WHERE state = 'running' ORDER BY created_at, id"
                                    : "SELECT id FROM runs WHERE state = 'running' AND lease_expires_at < ?1"
                                      " ORDER BY created_at, id");
        if (scope == RecoveryScope::expired_leases) rows.bind_int(1, at);
        while (rows.step()) ids.push_back(rows.column_text(0));
    }
    RecoveryReport report;
    for (const std::string& id : ids) settle_orphan_in(*db, id, report);
    transaction.commit();
    return report;
}

}  // namespace holon::store
