// The uids runners run under when the host is root: one uid per live runner, so that no runner can
// signal another, read its scratch folder or share its RLIMIT_NPROC count. Internal to holon_runner.
#pragma once

#include <cstdint>
#include <memory>
#include <sys/types.h>

namespace holon::runner {

// A range of uids that belong to no user of the machine. The default sits above the ranges systemd
// gives to users, dynamic users and containers (0x70000000 and up); a host with other plans for it
// sets HOLON_RUNNER_UIDS=first-last or PoolOptions::runner_uids.
struct UidRange {
    uid_t first = 1900000000;
    uint32_t count = 100000;
};

// The range in $HOLON_RUNNER_UIDS ("first-last"), else the default. Throws std::invalid_argument for
// a malformed value, so that a mistyped range is not silently replaced.
UidRange uid_range_from_environment();

// One claimed uid (and the gid of the same number). The claim is held by an flock on
// /run/holon-runner-uids/<uid> (/tmp/holon-runner-uids/<uid> where /run is read-only), so that
// two root hosts on one machine never hand out the same uid, and is released when this object is
// destroyed, which must happen only after the runner was reaped (its pid namespace then holds no
// process either).
class RunnerUid {
public:
    // Throws std::runtime_error when the range is exhausted or the lock folder is unusable.
    static std::unique_ptr<RunnerUid> claim(const UidRange &range);
    ~RunnerUid();
    RunnerUid(const RunnerUid &) = delete;
    RunnerUid &operator=(const RunnerUid &) = delete;
    uid_t uid() const { return uid_; }

private:
    RunnerUid(uid_t uid, int lock_fd) : uid_(uid), lock_fd_(lock_fd) {}
    uid_t uid_;
    int lock_fd_;
};

} // namespace holon::runner
