// The confinement a runner process puts itself into before it loads any plugin code.
#pragma once

#include <cstdint>
#include <string>
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
};

struct SandboxReport {
    bool network_isolated = false; // unshare(CLONE_NEWNET) succeeded
    bool dropped_privileges = false;
    bool memory_limited = false;   // false in sanitizer builds, whose shadow memory needs terabytes of address space
};

// Applies, in this order: own process group, parent-death signal, close every other descriptor,
// stdin from /dev/null, resource limits (address space, core 0 + not dumpable, file size, open
// files, CPU backstop), a private network namespace when permitted, dropping root to nobody (with
// RLIMIT_NPROC), chdir into the scratch dir, no_new_privs, and the seccomp filter (see
// install_seccomp_filter). Throws std::runtime_error naming the step that failed.
SandboxReport enter_sandbox(const SandboxOptions &options);

// Kills the process (SIGSYS) on socket, socketpair, connect, bind, listen, accept, accept4,
// execve, execveat, ptrace, fork, vfork and clone without CLONE_THREAD; makes clone3 fail with
// ENOSYS so that thread creation falls back to clone, whose flags the filter can inspect.
void install_seccomp_filter();

} // namespace holon::runner
