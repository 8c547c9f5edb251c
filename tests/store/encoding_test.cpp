#include "store/crypto.hpp"
#include "store/cursor.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace holon::store {
namespace {

TEST(EncodingTest, Base64UrlRoundTripsEveryLength) {
    const std::string bytes = random_bytes(64);
    for (std::size_t length = 0; length <= bytes.size(); ++length) {
        const std::string encoded = base64url_encode(bytes.substr(0, length));
        EXPECT_TRUE(std::regex_match(encoded, std::regex("[A-Za-z0-9_-]*")));
        EXPECT_EQ(base64url_decode(encoded), bytes.substr(0, length));
    }
    EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
    EXPECT_FALSE(base64url_decode("ab+c"));
    EXPECT_FALSE(base64url_decode("a"));
    EXPECT_FALSE(base64url_decode("AB"));  // non-zero trailing bits
}

TEST(EncodingTest, Sha256MatchesTheStandardVectors) {
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(EncodingTest, ConstantTimeEqualCompares) {
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

TEST(EncodingTest, IdsArePrefixedAndUrlSafe) {
    const std::string id = new_id("mdl");
    EXPECT_TRUE(std::regex_match(id, std::regex("mdl_[A-Za-z0-9_-]{22}"))) << id;
    EXPECT_NE(new_id("mdl"), id);
}

TEST(EncodingTest, CursorsRoundTripAndRejectForgeries) {
    const CursorKey key{1'700'000'000'123, "ws_abc-_"};
    const CursorKey decoded = decode_cursor(encode_cursor(key));
    EXPECT_EQ(decoded.number, key.number);
    EXPECT_EQ(decoded.id, key.id);
    EXPECT_THROW(decode_cursor(base64url_encode("12x.id")), InvalidArgument);
    EXPECT_THROW(decode_cursor(base64url_encode(".id")), InvalidArgument);
    EXPECT_THROW(decode_cursor("%%%"), InvalidArgument);
}

TEST(EncodingTest, RolesAndStatesRoundTrip) {
    for (Role role : {Role::viewer, Role::editor, Role::admin}) EXPECT_EQ(role_from_string(to_string(role)), role);
    for (RunState state : {RunState::queued, RunState::running, RunState::succeeded, RunState::failed, RunState::cancelled})
        EXPECT_EQ(run_state_from_string(to_string(state)), state);
    EXPECT_THROW(role_from_string("root"), InvalidArgument);
    EXPECT_THROW(run_state_from_string("paused"), InvalidArgument);
}

}  // namespace
}  // namespace holon::store
