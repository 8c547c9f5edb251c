#include "xmile/views.hpp"

#include "ir/names.hpp"

#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>

namespace holon_sd {

namespace {

using xml::Element;

constexpr size_t max_views = 1000;
constexpr size_t max_elements = 1'000'000; // over all views
constexpr size_t max_points = 10'000;      // per flow or connector
constexpr size_t max_warnings = 50;

// Collects the warnings of one import; past a limit only their number is told, so a hostile file
// cannot fill the model with them.
class Warnings {
public:
    explicit Warnings(std::vector<std::string> &out) : out_(out) {}
    ~Warnings() {
        if (dropped_ > 0) out_.push_back("views: " + std::to_string(dropped_) + " more display objects left out");
    }
    Warnings(const Warnings &) = delete;
    Warnings &operator=(const Warnings &) = delete;
    void add(const Element &at, const std::string &what) {
        if (added_ >= max_warnings) {
            ++dropped_;
            return;
        }
        ++added_;
        out_.push_back("views: " + what + " (line " + std::to_string(at.line) + ", column " + std::to_string(at.column) +
                       "), left out");
    }

private:
    std::vector<std::string> &out_;
    size_t added_ = 0, dropped_ = 0;
};

// An attribute's number: nullopt when absent; throws nothing, reports bad text through `bad`.
std::optional<double> number_attribute(const Element &e, const char *name, bool &bad) {
    const std::string *text = e.attribute(name);
    if (!text) return std::nullopt;
    std::string t = trim(*text);
    char *end = nullptr;
    double v = std::strtod(t.c_str(), &end);
    if (t.empty() || end != t.c_str() + t.size() || !std::isfinite(v)) {
        bad = true;
        return std::nullopt;
    }
    return v;
}

std::optional<std::vector<std::pair<double, double>>> read_points(const Element &e) {
    std::vector<std::pair<double, double>> out;
    const Element *pts = e.child("pts");
    if (!pts) return out;
    for (const Element *pt : pts->children_named("pt")) {
        if (out.size() >= max_points) return std::nullopt;
        bool bad = false;
        auto x = number_attribute(*pt, "x", bad), y = number_attribute(*pt, "y", bad);
        if (bad || !x || !y) return std::nullopt;
        out.emplace_back(*x, *y);
    }
    return out;
}

std::optional<ViewElementKind> display_kind(const std::string &local_name) {
    if (local_name == "stock") return ViewElementKind::stock;
    if (local_name == "flow") return ViewElementKind::flow;
    if (local_name == "aux") return ViewElementKind::aux;
    if (local_name == "module") return ViewElementKind::module;
    if (local_name == "alias") return ViewElementKind::alias;
    if (local_name == "text_box") return ViewElementKind::comment;
    return std::nullopt;
}

// One end of a connector: a variable's name, or <alias uid="..."/>.
struct End {
    std::string name;
    std::optional<std::string> alias_uid;
};

std::optional<End> connector_end(const Element *e) {
    if (!e) return std::nullopt;
    if (const Element *alias = e->child("alias")) {
        const std::string *uid = alias->attribute("uid");
        if (!uid) return std::nullopt;
        return End{{}, trim(*uid)};
    }
    std::string name = trim(e->text);
    if (name.empty()) return std::nullopt;
    return End{name, std::nullopt};
}

bool is_builtin_time(const std::string &name) {
    std::string n = canonical_name(name);
    return n == "time" || n == "dt" || n == "starttime" || n == "stoptime";
}

class ViewReader {
public:
    ViewReader(Warnings &warnings, size_t &elements) : warnings_(warnings), elements_(elements) {}

