// The SSM inquiry as the plugin sees it: the activity models of the shared model with the actors,
// variables, links, boundary records and indicators they refer to. Plain structs, read once from
// the holon-model/1 document; the checks, the comparison and the drawings work on these.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace holon_ssm::model {

// A CATWOE party: an actor of /actors, a free-text name, or both.
struct Party {
    std::string actor; // empty when given by name only
    std::string name;  // the party's own name, else the actor's name
};

// One side of T split into entity, state and nature (all optional in the model).
struct Detail {
    bool present = false;
    std::string entity, state, nature, variable;
};

struct Transformation {
    bool present = false;
    std::string input, output;
    Detail in, out;
};

struct Constraint {
    std::string text;
    std::vector<std::string> variables;
};

enum class Kind { operational, monitor, control, monitor_and_control };

struct Activity {
    std::string id, name, description;
    Kind kind = Kind::operational;
    bool takes_input = false;
    std::vector<std::string> reflects; // RD element letters
    bool monitors_all = true;          // a monitor without `monitors` watches the whole subsystem
    std::vector<std::string> monitors;

    bool operational() const { return kind == Kind::operational; }
    bool monitor() const { return kind == Kind::monitor || kind == Kind::monitor_and_control; }
    bool control() const { return kind == Kind::control || kind == Kind::monitor_and_control; }
};

struct Dependency {
    std::string from, to;
};

struct Measure {
    std::string id, e, criterion, indicator;
};

struct Row {
    std::string activity, exists, how, who, judged, alternatives, change;
    std::optional<bool> desirable, feasible;
};

// A change from the model's `changes`, or the change written in a comparison row (id "row:<activity>").
struct Change {
    std::string id, text, status, rationale;
    std::vector<std::string> rows;
    std::optional<bool> desirable, feasible;
    bool from_row = false;
};

struct ActivityModel {
    std::string id, name, kind;
    std::string rd_text, p, q, r;
    bool has_catwoe = false;
    std::vector<Party> customers, actors, owners;
    Transformation t;
    std::string worldview;
    std::vector<Constraint> environment;
    std::string worldview_record;
    std::vector<Activity> activities;
    std::vector<Dependency> dependencies;
    std::vector<Measure> measures;
    std::vector<Row> rows;
    std::vector<Change> changes;

    const Activity *activity(const std::string &id) const;
    std::string activity_name(const std::string &id) const;
};

struct Actor {
    std::string id, name;
    std::optional<double> power;
};

struct Variable {
    std::string id, name, kind;
};

struct BoundaryRecord {
    std::string id, framework, mode, perspective_actor, perspective_name, answer;
    int category = 0;
};

struct Inquiry {
    std::string name; // the shared model's name
    std::vector<ActivityModel> models;
    std::map<std::string, Actor> actors;
    std::map<std::string, Variable> variables;
    std::map<std::string, std::vector<std::string>> successors; // causal map: variable -> variables it affects
    std::vector<BoundaryRecord> boundary;
    std::map<std::string, std::string> indicators; // id -> name

    const BoundaryRecord *record(const std::string &id) const;
    std::string actor_name(const std::string &id) const;
    std::string variable_name(const std::string &id) const;
    std::string indicator_name(const std::string &id) const;
};

// Reads the document (already validated by the host; odd shapes are skipped, never trusted).
Inquiry read_inquiry(const nlohmann::json &document);

} // namespace holon_ssm::model
