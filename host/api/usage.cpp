#include "api/usage.hpp"

#include "api/problem.hpp"
#include "batch_runs/batch_runs.hpp"
#include "store/store.hpp"

#include <system_error>

namespace holon::api {

std::int64_t directory_bytes(const std::filesystem::path& dir) {
    std::int64_t total = 0;
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code size_error;
        if (it->is_regular_file(size_error)) {
            const auto size = it->file_size(size_error);
            if (!size_error) total += static_cast<std::int64_t>(size);
        }
    }
    return total;
}

std::int64_t workspace_usage(const ApiServices& services, const std::string& workspace_id) {
    std::int64_t total = services.store->stored_bytes(workspace_id);
    if (services.batch_root.empty()) return total;
    store::PageRequest page;
    page.limit = 1000;
    do {
        const auto runs = services.store->list_runs(workspace_id, page);
        for (const auto& run : runs.items)
            if (run.method == batch_runs::batch_method)
                total += directory_bytes(batch_runs::batch_dir(services.batch_root, run.id));
        page.after = runs.next;
    } while (!page.after.empty());
    return total;
}

void check_quota(const ApiServices& services, const std::string& workspace_id) {
    const auto quota = services.limits.workspace_bytes;
    if (quota <= 0) return;
    const auto used = workspace_usage(services, workspace_id);
    if (used < quota) return;
    throw ApiError(507, "/problems/quota-exceeded", "The workspace's storage quota is used up",
                   "the workspace holds " + std::to_string(used) + " bytes; its quota is " + std::to_string(quota) +
                       " bytes. Delete runs or batches (DELETE .../runs/RUN, .../batches/BATCH) or models");
}

}  // namespace holon::api
