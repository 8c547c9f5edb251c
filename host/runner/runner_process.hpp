// One runner child process as the host sees it: spawning, the socket, CPU accounting, killing and
// reaping. Internal to holon_runner.
#pragma once

#include "task_types.hpp"
#include "runner_uids.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace holon::runner {

// How a runner is kept apart from the host's data and from the other runners.
enum class Isolation {
    // Root host: each runner under its own claimed uid (see runner_uids.hpp), in new mount, pid,
    // network and IPC namespaces with a mount view of only what it needs.
    RootUids,
    // Non-root host: the same namespaces inside a new user namespace (the runner is the host's user,
    // mapped to uid 0 inside, without capabilities once its view is built).
    UserNamespace,
    // Neither is possible (a non-root host where user namespaces are disabled): only rlimits,
    // seccomp and, as root, the nobody user.
    None,
};

struct SpawnSpec {
    std::string runner_executable;
    PluginTarget plugin;
    Limits limits;
    uint64_t cpu_backstop_seconds = 0;
    std::string scratch_dir; // the runner's own folder; created here, removed with the process
    Isolation isolation = Isolation::None;
    UidRange uids;           // where a RootUids runner's uid comes from
    // Folders the runner sees read-only besides the system's (the plugin's folder, an importer's
    // source folder); everything else of the host's file system is absent from its view.
    std::vector<std::string> readonly_paths;
};

// How a runner process ended.
struct ExitStatus {
    bool signaled = false;
    int signal = 0;    // when signaled
    int exit_code = 0; // when not signaled
};

class RunnerProcess {
public:
    // Forks and execs the runner with one end of a CLOEXEC socketpair as fd 3. Must be called from
    // a thread that outlives the runner: the runner's parent-death signal fires when the thread
    // that forked it exits. Throws std::runtime_error.
    static std::unique_ptr<RunnerProcess> spawn(const SpawnSpec &spec);

    ~RunnerProcess(); // kills, reaps, closes the socket, removes the scratch dir
    RunnerProcess(const RunnerProcess &) = delete;
    RunnerProcess &operator=(const RunnerProcess &) = delete;

    pid_t pid() const { return pid_; }
    int fd() const { return fd_; }
    // The read end of the pipe that is the runner's stdout and stderr (non-blocking): what a plugin
    // prints is relayed by the pool as a field of the host's log, never written raw.
    int output_fd() const { return output_fd_; }
    // How this runner was actually isolated (None when namespaces turned out to be unavailable).
    Isolation isolation() const { return isolation_; }

    // CPU time (user + system, all threads, dead ones included) the process has used so far, or
    // nullopt once it is gone.
    std::optional<double> cpu_seconds() const;

    // SIGKILL to the runner's process group and to the runner itself (it may not have made its
    // group yet).
    void kill();

    // Reaps the process, killing it first if it has not exited within `grace`.
    ExitStatus wait_exit(std::chrono::milliseconds grace);

    // True when the process has already exited (and is now reaped).
    bool has_exited();

    // The runner's own folder, the working folder of every job it runs.
    const std::string &scratch_dir() const { return scratch_dir_; }

    // Removes whatever the last job left in the scratch dir, so that the next job (perhaps for
    // another workspace) starts in an empty folder. One readdir when the job left nothing, which
    // is why jobs share the folder instead of each getting a new one: creating and removing a
    // folder per job cost more than a small simulation. False when something could not be
    // removed: the runner must then not be reused.
    bool empty_scratch_dir();

private:
    RunnerProcess(pid_t pid, int fd, int output_fd, std::string scratch_dir);
    pid_t pid_;
    int fd_;
    int output_fd_;
    Isolation isolation_ = Isolation::None;
    std::unique_ptr<RunnerUid> uid_; // released after the runner is reaped
    int stat_fd_ = -1; // /proc/<pid>/stat, kept open: re-read with pread for every CPU reading
    std::string scratch_dir_;
    bool reaped_ = false;
    ExitStatus exit_{};
};

// Creates a directory (and its parents) with `mode` on the last component, owned by `owner` (uid
// and gid of the same number) unless owner is -1. Throws when an existing folder belongs to someone
// else than the owner asked for (or this process' user), so that no other user can prepare it.
void make_runner_dir(const std::string &path, unsigned mode, long owner = -1);

// "SIGSEGV" for SIGSEGV, "signal 77" when the number has no name.
std::string signal_name(int signal);

// Runs tasks on one thread that lives as long as this object. Runners are forked here so that
// their parent-death signal is tied to the pool, not to whichever thread asked for a runner.
class SpawnThread {
public:
    SpawnThread();
    ~SpawnThread();
    SpawnThread(const SpawnThread &) = delete;
    SpawnThread &operator=(const SpawnThread &) = delete;
    // Runs `task` on the spawn thread and waits for it; exceptions propagate to the caller.
    void run(const std::function<void()> &task);
    // Queues `task` for the spawn thread and returns at once; `task` must not throw. Tasks still
    // queued when the object is destroyed run before the destructor returns.
    void post(std::function<void()> task);

private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace holon::runner
