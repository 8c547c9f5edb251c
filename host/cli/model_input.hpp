// Turning a file named on the command line into a holon-model/1 document: native JSON is parsed
// and validated; any other format goes through the importer a plugin declares for it.
#pragma once

#include "execution/executor.hpp"

#include <filesystem>
#include <string>

namespace holon::cli {

struct LoadedModel {
    std::string json;        // holon-model/1 text, validated
    std::string format;      // "holon" or the importer's format name
    std::string importer;    // the importer method id, "" for native JSON
};

// The format name of a file: "holon" for .json, else its lower-cased extension ("xmile", "mdl").
std::string format_of(const std::filesystem::path &file);

// Reads a whole file with a size cap; throws CliError (exit 2) naming the file on failure.
std::string read_input_file(const std::filesystem::path &file, uint64_t max_bytes = 256ull << 20);

// Loads and validates a model file, importing it when it is not native JSON. Throws CliError with
// a one-line message naming the file and, where known, the line/column or JSON path.
// `import_params_json` goes to the importer (e.g. {"data_files": ["data.tab"]} for Vensim).
LoadedModel load_model_file(const std::filesystem::path &file, const execution::Executor &executor,
                            const std::string &import_params_json = "{}");

} // namespace holon::cli
