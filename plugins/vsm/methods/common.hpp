// What every vsm method does first: read the model's organisation, turning a ModelError into the
// run's invalid-model failure with its JSON Pointer.
#pragma once

#include "org/organisation.hpp"

#include <holon/inputs.hpp>

namespace holon_vsm::methods {

inline Organisation organisation_of(const nlohmann::json &model) {
    try {
        return read_organisation(model);
    } catch (const ModelError &e) {
        holon::fail_model(e.pointer, e.what());
    }
}

} // namespace holon_vsm::methods
