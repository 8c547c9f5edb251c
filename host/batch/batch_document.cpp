#include "batch/batch_document.hpp"

#include "batch/batch_spec.hpp"
#include "batch/references.hpp"
#include "batch/designs.hpp"
#include "batch/files.hpp"
#include "batch/sampling.hpp"
#include "digest/sha256.hpp"
#include "embedded_batch_schema.hpp"
#include "jsonschema/json_schema.hpp"

#include "yaml/yaml_json.hpp"

#include <charconv>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace holon::batch {

const std::string &job_schema_text() {
    static const std::string text(embedded::batch_job_schema);
    return text;
}

namespace {

constexpr uint64_t max_job_bytes = 16ull << 20;
constexpr size_t max_points_per_step = 1000000;

const jsonschema::Schema &job_schema() {
    static const jsonschema::Schema schema = jsonschema::Schema::parse(job_schema_text());
    return schema;
}

std::string pointer(const std::string &base, const std::string &key) { return base + "/" + key; }

// outputs.colour_by: a swept variable by its path or its last segment ("contact_infectivity").
std::string colour_axis(const StepSpec &step, const std::string &name, const std::string &where) {
    if (step.axes.empty()) throw DocumentError(where, "colours runs by a swept variable, and this step has no sweep");
    std::string names;
    for (const auto &axis : step.axes) {
        const std::string last = axis.substr(axis.rfind('.') == std::string::npos ? 0 : axis.rfind('.') + 1);
        if (name == axis || name == last) return axis;
        names += (names.empty() ? "" : ", ") + axis;
    }
    throw DocumentError(where, "'" + name + "' is not swept in this step (swept: " + names + ")");
}

Distribution distribution_from(const nlohmann::json &d, const std::string &where) {
    Distribution out;
    const std::string kind = d.value("distribution", "uniform"); // uncertainties: a range by default
    std::set<std::string> allowed{"name", "distribution"};
    auto num = [&](const char *key) { return d.at(key).get<double>(); };
    if (kind == "uniform") {
        out.kind = DistributionKind::uniform;
        out.a = num("min");
        out.b = num("max");
        allowed.insert({"min", "max"});
        if (!(out.a < out.b))
            throw DocumentError(where, "min (" + number_text(out.a) + ") must be below max (" + number_text(out.b) +
                                           (out.a > out.b ? "): the bounds are reversed" : ")"));
    } else if (kind == "normal") {
        out.kind = DistributionKind::normal;
        out.a = num("mean");
        out.b = num("sd");
        allowed.insert({"mean", "sd"});
    } else if (kind == "lognormal") {
        out.kind = DistributionKind::lognormal;
        out.a = num("meanlog");
        out.b = num("sdlog");
        allowed.insert({"meanlog", "sdlog"});
    } else if (kind == "triangular") {
        out.kind = DistributionKind::triangular;
        out.a = num("min");
        out.b = num("max");
        out.c = num("mode");
        allowed.insert({"min", "max", "mode"});
        if (!(out.a < out.b) || out.c < out.a || out.c > out.b)
            throw DocumentError(where, "triangular needs min < max and min <= mode <= max (got min " + number_text(out.a) +
                                           ", mode " + number_text(out.c) + ", max " + number_text(out.b) + ")");
    } else {
        out.kind = DistributionKind::discrete;
        out.values = d.at("values").get<std::vector<double>>();
        allowed.insert({"values", "weights"});
        if (d.contains("weights")) {
            out.weights = d.at("weights").get<std::vector<double>>();
            if (out.weights.size() != out.values.size())
                throw DocumentError(pointer(where, "weights"), "needs one weight per value (" + std::to_string(out.values.size()) + ")");
            double total = 0;
            for (double w : out.weights) total += w;
            if (!(total > 0)) throw DocumentError(pointer(where, "weights"), "weights must not all be zero");
        }
    }
    for (const auto &[key, value] : d.items())
        if (!allowed.count(key)) throw DocumentError(pointer(where, key), "not a parameter of a " + kind + " distribution");
    return out;
}

void check_point_count(size_t count, const std::string &where) {
    if (count > max_points_per_step)
        throw DocumentError(where, std::to_string(count) + " points is over the limit of " + std::to_string(max_points_per_step));
}

// sobol, morris or factorial over `uncertainties`, times every combination of `levers`.
void read_design(const nlohmann::json &sweep, const std::string &where, StepSpec &step) {
    std::vector<std::string> designs;
    for (const char *k : {"sobol", "morris", "factorial"})
        if (sweep.contains(k)) designs.push_back(k);
    for (const char *k : {"grid", "latin_hypercube", "monte_carlo", "scenarios"})
        if (sweep.contains(k))
            throw DocumentError(pointer(where, k), std::string("a sweep is either ") + k + " alone or a design (" +
                                                       (designs.empty() ? "sobol" : designs[0]) + ") with uncertainties, not both");
    if (designs.size() != 1)
        throw DocumentError(where, designs.empty() ? "levers and uncertainties need a design: sobol, morris or factorial"
                                                   : "give one design, not " + designs[0] + " and " + designs[1]);
    const std::string kind = designs[0];
    if (!sweep.contains("uncertainties")) throw DocumentError(where, kind + " needs uncertainties: [{name, min, max}, ...]");
    const auto &u = sweep["uncertainties"];
    std::vector<Distribution> dims;
    std::set<std::string> seen;
    for (size_t i = 0; i < u.size(); ++i) {
        const std::string at = pointer(where, "uncertainties") + "/" + std::to_string(i);
        const auto name = u[i]["name"].get<std::string>();
        if (!seen.insert(name).second) throw DocumentError(at + "/name", "'" + name + "' is already an uncertainty");
        step.axes.push_back(name);
        dims.push_back(distribution_from(u[i], at));
        if (kind == "morris" && dims.back().kind != DistributionKind::uniform)
            throw DocumentError(at, "Morris designs need ranges (uniform: min, max); '" + name + "' is " +
                                        u[i].value("distribution", "uniform"));
    }
    const auto &settings = sweep[kind];
    const auto D = static_cast<unsigned>(dims.size());
    UnitPoints unit;
    std::vector<std::vector<double>> factorial;
    nlohmann::json doc{{"design", kind}, {"settings", settings}};
    if (kind == "sobol") {
        step.sweep = SweepKind::sobol;
        if (2 * D > kSobolMaxDimensions)
            throw DocumentError(pointer(where, "uncertainties"), "a Sobol design takes at most " +
                                                                      std::to_string(kSobolMaxDimensions / 2) + " uncertainties, not " + std::to_string(D));
        const auto n = settings["samples"].get<uint64_t>();
        const bool second = settings.value("second_order", true);
        check_point_count(saltelli_rows(D, n, second), pointer(where, "sobol") + "/samples");
        unit = saltelli(D, n, second, settings.value("scramble", true), settings.value("seed", uint64_t{0}));
        doc["samples"] = n;
        doc["second_order"] = second;
        doc["rows_per_sample"] = second ? 2 * D + 2 : D + 2;
        doc["layout"] = second ? "per sample: A, AB_1..AB_D, BA_1..BA_D, B (SALib's sobol.sample order)"
                               : "per sample: A, AB_1..AB_D, B (SALib's sobol.sample order)";
    } else if (kind == "morris") {
        step.sweep = SweepKind::morris;
        const auto r = settings["trajectories"].get<uint64_t>();
        const auto levels = settings.value("levels", 4u);
        const auto candidates = settings.value("candidates", uint64_t{0});
        if (candidates != 0 && candidates < r)
            throw DocumentError(pointer(where, "morris") + "/candidates", "must be at least trajectories (" + std::to_string(r) + ")");
        check_point_count(r * (D + 1), pointer(where, "morris") + "/trajectories");
        unit = morris(D, r, levels, candidates, settings.value("seed", uint64_t{0}));
        doc["trajectories"] = r;
        doc["levels"] = levels;
        doc["delta"] = morris_delta(levels);
        doc["rows_per_trajectory"] = D + 1;
        doc["layout"] = "per trajectory: D+1 rows; each row changes one uncertainty by +-delta in unit-cube coordinates";
    } else {
        step.sweep = SweepKind::factorial;
        const auto levels = settings.value("levels", 2u);
        size_t total = 1;
        for (const auto &dim : dims) {
            std::vector<double> values;
            if (dim.kind == DistributionKind::uniform) values = linspace(dim.a, dim.b, levels);
            else if (dim.kind == DistributionKind::discrete) values = dim.values;
            else
                for (double x : centred_levels(levels)) values.push_back(dim.quantile(x));
            total *= values.size();
            check_point_count(total, pointer(where, "factorial") + "/levels");
            factorial.push_back(std::move(values));
        }
        doc["levels"] = levels;
        doc["layout"] = "full factorial, the first uncertainty varying slowest";
    }

    std::vector<std::vector<double>> lever_values;
    nlohmann::json levers = nlohmann::json::array();
    if (sweep.contains("levers"))
        for (size_t i = 0; i < sweep["levers"].size(); ++i) {
            const auto &l = sweep["levers"][i];
            const auto name = l["name"].get<std::string>();
            if (!seen.insert(name).second)
                throw DocumentError(pointer(where, "levers") + "/" + std::to_string(i) + "/name", "'" + name + "' is already swept");
            step.axes.push_back(name);
            lever_values.push_back(l["values"].get<std::vector<double>>());
            levers.push_back(l);
        }
    const auto policies = lever_values.empty() ? std::vector<std::vector<double>>{{}} : grid_points(lever_values);
    const auto scenarios = factorial.empty() ? std::vector<std::vector<double>>() : grid_points(factorial);
    const size_t rows = factorial.empty() ? unit.size() : scenarios.size();
    check_point_count(rows * policies.size(), where);
    step.design.uncertainties = D;
    step.design.policies = policies.size();
    step.design.rows_per_policy = rows;
    for (size_t p = 0; p < policies.size(); ++p)
        for (size_t r = 0; r < rows; ++r) {
            std::vector<double> values;
            if (factorial.empty())
                for (unsigned d = 0; d < D; ++d) values.push_back(dims[d].quantile(unit[r][d]));
            else
                values = scenarios[r];
            values.insert(values.end(), policies[p].begin(), policies[p].end());
            Point point{step.points.size(), {}, values, nullptr};
            point.policy = p;
            step.points.push_back(std::move(point));
        }
    doc["uncertainties"] = u;
    doc["levers"] = levers;
    doc["policies"] = policies.size();
    doc["rows_per_policy"] = rows;
    step.design.document = std::move(doc);
}

void read_sweep(const nlohmann::json &sweep, const std::string &where, StepSpec &step) {
    for (const char *k : {"sobol", "morris", "factorial", "uncertainties", "levers"})
        if (sweep.contains(k)) return read_design(sweep, where, step);
    if (sweep.size() != 1) throw DocumentError(where, "give exactly one kind of sweep, not " + std::to_string(sweep.size()));
    if (sweep.contains("grid")) {
        step.sweep = SweepKind::grid;
        std::vector<std::vector<double>> axes;
        size_t total = 1;
        const auto &grid = sweep["grid"];
        for (size_t i = 0; i < grid.size(); ++i) {
            const auto &axis = grid[i];
            step.axes.push_back(axis["name"].get<std::string>());
            if (axis.contains("values")) axes.push_back(axis["values"].get<std::vector<double>>());
            else axes.push_back(linspace(axis["from"].get<double>(), axis["to"].get<double>(), axis["count"].get<uint64_t>()));
            total *= axes.back().size();
            check_point_count(total, pointer(where, "grid"));
        }
        for (auto &values : grid_points(axes)) step.points.push_back({step.points.size(), {}, values, nullptr});
        return;
    }
    if (sweep.contains("latin_hypercube") || sweep.contains("monte_carlo")) {
        const bool lhs = sweep.contains("latin_hypercube");
        step.sweep = lhs ? SweepKind::latin_hypercube : SweepKind::monte_carlo;
        const std::string key = lhs ? "latin_hypercube" : "monte_carlo";
        const auto &s = sweep[key];
        std::vector<Distribution> dims;
        for (size_t i = 0; i < s["parameters"].size(); ++i) {
            const auto &p = s["parameters"][i];
            step.axes.push_back(p["name"].get<std::string>());
            dims.push_back(distribution_from(p, pointer(where, key) + "/parameters/" + std::to_string(i)));
        }
        const auto samples = s["samples"].get<uint64_t>();
        const auto seed = s["seed"].get<uint64_t>();
        auto points = lhs ? latin_hypercube(dims, samples, seed) : monte_carlo(dims, samples, seed);
        for (auto &values : points) step.points.push_back({step.points.size(), {}, values, nullptr});
        return;
    }
    step.sweep = SweepKind::scenarios;
    const auto &scenarios = sweep["scenarios"];
    std::set<std::string> names;
    // The columns of a scenario sweep are the leaf paths its scenarios set, in order of appearance.
    std::function<void(const nlohmann::json &, const std::string &)> leaves = [&](const nlohmann::json &node,
                                                                                 const std::string &path) {
        for (const auto &[k, v] : node.items()) {
            const std::string p = path.empty() ? k : path + "." + k;
            if (v.is_object() && !v.empty()) leaves(v, p);
            else if (std::find(step.axes.begin(), step.axes.end(), p) == step.axes.end()) step.axes.push_back(p);
        }
    };
    for (size_t i = 0; i < scenarios.size(); ++i) {
        const auto name = scenarios[i]["name"].get<std::string>();
        if (!names.insert(name).second)
            throw DocumentError(pointer(where, "scenarios") + "/" + std::to_string(i) + "/name", "duplicate scenario name '" + name + "'");
        leaves(scenarios[i]["params"], "");
    }
    for (size_t i = 0; i < scenarios.size(); ++i) {
        Point p{i, scenarios[i]["name"].get<std::string>(), nlohmann::json::array(), scenarios[i]["params"]};
        for (const auto &axis : step.axes) {
            nlohmann::json at = p.patch;
            std::istringstream parts(axis);
            std::string key;
            while (std::getline(parts, key, '.') && !at.is_null()) at = at.is_object() && at.contains(key) ? at[key] : nlohmann::json();
            p.values.push_back(at);
        }
        step.points.push_back(std::move(p));
    }
}

runner::OutcomeSpec read_outcomes(const nlohmann::json &list, const std::string &where, const StepSpec &step) {
    runner::OutcomeSpec spec;
    spec.table = step.outputs.table;
    spec.time = step.outputs.time;
    std::set<std::string> names{"point", "status", "problem", "error"};
    for (size_t i = 0; i < list.size(); ++i) {
        const auto &o = list[i];
        const std::string at = where + "/" + std::to_string(i);
        runner::Outcome out;
        out.name = o["name"].get<std::string>();
        if (!names.insert(out.name).second)
            throw DocumentError(at + "/name", "'" + out.name + "' is already a column of outcomes.csv; choose another name");
        out.variable = o["variable"].get<std::string>();
        out.kind = *runner::outcome_kind(o.value("kind", "final"));
        if (o.contains("from")) out.from = o["from"].get<double>();
        if (o.contains("to")) out.to = o["to"].get<double>();
        if (out.from && out.to && *out.from > *out.to)
            throw DocumentError(at, "from (" + number_text(*out.from) + ") is after to (" + number_text(*out.to) + "): the window is reversed");
        if ((o.contains("threshold") || o.contains("direction")) && out.kind != runner::OutcomeKind::crossing)
            throw DocumentError(at, "threshold and direction belong to kind: crossing, not " + o.value("kind", std::string("final")));
        out.threshold = o.value("threshold", 0.0);
        const std::string direction = o.value("direction", "either");
        out.direction = direction == "up" ? 1 : direction == "down" ? -1 : 0;
        spec.outcomes.push_back(std::move(out));
    }
    return spec;
}

std::string canonical_hash(const nlohmann::json &doc) { return digest::sha256_hex(doc.dump()); }

std::shared_ptr<BatchSpec> build_spec(nlohmann::json doc, const std::string &source_name, const std::filesystem::path &base_dir) {
    if (auto v = job_schema().validate(doc); !v.empty()) {
        std::string msg = v.front().message;
        if (v.size() > 1) msg += " (and " + std::to_string(v.size() - 1) + " more problems)";
        throw DocumentError(v.front().path.empty() ? "/" : v.front().path, msg);
    }
    auto spec = std::make_shared<BatchSpec>();
    spec->source_name = source_name;
    spec->hash = canonical_hash(doc);
    spec->name = doc.value("name", std::filesystem::path(source_name).stem().string());
    spec->description = doc.value("description", "");
    if (doc.contains("options")) {
        spec->fail_fast = doc["options"].value("fail_fast", false);
        if (doc["options"].contains("timeout_seconds")) spec->timeout_seconds = doc["options"]["timeout_seconds"].get<double>();
    }
    for (const auto &[name, in] : doc["inputs"].items()) {
        InputRef ref;
        ref.name = name;
        if (in.contains("file")) {
            std::filesystem::path f = in["file"].get<std::string>();
            ref.file = f.is_absolute() ? f : (base_dir / f).lexically_normal();
        } else {
            ref.model_id = in["model_id"].get<std::string>();
        }
        spec->inputs.push_back(std::move(ref));
    }
    auto has_input = [&](const std::string &n) {
        return std::any_of(spec->inputs.begin(), spec->inputs.end(), [&](const InputRef &r) { return r.name == n; });
    };
    const auto &steps = doc["steps"];
    for (size_t i = 0; i < steps.size(); ++i) {
        const auto &s = steps[i];
        const std::string where = "/steps/" + std::to_string(i);
        StepSpec step;
        step.index = i;
        step.name = s["name"].get<std::string>();
        step.method = s["method"].get<std::string>();
        step.input = s.value("input", "");
        step.model_from = s.value("model_from", "");
        if (s.contains("params")) step.params = s["params"];
        auto earlier_single = [&](const std::string &name, const std::string &at) -> void {
            auto it = std::find_if(spec->steps.begin(), spec->steps.end(), [&](const StepSpec &e) { return e.name == name; });
            if (it == spec->steps.end()) throw DocumentError(at, "no earlier step is named '" + name + "'");
            if (it->sweep != SweepKind::none)
                throw DocumentError(at, "step '" + name + "' is a sweep with many results; refer to a step without a sweep");
            if (std::find(step.depends_on.begin(), step.depends_on.end(), name) == step.depends_on.end())
                step.depends_on.push_back(name);
        };
        for (const auto &e : spec->steps)
            if (e.name == step.name) throw DocumentError(where + "/name", "duplicate step name '" + step.name + "'");
        if (!step.input.empty() && !has_input(step.input))
            throw DocumentError(where + "/input", "no input is named '" + step.input + "'");
        if (!step.model_from.empty()) earlier_single(step.model_from, where + "/model_from");
        for (const auto &ref : find_references(step.params, where + "/params"))
            earlier_single(ref.step, where + "/params" + ref.location);
        if (s.contains("sweep")) {
            read_sweep(s["sweep"], where + "/sweep", step);
            if (step.sweep == SweepKind::scenarios)
                for (size_t k = 0; k < step.points.size(); ++k)
                    for (const auto &ref : find_references(step.points[k].patch, where + "/sweep/scenarios/" + std::to_string(k) + "/params"))
                        earlier_single(ref.step, where + "/sweep/scenarios/" + std::to_string(k) + "/params" + ref.location);
        } else {
            step.points.push_back({0, {}, nlohmann::json::array(), nullptr});
        }
        if (s.contains("outputs")) {
            const auto &o = s["outputs"];
            step.outputs.table = o.value("table", "");
            step.outputs.time = o.value("time", "time");
            if (o.contains("variables")) step.outputs.variables = o["variables"].get<std::vector<std::string>>();
            if (o.contains("plots")) step.outputs.plots = o["plots"].get<std::vector<std::string>>();
            step.outputs.tables = o.value("tables", true);
            if (o.contains("colour_by")) step.outputs.colour_by = colour_axis(step, o["colour_by"].get<std::string>(), where + "/outputs/colour_by");
        }
        if (s.contains("outcomes")) step.outcomes = read_outcomes(s["outcomes"], where + "/outcomes", step);
        if (s.contains("tables_from")) {
            step.tables_from = s["tables_from"].get<std::string>();
            auto it = std::find_if(spec->steps.begin(), spec->steps.end(), [&](const StepSpec &e) { return e.name == step.tables_from; });
            if (it == spec->steps.end()) throw DocumentError(where + "/tables_from", "no earlier step is named '" + step.tables_from + "'");
            if (!it->outcomes)
                throw DocumentError(where + "/tables_from", "step '" + step.tables_from + "' has no outcomes, so no experiments and outcomes tables");
            if (step.sweep != SweepKind::none || step.outcomes)
                throw DocumentError(where + "/tables_from", "a step that reads another step's tables runs once: no sweep, no outcomes");
        }
        spec->steps.push_back(std::move(step));
    }
    spec->document = std::move(doc);
    return spec;
}

} // namespace

