#include "checks/detail.hpp"

#include <string>
#include <vector>

namespace holon_ssm::checks::detail {

void check_catwoe_presence(Recorder &r, const ActivityModel &m) {
    const std::string who = "The root definition of " + model_label(m);
    if (!has_t(m)) r.add("SSM-RD-001", {element("T")}, who + " has no transformation (T): what input does it change into what output?");
    if (!has_w(m)) r.add("SSM-RD-001", {element("W")}, who + " states no worldview (W): what belief makes this transformation meaningful?");
    if (m.owners.empty()) r.add("SSM-RD-001", {element("O")}, who + " names no owner (O): who could change or stop this system?");
    if (m.customers.empty())
        r.add("SSM-RD-005", {element("C")}, who + " names no customers (C): who are the beneficiaries or victims of T?");
    if (m.actors.empty()) r.add("SSM-RD-005", {element("A")}, who + " names no actors (A): who would do the activities?");
    if (m.environment.empty())
        r.add("SSM-RD-005", {element("E")}, who + " names no environmental constraints (E): what does it take as given?");
}

void check_transformation(Recorder &r, const ActivityModel &m) {
    if (!has_t(m)) return r.skip("SSM-RD-002", "there is no transformation (SSM-RD-001)");
    const std::string t = "T of " + model_label(m) + " (" + m.t.input + " -> " + m.t.output + ")";
    const Entity te{"element", "T", m.t.input + " -> " + m.t.output};
    if (normal(m.t.input) == normal(m.t.output)) return r.add("SSM-RD-002", {te}, t + ": input and output are the same, so nothing is transformed");
    if (!m.t.in.present || !m.t.out.present)
        return r.skip("SSM-RD-002", "T has no input_detail/output_detail (entity, state, nature) to compare");
    // Only what both sides state is compared: a detail may give the state and leave the entity out.
    const bool entities = !m.t.in.entity.empty() && !m.t.out.entity.empty();
    const bool states = !m.t.in.state.empty() && !m.t.out.state.empty();
    const bool natures = !m.t.in.nature.empty() && !m.t.out.nature.empty();
    if (!entities && !states && !natures)
        return r.skip("SSM-RD-002", "input_detail and output_detail do not both state an entity, a state or a nature");
    std::vector<std::string> why;
    if (entities && normal(m.t.in.entity) != normal(m.t.out.entity))
        why.push_back("the input entity '" + m.t.in.entity + "' is not the output entity '" + m.t.out.entity +
                      "' (T should change one entity's state, not turn one thing into another)");
    else if (states && normal(m.t.in.state) == normal(m.t.out.state))
        why.push_back("the " + (entities ? m.t.in.entity : std::string("input")) + " is in the same state ('" + m.t.in.state +
                      "') before and after");
    if (natures && normal(m.t.in.nature) != normal(m.t.out.nature))
        why.push_back("the input is " + m.t.in.nature + " but the output is " + m.t.out.nature);
    if (!why.empty()) r.add("SSM-RD-002", {te}, t + ": " + list_text(why));
}

void check_pqr(Recorder &r, const ActivityModel &m) {
    std::vector<Entity> missing;
    std::vector<std::string> names;
    for (const auto &[letter, value] : {std::pair<std::string, std::string>{"P", m.p}, {"Q", m.q}, {"R", m.r}})
        if (value.empty()) {
            missing.push_back(element(letter));
            names.push_back(element_name(letter));
        }
    if (!missing.empty())
        r.add("SSM-RD-003", missing,
              "The root definition of " + model_label(m) + " does not state " + list_text(names) +
                  ": write it as do P, by Q, in order to help achieve R");
    if (m.p.empty() || !has_t(m)) return r.skip("SSM-RD-006", "P or T is missing");
    // What T transforms: the entity when the details name it, else T's input and output as written.
    const std::string in_entity = m.t.in.entity.empty() ? m.t.input : m.t.in.entity;
    const std::string out_entity = m.t.out.entity.empty() ? m.t.output : m.t.out.entity;
    const std::vector<std::string> t_words = content_words(in_entity + " " + out_entity);
    for (const std::string &p : content_words(m.p))
        for (const std::string &w : t_words)
            if (same_word(p, w)) return;
    r.add("SSM-RD-006", {element("P"), element("T")},
          "P of " + model_label(m) + " ('" + m.p + "') does not name what T transforms ('" + m.t.input + "' -> '" +
              m.t.output + "'): P and T describe different systems");
}

void check_worldview(Recorder &r, const Inquiry &inquiry, const ActivityModel &m, Joins &joins) {
    const model::BoundaryRecord *record = m.worldview_record.empty() ? nullptr : inquiry.record(m.worldview_record);
    if (record == nullptr || m.worldview.empty()) r.skip("SSM-RD-004", "W is stated in one place only");
    else if (normal(record->answer) != normal(m.worldview))
        r.add("SSM-RD-004", {element("W"), {"boundary", record->id, record->answer}},
              model_label(m) + " states two worldviews: CATWOE's W '" + m.worldview + "' and the worldview record " +
                  record->id + " '" + record->answer + "'. Build one model per worldview");
    if (record == nullptr) {
        r.skip("SSM-JOIN-006", "the model has no worldview record");
        r.skip("SSM-JOIN-007", "the model has no worldview record");
        return;
    }
    const bool worldview = record->framework == "ssm-worldview" || (record->framework == "csh" && record->category == 12);
    if (!worldview)
        r.add("SSM-JOIN-006", {{"boundary", record->id, record->answer}},
              "The worldview record of " + model_label(m) + " (" + record->id + ") is " +
                  (record->framework == "csh" ? "a CSH answer to category " + std::to_string(record->category) + ", not 12 (worldview)"
                                              : "an " + record->framework + " record") +
                  ": point worldview_record at an ssm-worldview record or a CSH category-12 answer");
    if (record->perspective_actor.empty() && record->perspective_name.empty())
        return r.skip("SSM-JOIN-007", "the worldview record names no perspective");
    for (const model::BoundaryRecord &b : inquiry.boundary) {
        if (b.framework != "csh" || b.category != 12 || b.id == record->id) continue;
        const bool same = record->perspective_actor.empty() ? normal(b.perspective_name) == normal(record->perspective_name)
                                                            : b.perspective_actor == record->perspective_actor;
        if (same) joins.worldview_answers.push_back(b.id);
    }
    if (joins.worldview_answers.empty()) {
        const std::string who = record->perspective_actor.empty()
                                    ? record->perspective_name
                                    : named(inquiry.actor_name(record->perspective_actor), record->perspective_actor);
        r.add("SSM-JOIN-007",
              {record->perspective_actor.empty() ? Entity{"party", "perspective", record->perspective_name}
                                                 : Entity{"actor", record->perspective_actor, inquiry.actor_name(record->perspective_actor)}},
              "The worldview of " + model_label(m) + " is " + who +
                  "'s, but " + who + " has no CSH worldview answer (category 12) to set beside it: record it with the "
                  "other boundary judgements");
    }
}

} // namespace holon_ssm::checks::detail
