// A batch job document (holon-batch/1, schemas/batch-job.schema.json), read from YAML or JSON,
// checked against the schema and for cross-references, with every sweep's points generated.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace holon::batch {

struct BatchSpec; // job_spec.hpp: the parsed form the runner uses

// The job cannot run as written: a parse error, a schema violation, a bad cross-reference, an
// unknown method or an unloadable input. what() is one line, "PATH: message", where PATH is a
// JSON pointer into the document (or a file name for files).
class DocumentError : public std::runtime_error {
public:
    DocumentError(std::string path, const std::string &message)
        : std::runtime_error(path.empty() ? message : path + ": " + message), path_(std::move(path)) {}
    const std::string &path() const { return path_; }

private:
    std::string path_;
};

// A model the job runs on: a file (absolute, resolved against the job file's folder) or a stored
// model id. Exactly one of file / model_id is set.
struct InputRef {
    std::string name;
    std::filesystem::path file;
    std::string model_id;
};

class BatchDocument {
public:
    // Parses YAML (which includes JSON) text. Relative input files resolve against base_dir.
    // `source_name` names the document in messages. Throws DocumentError.
    static BatchDocument parse(std::string_view text, const std::string &source_name, const std::filesystem::path &base_dir);
    // Reads and parses a job file; its folder is the base for relative input files.
    static BatchDocument load(const std::filesystem::path &file);

    const std::string &name() const;
    // sha256 hex of the document's canonical JSON (sorted keys, no whitespace).
    const std::string &hash() const;
    const std::vector<InputRef> &inputs() const;
    size_t step_count() const;
    const std::string &step_name(size_t step) const;
    size_t point_count(size_t step) const;
    size_t total_points() const;

    const BatchSpec &spec() const { return *spec_; }

private:
    explicit BatchDocument(std::shared_ptr<const BatchSpec> spec) : spec_(std::move(spec)) {}
    std::shared_ptr<const BatchSpec> spec_;
};

// The JSON Schema text of holon-batch/1 (embedded at build time).
const std::string &job_schema_text();

} // namespace holon::batch