    View read(const Element &v) {
        view_.name = v.attribute("name") ? trim(*v.attribute("name")) : std::string();
        bool bad = false;
        view_.width = number_attribute(v, "page_width", bad).value_or(0);
        view_.height = number_attribute(v, "page_height", bad).value_or(0);
        if (bad) view_.width = view_.height = 0; // the page size is a hint only
        std::vector<const Element *> connectors;
        for (const Element &c : v.children) {
            if (c.has_prefix) continue;
            if (c.local_name == "connector") {
                connectors.push_back(&c);
                continue;
            }
            if (auto kind = display_kind(c.local_name)) read_element(c, *kind);
        }
        for (const Element *c : connectors) read_connector(*c);
        return std::move(view_);
    }

private:
    void read_element(const Element &c, ViewElementKind kind) {
        if (elements_ >= max_elements) {
            warnings_.add(c, "too many display objects");
            return;
        }
        ViewElement e;
        e.kind = kind;
        e.id = ++next_id_;
        if (kind == ViewElementKind::comment) {
            e.name = trim(c.text);
        } else if (kind == ViewElementKind::alias) {
            const Element *of = c.child("of");
            e.name = of ? trim(of->text) : std::string();
            if (e.name.empty()) return warnings_.add(c, "<alias> without <of>");
        } else {
            const std::string *name = c.attribute("name");
            e.name = name ? trim(*name) : std::string();
            if (e.name.empty()) return warnings_.add(c, "<" + c.local_name + "> without a name");
        }
        bool bad = false;
        auto x = number_attribute(c, "x", bad), y = number_attribute(c, "y", bad);
        e.width = number_attribute(c, "width", bad).value_or(0);
        e.height = number_attribute(c, "height", bad).value_or(0);
        if (bad || !x || !y || e.width < 0 || e.height < 0)
            return warnings_.add(c, "<" + c.local_name + "> '" + e.name + "' without a valid position or size");
        e.x = *x;
        e.y = *y;
        // XMILE places a text box by its top-left corner and everything else by its centre.
        if (kind == ViewElementKind::comment) {
            e.x += e.width / 2;
            e.y += e.height / 2;
        }
        if (const std::string *side = c.attribute("label_side")) {
            std::string s = canonical_name(*side);
            if (s == "top" || s == "bottom" || s == "left" || s == "right" || s == "center") e.label_side = s;
        }
        if (kind == ViewElementKind::flow) {
            auto points = read_points(c);
            if (!points) return warnings_.add(c, "<flow> '" + e.name + "' with a malformed <pts>");
            e.points = std::move(*points);
        }
        if (const std::string *uid = c.attribute("uid")) by_uid_[trim(*uid)] = e.id;
        if (kind != ViewElementKind::alias && kind != ViewElementKind::comment)
            by_name_.emplace(canonical_name(e.name), e.id);
        ++elements_;
        view_.elements.push_back(std::move(e));
    }

    std::optional<int> resolve(const End &end) const {
        if (end.alias_uid) {
            auto it = by_uid_.find(*end.alias_uid);
            if (it == by_uid_.end()) return std::nullopt;
            return it->second;
        }
        auto it = by_name_.find(canonical_name(end.name));
        if (it == by_name_.end()) return std::nullopt;
        return it->second;
    }

    void read_connector(const Element &c) {
        auto from = connector_end(c.child("from")), to = connector_end(c.child("to"));
        if (!from || !to) return warnings_.add(c, "<connector> without <from> and <to>");
        auto from_id = resolve(*from), to_id = resolve(*to);
        // Vensim-converted files draw connectors from TIME, which has no display object in XMILE.
        if (!from_id && is_builtin_time(from->name)) return;
        if (!from_id || !to_id)
            return warnings_.add(c, "<connector> from '" + (from->name.empty() ? "alias" : from->name) + "' to '" +
                                        (to->name.empty() ? "alias" : to->name) + "' whose ends are not in the view");
        ViewLink l;
        l.id = ++next_id_;
        l.from = *from_id;
        l.to = *to_id;
        bool bad = false;
        l.angle = number_attribute(c, "angle", bad);
        auto points = read_points(c);
        if (bad || !points) return warnings_.add(c, "<connector> with a malformed angle or <pts>");
        l.points = std::move(*points);
        view_.links.push_back(std::move(l));
    }

    Warnings &warnings_;
    size_t &elements_;
    View view_;
    int next_id_ = 0;
    std::map<std::string, int> by_name_; // canonical variable name -> element id (first drawing)
    std::map<std::string, int> by_uid_;
};

void read_units(const Element &model_units, Model &model, Warnings &warnings) {
    for (const Element *u : model_units.children_named("unit")) {
        UnitDefinition d;
        const std::string *name = u->attribute("name");
        d.name = name ? trim(*name) : std::string();
        if (d.name.empty()) {
            warnings.add(*u, "<unit> without a name");
            continue;
        }
        if (const Element *eqn = u->child("eqn")) d.equation = trim(eqn->text);
        for (const Element *a : u->children_named("alias"))
            if (std::string alias = trim(a->text); !alias.empty()) d.aliases.push_back(alias);
        model.units.push_back(std::move(d));
    }
}

// The main model: the one without a name (modules are named), else the first.
const Element *main_model(const Element &root) {
    std::vector<const Element *> models = root.children_named("model");
    for (const Element *m : models)
        if (!m->attribute("name")) return m;
    return models.empty() ? nullptr : models.front();
}

} // namespace

void read_views_and_units(const Element &root, Model &model) {
    Warnings warnings(model.warnings);
    if (const Element *units = root.child("model_units")) read_units(*units, model, warnings);
    const Element *main = main_model(root);
    const Element *views = main ? main->child("views") : nullptr;
    if (!views) return;
    size_t elements = 0;
    for (const Element *v : views->children_named("view")) {
        // Views without a type are stock-and-flow views (XMILE 1.0 §6); interface and popup views
        // hold controls and graphs, not the diagram.
        const std::string *type = v->attribute("type");
        if (type && canonical_name(*type) != "stock flow") continue;
        if (model.views.size() >= max_views) {
            warnings.add(*v, "too many views");
            break;
        }
        ViewReader reader(warnings, elements);
        View view = reader.read(*v);
        if (!view.elements.empty()) model.views.push_back(std::move(view));
    }
}

} // namespace holon_sd
