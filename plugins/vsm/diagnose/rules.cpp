#include "diagnose/rules.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <unordered_map>

namespace holon_vsm {
namespace {

using nlohmann::json;

// Names: Pérez Ríos 2010/2025 as recalled in the project brief; only II2 (verbatim) and the three
// families were read in a source. docs/methods/vsm.md says which is which.
const std::vector<RuleInfo> all_rules{
    {"I1", "Non-existence of vertical unfolding", "warning", "structural", false},
    {"I2", "Lack of recursion levels (first level)", "warning", "structural", false},
    {"I3", "Lack of recursion levels (middle levels)", "warning", "structural", false},
    {"I4", "Entangled vertical unfolding with various interrelated memberships", "warning", "structural", false},
    {"II1", "Ill-defined identity", "error", "functional", false},
    {"II2", "Institutional schizophrenia", "warning", "functional", true},
    {"II3", "System 5 collapses into System 3", "error", "functional", false},
    {"II4", "Inadequate representation vis-a-vis higher levels", "warning", "functional", false},
    {"II5", "Headless chicken", "error", "functional", false},
    {"II6", "Dissociation of System 4 and System 3", "error", "functional", false},
    {"II7", "Inadequate management style (intrusion into System 1 autonomy)", "warning", "functional", false},
    {"II8", "Schizophrenic System 3", "warning", "functional", false},
    {"II9", "Weak connection between System 3 and System 1", "error", "functional", false},
    {"II10", "Hypertrophy of System 3", "warning", "functional", false},
    {"II11", "Lack or insufficient development of System 3*", "warning", "functional", false},
    {"II12", "Disjointed behaviour within System 1", "warning", "functional", false},
    {"II13", "Authoritarian System 2", "warning", "functional", false},
    {"II14", "Autopoietic beasts", "warning", "functional", false},
    {"II15", "Dominance of System 1 (weak metasystem)", "warning", "functional", false},
    {"II16", "Organisational autopoietic beasts", "warning", "functional", false},
    {"II17", "Lack of metasystem", "error", "functional", false},
    {"III1", "Lack of information systems", "warning", "information", false},
    {"III2", "Fragmentation of information systems", "info", "information", false},
    {"III3", "Lack of key communication channels", "warning", "information", false},
    {"III4", "Lack of or insufficient algedonic channels", "error", "information", false},
    {"III5", "Communication channels incomplete or with inadequate capacity", "warning", "information", false},
    {"J-ROLE", "Role without an actor", "warning", "join", true},
    {"J-ACTOR", "Actor without a role", "info", "join", true},
    {"J-S5S3", "System 5 and System 3 held by one actor", "warning", "join", true},
};

// "System 3*" for S3*, as messages say it.
std::string system_words(System s) {
    const std::string n = system_name(s);
    return n.size() > 1 && n[0] == 'S' ? "System " + n.substr(1) : n;
}

const std::vector<System> metasystem{System::S2, System::S3, System::S3star, System::S4, System::S5};

class Diagnoser {
public:
    Diagnoser(const Organisation &org, const DiagnoseOptions &options) : org_(org), options_(options) {}

    Diagnosis run() {
        for (std::size_t u = 0; u < org_.units.size(); ++u) unit_rules(static_cast<int>(u));
        channel_rules();
        algedonic_reach();
        actor_rules();
        Diagnosis out;
        std::map<std::string, std::size_t> order;
        for (std::size_t i = 0; i < all_rules.size(); ++i) order[all_rules[i].code] = i;
        std::stable_sort(findings_.begin(), findings_.end(), [&](const Finding &a, const Finding &b) {
            const int la = a.units.empty() ? 0 : unit(a.units[0]).level;
            const int lb = b.units.empty() ? 0 : unit(b.units[0]).level;
            if (la != lb) return la < lb;
            const std::size_t pa = a.units.empty() ? 0 : unit(a.units[0]).position;
            const std::size_t pb = b.units.empty() ? 0 : unit(b.units[0]).position;
            if (pa != pb) return pa < pb;
            return order[a.code] < order[b.code];
        });
        out.findings = std::move(findings_);
        for (const RuleInfo &r : all_rules) {
            if (options_.disabled.count(r.code)) continue;
            const auto it = missing_.find(r.code);
            if (it == missing_.end()) {
                out.assessed.emplace_back(r.code);
            } else {
                it->second.code = r.code;
                out.not_assessable.push_back(std::move(it->second));
            }
        }
        return out;
    }

private:
    const Unit &unit(int u) const { return org_.units[static_cast<std::size_t>(u)]; }
    const Channel &channel(int c) const { return org_.channels[static_cast<std::size_t>(c)]; }
    bool on(const char *code) const { return options_.disabled.count(code) == 0; }

