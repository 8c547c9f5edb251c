// Shared by the methods: the IR from the run's shared model, and ModelError as holon::Error.
#pragma once

#include "ir/error.hpp"
#include "ir/model.hpp"

#include <holon/plugin.hpp>

#include <string>

namespace holon_sd {

// The IR rebuilt from the run's holon-model/1 document; throws holon::Error on a bad model.
Model model_from_context(const holon::Context &ctx);

// A holon::Error (HOLON_ERR_INVALID_MODEL) carrying the variable, line and column as details.
holon::Error to_holon_error(const ModelError &e, int32_t code = HOLON_ERR_INVALID_MODEL);

} // namespace holon_sd
