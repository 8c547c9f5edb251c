// Per-workspace storage against the configured quota (ApiLimits::workspace_bytes): model
// revisions and run outputs in the database plus the batch output folders on disk.
#pragma once

#include "api/api.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace holon::api {

// Bytes of the regular files under `dir` (0 when it does not exist). Walks iteratively.
std::int64_t directory_bytes(const std::filesystem::path& dir);

// Everything the workspace holds, in bytes.
std::int64_t workspace_usage(const ApiServices& services, const std::string& workspace_id);

// Throws 507 /problems/quota-exceeded when a quota is set and the workspace has reached it.
void check_quota(const ApiServices& services, const std::string& workspace_id);

}  // namespace holon::api
