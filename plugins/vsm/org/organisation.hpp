// The organisation of the shared model (units, roles, channels, varieties, indicators, actors)
// read into plain structs with indices, so the diagnosis, variety, alarm and drawing code works
// on positions instead of JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace holon_vsm {

// A model the VSM cannot read, with the JSON Pointer of the offending value.
struct ModelError : std::runtime_error {
    ModelError(std::string pointer_, const std::string &message) : std::runtime_error(message), pointer(std::move(pointer_)) {}
    std::string pointer;
};

enum class System { none, S1, S2, S3, S3star, S4, S5, environment };
const char *system_name(System s);

enum class ChannelType {
    command, resource_bargain, coordination, audit, algedonic, s3_s4, s4_environment, s1_s1, s1_environment,
    s4_s5, representation, other
};
const char *channel_type_name(ChannelType t);

// A JSON number kept with its shortest decimal text, so exact arithmetic can start from what the
// user wrote rather than from a binary double.
struct Number {
    double value = 0;
    std::string text;
};

struct Role {
    System system = System::none;
    int actor = -1; // index into Organisation::actors, -1 when unbound
};

struct Unit {
    std::string id, name, identity, environment;
    std::size_t position = 0; // index in /organisation/units
    int parent = -1;
    std::vector<int> children;
    int level = 0;
    bool leaf = false;
    std::vector<std::string> identity_claims;
    std::vector<Role> roles;
    std::vector<std::string> resources;
    std::vector<int> also_part_of;
    std::optional<bool> pursues_own_ends;
    std::vector<int> channels_out, channels_in; // indices into Organisation::channels

    bool expanded() const { return !children.empty(); }
    bool has(System s) const;
};

struct Channel {
    std::string id;
    std::size_t position = 0;
    ChannelType type = ChannelType::other;
    int from = -1, to = -1; // unit indices; to = -1 for the environment
    System from_system = System::none, to_system = System::none;
    std::optional<Number> capacity, demand, transducer;
    bool in_states = false; // measure "states" (default bits)
};

struct Variety {
    std::string id, of;
    std::size_t position = 0;
    int unit = -1;
    std::optional<Number> states, attenuation, amplification, responses, acceptable;
};

struct Threshold {
    std::string level;      // info | warning | alarm
    bool below = true;      // comparison "below" (else "above")
    Number value;
    int periods = 1;
};

struct Indicator {
    std::string id, name, source, units;
    std::size_t position = 0;
    int unit = -1;
    std::vector<std::string> variables;
    std::vector<Number> actuals;
    std::vector<std::string> actual_labels;
    std::optional<Number> capability, potentiality;
    std::vector<Threshold> thresholds;
};

struct Actor {
    std::string id, name;
};

struct Organisation {
    std::vector<Unit> units;
    std::vector<Channel> channels;
    std::vector<Variety> varieties;
    std::vector<Indicator> indicators;
    std::vector<Actor> actors;
    int root = -1;
    int depth = 0; // deepest recursion level
    std::unordered_map<std::string, int> unit_index;

    // "Name (id)", the way messages name a unit.
    std::string label(int unit) const;
    bool is_ancestor(int ancestor, int unit) const;
};

// Reads /organisation, /actors and /indicators. Refuses what the host's validator refuses too
// (unknown references, no single root, a cycle of parents, a zero factor) with a JSON Pointer,
// so the plugin is safe when called without the host.
Organisation read_organisation(const nlohmann::json &model);

} // namespace holon_vsm
