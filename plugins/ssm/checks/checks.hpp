// ssm.check: the checks on root definitions, CATWOE, PQR, purposeful activity models, the
// comparison and the joins to the rest of the shared model. Every check has a stable code, a
// fixed severity and the source it rests on (catalogue()); docs/methods/ssm.md lists them.
#pragma once

#include "model/inquiry.hpp"

#include <string>
#include <utility>
#include <vector>

namespace holon_ssm::checks {

enum class Severity { error, warning, info };
const char *severity_name(Severity s);

struct CheckInfo {
    const char *code;
    Severity severity;
    const char *title;
    const char *source;
};

// Every check, in the order findings are reported.
const std::vector<CheckInfo> &catalogue();
const CheckInfo &info(const std::string &code);

// What a finding is about: an RD element ("element", id "T"), an activity, actor, party, variable,
// measure, indicator, boundary record or change, with its display name.
struct Entity {
    std::string type, id, name;
};

struct Finding {
    std::string code;
    Severity severity;
    std::string model, model_name;
    std::vector<Entity> entities;
    std::string message;
};

// Which checks ran on one activity model.
struct Assessment {
    std::string model, name;
    std::vector<std::string> passed, failed;
    std::vector<std::pair<std::string, std::string>> not_assessed; // code, why
};

// The joins as found (for the report and the result), whatever the findings.
struct Joins {
    std::string model;
    std::vector<std::string> t_path;            // variables from T's input to its output, when there is one
    std::vector<std::string> worldview_answers; // CSH category-12 records of the worldview's perspective
};

struct Options {
    double owner_min_power = 0.5; // an owner rated below this cannot stop the system
    int min_operational = 5;      // 7 +/- 2
    int max_operational = 9;
};

struct Report {
    std::vector<Finding> findings;
    std::vector<Assessment> assessed;
    std::vector<Joins> joins;
};

// Checks the listed models (all when `only` is empty), in document order.
Report check(const model::Inquiry &inquiry, const Options &options, const std::vector<std::string> &only = {});

// Content words of a phrase, lower case, without articles and prepositions (for P <-> T).
std::vector<std::string> content_words(const std::string &text);

} // namespace holon_ssm::checks
