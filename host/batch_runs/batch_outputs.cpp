#include "batch_runs/batch_outputs.hpp"

#include "batch/journal.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace holon::batch_runs {

PointCounts count_points(const std::filesystem::path& dir) {
    PointCounts counts;
    batch::JournalContents journal;
    try {
        journal = batch::read_journal(dir / "journal.jsonl");
    } catch (const std::runtime_error&) {
        return counts;
    }
    // Later lines win (a resumed session may retry a point).
    std::map<std::pair<std::string, std::size_t>, bool> points;
    for (const auto& line : journal.points) {
        if (!line.contains("point") || !line["point"].is_number_unsigned()) continue;
        points[{line.value("step", ""), line["point"].get<std::size_t>()}] = line.value("status", "") == "ok";
    }
    for (const auto& [key, ok] : points) {
        ++counts.done;
        ++(ok ? counts.succeeded : counts.failed);
    }
    return counts;
}

std::string media_type_of(const std::string& path) {
    static const std::pair<const char*, const char*> types[] = {
        {".csv", "text/csv; charset=utf-8"},       {".json", "application/json"},
        {".jsonl", "application/x-ndjson"},        {".html", "text/html; charset=utf-8"},
        {".svg", "image/svg+xml"},                 {".png", "image/png"},
        {".gp", "text/plain; charset=utf-8"},      {".dat", "text/plain; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const std::string ext = std::filesystem::path(path).extension().string();
    for (const auto& [e, type] : types)
        if (ext == e) return type;
    return "application/octet-stream";
}

namespace {

// Temporary files of atomic writes start with '.' (batch/files.cpp).
bool hidden(const std::filesystem::path& relative) {
    for (const auto& part : relative)
        if (!part.empty() && part.string().front() == '.') return true;
    return false;
}

}  // namespace

std::vector<OutputFile> list_outputs(const std::filesystem::path& dir) {
    std::vector<OutputFile> files;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return files;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != std::filesystem::recursive_directory_iterator();
         it.increment(ec)) {
        std::error_code type_ec;
        if (!it->is_regular_file(type_ec) || it->is_symlink(type_ec)) continue;
        const auto relative = it->path().lexically_relative(dir);
        if (hidden(relative)) continue;
        std::error_code size_ec;
        const auto bytes = it->file_size(size_ec);
        if (size_ec) continue;  // removed meanwhile
        files.push_back({relative.generic_string(), bytes, media_type_of(relative.string())});
    }
    std::sort(files.begin(), files.end(), [](const OutputFile& a, const OutputFile& b) { return a.path < b.path; });
    return files;
}

std::optional<std::filesystem::path> resolve_output(const std::filesystem::path& dir, const std::string& relative) {
    if (relative.empty() || relative.front() == '/' || relative.find('\0') != std::string::npos) return std::nullopt;
    const std::filesystem::path rel(relative);
    for (const auto& part : rel) {
        const std::string s = part.string();
        if (s.empty() || s == "." || s == ".." || s.front() == '.') return std::nullopt;
    }
    std::error_code ec;
    const auto base = std::filesystem::canonical(dir, ec);
    if (ec) return std::nullopt;
    const auto file = std::filesystem::canonical(base / rel, ec);
    if (ec) return std::nullopt;
    // canonical() resolved every link: the file must still be inside the folder.
    const auto inside = file.lexically_relative(base);
    if (inside.empty() || inside.begin()->string() == "..") return std::nullopt;
    if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
    return file;
}

void remove_batch_dirs(const std::filesystem::path& root, const std::vector<std::string>& run_ids) {
    for (const auto& id : run_ids) {
        std::error_code ignored;
        std::filesystem::remove_all(root / id, ignored);
    }
}

}  // namespace holon::batch_runs
