#include "store_fixture.hpp"

#include "store/crypto.hpp"

#include <fstream>
#include <iterator>
#include <regex>
#include <set>

namespace holon::store::testing {
namespace {

using TokenTest = StoreTest;

std::string file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(TokenTest, CreatedTokenAuthenticatesWithItsRole) {
    const Workspace workspace = store().create_workspace("w");
    const NewToken token = store().create_token(workspace.id, Role::editor, std::nullopt);
    EXPECT_TRUE(std::regex_match(token.secret, std::regex("hol_[A-Za-z0-9_-]{43}")));
    EXPECT_EQ(token.id.rfind("tok_", 0), 0u);

    const auto principal = store().authenticate(token.secret);
    ASSERT_TRUE(principal);
    EXPECT_EQ(principal->token_id, token.id);
    EXPECT_EQ(principal->workspace_id, workspace.id);
    EXPECT_EQ(principal->role, Role::editor);

    EXPECT_FALSE(store().authenticate(token.secret + "x"));
    EXPECT_FALSE(store().authenticate("hol_unknown"));
    EXPECT_FALSE(store().authenticate(""));
}

TEST_F(TokenTest, SecretsAreRandom) {
    const Workspace workspace = store().create_workspace("w");
    std::set<std::string> secrets;
    for (int i = 0; i < 50; ++i) secrets.insert(store().create_token(workspace.id, Role::viewer, std::nullopt).secret);
    EXPECT_EQ(secrets.size(), 50u);
}

TEST_F(TokenTest, GlobalTokensHaveNoWorkspace) {
    const NewToken admin = store().create_token("", Role::admin, std::nullopt);
    const auto principal = store().authenticate(admin.secret);
    ASSERT_TRUE(principal);
    EXPECT_EQ(principal->workspace_id, "");
    EXPECT_EQ(principal->role, Role::admin);
    EXPECT_EQ(store().get_token("", admin.id).role, Role::admin);
    EXPECT_EQ(store().list_tokens("", {}).items.size(), 1u);
}

TEST_F(TokenTest, ExpiredTokensDoNotAuthenticate) {
    const Workspace workspace = store().create_workspace("w");
    const NewToken token = store().create_token(workspace.id, Role::viewer, now() + 1000);
    advance(999);
    EXPECT_TRUE(store().authenticate(token.secret));
    advance(1);
    EXPECT_FALSE(store().authenticate(token.secret));
}

TEST_F(TokenTest, RevokedTokensDoNotAuthenticate) {
    const Workspace workspace = store().create_workspace("w");
    const NewToken token = store().create_token(workspace.id, Role::admin, std::nullopt);
    const NewToken other = store().create_token(workspace.id, Role::admin, std::nullopt);
    store().revoke_token(workspace.id, token.id);
    EXPECT_FALSE(store().authenticate(token.secret));
    EXPECT_TRUE(store().authenticate(other.secret));
    EXPECT_EQ(store().get_token(workspace.id, token.id).revoked_at, now());
    store().revoke_token(workspace.id, token.id);  // revoking twice is harmless
    EXPECT_THROW(store().revoke_token(workspace.id, "tok_missing"), NotFound);
}

TEST_F(TokenTest, RegisteredSecretsAuthenticate) {
    const std::string chosen = "operator-chosen-admin-secret";
    const std::string id = store().register_token("", Role::admin, std::nullopt, chosen);
    const auto principal = store().authenticate(chosen);
    ASSERT_TRUE(principal);
    EXPECT_EQ(principal->token_id, id);
    EXPECT_THROW(store().register_token("", Role::admin, std::nullopt, chosen), Conflict);
    EXPECT_THROW(store().register_token("", Role::admin, std::nullopt, "short"), InvalidArgument);
    EXPECT_THROW(store().create_token("ws_missing", Role::admin, std::nullopt), NotFound);
}

TEST_F(TokenTest, ListPaginatesWithoutSecrets) {
    const Workspace workspace = store().create_workspace("w");
    std::set<std::string> created;
    for (int i = 0; i < 7; ++i) created.insert(store().create_token(workspace.id, Role::viewer, std::nullopt).id);
    std::set<std::string> seen;
    PageRequest request{3, ""};
    do {
        const Page<TokenInfo> page = store().list_tokens(workspace.id, request);
        for (const TokenInfo& token : page.items) EXPECT_TRUE(seen.insert(token.id).second);
        request.after = page.next;
    } while (!request.after.empty());
    EXPECT_EQ(seen, created);
    EXPECT_THROW(store().list_tokens("ws_missing", {}), NotFound);
}

TEST_F(TokenTest, SecretsAreNeverStoredInPlainText) {
    const Workspace workspace = store().create_workspace("w");
    std::vector<NewToken> tokens;
    for (int i = 0; i < 20; ++i) tokens.push_back(store().create_token(workspace.id, Role::admin, std::nullopt));
    const std::string chosen = "operator-chosen-admin-secret";
    store().register_token("", Role::admin, std::nullopt, chosen);

    if (postgres()) {
        // PostgreSQL's files are the server's: look at every text the tokens table holds instead.
        for (const NewToken& token : tokens) {
            EXPECT_EQ(query_int("SELECT COUNT(*) FROM tokens WHERE position('" + token.secret +
                                "' in id || role || secret_sha256) > 0"), 0);
            EXPECT_EQ(query_int("SELECT COUNT(*) FROM tokens WHERE secret_sha256 = '" + sha256_hex(token.secret) + "'"), 1);
        }
        EXPECT_EQ(query_int("SELECT COUNT(*) FROM tokens WHERE secret_sha256 = '" + sha256_hex(chosen) + "'"), 1);
        return;
    }
    // Look at the WAL before a checkpoint and at the main file after one: neither holds a secret.
    const auto db = database_path(data_dir());
    std::filesystem::path wal = db;
    wal += "-wal";
    const std::string wal_bytes = file_bytes(wal);
    store_.reset();
    const std::string db_bytes = file_bytes(db);
    ASSERT_FALSE(db_bytes.empty());
    for (const NewToken& token : tokens) {
        EXPECT_EQ(wal_bytes.find(token.secret), std::string::npos);
        EXPECT_EQ(db_bytes.find(token.secret), std::string::npos);
        // What is stored instead: the secret's SHA-256, which shows the scan looks at real rows.
        EXPECT_NE(db_bytes.find(sha256_hex(token.secret)), std::string::npos);
    }
    EXPECT_EQ(db_bytes.find(chosen), std::string::npos);
}

}  // namespace
}  // namespace holon::store::testing