    Finding &add(const char *code, std::vector<int> units, std::string message) {
        findings_.push_back(Finding{code, std::move(units), {}, {}, std::move(message), json::object()});
        return findings_.back();
    }
    void entity(Finding &f, const std::string &id, const std::string &name) {
        f.entities.push_back(id);
        f.entity_names.push_back(name);
    }
    void cannot(const char *code, int u, const std::string &missing) {
        if (!on(code)) return;
        NotAssessable &n = missing_[code];
        if (n.missing.empty()) n.missing = missing;
        if (u >= 0) n.units.push_back(u);
    }

    // A channel of type t between units a and b, either direction.
    bool linked(int a, int b, ChannelType t) const {
        for (int c : unit(a).channels_out)
            if (channel(c).to == b && channel(c).type == t) return true;
        for (int c : unit(a).channels_in)
            if (channel(c).from == b && channel(c).type == t) return true;
        return false;
    }
    // A channel inside unit u's metasystem joining systems x and y (either direction), or of type t.
    bool internal(int u, ChannelType t, System x, System y) const {
        for (int c : unit(u).channels_out) {
            const Channel &ch = channel(c);
            if (ch.to != u) continue;
            if (ch.type == t) return true;
            if ((ch.from_system == x && ch.to_system == y) || (ch.from_system == y && ch.to_system == x)) return true;
        }
        return false;
    }
    bool to_environment_from_s4(int u) const {
        for (int c : unit(u).channels_out) {
            const Channel &ch = channel(c);
            if (ch.type == ChannelType::s4_environment) return true;
            if (ch.from_system == System::S4 && (ch.to < 0 || ch.to_system == System::environment)) return true;
        }
        for (int c : unit(u).channels_in)
            if (channel(c).type == ChannelType::s4_environment && channel(c).to_system == System::S4) return true;
        return false;
    }
    bool represented(int u) const {
        const int parent = unit(u).parent;
        for (int c : unit(u).channels_out) {
            const Channel &ch = channel(c);
            if (ch.to != parent) continue;
            if (ch.type == ChannelType::representation) return true;
            if (ch.from_system == System::S5 &&
                (ch.to_system == System::S3 || ch.to_system == System::S4 || ch.to_system == System::S5))
                return true;
        }
        return false;
    }
    std::vector<int> actors_of(int u, System s) const {
        std::vector<int> out;
        for (const Role &r : unit(u).roles)
            if (r.system == s && r.actor >= 0) out.push_back(r.actor);
        return out;
    }
    bool role_without_actor(int u, System s) const {
        for (const Role &r : unit(u).roles)
            if (r.system == s) return r.actor < 0 && actors_of(u, s).empty();
        return false;
    }
    // "the audit channel c7 from Trust (r) to Ward 2 (a2)": channels have ids, not names.
    std::string channel_label(const Channel &ch) const {
        return std::string("the ") + channel_type_name(ch.type) + " channel " + ch.id + " from " + org_.label(ch.from) + " to " +
               (ch.to >= 0 ? org_.label(ch.to) : std::string("the environment"));
    }
    const Actor &actor(int a) const { return org_.actors[static_cast<std::size_t>(a)]; }
    std::string actor_label(int a) const { return actor(a).name == actor(a).id ? actor(a).id : actor(a).name + " (" + actor(a).id + ")"; }

    static std::string normalise(const std::string &text) {
        std::string out;
        bool space = false;
        for (unsigned char ch : text) {
            if (std::isspace(ch)) {
                space = !out.empty();
                continue;
            }
            if (space) out += ' ';
            space = false;
            out += static_cast<char>(std::tolower(ch));
        }
        while (!out.empty() && std::ispunct(static_cast<unsigned char>(out.back()))) out.pop_back();
        return out;
    }

