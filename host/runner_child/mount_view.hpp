// The file system a runner sees: built inside its own mount namespace before the plugin loads.
#pragma once

#include <string>
#include <vector>

namespace holon::runner {

struct MountViewOptions {
    std::string scratch_dir;                 // the only writable folder, at its host path
    std::vector<std::string> readonly_paths; // the plugin's folder, an importer's source folder
    bool user_namespace = false;             // building inside a user namespace (non-root host)
};

// Replaces the root with a small read-only tmpfs holding only: /usr (and the /bin, /lib... links
// or folders), /etc/fonts, /etc/ld.so.cache, /etc/localtime, /var/cache/fontconfig (plugins
// render text with fontconfig), /dev/null, zero, random, urandom, a /proc of the runner's own pid
// namespace, the read-only paths, and the scratch folder read-write. The data folder, the other
// runners' scratch folders and everything else of the host are simply not there. Needs
// CAP_SYS_ADMIN in the mount namespace's user namespace. Throws std::runtime_error naming the step.
void build_mount_view(const MountViewOptions &options);

} // namespace holon::runner
