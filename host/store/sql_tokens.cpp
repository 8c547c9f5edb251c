#include "store/crypto.hpp"
#include "store/cursor.hpp"
#include "store/sql_store.hpp"

namespace holon::store {

namespace {

constexpr const char* token_columns = "id, workspace_id, role, created_at, expires_at, revoked_at";

// Global tokens have no workspace (NULL), so "" selects them with IS NULL.
std::string scope(const std::string& workspace_id) {
    return workspace_id.empty() ? "workspace_id IS NULL" : "workspace_id = ?9";
}

void bind_scope(Statement& statement, const std::string& workspace_id) {
    if (!workspace_id.empty()) statement.bind_text(9, workspace_id);
}

TokenInfo read_token(const Statement& row) {
    TokenInfo token;
    token.id = row.column_text(0);
    token.workspace_id = row.column_optional_text(1).value_or("");
    token.role = role_from_string(row.column_text(2));
    token.created_at = row.column_int(3);
    token.expires_at = row.column_optional_int(4);
    token.revoked_at = row.column_optional_int(5);
    return token;
}

}  // namespace

NewToken SqlStore::create_token(const std::string& workspace_id, Role role, std::optional<Millis> expires_at) {
    NewToken token;
    token.secret = new_token_secret();
    token.id = register_token(workspace_id, role, expires_at, token.secret);
    return token;
}

std::string SqlStore::register_token(const std::string& workspace_id, Role role,
                                        std::optional<Millis> expires_at, const std::string& secret) {
    if (secret.size() < 16) throw InvalidArgument("token secret must have at least 16 characters");
    const std::string id = new_id("tok");
    const std::string hash = sha256_hex(secret);
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    if (!workspace_id.empty()) require_workspace(*db, workspace_id);
    {
        auto existing = db->prepare("SELECT 1 FROM tokens WHERE secret_sha256 = ?1");
        existing.bind_text(1, hash);
        if (existing.step()) throw Conflict("this token secret is already registered");
    }
    db->prepare("INSERT INTO tokens (id, workspace_id, role, secret_sha256, created_at, expires_at, revoked_at)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL)")
        .bind_text(1, id)
        .bind_optional_text(2, workspace_id.empty() ? std::nullopt : std::optional(workspace_id))
        .bind_text(3, to_string(role))
        .bind_text(4, hash)
        .bind_int(5, now())
        .bind_optional_int(6, expires_at)
        .run();
    transaction.commit();
    return id;
}

std::optional<Principal> SqlStore::authenticate(const std::string& secret) {
    const std::string hash = sha256_hex(secret);
    const Millis at = now();
    if (auto cached = token_cache_.find(hash, at)) return cached;
    const auto generation = token_cache_.generation();
    auto db = pool_->read();
    auto row = db->prepare(
        "SELECT id, workspace_id, role, secret_sha256, expires_at, revoked_at FROM tokens WHERE secret_sha256 = ?1");
    row.bind_text(1, hash);
    if (!row.step()) return std::nullopt;
    // The index lookup already matched; comparing again in constant time keeps a collation or
    // backend quirk from ever turning into a timing oracle on the stored hash.
    if (!constant_time_equal(row.column_text(3), hash)) return std::nullopt;
    if (!row.is_null(5)) return std::nullopt;
    const auto expires_at = row.column_optional_int(4);
    if (expires_at && *expires_at <= at) return std::nullopt;
    Principal principal{row.column_text(0), row.column_optional_text(1).value_or(""), role_from_string(row.column_text(2))};
    token_cache_.put(hash, principal, expires_at, at, generation);
    return principal;
}

TokenInfo SqlStore::get_token(const std::string& workspace_id, const std::string& token_id) {
    auto db = pool_->read();
    auto row = db->prepare(std::string("SELECT ") + token_columns + " FROM tokens WHERE id = ?1 AND " + scope(workspace_id));
    row.bind_text(1, token_id);
    bind_scope(row, workspace_id);
    if (!row.step()) throw NotFound("token not found");
    return read_token(row);
}

Page<TokenInfo> SqlStore::list_tokens(const std::string& workspace_id, const PageRequest& page) {
    const std::size_t limit = page_limit(page);
    auto db = pool_->read();
    if (!workspace_id.empty()) require_workspace(*db, workspace_id);
    std::string sql = std::string("SELECT ") + token_columns + " FROM tokens WHERE " + scope(workspace_id);
    if (!page.after.empty()) sql += " AND (created_at > ?2 OR (created_at = ?2 AND id > ?3))";
    sql += " ORDER BY created_at, id LIMIT ?1";
    auto rows = db->prepare(sql);
    rows.bind_int(1, static_cast<std::int64_t>(limit + 1));
    bind_scope(rows, workspace_id);
    if (!page.after.empty()) {
        const CursorKey after = decode_cursor(page.after);
        rows.bind_int(2, after.number).bind_text(3, after.id);
    }
    Page<TokenInfo> result;
    while (rows.step()) result.items.push_back(read_token(rows));
    if (result.items.size() > limit) {
        result.items.pop_back();
        result.next = encode_cursor({result.items.back().created_at, result.items.back().id});
    }
    return result;
}

void SqlStore::revoke_token(const std::string& workspace_id, const std::string& token_id) {
    auto db = pool_->write();
    Transaction transaction(*db, Transaction::Kind::write);
    {
        auto update = db->prepare("UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1 AND " +
                                  scope(workspace_id));
        update.bind_text(1, token_id).bind_int(2, now());
        bind_scope(update, workspace_id);
        update.run();
    }
    if (db->changes() == 0) throw NotFound("token not found");
    transaction.commit();
    token_cache_.forget_token(token_id);  // after the commit: see TokenCache::put
}

}  // namespace holon::store
