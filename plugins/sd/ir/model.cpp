#include "ir/model.hpp"

#include "ir/names.hpp"

namespace holon_sd {

const char *to_string(VariableKind kind) {
    switch (kind) {
    case VariableKind::stock: return "stock";
    case VariableKind::flow: return "flow";
    case VariableKind::aux: return "aux";
    }
    return "aux";
}

const char *to_string(GraphicalFunctionType type) {
    switch (type) {
    case GraphicalFunctionType::continuous: return "continuous";
    case GraphicalFunctionType::extrapolate: return "extrapolate";
    case GraphicalFunctionType::discrete: return "discrete";
    }
    return "continuous";
}

const char *to_string(IntegrationMethod method) {
    switch (method) {
    case IntegrationMethod::euler: return "euler";
    case IntegrationMethod::rk2: return "rk2";
    case IntegrationMethod::rk4: return "rk4";
    case IntegrationMethod::cvode: return "cvode";
    }
    return "euler";
}

const char *to_string(ViewElementKind kind) {
    switch (kind) {
    case ViewElementKind::stock: return "stock";
    case ViewElementKind::flow: return "flow";
    case ViewElementKind::aux: return "aux";
    case ViewElementKind::module: return "module";
    case ViewElementKind::cloud: return "cloud";
    case ViewElementKind::comment: return "comment";
    case ViewElementKind::alias: return "alias";
    }
    return "aux";
}

std::optional<VariableKind> variable_kind_from_string(std::string_view text) {
    std::string t = canonical_name(text);
    if (t == "stock") return VariableKind::stock;
    if (t == "flow") return VariableKind::flow;
    if (t == "aux") return VariableKind::aux;
    return std::nullopt;
}

std::optional<GraphicalFunctionType> graphical_function_type_from_string(std::string_view text) {
    std::string t = canonical_name(text);
    if (t == "continuous") return GraphicalFunctionType::continuous;
    if (t == "extrapolate") return GraphicalFunctionType::extrapolate;
    if (t == "discrete") return GraphicalFunctionType::discrete;
    return std::nullopt;
}

std::optional<IntegrationMethod> integration_method_from_string(std::string_view text) {
    std::string t = canonical_name(text);
    if (t == "euler") return IntegrationMethod::euler;
    if (t == "rk2") return IntegrationMethod::rk2;
    if (t == "rk4") return IntegrationMethod::rk4;
    if (t == "cvode") return IntegrationMethod::cvode;
    return std::nullopt;
}

std::optional<ViewElementKind> view_element_kind_from_string(std::string_view text) {
    std::string t = canonical_name(text);
    for (ViewElementKind k : {ViewElementKind::stock, ViewElementKind::flow, ViewElementKind::aux, ViewElementKind::module,
                              ViewElementKind::cloud, ViewElementKind::comment, ViewElementKind::alias})
        if (t == to_string(k)) return k;
    return std::nullopt;
}

} // namespace holon_sd
