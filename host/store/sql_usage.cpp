// Deleting finished runs and measuring a workspace's storage (the per-workspace quota).
#include "store/sql_store.hpp"

namespace holon::store {

void SqlStore::delete_run(const std::string& workspace_id, const std::string& run_id) {
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    // Events, results, tables and files go with the run (ON DELETE CASCADE).
    db->prepare("DELETE FROM runs WHERE id = ?1 AND workspace_id = ?2 AND state IN ('succeeded', 'failed', 'cancelled')")
        .bind_text(1, run_id)
        .bind_text(2, workspace_id)
        .run();
    if (db->changes() == 0) {
        auto exists = db->prepare("SELECT COUNT(*) FROM runs WHERE id = ?1 AND workspace_id = ?2");
        exists.bind_text(1, run_id).bind_text(2, workspace_id);
        exists.step();
        if (exists.column_int(0) == 0) throw NotFound("run not found");
        throw Conflict("run " + run_id + " is still queued or running; cancel it first");
    }
    transaction.commit();
}

std::int64_t SqlStore::stored_bytes(const std::string& workspace_id) {
    auto db = pool_->read();
    auto row = db->prepare(
        "SELECT (SELECT COALESCE(SUM(bytes), 0) FROM model_revisions WHERE workspace_id = ?1)"
        " + (SELECT COALESCE(SUM(length(result_json)), 0) FROM run_results WHERE workspace_id = ?1)"
        " + (SELECT COALESCE(SUM(length(data)), 0) FROM run_tables WHERE workspace_id = ?1)"
        " + (SELECT COALESCE(SUM(bytes), 0) FROM run_blobs WHERE workspace_id = ?1)");
    row.bind_text(1, workspace_id);
    row.step();
    return row.column_int(0);
}

}  // namespace holon::store
