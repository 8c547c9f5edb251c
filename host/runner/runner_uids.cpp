#include "runner_uids.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace holon::runner {
namespace {

// /run is root's and is emptied at boot; /tmp serves where /run is read-only.
constexpr const char *kLockDirs[] = {"/run/holon-runner-uids", "/tmp/holon-runner-uids"};

// Uids held by this process: checked first, so that a scan does not flock a file this process
// already holds (a second flock through another descriptor of the same process would block).
std::mutex g_mutex;
std::set<uid_t> g_held;

uint64_t parse_number(const std::string &text) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 10)
        throw std::invalid_argument("HOLON_RUNNER_UIDS must be first-last, e.g. 1900000000-1900099999");
    return std::stoull(text);
}

// A lock folder that only this (root) process' user can have made: created 0700 here, or an
// existing real folder (not a link) of the same owner with no access for others.
std::string lock_dir() {
    std::string problems;
    for (const char *dir : kLockDirs) {
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            problems += std::string(problems.empty() ? "" : "; ") + dir + ": " + std::strerror(errno);
            continue;
        }
        struct stat st{};
        if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() && (st.st_mode & 077) == 0) return dir;
        problems += std::string(problems.empty() ? "" : "; ") + dir + ": not a private folder of uid " +
                    std::to_string(geteuid());
    }
    throw std::runtime_error("no folder for the runner uid locks (" + problems + ")");
}

} // namespace

UidRange uid_range_from_environment() {
    UidRange range;
    const char *env = std::getenv("HOLON_RUNNER_UIDS");
    if (!env || !*env) return range;
    const std::string text = env;
    const auto dash = text.find('-');
    if (dash == std::string::npos) parse_number(""); // throws with the expected form
    const uint64_t first = parse_number(text.substr(0, dash)), last = parse_number(text.substr(dash + 1));
    if (first == 0 || last < first || last >= 0xFFFFFFFFull)
        throw std::invalid_argument("HOLON_RUNNER_UIDS: the range must be within 1-4294967294 and first <= last");
    range.first = static_cast<uid_t>(first);
    range.count = static_cast<uint32_t>(last - first + 1);
    return range;
}

std::unique_ptr<RunnerUid> RunnerUid::claim(const UidRange &range) {
    static const std::string dir = lock_dir(); // throws again next time when it failed
    std::lock_guard lock(g_mutex);
    // Lowest free uid first, so that the lock files stay as few as the most runners ever alive.
    for (uint32_t i = 0; i < range.count; ++i) {
        const uid_t uid = range.first + i;
        if (g_held.count(uid)) continue;
        const std::string path = dir + "/" + std::to_string(uid);
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            g_held.insert(uid);
            return std::unique_ptr<RunnerUid>(new RunnerUid(uid, fd));
        }
        ::close(fd); // held by another host process
    }
    throw std::runtime_error("all " + std::to_string(range.count) + " runner uids from " + std::to_string(range.first) +
                             " are in use");
}

RunnerUid::~RunnerUid() {
    std::lock_guard lock(g_mutex);
    ::close(lock_fd_); // releases the flock
    g_held.erase(uid_);
}

} // namespace holon::runner
