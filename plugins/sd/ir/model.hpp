// The System Dynamics model IR, shared by every reader (XMILE, Vensim .mdl) and by the
// shared-model (holon-model/1) mapping. It keeps equations as text exactly as the source wrote
// them; the compiler parses them. Everything a reader can express maps onto these few structs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace holon_sd {

enum class VariableKind { stock, flow, aux };

// How a graphical function (lookup) treats x between and beyond its points.
//   continuous:  linear interpolation, clamped to the end values outside the x range
//   extrapolate: linear interpolation, linear extrapolation from the end segments
//   discrete:    step function: the y of the last point whose x <= input
enum class GraphicalFunctionType { continuous, extrapolate, discrete };

struct Scale {
    double min = 0;
    double max = 0;
};

struct GraphicalFunction {
    GraphicalFunctionType type = GraphicalFunctionType::continuous;
    std::vector<double> xs; // same length as ys, strictly increasing after reading
    std::vector<double> ys;
    std::optional<Scale> xscale; // as written in the source (kept for round trips)
    std::optional<Scale> yscale;
};

// One element's own equation of an arrayed variable ("per-element" definition).
struct ElementEquation {
    std::vector<std::string> subscripts; // one element name per dimension of the variable
    std::string equation;
    std::optional<GraphicalFunction> gf;
};

struct Variable {
    std::string name; // as written in the source, e.g. "Teacup Temperature"
    VariableKind kind = VariableKind::aux;
    std::string equation; // stocks: the initial value; empty when per-element equations are used
    std::string units;
    std::string documentation;
    std::vector<std::string> inflows;  // stocks only: names of flows
    std::vector<std::string> outflows; // stocks only
    bool non_negative = false;         // stocks: clamp at 0; flows: clamp at 0 (uniflow)
    std::optional<GraphicalFunction> gf; // the equation's value is passed through it
    std::vector<std::string> dimensions;   // empty for a scalar
    std::vector<ElementEquation> elements; // per-element equations, if any
};

struct Dimension {
    std::string name;
    std::vector<std::string> elements;
};

// cvode: SUNDIALS CVODE, variable step and order (BDF or Adams), for smooth models only.
enum class IntegrationMethod { euler, rk2, rk4, cvode };

// Vensim's :NA: is this number, not NaN: models compare against it and compute with it. Outputs
// show it as missing (NaN), as Vensim's own output files leave the cell empty.
inline constexpr double vensim_na = -1.298074214633707e33;

struct SimSpecs {
    double start = 0;
    double stop = 10;
    double dt = 1;
    std::optional<double> save_step; // default: dt
    IntegrationMethod method = IntegrationMethod::euler;
    std::string time_units;
    // Vensim control variables whose equations change during the run (TIME STEP, FINAL TIME,
    // SAVEPER over Time): each names the model variable the engine reads at every step, and the
    // number above is only its value at the start. Empty: the number is used throughout.
    std::string dt_variable, stop_variable, save_step_variable;
};

// A diagram of the model as the source drew it (XMILE views, Vensim sketches), kept for diagrams
// and round trips; never read by the simulation.
//   cloud:   the open end of a flow (Vensim draws one; XMILE leaves it implicit)
//   comment: free text (XMILE text_box, Vensim comment)
//   alias:   a second drawing of a variable (XMILE alias, Vensim shadow variable)
enum class ViewElementKind { stock, flow, aux, module, cloud, comment, alias };

// Coordinates are the source's pixels, y downwards. x, y is the element's centre for every kind
// (comments too; XMILE's text_box corner is converted on reading and writing); width and height
// are the full extents, 0 when the source left them to its default style.
struct ViewElement {
    int id = 0; // unique within its view; links refer to it
    ViewElementKind kind = ViewElementKind::aux;
    std::string name; // the variable shown (for an alias: the original), or a comment's text
    double x = 0, y = 0, width = 0, height = 0;
    std::string label_side;                        // "top", "bottom", "left", "right", "center"; empty: default
    std::vector<std::pair<double, double>> points; // flows: the pipe, from its source end to its sink end
};

// A connector (information link) between two elements of the same view.
struct ViewLink {
    int id = 0;
    int from = 0, to = 0;        // element ids
    std::optional<double> angle; // XMILE: direction at the start, degrees counterclockwise from east
    std::vector<std::pair<double, double>> points; // Vensim: the arc's control point(s)
};

struct View {
    std::string name;
    double width = 0, height = 0; // page size, 0 when not given
    std::vector<ViewElement> elements;
    std::vector<ViewLink> links;
};

// A unit of measure the model defines (XMILE <model_units>): other names for it, and optionally
// an equation in other units ("7 * day", "kg*m/s^2").
struct UnitDefinition {
    std::string name;
    std::string equation; // empty: a base unit
    std::vector<std::string> aliases;
};

struct Model {
    std::string name;
    SimSpecs sim_specs;
    std::vector<Dimension> dimensions;
    std::vector<Variable> variables;
    std::vector<View> views;
    std::vector<UnitDefinition> units;
    std::vector<std::string> warnings; // what a reader had to repair or left out, for a person
    // "xmile", "stmx" or "mdl": the format the model was read from (empty when not known). Display names
    // follow that tool's conventions (XMILE's qualified names of module variables).
    std::string source_format;
};

const char *to_string(VariableKind kind);
const char *to_string(GraphicalFunctionType type);
const char *to_string(IntegrationMethod method);
const char *to_string(ViewElementKind kind);
std::optional<VariableKind> variable_kind_from_string(std::string_view text);
std::optional<GraphicalFunctionType> graphical_function_type_from_string(std::string_view text);
// Accepts the XMILE spellings ("Euler", "RK4", "rk2", ...); case-insensitive.
std::optional<IntegrationMethod> integration_method_from_string(std::string_view text);
std::optional<ViewElementKind> view_element_kind_from_string(std::string_view text);

} // namespace holon_sd
