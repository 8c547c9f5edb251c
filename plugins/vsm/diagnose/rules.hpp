// The diagnosis of an organisation against Pérez Ríos's taxonomy of organisational pathologies
// (structural I1-I4, functional II1-II17, information systems and channels III1-III5) and the
// joins of VSM roles with actors. Each rule's meaning, data and trigger are in docs/methods/vsm.md.
#pragma once

#include "org/organisation.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace holon_vsm {

struct RuleInfo {
    const char *code;
    const char *name;
    const char *severity; // error | warning | info
    const char *family;   // structural | functional | information | join
    bool name_verified;   // name read in a primary or secondary source (else the brief's recall)
};

// Every rule, in report order.
const std::vector<RuleInfo> &rules();
const RuleInfo *find_rule(const std::string &code);

struct DiagnoseOptions {
    std::set<std::string> disabled;
    int i1_min_operations = 8;  // a root with at least this many S1s and none unfolded -> I1
    int i3_max_operations = 12; // more S1s than this under one unit -> I3
    int iii2_max_sources = 3;   // more distinct indicator sources than this for one unit -> III2
};

struct Finding {
    std::string code;
    std::vector<int> units;            // unit indices, the unit in focus first
    std::vector<std::string> entities; // ids of channels, actors, other units
    std::vector<std::string> entity_names;
    std::string message;
    nlohmann::json evidence = nlohmann::json::object();
};

struct NotAssessable {
    std::string code;
    std::string missing;
    std::vector<int> units; // where the data is missing (empty: the whole model)
    std::size_t channels = 0;
};

struct Diagnosis {
    std::vector<Finding> findings;
    std::vector<std::string> assessed;
    std::vector<NotAssessable> not_assessable;
};

Diagnosis diagnose(const Organisation &org, const DiagnoseOptions &options);

} // namespace holon_vsm
