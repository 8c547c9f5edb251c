// Vensim's sketch records (objects and arrows) turned into an IR view. Both front ends that meet
// them use it: mdl/ for the sketch of a .mdl file, model_json/ for models stored before views
// held XMILE diagrams (they kept Vensim's records).
#pragma once

#include "ir/model.hpp"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace holon_sd {

// One sketch object as Vensim writes it: type 10 variable, 11 valve, 12 cloud or comment.
// Vensim's sizes are half extents around the centre x, y.
struct SketchObject {
    int type = 0;
    int id = 0;
    std::string name; // variable name, or a comment's text
    double x = 0, y = 0, half_width = 0, half_height = 0;
    int shape = 0; // Vensim's shape bits: 3 a box (stock), bit 32 the name of the valve before it
    bool cloud = false;
};

// One arrow (type 1). An arrow leaving a valve is a flow pipe; shape 100 marks the pipe's tail.
struct SketchArrow {
    int id = 0;
    int from = 0, to = 0;
    int shape = 0;
    std::vector<std::pair<double, double>> points;
};

// The model's kind of a variable by name, when the caller knows the model.
using KindOf = std::function<std::optional<VariableKind>(const std::string &)>;

// Turns Vensim's objects into the IR's view: a valve and its name become one flow element (at the
// valve, with the pipe's end points), pipes stop being links, arrows to a flow's name point at the
// flow, a variable drawn a second time becomes an alias. kind_of (optional) overrides the kind the
// shape suggests.
View view_from_sketch(std::string name, const std::vector<SketchObject> &objects, const std::vector<SketchArrow> &arrows,
                      const KindOf &kind_of = {});

} // namespace holon_sd
