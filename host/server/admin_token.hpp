// The bootstrap admin token: from HOLON_ADMIN_TOKEN when set, otherwise generated at first start
// and written to DATA/admin-token (mode 0600). Either way it is a server-wide admin token.
#pragma once

#include "store/store.hpp"

#include <filesystem>
#include <string>

namespace holon::server {

struct AdminTokenSource {
    std::string origin;              // "HOLON_ADMIN_TOKEN" or the admin-token file path
    bool created = false;            // registered during this call
};

// `from_env` is HOLON_ADMIN_TOKEN's value ("" when unset). Idempotent across restarts; a token
// file whose secret is missing from the store (e.g. after a restore) is registered again.
AdminTokenSource ensure_admin_token(store::Store& store, const std::filesystem::path& data_dir,
                                    const std::string& from_env);

std::filesystem::path admin_token_path(const std::filesystem::path& data_dir);

}  // namespace holon::server
