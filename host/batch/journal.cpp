#include "batch/journal.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace holon::batch {

JournalContents read_journal(const std::filesystem::path &file) {
    JournalContents c;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return c;
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error(file.string() + ": cannot be read");
    c.exists = true;
    std::string line;
    size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty()) continue;
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) continue; // a line torn by a power loss: that point runs again
        if (j.contains("journal")) {
            if (j["journal"] != "holon-batch/1") throw std::runtime_error(file.string() + ": not a holon-batch/1 journal");
            c.job_hash = j.value("job_hash", "");
            c.sessions = std::max(c.sessions, j.value("session", 0));
        } else if (j.contains("step") && j.contains("point")) {
            c.points.push_back(std::move(j));
        }
    }
    if (number > 0 && c.job_hash.empty()) throw std::runtime_error(file.string() + ": not a holon-batch/1 journal");
    return c;
}

JournalWriter::JournalWriter(const std::filesystem::path &file, const nlohmann::json &session_line) : file_(file) {
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error(file.string() + ": cannot be opened (" + std::strerror(errno) + ")");
    // A torn last line must not swallow the session line: start on a fresh line.
    std::string prefix;
    if (::lseek(fd_, 0, SEEK_END) > 0) {
        char last = '\n';
        if (::pread(fd_, &last, 1, ::lseek(fd_, 0, SEEK_END) - 1) == 1 && last != '\n') prefix = "\n";
    }
    write_line(prefix + session_line.dump());
    ::fsync(fd_);
}

JournalWriter::~JournalWriter() {
    if (fd_ >= 0) {
        ::fsync(fd_);
        ::close(fd_);
    }
}

void JournalWriter::append(const nlohmann::json &line) {
    const std::string text = line.dump();
    std::lock_guard lock(mutex_);
    write_line(text);
}

void JournalWriter::append_all(const std::vector<nlohmann::json> &lines) {
    if (lines.empty()) return;
    std::string text;
    for (size_t i = 0; i < lines.size(); ++i) text += (i ? "\n" : "") + lines[i].dump();
    std::lock_guard lock(mutex_);
    write_line(text);
}

void JournalWriter::write_line(const std::string &text) {
    const std::string with_newline = text + "\n";
    const ssize_t n = ::write(fd_, with_newline.data(), with_newline.size());
    if (n != static_cast<ssize_t>(with_newline.size()))
        throw std::runtime_error(file_.string() + ": journal write failed (" + std::strerror(errno) + ")");
}

} // namespace holon::batch
