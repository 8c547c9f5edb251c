// Zip archives of results, written straight into a response stream (entries carry data
// descriptors, so nothing needs to seek back): a run's or a batch's outputs in one download.
#pragma once

#include "store/store.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace holon::api {

// One file of an archive: its bytes in memory, or a file on disk read while the archive streams.
struct ArchiveEntry {
    std::string path;  // inside the archive, '/'-separated
    std::string media_type;
    std::string data;
    std::filesystem::path file;  // when set, the entry's bytes come from this file instead of data
    std::uintmax_t bytes = 0;
};

// A name made safe as one path segment inside an archive ('/', '\\' and ':' become '_', a
// leading '.' too, so that nothing unpacks outside the folder or hidden).
std::string archive_segment(const std::string& name);

// Writes `entries` as a zip to `out`, every entry dated `modified` (so the same outputs give the
// same archive). Returns false when the stream went bad (the client left).
bool write_zip(std::ostream& out, const std::vector<ArchiveEntry>& entries, store::Millis modified);

}  // namespace holon::api
