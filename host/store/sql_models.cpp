#include "store/crypto.hpp"
#include "store/cursor.hpp"
#include "store/sql_store.hpp"

namespace holon::store {

namespace {

// A strong entity tag: the revision number keeps two revisions with equal bodies apart.
std::string make_etag(std::int64_t revision, const std::string& sha256) {
    return "\"r" + std::to_string(revision) + "-" + sha256.substr(0, 16) + "\"";
}

// If-Match values arrive quoted; accept the bare form too.
std::string quoted(const std::string& etag) {
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') return etag;
    return "\"" + etag + "\"";
}

void require_format(const ModelWrite& model) {
    if (model.format.empty()) throw InvalidArgument("model format must not be empty");
}

ModelRef insert_revision(Connection& db, const std::string& workspace_id, const std::string& model_id,
                         std::int64_t revision, const ModelWrite& model, Millis now) {
    const std::string hash = sha256_hex(model.body);
    ModelRef ref{model_id, revision, make_etag(revision, hash)};
    db.prepare("INSERT INTO model_revisions (model_id, revision, workspace_id, name, format, body, bytes, sha256, etag,"
               " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
        .bind_text(1, model_id)
        .bind_int(2, revision)
        .bind_text(3, workspace_id)
        .bind_text(4, model.name)
        .bind_text(5, model.format)
        .bind_text(6, model.body)
        .bind_int(7, static_cast<std::int64_t>(model.body.size()))
        .bind_text(8, hash)
        .bind_text(9, ref.etag)
        .bind_int(10, now)
        .run();
    return ref;
}

ModelRevision read_revision(const Statement& row) {
    ModelRevision model;
    model.id = row.column_text(0);
    model.workspace_id = row.column_text(1);
    model.revision = row.column_int(2);
    model.etag = row.column_text(3);
    model.name = row.column_text(4);
    model.format = row.column_text(5);
    model.body = row.column_text(6);
    model.bytes = row.column_int(7);
    model.created_at = row.column_int(8);
    return model;
}

constexpr const char* revision_columns =
    "r.model_id, r.workspace_id, r.revision, r.etag, r.name, r.format, r.body, r.bytes, r.created_at";

}  // namespace

ModelRef SqlStore::create_model(const std::string& workspace_id, const ModelWrite& model) {
    require_format(model);
    const std::string id = new_id("mdl");
    const Millis created_at = now();
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    require_workspace(*db, workspace_id);
    db->prepare("INSERT INTO models (id, workspace_id, latest_revision, created_at, updated_at)"
                " VALUES (?1, ?2, 1, ?3, ?3)")
        .bind_text(1, id)
        .bind_text(2, workspace_id)
        .bind_int(3, created_at)
        .run();
    ModelRef ref = insert_revision(*db, workspace_id, id, 1, model, created_at);
    transaction.commit();
    return ref;
}

ModelRef SqlStore::update_model(const std::string& workspace_id, const std::string& model_id,
                                   const std::string& expected_etag, const ModelWrite& model) {
    require_format(model);
    const Millis updated_at = now();
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    std::int64_t latest = 0;
    {
        auto row = db->prepare(
            "SELECT r.revision, r.etag FROM models m JOIN model_revisions r"
            " ON r.model_id = m.id AND r.revision = m.latest_revision WHERE m.id = ?1 AND m.workspace_id = ?2");
        row.bind_text(1, model_id).bind_text(2, workspace_id);
        if (!row.step()) throw NotFound("model not found");
        latest = row.column_int(0);
        if (row.column_text(1) != quoted(expected_etag))
            throw Conflict("model " + model_id + " has changed (latest revision " + std::to_string(latest) + ")");
    }
    db->prepare("UPDATE models SET latest_revision = ?2, updated_at = ?3 WHERE id = ?1")
        .bind_text(1, model_id)
        .bind_int(2, latest + 1)
        .bind_int(3, updated_at)
        .run();
    ModelRef ref = insert_revision(*db, workspace_id, model_id, latest + 1, model, updated_at);
    transaction.commit();
    return ref;
}

ModelRevision SqlStore::get_model(const std::string& workspace_id, const std::string& model_id,
                                     std::optional<std::int64_t> revision) {
    auto db = pool_->read();
    if (revision) {
        auto row = db->prepare(std::string("SELECT ") + revision_columns +
                               " FROM model_revisions r WHERE r.model_id = ?1 AND r.workspace_id = ?2 AND r.revision = ?3");
        row.bind_text(1, model_id).bind_text(2, workspace_id).bind_int(3, *revision);
        if (!row.step()) throw NotFound("model revision not found");
        return read_revision(row);
    }
    auto row = db->prepare(std::string("SELECT ") + revision_columns +
                           " FROM models m JOIN model_revisions r ON r.model_id = m.id AND r.revision = m.latest_revision"
                           " WHERE m.id = ?1 AND m.workspace_id = ?2");
    row.bind_text(1, model_id).bind_text(2, workspace_id);
    if (!row.step()) throw NotFound("model not found");
    return read_revision(row);
}

Page<ModelSummary> SqlStore::list_models(const std::string& workspace_id, const PageRequest& page) {
    const std::size_t limit = page_limit(page);
    auto db = pool_->read();
    Transaction snapshot(*db, Transaction::Kind::read);
    require_workspace(*db, workspace_id);
    std::string sql =
        "SELECT m.id, m.workspace_id, r.name, m.latest_revision, r.etag, r.format, r.bytes, m.created_at, m.updated_at"
        " FROM models m JOIN model_revisions r ON r.model_id = m.id AND r.revision = m.latest_revision"
        " WHERE m.workspace_id = ?2";
    if (!page.after.empty()) sql += " AND (m.created_at > ?3 OR (m.created_at = ?3 AND m.id > ?4))";
    sql += " ORDER BY m.created_at, m.id LIMIT ?1";
    Page<ModelSummary> result;
    {
        auto rows = db->prepare(sql);
        rows.bind_int(1, static_cast<std::int64_t>(limit + 1)).bind_text(2, workspace_id);
        if (!page.after.empty()) {
            const CursorKey after = decode_cursor(page.after);
            rows.bind_int(3, after.number).bind_text(4, after.id);
        }
        while (rows.step()) {
            result.items.push_back(ModelSummary{rows.column_text(0), rows.column_text(1), rows.column_text(2),
                                                rows.column_int(3), rows.column_text(4), rows.column_text(5),
                                                rows.column_int(6), rows.column_int(7), rows.column_int(8)});
        }
    }
    if (result.items.size() > limit) {
        result.items.pop_back();
        result.next = encode_cursor({result.items.back().created_at, result.items.back().id});
    }
    return result;
}

Page<RevisionInfo> SqlStore::list_revisions(const std::string& workspace_id, const std::string& model_id,
                                               const PageRequest& page) {
    const std::size_t limit = page_limit(page);
    const std::int64_t after = page.after.empty() ? 0 : decode_cursor(page.after).number;
    auto db = pool_->read();
    Transaction snapshot(*db, Transaction::Kind::read);
    {
        auto model = db->prepare("SELECT 1 FROM models WHERE id = ?1 AND workspace_id = ?2");
        model.bind_text(1, model_id).bind_text(2, workspace_id);
        if (!model.step()) throw NotFound("model not found");
    }
    Page<RevisionInfo> result;
    {
        auto rows = db->prepare(
            "SELECT revision, etag, name, format, bytes, created_at FROM model_revisions"
            " WHERE model_id = ?1 AND workspace_id = ?2 AND revision > ?3 ORDER BY revision LIMIT ?4");
        rows.bind_text(1, model_id).bind_text(2, workspace_id).bind_int(3, after).bind_int(4, static_cast<std::int64_t>(limit + 1));
        while (rows.step()) {
            result.items.push_back(RevisionInfo{rows.column_int(0), rows.column_text(1), rows.column_text(2),
                                                rows.column_text(3), rows.column_int(4), rows.column_int(5)});
        }
    }
    if (result.items.size() > limit) {
        result.items.pop_back();
        result.next = encode_cursor({result.items.back().revision, "r"});
    }
    return result;
}

void SqlStore::delete_model(const std::string& workspace_id, const std::string& model_id) {
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    db->prepare("DELETE FROM models WHERE id = ?1 AND workspace_id = ?2").bind_text(1, model_id).bind_text(2, workspace_id).run();
    if (db->changes() == 0) throw NotFound("model not found");
    transaction.commit();
}

}  // namespace holon::store
