// The authentication cache: a revocation or workspace deletion through this store applies at
// once; a change made by another process (another host) applies within the TTL; expiry is exact.
#include "store_fixture.hpp"

namespace holon::store::testing {
namespace {

class TokenCacheTest : public StoreTest {
protected:
    TokenCacheTest() : workspace_(store().create_workspace("w").id) {}
    std::string workspace_;
};

TEST_F(TokenCacheTest, RevokingThroughTheStoreAppliesAtOnce) {
    const auto token = store().create_token(workspace_, Role::editor, std::nullopt);
    ASSERT_TRUE(store().authenticate(token.secret));  // now cached
    ASSERT_TRUE(store().authenticate(token.secret));
    store().revoke_token(workspace_, token.id);
    EXPECT_FALSE(store().authenticate(token.secret));
}

TEST_F(TokenCacheTest, DeletingTheWorkspaceAppliesAtOnce) {
    const auto token = store().create_token(workspace_, Role::admin, std::nullopt);
    const auto other = store().create_workspace("other").id;
    const auto kept = store().create_token(other, Role::viewer, std::nullopt);
    ASSERT_TRUE(store().authenticate(token.secret));
    ASSERT_TRUE(store().authenticate(kept.secret));
    store().delete_workspace(workspace_);
    EXPECT_FALSE(store().authenticate(token.secret));
    const auto principal = store().authenticate(kept.secret);
    ASSERT_TRUE(principal);
    EXPECT_EQ(principal->workspace_id, other);
    EXPECT_EQ(principal->role, Role::viewer);
}

TEST_F(TokenCacheTest, ExpiryIsExactEvenWhenCached) {
    const auto token = store().create_token(workspace_, Role::viewer, now() + 100);
    ASSERT_TRUE(store().authenticate(token.secret));
    advance(99);
    EXPECT_TRUE(store().authenticate(token.secret));
    advance(1);
    EXPECT_FALSE(store().authenticate(token.secret));
}

TEST_F(TokenCacheTest, ARevocationByAnotherHostAppliesWithinTheTtl) {
    const auto token = store().create_token(workspace_, Role::editor, std::nullopt);
    ASSERT_TRUE(store().authenticate(token.secret));
    // Another host revokes it in the shared database, behind this store's back.
    exec_sql("UPDATE tokens SET revoked_at = 1 WHERE id = '" + token.id + "'");
    advance(StoreOptions{}.auth_cache_ms - 1);
    EXPECT_TRUE(store().authenticate(token.secret)) << "still cached: the documented multi-host delay";
    advance(1);
    EXPECT_FALSE(store().authenticate(token.secret));
}

TEST_F(TokenCacheTest, UnknownSecretsAreNeverCachedAsValid) {
    EXPECT_FALSE(store().authenticate("hol_not-a-real-secret-0000000000000000000000000"));
    const auto token = store().create_token(workspace_, Role::viewer, std::nullopt);
    EXPECT_FALSE(store().authenticate(token.secret + "x"));
    EXPECT_TRUE(store().authenticate(token.secret));
}

}  // namespace
}  // namespace holon::store::testing