    void unit_rules(int u) {
        const Unit &U = unit(u);
        const std::string name = org_.label(u);
        // I2: an operation that is neither unfolded nor declared a leaf.
        if (on("I2") && !U.expanded() && !U.leaf)
            add("I2", {u}, name + " is neither unfolded into its own System 1s nor marked as a leaf. Record its operations "
                                 "(units whose parent is " + U.id + "), or mark it leaf: true if it has none");
        // I4: a second line of membership beside the parent.
        if (on("I4"))
            for (int other : U.also_part_of) {
                if (other == U.parent) continue;
                Finding &f = add("I4", {u, other}, name + " also answers to " + org_.label(other) +
                                                       " besides its parent " + org_.label(U.parent) +
                                                       ": entangled membership. Decide which recursion it belongs to and "
                                                       "record the other tie as a channel");
                entity(f, unit(other).id, unit(other).name);
            }
        // II14: the analyst's judgement of an operation that serves itself.
        if (u != org_.root && on("II14")) {
            if (!U.pursues_own_ends) cannot("II14", u, "the analyst's judgement whether the operation pursues its own ends "
                                                        "(organisation.units[].pursues_own_ends)");
            else if (*U.pursues_own_ends)
                add("II14", {u}, name + " pursues its own ends at the expense of " +
                                      (U.parent >= 0 ? org_.label(U.parent) : std::string("the whole")) +
                                      ". Bring its purpose back in line with the identity of the whole, or renegotiate "
                                      "its autonomy");
        }
        // J-ROLE of an operation that is not unfolded: its System 1 role on the chart with nobody in it.
        if (!U.expanded() && on("J-ROLE") && role_without_actor(u, System::S1))
            add("J-ROLE", {u}, "System 1 of " + name + " is held by no actor. Name who runs the operation");
        if (!U.expanded() && u != org_.root) return;
        const bool meta_any = std::any_of(metasystem.begin(), metasystem.end(), [&](System s) { return U.has(s); });
        const std::size_t ops = U.children.size();
        if (u == org_.root && on("I1") && static_cast<int>(ops) >= options_.i1_min_operations &&
            std::none_of(U.children.begin(), U.children.end(), [&](int c) { return unit(c).expanded(); })) {
            Finding &f = add("I1", {u}, name + " manages " + std::to_string(ops) +
                                           " operations at one level and none is unfolded into its own recursion. Group them into a few operations "
                                           "that each manage their own, or raise i1_min_operations if this span works");
            f.evidence = {{"operations", ops}, {"threshold", options_.i1_min_operations}};
        }
        if (on("I3") && static_cast<int>(ops) > options_.i3_max_operations) {
            Finding &f = add("I3", {u}, name + " has " + std::to_string(ops) + " System 1s directly (more than " +
                                           std::to_string(options_.i3_max_operations) + "): a middle recursion level is missing. "
                                           "Group them under intermediate units with their own management, or raise "
                                           "i3_max_operations if this span works");
            f.evidence = {{"operations", ops}, {"threshold", options_.i3_max_operations}};
        }
        // Identity (System 5).
        // II1: no statement of identity, or no one to hold it (no System 5 in a metasystem).
        const bool no_statement = U.identity.empty() && U.identity_claims.empty();
        const bool no_s5 = U.expanded() && meta_any && !U.has(System::S5);
        if (on("II1") && (no_statement || no_s5))
            add("II1", {u}, no_statement && no_s5 ? name + " has no identity statement and no System 5. Agree what it is for "
                                                             "(identity) and name who holds System 5"
                            : no_statement        ? name + " has no identity statement. Agree and record what it is for (identity)"
                                                  : name + " has no System 5: no one holds its identity and policy. Name who "
                                                           "holds System 5");
        if (on("II2")) {
            if (U.identity_claims.empty()) {
                cannot("II2", u, "identity statements as different people put them (organisation.units[].identity_claims)");
            } else {
                std::vector<std::string> conceptions;
                auto note = [&](const std::string &t) {
                    const std::string n = normalise(t);
                    if (!n.empty() && std::find(conceptions.begin(), conceptions.end(), n) == conceptions.end())
                        conceptions.push_back(n);
                };
                if (!U.identity.empty()) note(U.identity);
                for (const std::string &c : U.identity_claims) note(c);
                if (conceptions.size() >= 2) {
                    Finding &f = add("II2", {u}, name + " is described by " + std::to_string(conceptions.size()) +
                                                     " different identity statements. Bring those who hold them together to agree one identity");
                    f.evidence = {{"conceptions", conceptions}};
                }
            }
        }
        if (!U.expanded()) return; // a root alone has no System 1 to manage
        // II17 subsumes every other metasystem rule of this unit.
        if (!meta_any) {
            if (on("II17"))
                add("II17", {u}, name + " has " + std::to_string(ops) + " System 1s and no metasystem (none of S2, S3, S3*, S4, "
                                    "S5). Name who coordinates, manages, audits, looks ahead and holds identity for them, or "
                                    "fold its operations into " + (U.parent >= 0 ? org_.label(U.parent) : std::string("another unit")));
            return;
        }
        // II15: a metasystem on paper only.
        bool any_bound = false;
        for (const Role &r : U.roles)
            if (r.system != System::S1 && r.actor >= 0) any_bound = true;
        const bool paper = !any_bound;
        if (paper && on("II15"))
            add("II15", {u}, "the metasystem of " + name + " exists on paper only: none of its roles is held by an actor. "
                                 "Name who holds each of its systems");
        if (!paper && on("J-ROLE"))
            for (System s : metasystem)
                if (role_without_actor(u, s))
                    add("J-ROLE", {u}, system_words(s) + " of " + name + " is held by no actor. Name who holds it");
        // II3 / J-S5S3: one actor holding identity and the inside-and-now.
        if (U.has(System::S5) && U.has(System::S3)) {
            const std::vector<int> s5 = actors_of(u, System::S5), s3 = actors_of(u, System::S3);
            if (s5.empty() || s3.empty()) {
                cannot("II3", u, "the actors holding S5 and S3 (organisation.units[].roles[].actor)");
            } else {
                std::vector<int> both;
                for (int a : s5)
                    if (std::find(s3.begin(), s3.end(), a) != s3.end()) both.push_back(a);
                if (!both.empty()) {
                    const bool s4_s5 = internal(u, ChannelType::s4_s5, System::S4, System::S5);
                    const char *code = s4_s5 ? "J-S5S3" : "II3";
                    if (on(code)) {
                        Finding &f = add(code, {u}, actor_label(both[0]) + " holds both System 5 and System 3 of " + name +
                                                        (s4_s5 ? ". The System 4-System 5 channel keeps policy in touch with the outside; "
                                                                  "consider giving System 5 to someone else"
                                                                : " and no channel joins System 4 to System 5. Give System 5 to "
                                                                  "someone who does not run System 3, or open an s4-s5 channel"));
                        for (int a : both) entity(f, actor(a).id, actor(a).name);
                    }
                }
            }
        }
        // II4: representation of this unit's identity to the level above.
        if (on("II4") && u != org_.root && !represented(u)) {
            Finding &f = add("II4", {u, U.parent}, name + " has no channel from its System 5 to the metasystem of " +
                                                      org_.label(U.parent) + ". Open one (type representation) so its "
                                                      "identity and needs are heard above");
            entity(f, unit(U.parent).id, unit(U.parent).name);
        }
        // II5 / II6: System 4, its environment and the S3-S4 homeostat.
        if (on("II5")) {
            if (!U.has(System::S4))
                add("II5", {u}, name + " has no System 4 (no one looks outside and ahead). Name who scans its environment and "
                                       "future, and give them a channel to it");
            else if (!to_environment_from_s4(u))
                add("II5", {u}, "System 4 of " + name + " has no channel to the environment. Give it one (type s4-environment)");
        }
        if (on("II6") && U.has(System::S3) && U.has(System::S4) && !internal(u, ChannelType::s3_s4, System::S3, System::S4))
            add("II6", {u}, "System 3 and System 4 of " + name + " are not joined by any channel (no S3-S4 homeostat). Set up "
                             "one (type s3-s4) where plans for now and for the future are argued out");
        // II8: System 3 staffed by the management of one of its own System 1s.
        if (on("II8")) {
            const std::vector<int> s3 = actors_of(u, System::S3);
            // Without the System 3 holder there is nobody to compare with the operations' managers.
            if (s3.empty() && U.has(System::S3))
                cannot("II8", u, "the actor holding System 3 (organisation.units[].roles[].actor)");
            for (int c : U.children) {
                const auto conflict = std::find_if(unit(c).roles.begin(), unit(c).roles.end(), [&](const Role &r) {
                    return r.actor >= 0 && std::find(s3.begin(), s3.end(), r.actor) != s3.end();
                });
                if (conflict == unit(c).roles.end()) continue;
                Finding &f = add("II8", {u, c}, actor_label(conflict->actor) + " holds System 3 of " + name + " and " +
                                                   system_words(conflict->system) + " of its operation " + org_.label(c) +
                                                   ". Give System 3 to someone who manages none of its operations");
                entity(f, actor(conflict->actor).id, actor(conflict->actor).name);
            }
        }
        // III1 / III2: the information system of this recursion.
        std::vector<std::size_t> bound;
        for (std::size_t k = 0; k < org_.indicators.size(); ++k) {
            const int iu = org_.indicators[k].unit;
            if (iu == u || (iu >= 0 && unit(iu).parent == u)) bound.push_back(k);
        }
        if (on("III1") && bound.empty())
            add("III1", {u}, "no indicator is bound to " + name + " or to any of its operations (no information system). "
                              "Bind the measures it manages by to it or to its operations (indicators[].unit)");
        if (on("III2") && !bound.empty()) {
            std::vector<std::string> sources;
            bool unknown = false;
            for (std::size_t k : bound) {
                const std::string &s = org_.indicators[k].source;
                if (s.empty()) unknown = true;
                else if (std::find(sources.begin(), sources.end(), s) == sources.end()) sources.push_back(s);
            }
            if (static_cast<int>(sources.size()) > options_.iii2_max_sources) {
                Finding &f = add("III2", {u}, "the indicators of " + name + " come from " + std::to_string(sources.size()) +
                                                  " separate sources. Bring them into one information system, or raise iii2_max_sources");
                f.evidence = {{"sources", sources}, {"threshold", options_.iii2_max_sources}};
            } else if (unknown) {
                cannot("III2", u, "the source of the unit's indicators (indicators[].source)");
            }
        }
        // II16: a metasystem busy with itself, reaching none of its operations.
        bool internal_any = false, reaches = false;
        for (int c : U.channels_out) {
            if (channel(c).to == u) internal_any = true;
            if (channel(c).to >= 0 && unit(channel(c).to).parent == u) reaches = true;
        }
        for (int c : U.channels_in)
            if (unit(channel(c).from).parent == u && channel(c).type != ChannelType::algedonic) reaches = true;
        const bool self_absorbed = internal_any && !reaches;
        if (self_absorbed && on("II16"))
            add("II16", {u}, "the metasystem of " + name + " has channels among its own systems but none to any of its " +
                                 std::to_string(ops) + " operations. Connect it to them (command, resource-bargain, coordination and "
                                 "audit channels)");
        if (self_absorbed) return;
        // II12: interacting operations without System 2 coordination.
        std::vector<char> interacting(ops, 0);
        bool interaction_known = false;
        std::unordered_map<std::string, std::vector<std::size_t>> users;
        for (std::size_t i = 0; i < ops; ++i) {
            const int c = U.children[i];
            for (const std::string &r : unit(c).resources) {
                users[r].push_back(i);
                interaction_known = true;
            }
            for (int k : unit(c).channels_out)
                if (channel(k).type == ChannelType::s1_s1 && channel(k).to >= 0 && unit(channel(k).to).parent == u &&
                    channel(k).to != c) {
                    interaction_known = true;
                    interacting[i] = 1;
                    for (std::size_t j = 0; j < ops; ++j)
                        if (U.children[j] == channel(k).to) interacting[j] = 1;
                }
        }
        for (const auto &[resource, who] : users)
            if (who.size() >= 2)
                for (std::size_t i : who) interacting[i] = 1;
        std::vector<char> coordinated(ops, 0);
        for (std::size_t i = 0; i < ops; ++i) coordinated[i] = linked(u, U.children[i], ChannelType::coordination);
        const bool no_s2 = ops >= 2 && !U.has(System::S2);
        if (no_s2 && on("II12")) {
            add("II12", {u}, name + " has no System 2 to coordinate its " + std::to_string(ops) + " operations. Name who "
                                    "coordinates them and give each a coordination channel");
        } else if (ops >= 2 && on("II12")) {
            if (!interaction_known) {
                cannot("II12", u, "how the operations interact: s1-s1 channels or shared resources (organisation.units[].resources)");
            } else {
                std::vector<int> loose;
                for (std::size_t i = 0; i < ops; ++i)
                    if (interacting[i] && !coordinated[i]) loose.push_back(U.children[i]);
                if (!loose.empty()) {
                    std::vector<int> units{u};
                    std::string names;
                    for (int c : loose) {
                        units.push_back(c);
                        names += (names.empty() ? "" : ", ") + org_.label(c);
                    }
                    Finding &f = add("II12", units, "operations of " + name + " interact but get no System 2 coordination: " + names +
                                                       ". Add coordination channels from System 2 of " + name + " to them");
                    for (int c : loose) entity(f, unit(c).id, unit(c).name);
                }
            }
        }
        // II9 / II11 / III3: the channels each operation needs. Without S3 or S3* at all, one
        // finding for the unit says so instead of one per operation.
        const bool no_s3 = !U.has(System::S3), no_s3star = !U.has(System::S3star);
        if (no_s3 && on("II9"))
            add("II9", {u}, name + " has no System 3 to manage its " + std::to_string(ops) + " operations. Name who holds "
                                   "System 3 and give each operation command and resource-bargain channels");
        if (no_s3star && on("II11"))
            add("II11", {u}, name + " has no System 3* to audit its " + std::to_string(ops) + " operations. Name who audits "
                                    "them and give each an audit channel");
        for (std::size_t i = 0; i < ops; ++i) {
            const int c = U.children[i];
            const bool command = linked(u, c, ChannelType::command);
            const bool bargain = linked(u, c, ChannelType::resource_bargain);
            const bool audit = linked(u, c, ChannelType::audit);
            const std::string op = org_.label(c);
            if (!command && !bargain && !no_s3 && on("II9"))
                add("II9", {u, c}, op + " has neither a command nor a resource-bargain channel with System 3 of " + name +
                                      ". Set up both");
            if (!audit && !no_s3star && on("II11"))
                add("II11", {u, c}, op + " is never audited: no audit channel from System 3* of " + name + ". Add one");
            // What II9, II11 and II12 report is left out, unless they are turned off: then III3 says it.
            std::vector<std::string> lacking;
            if (command != bargain) lacking.emplace_back(command ? "resource-bargain" : "command");
            if (!command && !bargain && !on("II9")) lacking.insert(lacking.end(), {"command", "resource-bargain"});
            if (ops >= 2 && !no_s2 && !coordinated[i] && !(interacting[i] && on("II12"))) lacking.emplace_back("coordination");
            if (!audit && !on("II11")) lacking.emplace_back("audit");
            if (!lacking.empty() && on("III3")) {
                std::string list;
                for (const std::string &l : lacking) list += (list.empty() ? "" : ", ") + l;
                Finding &f = add("III3", {u, c}, op + " lacks key channels with the metasystem of " + name + ": " + list +
                                                    ". Add " + (lacking.size() > 1 ? "them" : "it"));
                f.evidence = {{"missing", lacking}};
            }
        }
    }