const char *to_string(SweepKind kind) {
    switch (kind) {
    case SweepKind::none: return "none";
    case SweepKind::grid: return "grid";
    case SweepKind::latin_hypercube: return "latin_hypercube";
    case SweepKind::monte_carlo: return "monte_carlo";
    case SweepKind::scenarios: return "scenarios";
    case SweepKind::sobol: return "sobol";
    case SweepKind::morris: return "morris";
    case SweepKind::factorial: return "factorial";
    }
    return "none";
}

void set_at_path(nlohmann::json &params, const std::string &path, const nlohmann::json &value) {
    nlohmann::json *at = &params;
    size_t start = 0;
    while (true) {
        const size_t dot = path.find('.', start);
        const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!at->is_object()) *at = nlohmann::json::object();
        if (dot == std::string::npos) {
            (*at)[key] = value;
            return;
        }
        at = &(*at)[key];
        start = dot + 1;
    }
}

void merge_patch(nlohmann::json &target, const nlohmann::json &patch) {
    if (!patch.is_object() || !target.is_object()) {
        target = patch;
        return;
    }
    for (const auto &[k, v] : patch.items()) {
        if (v.is_object() && target.contains(k) && target[k].is_object()) merge_patch(target[k], v);
        else target[k] = v;
    }
}

