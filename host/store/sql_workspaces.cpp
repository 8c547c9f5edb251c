#include "store/crypto.hpp"
#include "store/cursor.hpp"
#include "store/sql_store.hpp"

namespace holon::store {

namespace {

constexpr const char* workspace_columns = "id, name, created_at, updated_at";

Workspace read_workspace(const Statement& row) {
    return Workspace{row.column_text(0), row.column_text(1), row.column_int(2), row.column_int(3)};
}

void require_name(const std::string& name) {
    if (name.empty()) throw InvalidArgument("workspace name must not be empty");
}

}  // namespace

void require_workspace(Connection& db, const std::string& workspace_id) {
    auto row = db.prepare("SELECT 1 FROM workspaces WHERE id = ?1");
    row.bind_text(1, workspace_id);
    if (!row.step()) throw NotFound("workspace not found");
}

Workspace SqlStore::create_workspace(const std::string& name) {
    require_name(name);
    const Workspace workspace{new_id("ws"), name, now(), now()};
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    db->prepare("INSERT INTO workspaces (id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?4)")
        .bind_text(1, workspace.id)
        .bind_text(2, workspace.name)
        .bind_int(3, workspace.created_at)
        .bind_int(4, workspace.updated_at)
        .run();
    transaction.commit();
    return workspace;
}

Workspace SqlStore::get_workspace(const std::string& id) {
    auto db = pool_->read();
    auto row = db->prepare(std::string("SELECT ") + workspace_columns + " FROM workspaces WHERE id = ?1");
    row.bind_text(1, id);
    if (!row.step()) throw NotFound("workspace not found");
    return read_workspace(row);
}

Page<Workspace> SqlStore::list_workspaces(const PageRequest& page) {
    const std::size_t limit = page_limit(page);
    auto db = pool_->read();
    Page<Workspace> result;
    auto rows = page.after.empty()
        ? db->prepare(std::string("SELECT ") + workspace_columns +
                      " FROM workspaces ORDER BY created_at, id LIMIT ?1")
        : db->prepare(std::string("SELECT ") + workspace_columns +
                      " FROM workspaces WHERE created_at > ?2 OR (created_at = ?2 AND id > ?3)"
                      " ORDER BY created_at, id LIMIT ?1");
    rows.bind_int(1, static_cast<std::int64_t>(limit + 1));
    if (!page.after.empty()) {
        const CursorKey after = decode_cursor(page.after);
        rows.bind_int(2, after.number).bind_text(3, after.id);
    }
    while (rows.step()) result.items.push_back(read_workspace(rows));
    if (result.items.size() > limit) {
        result.items.pop_back();
        result.next = encode_cursor({result.items.back().created_at, result.items.back().id});
    }
    return result;
}

Workspace SqlStore::rename_workspace(const std::string& id, const std::string& name) {
    require_name(name);
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    db->prepare("UPDATE workspaces SET name = ?2, updated_at = ?3 WHERE id = ?1")
        .bind_text(1, id)
        .bind_text(2, name)
        .bind_int(3, now())
        .run();
    if (db->changes() == 0) throw NotFound("workspace not found");
    Workspace workspace;
    {
        auto row = db->prepare(std::string("SELECT ") + workspace_columns + " FROM workspaces WHERE id = ?1");
        row.bind_text(1, id);
        row.step();
        workspace = read_workspace(row);
    }
    transaction.commit();
    return workspace;
}

void SqlStore::delete_workspace(const std::string& id) {
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    db->prepare("DELETE FROM workspaces WHERE id = ?1").bind_text(1, id).run();
    if (db->changes() == 0) throw NotFound("workspace not found");
    transaction.commit();
    token_cache_.forget_workspace(id);
}

}  // namespace holon::store