    void channel_rules() {
        std::size_t unassessed = 0;
        for (const Channel &ch : org_.channels) {
            const std::string from = org_.label(ch.from);
            // II7: System 3 commanding past an operation's own management.
            if (on("II7") && ch.type == ChannelType::command && ch.to >= 0 && unit(ch.to).parent != ch.from &&
                (ch.from_system == System::S3 || ch.from_system == System::none) && org_.is_ancestor(ch.from, ch.to)) {
                Finding &f = add("II7", {ch.from, ch.to}, "System 3 of " + from + " commands " + org_.label(ch.to) +
                                                              " directly, bypassing the management of " + org_.label(unit(ch.to).parent) +
                                                              " (channel " + ch.id + "). Route the command through that "
                                                              "management, or leave the decision to it");
                entity(f, ch.id, channel_type_name(ch.type));
            }
            if (on("II10") && ch.from_system == System::S3 &&
                (ch.type == ChannelType::coordination || ch.type == ChannelType::audit || ch.type == ChannelType::s4_environment)) {
                const char *owner = ch.type == ChannelType::coordination ? "System 2"
                                : ch.type == ChannelType::audit      ? "System 3*"
                                                                     : "System 4";
                Finding &f = add("II10", {ch.from}, "System 3 of " + from + " runs " + channel_label(ch) + ", work of " + owner +
                                                        ". Hand it to " + owner);
                entity(f, ch.id, channel_type_name(ch.type));
            }
            if (on("II13") && ch.type == ChannelType::command && ch.from_system == System::S2) {
                Finding &f = add("II13", {ch.from}, "System 2 of " + from + " issues commands (" + channel_label(ch) +
                                                        "). Make it a coordination channel and leave commands to System 3");
                entity(f, ch.id, channel_type_name(ch.type));
            }
            if (!on("III5")) continue;
            if (!ch.capacity || (!ch.demand && !ch.transducer)) {
                ++unassessed;
                continue;
            }
            const char *measure = ch.in_states ? "states" : "bits";
            if (ch.demand && ch.capacity->value < ch.demand->value) {
                Finding &f = add("III5", {ch.from}, channel_label(ch) + " carries " + ch.capacity->text + " " + measure +
                                                        " per period but must carry " + ch.demand->text +
                                                        ". Widen it, or attenuate what it must carry");
                entity(f, ch.id, channel_type_name(ch.type));
                f.evidence = {{"capacity", ch.capacity->value}, {"demand", ch.demand->value},
                              {"deficit", ch.demand->value - ch.capacity->value}, {"measure", measure}};
            }
            if (ch.transducer && ch.transducer->value < ch.capacity->value) {
                Finding &f = add("III5", {ch.from}, "the transducer of " + channel_label(ch).substr(4) + " distinguishes " +
                                                        ch.transducer->text + " " + measure + ", less than the channel's capacity " +
                                                        ch.capacity->text + ". Improve the transducer at the channel's ends");
                entity(f, ch.id, channel_type_name(ch.type));
                f.evidence = {{"capacity", ch.capacity->value}, {"transducer", ch.transducer->value},
                              {"deficit", ch.capacity->value - ch.transducer->value}, {"measure", measure}};
            }
        }
        if (unassessed > 0) {
            NotAssessable &n = missing_["III5"];
            n.missing = "capacity and demand (or transducer) of the channels (organisation.channels[].capacity, .demand)";
            n.channels = unassessed;
        }
    }

