// What the CSH methods read from the shared model: the boundary records of framework "csh" and the
// model facts they are held against (actors and whom outcomes reach, variables and their kinds,
// links, indicators, and who asserted the model's judgements). Plain structs, so unit tests and the
// benchmark build them directly.
#pragma once

#include "core/categories.hpp"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace holon_csh {

// A bound entity: type ("actor", "variable", "link", "indicator") and id. Sets of these are what
// gaps and divergence compare.
struct Ref {
    std::string type;
    std::string id;
    auto operator<=>(const Ref &) const = default;
};
using RefSet = std::set<Ref>;

struct Actor {
    std::string id, name;
    std::vector<std::string> affected_by; // variable ids (actor.affected_by in the shared model)
};

struct Variable {
    std::string id, name, kind;
    bool has_equation = false;
};

struct Link {
    std::string id, from, to;
    std::optional<std::string> asserted_by;
    std::optional<double> confidence;
};

struct Indicator {
    std::string id, name;
    std::vector<std::string> variables;
};

// One judgement of the model itself (a link, a variable, a scenario matrix cell) and who made it.
struct Judgement {
    std::string what;        // JSON Pointer of the judgement, e.g. "/links/3"
    std::string asserted_by; // as written: an actor id or a name
};

struct Perspective {
    std::string key;   // actor id, else "name:<name>", else "unattributed"
    std::string actor; // actor id when the perspective is an actor of the model
    std::string name;  // display name
};

struct Record {
    std::string id;
    std::size_t index = 0; // position in /boundary
    int category = 0;
    Mode mode = Mode::is;
    std::size_t perspective = 0; // index into Model::perspectives
    std::string answer;
    RefSet refs;
    std::string declared_gap; // "same", "narrower", "broader", "conflicting" or ""
};

struct Model {
    std::vector<Actor> actors;
    std::vector<Variable> variables;
    std::vector<Link> links;
    std::vector<Indicator> indicators;
    std::vector<Judgement> judgements;
    std::vector<Perspective> perspectives;
    std::vector<Record> records; // csh records only, in document order

    // Lookups built by index().
    std::map<std::string, std::size_t> actor_at, variable_at, link_at, indicator_at;
    void index();

    std::string name_of(const Ref &ref) const; // the entity's display name (its id when unknown)
    std::string label(const Ref &ref) const;   // "Name (id)"
};

// Reads a holon-model/1 document. Records of other frameworks are ignored. The host has validated
// the document (schema and references) on upload; anything unusable still fails with
// std::invalid_argument whose message starts with a JSON Pointer and ": ".
Model read_model(const nlohmann::json &doc);

} // namespace holon_csh
