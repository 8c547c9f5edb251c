// Authenticated tokens remembered for a short time, so that a request does not cost a database
// read to authenticate. Keyed by the SHA-256 of the secret (the secret itself is never kept).
// This process invalidates entries at once when it revokes a token or deletes a workspace; a
// revocation made by another host sharing the database takes effect here within the TTL.
#pragma once

#include "store/store.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace holon::store {

class TokenCache {
public:
    explicit TokenCache(Millis ttl_ms, std::size_t max_entries = 10000) : ttl_ms_(ttl_ms), max_entries_(max_entries) {}

    // A generation to pass to put(): entries computed before an invalidation are not stored.
    std::uint64_t generation() const;
    // The principal of a cached, unexpired token; nothing when absent, stale or expired.
    std::optional<Principal> find(const std::string& secret_hash, Millis now);
    void put(const std::string& secret_hash, const Principal& principal, std::optional<Millis> token_expires_at,
             Millis now, std::uint64_t generation);
    void forget_token(const std::string& token_id);
    void forget_workspace(const std::string& workspace_id);

private:
    struct Entry {
        Principal principal;
        std::optional<Millis> token_expires_at;
        Millis cached_until = 0;
    };
    const Millis ttl_ms_;
    const std::size_t max_entries_;
    mutable std::mutex mutex_;
    std::uint64_t generation_ = 0;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace holon::store