    // III4: from every operation that is not unfolded, a chain of algedonic channels to the root.
    void algedonic_reach() {
        if (!on("III4") || org_.root < 0) return;
        std::vector<char> reaches(org_.units.size(), 0);
        std::vector<int> queue{org_.root};
        reaches[static_cast<std::size_t>(org_.root)] = 1;
        for (std::size_t q = 0; q < queue.size(); ++q)
            for (int c : unit(queue[q]).channels_in) {
                const Channel &ch = channel(c);
                if (ch.type != ChannelType::algedonic || reaches[static_cast<std::size_t>(ch.from)]) continue;
                reaches[static_cast<std::size_t>(ch.from)] = 1;
                queue.push_back(ch.from);
            }
        for (std::size_t u = 0; u < org_.units.size(); ++u)
            if (static_cast<int>(u) != org_.root && !org_.units[u].expanded() && !reaches[u])
                add("III4", {static_cast<int>(u)}, org_.label(static_cast<int>(u)) + " has no algedonic path to System 5 of " +
                                                       org_.label(org_.root) + ". Add algedonic channels from it up to the "
                                                       "root, level by level");
    }

    void actor_rules() {
        if (!on("J-ACTOR")) return;
        std::vector<char> used(org_.actors.size(), 0);
        for (const Unit &u : org_.units)
            for (const Role &r : u.roles)
                if (r.actor >= 0) used[static_cast<std::size_t>(r.actor)] = 1;
        if (org_.units.empty()) return;
        for (std::size_t a = 0; a < org_.actors.size(); ++a)
            if (!used[a]) {
                Finding &f = add("J-ACTOR", {org_.root}, actor_label(static_cast<int>(a)) + " holds no role in the organisation. "
                                                                "Give them a role, or disable J-ACTOR when actors also lists "
                                                                "stakeholders");
                entity(f, org_.actors[a].id, org_.actors[a].name);
            }
    }

    const Organisation &org_;
    const DiagnoseOptions &options_;
    std::vector<Finding> findings_;
    std::map<std::string, NotAssessable> missing_;
};

} // namespace

const std::vector<RuleInfo> &rules() { return all_rules; }

const RuleInfo *find_rule(const std::string &code) {
    for (const RuleInfo &r : all_rules)
        if (code == r.code) return &r;
    return nullptr;
}

Diagnosis diagnose(const Organisation &org, const DiagnoseOptions &options) { return Diagnoser(org, options).run(); }

} // namespace holon_vsm
