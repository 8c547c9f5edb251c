#include "runner_child/mount_view.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace holon::runner {
namespace {

// The new root is mounted over /tmp of the runner's private namespace (any existing folder would
// do); the paths to show are opened first, so that they stay reachable under it.
constexpr const char *kNewRoot = "/tmp";

[[noreturn]] void fail(const std::string &step) {
    throw std::runtime_error("mount view: " + step + ": " + std::strerror(errno));
}

// mkdir -p of `path` (absolute) under the new root; the last component as a file when asked.
void make_mount_point(const std::string &path, bool file) {
    std::string at = kNewRoot;
    size_t start = 1;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        if (end > start) {
            at += "/" + path.substr(start, end - start);
            const bool last = end == path.size();
            struct stat st{};
            if (::lstat(at.c_str(), &st) == 0) {
                // Already there, perhaps inside a read-only bind of an ancestor: mounted over.
            } else if (last && file) {
                const int fd = ::open(at.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
                if (fd < 0 && errno != EEXIST) fail("create " + at);
                if (fd >= 0) ::close(fd);
            } else if (::mkdir(at.c_str(), 0755) != 0 && errno != EEXIST) {
                fail("mkdir " + at);
            }
        }
        start = end + 1;
    }
}

// The flags a read-only remount must keep: inside a user namespace the source mount's nosuid,
// nodev and noexec are locked, and a remount that drops them is refused.
unsigned long locked_flags(const std::string &source) {
    struct statvfs st{};
    if (::statvfs(source.c_str(), &st) != 0) return MS_NOSUID | MS_NODEV;
    unsigned long flags = MS_NOSUID;
    if (st.f_flag & ST_NODEV) flags |= MS_NODEV;
    if (st.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
    if (st.f_flag & ST_NOATIME) flags |= MS_NOATIME;
    if (st.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
    if (st.f_flag & ST_RELATIME) flags |= MS_RELATIME;
    return flags;
}

// Binds `source` (a path, or /proc/self/fd/N of a path opened before the new root hid it) at
// `target` inside the new root.
void bind(const std::string &source, const std::string &target, bool writable) {
    struct stat st{};
    if (::stat(source.c_str(), &st) != 0) fail("stat " + source);
    make_mount_point(target, !S_ISDIR(st.st_mode));
    const std::string at = kNewRoot + target;
    // Not recursive: a recursive bind of an ancestor of the new root (an importer's source folder
    // /tmp) would bring the new root itself along. Inside a user namespace a folder with mounts of
    // the host below it can only be bound whole (EINVAL otherwise).
    if (::mount(source.c_str(), at.c_str(), nullptr, MS_BIND, nullptr) != 0 &&
        (errno != EINVAL || ::mount(source.c_str(), at.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0))
        fail("bind " + target);
    const unsigned long flags = MS_REMOUNT | MS_BIND | locked_flags(at) | (writable ? 0 : MS_RDONLY);
    if (::mount(nullptr, at.c_str(), nullptr, flags, nullptr) != 0) fail("remount " + target);
}

void bind_if_present(const std::string &path) {
    if (::access(path.c_str(), F_OK) == 0) bind(path, path, false);
}

// /bin, /lib... are links into /usr on current systems and folders on older ones.
void system_folder(const std::string &path) {
    struct stat st{};
    if (::lstat(path.c_str(), &st) != 0) return;
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        const ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
        if (n <= 0) fail("readlink " + path);
        target[n] = '\0';
        if (::symlink(target, (kNewRoot + path).c_str()) != 0 && errno != EEXIST) fail("symlink " + path);
    } else if (S_ISDIR(st.st_mode)) {
        bind(path, path, false);
    }
}

struct HeldPath {
    std::string path;
    int fd;
};

HeldPath hold(const std::string &path) {
    const int fd = ::open(path.c_str(), O_PATH | O_CLOEXEC);
    if (fd < 0) fail("open " + path);
    return {path, fd};
}

std::string fd_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

// Everything under the new root, before the roots are swapped.
void fill_new_root(const MountViewOptions &options, const HeldPath &scratch, std::vector<HeldPath> &readonly);

} // namespace

void build_mount_view(const MountViewOptions &options) {
    if (options.scratch_dir.empty() || options.scratch_dir.front() != '/')
        throw std::runtime_error("mount view: the scratch folder must be an absolute path");
    // The folders made here must be traversable by the runner's uid whatever the host's umask
    // (a server runs with 077).
    ::umask(022);
    // Nothing done here may propagate back to the host's mounts.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) fail("make / private");
    const HeldPath scratch = hold(options.scratch_dir);
    std::vector<HeldPath> readonly;
    for (const auto &path : options.readonly_paths)
        if (!path.empty() && path.front() == '/' && ::access(path.c_str(), F_OK) == 0) readonly.push_back(hold(path));

    if (::mount("holon-runner", kNewRoot, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m") != 0)
        fail("tmpfs root");
    try {
        fill_new_root(options, scratch, readonly);
    } catch (...) {
        // Back to the host's view (the caller may run on without one), with the folders closed.
        ::umount2(kNewRoot, MNT_DETACH);
        for (const auto &held : readonly) ::close(held.fd);
        ::close(scratch.fd);
        throw;
    }
    for (const auto &held : readonly) ::close(held.fd);
    ::close(scratch.fd);
    // Swap roots: the old root is stacked under the new one and then detached.
    if (::chdir(kNewRoot) != 0) fail("chdir to the new root");
    if (::syscall(SYS_pivot_root, ".", ".") != 0) {
        const int error = errno;
        [[maybe_unused]] const int back = ::chdir("/");
        ::umount2(kNewRoot, MNT_DETACH);
        errno = error;
        fail("pivot_root");
    }
    if (::umount2(".", MNT_DETACH) != 0) fail("detach the old root");
    if (::chdir("/") != 0) fail("chdir /");
    // Best effort: the root is a 1 MB tmpfs of the runner's own.
    ::mount(nullptr, "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr);
    ::umask(077);
}

namespace {

void fill_new_root(const MountViewOptions &options, const HeldPath &scratch, std::vector<HeldPath> &readonly) {
    for (const char *path : {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) system_folder(path);
    for (const char *path : {"/etc/fonts", "/etc/ld.so.cache", "/etc/localtime", "/var/cache/fontconfig"})
        bind_if_present(path);
    for (const char *device : {"/dev/null", "/dev/zero", "/dev/random", "/dev/urandom"}) bind_if_present(device);
    // Ancestors before descendants, so that a folder inside another shown folder is mounted over it.
    std::sort(readonly.begin(), readonly.end(),
              [](const HeldPath &a, const HeldPath &b) { return a.path.size() < b.path.size(); });
    for (const auto &held : readonly) bind(fd_path(held.fd), held.path, false);
    // The scratch folder's parent is an empty tmpfs: even when a shown folder contains the scratch
    // root (an importer's source folder in /tmp), no other runner's folder is visible.
    const std::string scratch_root = scratch.path.substr(0, scratch.path.rfind('/'));
    if (!scratch_root.empty()) {
        make_mount_point(scratch_root, false);
        if (::mount("holon-scratch", (kNewRoot + scratch_root).c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k") != 0)
            fail("tmpfs over " + scratch_root);
    }
    bind(fd_path(scratch.fd), scratch.path, true);
    if (!scratch_root.empty() && ::mount(nullptr, (kNewRoot + scratch_root).c_str(), nullptr,
                                         MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr) != 0)
        fail("make " + scratch_root + " read-only");

    // A proc of the runner's own pid namespace: it lists the runner alone. Where a new proc may
    // not be mounted (a user namespace in a container whose /proc is partly masked), none at all.
    make_mount_point("/proc", false);
    if (::mount("proc", (std::string(kNewRoot) + "/proc").c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0 &&
        !options.user_namespace)
        fail("mount /proc");
}

} // namespace

} // namespace holon::runner
