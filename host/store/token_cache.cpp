#include "store/token_cache.hpp"

namespace holon::store {

std::uint64_t TokenCache::generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

std::optional<Principal> TokenCache::find(const std::string& secret_hash, Millis now) {
    if (ttl_ms_ <= 0) return std::nullopt;
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(secret_hash);
    if (it == entries_.end()) return std::nullopt;
    const Entry& e = it->second;
    if (now >= e.cached_until || (e.token_expires_at && *e.token_expires_at <= now)) {
        entries_.erase(it);
        return std::nullopt;
    }
    return e.principal;
}

void TokenCache::put(const std::string& secret_hash, const Principal& principal, std::optional<Millis> token_expires_at,
                     Millis now, std::uint64_t generation) {
    if (ttl_ms_ <= 0) return;
    std::lock_guard lock(mutex_);
    if (generation != generation_) return;  // a revocation or deletion happened meanwhile
    // Only valid secrets are stored, so the map only outgrows its bound with that many live
    // tokens in use; starting again empty is then cheaper than tracking recency.
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_[secret_hash] = Entry{principal, token_expires_at, now + ttl_ms_};
}

void TokenCache::forget_token(const std::string& token_id) {
    std::lock_guard lock(mutex_);
    ++generation_;
    std::erase_if(entries_, [&](const auto& kv) { return kv.second.principal.token_id == token_id; });
}

void TokenCache::forget_workspace(const std::string& workspace_id) {
    std::lock_guard lock(mutex_);
    ++generation_;
    std::erase_if(entries_, [&](const auto& kv) { return kv.second.principal.workspace_id == workspace_id; });
}

}  // namespace holon::store
