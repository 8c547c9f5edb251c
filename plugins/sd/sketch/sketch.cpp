#include "sketch/sketch.hpp"

#include "ir/names.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

namespace holon_sd {

namespace {

// Where a pipe meets the element at its end: a stock's edge facing the valve, level with the
// valve when the valve is within the stock's side (Vensim draws the pipe straight through the
// valve); else the element's centre.
std::pair<double, double> pipe_end(const ViewElement &end, const ViewElement &valve) {
    if (end.kind != ViewElementKind::stock) return {end.x, end.y};
    double dx = valve.x - end.x, dy = valve.y - end.y;
    double half_w = std::max(0.0, end.width / 2), half_h = std::max(0.0, end.height / 2);
    if (std::abs(dx) >= std::abs(dy))
        return {end.x + (dx >= 0 ? half_w : -half_w), std::abs(dy) <= half_h ? valve.y : end.y};
    return {std::abs(dx) <= half_w ? valve.x : end.x, end.y + (dy >= 0 ? half_h : -half_h)};
}

std::string label_side(const SketchObject &label, const SketchObject &valve) {
    double dx = label.x - valve.x, dy = label.y - valve.y;
    if (dx == 0 && dy == 0) return "center";
    if (std::abs(dy) >= std::abs(dx)) return dy > 0 ? "bottom" : "top";
    return dx > 0 ? "right" : "left";
}

} // namespace

View view_from_sketch(std::string name, const std::vector<SketchObject> &objects, const std::vector<SketchArrow> &arrows,
                      const KindOf &kind_of) {
    View view;
    view.name = std::move(name);
    std::map<int, size_t> index;     // object id -> element index
    std::map<int, int> same_as;      // a flow name's id -> its valve's id
    std::set<std::string> drawn;     // canonical names already drawn in this view
    std::set<int> valves;            // ids of valves
    int open_valve = -1;             // index of the last valve still without a name
    const SketchObject *open_valve_object = nullptr;
    for (const SketchObject &o : objects) {
        if (index.count(o.id) || same_as.count(o.id)) continue; // ids are unique in a sane sketch
        ViewElement e;
        e.id = o.id;
        e.x = o.x;
        e.y = o.y;
        e.width = 2 * o.half_width;
        e.height = 2 * o.half_height;
        if (o.type == 11) {
            e.kind = ViewElementKind::flow;
            valves.insert(o.id);
            index[o.id] = view.elements.size();
            open_valve = static_cast<int>(view.elements.size());
            open_valve_object = &o;
            view.elements.push_back(std::move(e));
            continue;
        }
        if (o.type == 12) {
            e.kind = o.cloud ? ViewElementKind::cloud : ViewElementKind::comment;
            if (!o.cloud) e.name = o.name;
            index[o.id] = view.elements.size();
            view.elements.push_back(std::move(e));
            continue;
        }
        std::optional<VariableKind> kind = kind_of ? kind_of(o.name) : std::nullopt;
        if (!kind) kind = (o.shape & 32) ? VariableKind::flow : (o.shape & 7) == 3 ? VariableKind::stock : VariableKind::aux;
        std::string key = canonical_name(o.name);
        if (*kind == VariableKind::flow && open_valve >= 0 && !drawn.count(key)) {
            ViewElement &valve = view.elements[static_cast<size_t>(open_valve)];
            valve.name = o.name;
            valve.label_side = label_side(o, *open_valve_object);
            same_as[o.id] = valve.id;
            drawn.insert(key);
            open_valve = -1;
            continue;
        }
        e.name = o.name;
        if (drawn.count(key)) e.kind = ViewElementKind::alias;
        else if (*kind == VariableKind::stock) e.kind = ViewElementKind::stock;
        else if (*kind == VariableKind::flow) e.kind = ViewElementKind::flow;
        else e.kind = ViewElementKind::aux;
        drawn.insert(key);
        index[o.id] = view.elements.size();
        view.elements.push_back(std::move(e));
    }
    auto element_id = [&](int id) {
        auto s = same_as.find(id);
        return s == same_as.end() ? id : s->second;
    };
    // Pipes: the tail (shape 100) leads to the flow's source, the other pipe to its sink.
    std::map<int, std::pair<int, int>> pipes; // valve id -> (source id, sink id), 0 when unknown
    for (const SketchArrow &a : arrows) {
        if (!valves.count(a.from)) {
            ViewLink l;
            l.id = a.id;
            l.from = element_id(a.from);
            l.to = element_id(a.to);
            l.points = a.points;
            view.links.push_back(std::move(l));
            continue;
        }
        auto &[source, sink] = pipes[a.from];
        if (a.shape == 100 && source == 0) source = a.to;
        else if (sink == 0) sink = a.to;
        else if (source == 0) source = a.to;
    }
    for (const auto &[valve_id, ends] : pipes) {
        ViewElement &valve = view.elements[index[valve_id]];
        for (int end : {ends.first, ends.second}) {
            auto it = index.find(end);
            if (it != index.end()) valve.points.push_back(pipe_end(view.elements[it->second], valve));
        }
    }
    return view;
}

} // namespace holon_sd