BatchDocument BatchDocument::parse(std::string_view text, const std::string &source_name, const std::filesystem::path &base_dir) {
    nlohmann::json doc;
    try {
        doc = yaml::yaml_to_json(text);
    } catch (const yaml::YamlError &e) {
        throw DocumentError("", e.what());
    }
    return BatchDocument(build_spec(std::move(doc), source_name, base_dir));
}

BatchDocument BatchDocument::load(const std::filesystem::path &file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw DocumentError(file.string(), "no such file");
    const auto size = std::filesystem::file_size(file, ec);
    if (ec || size > max_job_bytes) throw DocumentError(file.string(), ec ? ec.message() : "larger than 16 MiB");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw DocumentError(file.string(), "cannot be opened");
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), file.string(), std::filesystem::absolute(file).parent_path());
}

const std::string &BatchDocument::name() const { return spec_->name; }
const std::string &BatchDocument::hash() const { return spec_->hash; }
const std::vector<InputRef> &BatchDocument::inputs() const { return spec_->inputs; }
size_t BatchDocument::step_count() const { return spec_->steps.size(); }
const std::string &BatchDocument::step_name(size_t step) const { return spec_->steps.at(step).name; }
size_t BatchDocument::point_count(size_t step) const { return spec_->steps.at(step).points.size(); }
size_t BatchDocument::total_points() const {
    size_t n = 0;
    for (const auto &s : spec_->steps) n += s.points.size();
    return n;
}

} // namespace holon::batch
