// References from a step's params to earlier steps' outputs.
//
// A string in params may contain ${steps.NAME.result} (the step's whole result document),
// ${steps.NAME.result.KEY.KEY...} (a member of it; array elements by index), or
// ${steps.NAME.stats.VARIABLE.STAT} (STAT one of final, min, max, mean, peak_time of the
// variable in the step's output table). A string that is exactly one reference becomes the
// referenced JSON value (a number stays a number); references inside longer strings are replaced
// by their text. NAME must be an earlier step without a sweep.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace holon::batch {

struct Reference {
    std::string location; // JSON pointer of the string within the params
    std::string text;     // as written, without ${ }
    std::string step;
    bool stats = false;   // false: result path
    std::vector<std::string> path; // result: keys; stats: {variable, stat}
};

// Every reference in `params`; throws DocumentError (at `pointer_prefix` + location) when one is
// malformed.
std::vector<Reference> find_references(const nlohmann::json &params, const std::string &pointer_prefix);

// `params` with every reference replaced by lookup(reference). lookup throws std::runtime_error
// when the value does not exist.
nlohmann::json resolve_references(const nlohmann::json &params,
                                  const std::function<nlohmann::json(const Reference &)> &lookup);

// Follows `path` (object keys, array indexes) into `doc`; throws std::runtime_error naming the
// missing part.
const nlohmann::json &follow_path(const nlohmann::json &doc, const std::vector<std::string> &path);

} // namespace holon::batch
