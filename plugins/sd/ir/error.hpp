// The one exception type of the SD core: a problem with a model, located as precisely as known.
#pragma once

#include <stdexcept>
#include <string>

namespace holon_sd {

class ModelError : public std::runtime_error {
public:
    explicit ModelError(const std::string &message, std::string variable = {}, int line = 0, int column = 0)
        : std::runtime_error(message), variable_(std::move(variable)), line_(line), column_(column) {}
    const std::string &variable() const noexcept { return variable_; }
    int line() const noexcept { return line_; }
    int column() const noexcept { return column_; }

private:
    std::string variable_;
    int line_;
    int column_;
};

} // namespace holon_sd
