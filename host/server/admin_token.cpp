#include "server/admin_token.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace holon::server {

namespace {

bool register_secret(store::Store& store, const std::string& secret) {
    if (store.authenticate(secret)) return false;
    try {
        store.register_token("", store::Role::admin, std::nullopt, secret);
        return true;
    } catch (const store::Conflict&) {
        return false;  // stored but revoked or expired: the operator revoked it on purpose
    }
}

void write_private_file(const std::filesystem::path& path, const std::string& text) {
    const auto tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + tmp);
    ::fchmod(fd, 0600);
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

std::filesystem::path admin_token_path(const std::filesystem::path& data_dir) { return data_dir / "admin-token"; }

AdminTokenSource ensure_admin_token(store::Store& store, const std::filesystem::path& data_dir,
                                    const std::string& from_env) {
    if (!from_env.empty()) return {"HOLON_ADMIN_TOKEN", register_secret(store, from_env)};
    const auto path = admin_token_path(data_dir);
    if (std::filesystem::exists(path)) {
        std::ifstream in(path);
        std::string secret;
        std::getline(in, secret);
        if (secret.empty()) throw std::runtime_error(path.string() + " is empty; delete it to get a new admin token");
        return {path.string(), register_secret(store, secret)};
    }
    const auto token = store.create_token("", store::Role::admin, std::nullopt);
    write_private_file(path, token.secret + "\n");
    return {path.string(), true};
}

}  // namespace holon::server
