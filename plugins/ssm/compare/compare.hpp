// ssm.compare: the comparison stage. For each activity model, one row per activity (exists? how?
// who? judged how? alternatives), the coverage of the table, and the changes with their
// desirable/feasible judgements traced to rows; several models side by side.
#pragma once

#include "model/inquiry.hpp"

#include <optional>
#include <string>
#include <vector>

namespace holon_ssm::compare {

struct Row {
    std::string activity, activity_name, kind; // kind: operational, monitor, control, monitor-and-control
    bool has_row = false;
    std::string exists, how, who, judged, alternatives, change;
};

struct Change {
    std::string id, text, status, rationale;
    std::vector<std::string> rows, row_names;
    std::optional<bool> desirable, feasible;
    bool from_row = false;
    // "desirable and feasible", "desirable, not feasible", "feasible, not desirable", "neither", "not judged"
    std::string verdict;
};

struct Comparison {
    std::string model, name, worldview, transformation;
    std::vector<Row> rows;
    int activities = 0, with_row = 0, exists_yes = 0, exists_partly = 0, exists_no = 0, exists_unjudged = 0;
    std::vector<std::string> without_row;             // activity ids
    std::vector<std::string> rows_without_activity;   // activity ids named by rows but not in the model
    std::vector<Change> changes;
    int desirable_and_feasible = 0;
};

std::vector<Comparison> compare(const model::Inquiry &inquiry, const std::vector<std::string> &only = {});

const char *kind_name(model::Kind kind);

} // namespace holon_ssm::compare
