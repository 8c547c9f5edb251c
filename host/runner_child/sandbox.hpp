// The confinement a runner process puts itself into before it loads any plugin code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include <sys/types.h>

namespace holon::runner {

struct SandboxOptions {
    int socket_fd = -1;       // the only descriptor kept besides 0, 1, 2
    pid_t parent_pid = 0;     // the host; the runner exits at once when it is already gone
    uint64_t memory_bytes = 0;
    uint64_t file_bytes = 0;
    uint32_t open_files = 0;
    uint32_t processes = 0;   // RLIMIT_NPROC, applied only after dropping root (it does not bind root)
    uint64_t cpu_backstop_seconds = 0;
    std::string scratch_dir;  // created by the host and owned by the runner user; becomes the cwd
    // "namespaces": a root host cloned the runner into new mount, pid, network and IPC namespaces;
    // "userns": the same inside a new user namespace (uid 0 inside = the host's user outside);
    // "none": no namespaces (a private network namespace is still tried).
    std::string isolation = "none";
    long uid = -1;            // root host: the uid (and gid) to run as; -1: nobody
    std::vector<std::string> readonly_paths; // shown read-only in the mount view
};

struct SandboxReport {
    bool network_isolated = false; // own network namespace
    bool mount_view = false;       // build_mount_view ran (see mount_view.hpp)
    bool dropped_privileges = false;
    bool memory_limited = false;   // false in sanitizer builds, whose shadow memory needs terabytes of address space
};

// Applies, in this order: own process group, parent-death signal, close every other descriptor,
// stdin from /dev/null, resource limits (address space, core 0 + not dumpable, file size, open
// files, CPU backstop), the mount view (in namespaces) or else a private network namespace when
// permitted, dropping root to the given uid or nobody (with RLIMIT_NPROC) or, in a user namespace,
// every capability, chdir into the scratch dir, no_new_privs, and the seccomp filter (see
// install_seccomp_filter). Throws std::runtime_error naming the step that failed.
SandboxReport enter_sandbox(const SandboxOptions &options);

// Kills the process (SIGSYS) on socket, socketpair, connect, bind, listen, accept, accept4,
// execve, execveat, ptrace, fork, vfork and clone without CLONE_THREAD; makes clone3 fail with
// ENOSYS so that thread creation falls back to clone, whose flags the filter can inspect; makes
// io_uring_setup/enter/register fail with ENOSYS (io_uring's own socket and connect operations
// would bypass the socket rules); and refuses (EPERM) signals to any process but the runner itself
// (kill, tkill, pidfd_*; tgkill and rt_(tg)sigqueueinfo aimed elsewhere), namespace and mount
// changes (unshare, setns, mount, umount2, pivot_root and the new mount API), and bpf,
// perf_event_open, userfaultfd and the keyring calls.
void install_seccomp_filter();

} // namespace holon::runner
