// Reading a batch's output folder for the REST API: point counts from its journal, the list of
// its files, and one file by relative path (never outside the folder).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace holon::batch_runs {

struct PointCounts {
    std::size_t done = 0;  // recorded points (succeeded + failed)
    std::size_t succeeded = 0;
    std::size_t failed = 0;
};

// Counts the points the batch journal in `dir` records; zeros when there is no journal yet.
PointCounts count_points(const std::filesystem::path& dir);

struct OutputFile {
    std::string path;  // relative, '/'-separated: "steps/sweep/summary.csv"
    std::uintmax_t bytes = 0;
    std::string media_type;
};

// Every regular file under `dir`, sorted by path (temporary files of writes in progress left out).
std::vector<OutputFile> list_outputs(const std::filesystem::path& dir);

// The media type served for a file name (by extension).
std::string media_type_of(const std::string& path);

// A file of the folder by its relative path; nothing when the path is not a plain relative path
// (empty, absolute, with "." or ".." segments, a hidden name), leaves the folder through a
// symbolic link, or names no regular file.
std::optional<std::filesystem::path> resolve_output(const std::filesystem::path& dir, const std::string& relative);

// Removes the output folders of a workspace's batches: the ids of its holon.batch runs, listed
// before the workspace is deleted. Errors are ignored (a folder may never have been created).
void remove_batch_dirs(const std::filesystem::path& root, const std::vector<std::string>& run_ids);

}  // namespace holon::batch_runs
