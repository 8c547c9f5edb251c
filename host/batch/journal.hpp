// The batch journal, <out>/journal.jsonl: what makes an interrupted batch resumable.
//
// One JSON object per line. A session line {"journal": "holon-batch/1", "job_hash": ..., "session": n}
// starts every invocation; a point line {"step", "point", "status", ...} is appended, in a single
// write(2) on an O_APPEND descriptor, after the point's files are in place. A process killed at any
// moment leaves whole lines (at worst a torn last line after a power loss, which is ignored and
// only means that point runs again). Lines are not fsync'ed one by one: that would serialise the
// workers on the disk for a guarantee only a power loss needs.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace holon::batch {

struct JournalContents {
    bool exists = false;
    std::string job_hash;  // of the latest session
    int sessions = 0;
    std::vector<nlohmann::json> points; // point lines in order (later lines win)
};

// Reads a journal; a missing file gives exists = false. Throws std::runtime_error when the file
// exists but is not a journal.
JournalContents read_journal(const std::filesystem::path &file);

class JournalWriter {
public:
    // Opens (creating) the journal for appending and writes a session line.
    JournalWriter(const std::filesystem::path &file, const nlohmann::json &session_line);
    ~JournalWriter();
    JournalWriter(const JournalWriter &) = delete;
    JournalWriter &operator=(const JournalWriter &) = delete;

    // Appends one line; thread-safe. Throws std::runtime_error when the write fails.
    void append(const nlohmann::json &line);
    // Appends several lines in one write (a chunk of points).
    void append_all(const std::vector<nlohmann::json> &lines);

private:
    void write_line(const std::string &text);
    std::filesystem::path file_;
    int fd_ = -1;
    std::mutex mutex_;
};

} // namespace holon::batch
