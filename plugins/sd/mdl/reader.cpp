#include "mdl/reader.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"
#include "mdl/data_files.hpp"
#include "mdl/expression.hpp"
#include "mdl/lhs.hpp"
#include "mdl/records.hpp"
#include "mdl/sketch.hpp"
#include "mdl/symbols.hpp"
#include "mdl/translate.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace holon_sd {

namespace mdl {
namespace {

constexpr size_t max_elements = 1u << 20;
constexpr int max_macro_depth = 20;
constexpr size_t max_equation_text = 512u << 20;

// GET XLS/DIRECT ... calls read a data file (data_files.cpp); GET TIME VALUE is an ordinary function.
bool reads_data_file(const VExpr &e) {
    return e.kind == VKind::call && e.name.rfind("get ", 0) == 0 && e.name != "get time value";
}

struct Equation {
    Lhs lhs;
    VExprPtr rhs; // null for Assign::none
    const Record *record = nullptr;
};

class Reader {
public:
    Reader(std::string_view text, const MdlOptions &o) : text_(text), opts_(o), data_(o.source_dir) {}

    Model run() {
        file_ = opts_.source_name.empty() ? std::string("model.mdl") : opts_.source_name;
        m_.source_format = "mdl";
        try {
            parts_ = split_mdl(text_);
        } catch (const ModelError &e) {
            throw ModelError(file_ + ":" + e.what());
        }
        for (const MacroDefinition &md : parts_.macros) read_macro(md);
        std::vector<Equation> eqs;
        for (const Record &r : parts_.records) read_record(r, eqs);
        resolve_ranges();
        collect_variables(eqs);
        read_controls();
        emit_all();
        for (Variable &v : m_.variables)
            if (v.kind == VariableKind::aux && flows_.count(canonical_name(v.name))) v.kind = VariableKind::flow;
        m_.views = parse_sketch(parts_.sketch);
        return std::move(m_);
    }

private:
    [[noreturn]] void fail_at(int line, const std::string &what) const {
        throw ModelError(file_ + ":" + std::to_string(line) + ": " + what, {}, line);
    }
    [[noreturn]] void fail_var(int line, const std::string &var, const std::string &what) const {
        throw ModelError(file_ + ":" + std::to_string(line) + ": variable '" + var + "': " + what, var, line);
    }

    // ---- records --------------------------------------------------------------------------
    void read_macro(const MacroDefinition &md) {
        Macro m;
        m.line = md.line;
        size_t open = md.header.find('(');
        size_t close = md.header.rfind(')');
        if (open == std::string::npos || close == std::string::npos || close < open)
            fail_at(md.line, "a macro header needs NAME(parameters)");
        m.name = trim(md.header.substr(0, open));
        std::string params = md.header.substr(open + 1, close - open - 1);
        size_t colon = params.find(':');
        if (colon != std::string::npos) params = params.substr(0, colon); // extra outputs are not supported
        size_t start = 0;
        while (start <= params.size()) {
            size_t comma = params.find(',', start);
            std::string p = trim(params.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
            if (!p.empty()) m.params.push_back(canonical_name(p));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        m.records = md.records;
        syms_.macros[canonical_name(m.name)] = std::move(m);
    }

    // Vensim's Reality Check equations (name :TEST INPUT: ... and name :THE CONDITION: ...
    // :IMPLIES: ...) are statements about behaviour that only Vensim's Reality Check tool
    // exercises; a simulation ignores them.
    static bool is_reality_check(const std::string &equation) {
        for (size_t i = 0; i < equation.size(); ++i) {
            if (equation[i] == '"') {
                size_t close = equation.find('"', i + 1);
                if (close == std::string::npos) return false;
                i = close;
                continue;
            }
            if (equation[i] != ':') continue;
            size_t close = equation.find(':', i + 1);
            if (close == std::string::npos) return false;
            std::string word = function_key(equation.substr(i + 1, close - i - 1));
            if (word == "test input" || word == "the condition") return true;
            i = close;
        }
        return false;
    }

    void read_record(const Record &r, std::vector<Equation> &eqs) {
        if (is_reality_check(r.equation)) return;
        std::string name, body;
        bool equivalence = false;
        if (is_range_definition(r.equation, name, body, equivalence)) {
            read_range(r, name, body, equivalence);
            return;
        }
        try {
            Equation eq;
            eq.record = &r;
            std::string lhs, rhs;
            Assign a = split_equation(r.equation, lhs, rhs);
            eq.lhs = parse_lhs(lhs);
            eq.lhs.assign = a;
            if (a == Assign::lookup) {
                VParser p(tokenize_vensim(rhs));
                if (p.peek().kind == VTok::name) { // table( GET XLS LOOKUPS(...) )
                    eq.rhs = p.parse_expression();
                    p.expect(VTok::rparen, "')'");
                } else {
                    eq.rhs = p.parse_lookup_body();
                }
                if (!p.at_end()) p.fail("unexpected text after the lookup");
            } else if (a != Assign::none) {
                if (trim(rhs).empty()) throw ModelError("the equation has no right-hand side");
                VParser p(tokenize_vensim(rhs));
                eq.rhs = p.parse_rhs();
            }
            eqs.push_back(std::move(eq));
        } catch (const ModelError &e) {
            std::string first = r.equation.substr(0, r.equation.find_first_of("=([:\n"));
            fail_var(r.line, trim(first), e.what());
        }
    }

    void read_range(const Record &r, const std::string &name, const std::string &body, bool equivalence) {
        Range range;
        range.name = name;
        range.line = r.line;
        std::string canon = canonical_name(name);
        if (equivalence) {
            equivalences_.emplace_back(canon, canonical_name(body));
            if (!syms_.ranges.count(canon)) range_order_.push_back(canon);
            syms_.ranges[canon] = range;
            return;
        }
        std::string elements = body, mapping;
        size_t arrow = body.find("->");
        if (arrow != std::string::npos) {
            elements = body.substr(0, arrow);
            mapping = body.substr(arrow + 2);
        }
        try {
            VParser p(tokenize_vensim(elements));
            if (p.peek().kind == VTok::name && p.peek(1).kind == VTok::lparen) {
                VExprPtr call = p.parse_expression();
                range.elements = data_.subscript(*call);
            } else {
                while (!p.at_end()) {
                    if (p.accept(VTok::lparen)) {
                        std::string from = p.next().text;
                        if (!(p.peek().kind == VTok::op && p.peek().text == "-")) p.fail("expected '-' in a numeric range");
                        p.next();
                        std::string to = p.next().text;
                        p.expect(VTok::rparen, "')'");
                        for (std::string &e : numeric_range(from, to)) range.elements.push_back(std::move(e));
                    } else {
                        const VToken &t = p.next();
                        if (t.kind != VTok::name && t.kind != VTok::number) p.fail("expected an element name");
                        range.elements.push_back(t.text);
                    }
                    if (range.elements.size() > max_elements) p.fail("more than a million elements");
                    if (!p.accept(VTok::comma)) break;
                }
                if (!p.at_end()) p.fail("unexpected text in the element list");
            }
            // Mappings: "-> Other" (by position) or "-> (Other: e1, e2, ...)" (element by element).
            size_t i = 0;
            while (i < mapping.size()) {
                while (i < mapping.size() && (mapping[i] == ' ' || mapping[i] == '\t' || mapping[i] == '\n' || mapping[i] == ','))
                    ++i;
                if (i >= mapping.size()) break;
                if (mapping[i] == '(') {
                    size_t colon = mapping.find(':', i);
                    size_t close = mapping.find(')', i);
                    if (colon == std::string::npos || close == std::string::npos || close < colon)
                        throw ModelError("a mapping '(range: elements)' needs a ':' and a ')'");
                    std::string target = canonical_name(trim(mapping.substr(i + 1, colon - i - 1)));
                    std::vector<std::string> list;
                    VParser lp(tokenize_vensim(mapping.substr(colon + 1, close - colon - 1)));
                    while (!lp.at_end()) {
                        list.push_back(lp.next().text);
                        if (!lp.accept(VTok::comma)) break;
                    }
                    range.maps_to.push_back(target);
                    range.map_lists[target] = std::move(list);
                    i = close + 1;
                } else {
                    size_t comma = mapping.find(',', i);
                    range.maps_to.push_back(canonical_name(trim(mapping.substr(i, comma == std::string::npos ? std::string::npos : comma - i))));
                    i = comma == std::string::npos ? mapping.size() : comma + 1;
                }
            }
        } catch (const ModelError &e) {
            fail_at(r.line, "subscript range '" + name + "': " + e.what());
        }
        if (range.elements.empty()) fail_at(r.line, "subscript range '" + name + "' has no elements");
        if (!syms_.ranges.count(canon)) range_order_.push_back(canon);
        syms_.ranges[canon] = std::move(range);
    }

    void resolve_ranges() {
        for (const auto &[alias, target] : equivalences_) {
            const Range *t = syms_.range(target);
            if (!t) fail_at(syms_.ranges[alias].line, "subscript range '" + alias + "' is equivalent to unknown '" + target + "'");
            Range &r = syms_.ranges[alias];
            r.elements = t->elements;
            r.maps_to.push_back(target);
        }
        // Elements that name other ranges stand for those ranges' elements.
        for (int pass = 0; pass < 4; ++pass)
            for (const std::string &c : range_order_) {
                Range &r = syms_.ranges[c];
                std::vector<std::string> out;
                for (const std::string &e : r.elements) {
                    const Range *sub = syms_.range(canonical_name(e));
                    if (sub && canonical_name(e) != c) out.insert(out.end(), sub->elements.begin(), sub->elements.end());
                    else out.push_back(e);
                    if (out.size() > max_elements) fail_at(r.line, "subscript range '" + r.name + "' has over a million elements");
                }
                r.elements = std::move(out);
            }
        // The root of a range: the largest other range holding all its elements.
        for (const std::string &c : range_order_) {
            Range &r = syms_.ranges[c];
            std::set<std::string> mine;
            for (const std::string &e : r.elements) mine.insert(canonical_name(e));
            r.root = c;
            size_t best = r.elements.size();
            for (const std::string &o : range_order_) {
                if (o == c) continue;
                const Range &other = syms_.ranges[o];
                if (other.elements.size() < best || (other.elements.size() == best && best == r.elements.size() &&
                                                     std::find(range_order_.begin(), range_order_.end(), o) >
                                                         std::find(range_order_.begin(), range_order_.end(), c)))
                    continue;
                if (other.elements.size() == r.elements.size() && !std::count(equivalences_.begin(), equivalences_.end(),
                                                                             std::make_pair(c, o)))
                    continue; // a different range with the same elements is its own dimension
                size_t found = 0;
                for (const std::string &e : other.elements) found += mine.count(canonical_name(e));
                if (found == mine.size()) {
                    r.root = o;
                    best = other.elements.size();
                }
            }
        }
        for (const std::string &c : range_order_) {
            const Range &r = syms_.ranges[c];
            if (r.root == c) m_.dimensions.push_back(Dimension{r.name, r.elements});
        }
    }

    // The range (canonical) and element choices of a left-hand-side subscript.
    std::string root_of_subscript(const std::string &s) const {
        std::string c = canonical_name(s);
        if (const Range *r = syms_.range(c)) return r->root;
        for (const std::string &rc : range_order_) {
            const Range &r = syms_.ranges.at(rc);
            if (r.root != rc) continue;
            for (const std::string &e : r.elements)
                if (canonical_name(e) == c) return rc;
        }
        return {};
    }

    // ---- variables ----------------------------------------------------------------------------
    struct VarDef {
        std::string name;
        std::vector<Equation> eqs;
        std::vector<std::string> dims; // canonical roots
        int line = 0;
    };

    void collect_variables(std::vector<Equation> &eqs) {
        for (Equation &eq : eqs) {
            std::string c = canonical_name(eq.lhs.name);
            auto it = var_index_.find(c);
            if (it == var_index_.end()) {
                it = var_index_.emplace(c, defs_.size()).first;
                defs_.push_back(VarDef{eq.lhs.name, {}, {}, eq.record->line});
            }
            defs_[it->second].eqs.push_back(std::move(eq));
        }
        for (VarDef &d : defs_) {
            std::string c = canonical_name(d.name);
            const Lhs &first = d.eqs[0].lhs;
            for (size_t k = 0; k < first.subscripts.size(); ++k) {
                std::string root = root_of_subscript(first.subscripts[k]);
                if (root.empty()) fail_var(d.line, d.name, "unknown subscript '" + first.subscripts[k] + "'");
                d.dims.push_back(dimension_at(d, k, root));
            }
            for (const Equation &eq : d.eqs)
                if (eq.lhs.subscripts.size() != d.dims.size())
                    fail_var(eq.record->line, d.name, "equations with different numbers of subscripts");
            syms_.var_dims[c] = d.dims;
            if (c == "initial time" || c == "final time" || c == "time step") continue;
            bool lookup = is_lookup(d.eqs[0]);
            std::string ir_name = d.name;
            if (lookup && !d.dims.empty()) {
                // Each element of a subscripted lookup is its own table, named "table[element]".
                for (const Equation &eq : d.eqs)
                    for (const Instance &in : instances(d, eq.lhs))
                        syms_.lookups[canonical_name(element_table_name(d.name, in.elements))] = true;
            }
            syms_.var_names[c] = ir_name;
            if (lookup && d.dims.empty()) syms_.lookups[c] = true;
        }
    }

    // A variable defined only over a subrange has that subrange as its dimension; one whose
    // equations cover the full range has the full range.
    std::string dimension_at(const VarDef &d, size_t k, const std::string &root) {
        std::set<std::string> used;
        for (const Equation &eq : d.eqs) {
            if (k >= eq.lhs.subscripts.size()) continue;
            std::string c = canonical_name(eq.lhs.subscripts[k]);
            if (const Range *r = syms_.range(c))
                for (const std::string &e : r->elements) used.insert(canonical_name(e));
            else used.insert(c);
        }
        const Range &full = syms_.ranges.at(root);
        if (used.size() >= full.elements.size()) return root;
        for (const std::string &rc : range_order_) {
            const Range &r = syms_.ranges.at(rc);
            if (r.elements.size() != used.size()) continue;
            bool same = true;
            for (const std::string &e : r.elements) same = same && used.count(canonical_name(e));
            if (!same) continue;
            if (!subrange_dims_.count(rc) && r.root != rc) {
                subrange_dims_.insert(rc);
                m_.dimensions.push_back(Dimension{r.name, r.elements});
            }
            return rc;
        }
        // Elements of several ranges, or part of one: a dimension of their own for this variable.
        std::vector<std::string> elements;
        for (const std::string &e : full.elements)
            if (used.count(canonical_name(e))) elements.push_back(e);
        if (elements.size() != used.size()) return root; // elements of another range: reported later
        std::string name = full.name + " (" + d.name + ")";
        std::string c = canonical_name(name);
        if (!syms_.ranges.count(c)) {
            Range r{name, elements, {}, {}, root, d.line};
            syms_.ranges[c] = r;
            range_order_.push_back(c);
            m_.dimensions.push_back(Dimension{name, elements});
        }
        return c;
    }

    static bool is_lookup(const Equation &eq) {
        if (eq.lhs.assign == Assign::lookup) return true;
        return eq.rhs && eq.rhs->kind == VKind::call &&
               (eq.rhs->name == "get xls lookups" || eq.rhs->name == "get direct lookups");
    }

    static std::string element_table_name(const std::string &name, const std::vector<std::string> &subs) {
        std::string s = name + "[";
        for (size_t k = 0; k < subs.size(); ++k) s += (k ? "," : "") + subs[k];
        return s + "]";
    }

    double constant_value(const std::string &canon, int depth = 0) {
        auto it = var_index_.find(canon);
        if (it == var_index_.end() || depth > 20) throw ModelError("not a constant");
        const VarDef &d = defs_[it->second];
        if (d.eqs.size() != 1 || !d.eqs[0].rhs) throw ModelError("not a constant");
        return eval_constant(*d.eqs[0].rhs, depth + 1);
    }

    double eval_constant(const VExpr &e, int depth) {
        switch (e.kind) {
        case VKind::number: return e.value;
        case VKind::name:
            if (canonical_name(e.name) == "time") {
                read_time_ = true;
                return eval_time_;
            }
            if (!var_index_.count(canonical_name(e.name))) {
                static const std::map<std::string, double> named{{"vssum", 0},       {"vsproduct", 1},
                                                                 {"vsmin", 2},       {"vsmax", 3},
                                                                 {"vserrnone", 0},   {"vserratleastone", 1},
                                                                 {"vserratmostone", 2}};
                if (auto it = named.find(canonical_name(e.name)); it != named.end()) return it->second;
            }
            return constant_value(canonical_name(e.name), depth);
        case VKind::unary: return e.op == '-' ? -eval_constant(*e.args[0], depth) : eval_constant(*e.args[0], depth);
        case VKind::binary: {
            double a = eval_constant(*e.args[0], depth), b = eval_constant(*e.args[1], depth);
            switch (e.op) {
            case '+': return a + b;
            case '-': return a - b;
            case '*': return a * b;
            case '/': return a / b;
            case '^': return std::pow(a, b);
            default: break;
            }
            break;
        }
        case VKind::list:
            if (e.rows.size() == 1 && e.rows[0].size() == 1) return e.rows[0][0];
            break;
        case VKind::call: {
            auto a = [&](size_t i) {
                if (i >= e.args.size()) throw ModelError("not a constant");
                return eval_constant(*e.args[i], depth);
            };
            if (e.name == "step") {
                read_time_ = true;
                return eval_time_ >= a(1) ? a(0) : 0;
            }
            if (e.name == "if then else") return a(0) != 0 ? a(1) : a(2);
            if (e.name == "min") return std::min(a(0), a(1));
            if (e.name == "max") return std::max(a(0), a(1));
            if (e.name == "integer") return std::trunc(a(0));
            if (e.name == "abs") return std::abs(a(0));
            if (e.name == "ln") return std::log(a(0));
            if (e.name == "exp") return std::exp(a(0));
            if (e.name == "sqrt") return std::sqrt(a(0));
            if (e.name == "power") return std::pow(a(0), a(1));
            if (e.name == "modulo") return std::fmod(a(0), a(1));
            if (e.name == "zidz") return a(1) == 0 ? 0 : a(0) / a(1);
            if (e.name == "xidz") return a(1) == 0 ? a(2) : a(0) / a(1);
            break;
        }
        default: break;
        }
        if (e.kind == VKind::binary) {
            double a = eval_constant(*e.args[0], depth), b = eval_constant(*e.args[1], depth);
            switch (e.op) {
            case '<': return a < b;
            case '>': return a > b;
            case 'l': return a <= b;
            case 'g': return a >= b;
            case '=': return a == b;
            case '#': return a != b;
            case '&': return a != 0 && b != 0;
            case '|': return a != 0 || b != 0;
            default: break;
            }
        }
        throw ModelError("not a constant");
    }

    void read_controls() {
        // The value at the start; a control variable whose equation reads Time is also kept as a
        // model variable that the engine reads at every step (Vensim evaluates them each step).
        auto value = [&](const char *name, double fallback, bool required, std::string *varying) -> double {
            auto it = var_index_.find(name);
            if (it == var_index_.end()) {
                if (required) fail_at(1, std::string("the model has no ") + upper(name) + " (Vensim's control variables are needed)");
                return fallback;
            }
            const VarDef &d = defs_[it->second];
            read_time_ = false;
            double v = 0;
            try {
                v = constant_value(name);
            } catch (const ModelError &) {
                // Vensim accepts any equation for FINAL TIME and SAVEPER ("Simulation Control
                // Parameters"): one this reader cannot work out (a lookup, an array sum, a data
                // value) is left to the engine, which evaluates it at every step; the number
                // kept meanwhile is only a placeholder.
                if (!varying || std::string(name) == "time step")
                    fail_var(d.line, d.name, "must be computed from numbers, constants, Time, STEP and IF THEN ELSE");
                if (!d.dims.empty()) fail_var(d.line, d.name, "a control variable cannot be subscripted");
                *varying = d.name;
                syms_.var_names[canonical_name(name)] = d.name;
                return fallback;
            }
            if (read_time_ && varying) {
                if (!d.dims.empty()) fail_var(d.line, d.name, "a control variable cannot be subscripted");
                *varying = d.name;
                syms_.var_names[canonical_name(name)] = d.name;
            }
            return v;
        };
        // INITIAL TIME is read once, at the start (an equation over Time sees time 0 there).
        eval_time_ = 0;
        m_.sim_specs.start = value("initial time", 0, true, nullptr);
        eval_time_ = m_.sim_specs.start;
        m_.sim_specs.stop = value("final time", m_.sim_specs.start, true, &m_.sim_specs.stop_variable);
        m_.sim_specs.dt = value("time step", 1, true, &m_.sim_specs.dt_variable);
        if (var_index_.count("saveper"))
            m_.sim_specs.save_step = value("saveper", m_.sim_specs.dt, false, &m_.sim_specs.save_step_variable);
        if (!(m_.sim_specs.dt > 0)) fail_at(1, "TIME STEP must be positive");
        if (!(m_.sim_specs.stop >= m_.sim_specs.start)) fail_at(1, "FINAL TIME is before INITIAL TIME");
        auto it = var_index_.find("time step");
        if (it != var_index_.end()) {
            const std::string &units = defs_[it->second].eqs[0].record->units;
            m_.sim_specs.time_units = trim(units.substr(0, units.find('[')));
        }
    }

    // ---- emitting IR variables ------------------------------------------------------------------
    struct Instance {
        std::vector<std::string> elements; // one per dimension
        Bindings bindings;
    };

    std::vector<Instance> instances(const VarDef &d, const Lhs &lhs) {
        std::vector<Instance> out{Instance{}};
        for (size_t k = 0; k < lhs.subscripts.size(); ++k) {
            const std::string &s = lhs.subscripts[k];
            std::string c = canonical_name(s);
            std::vector<Instance> next;
            const Range *r = syms_.range(c);
            for (const Instance &in : out) {
                if (r) {
                    for (size_t i = 0; i < r->elements.size(); ++i) {
                        Instance ni = in;
                        ni.elements.push_back(r->elements[i]);
                        ni.bindings[c] = Bound{r->elements[i], i, c};
                        next.push_back(std::move(ni));
                    }
                } else {
                    Instance ni = in;
                    ni.elements.push_back(s);
                    next.push_back(std::move(ni));
                }
                if (next.size() > max_elements) fail_var(d.line, d.name, "has over a million elements");
            }
            out = std::move(next);
        }
        if (!lhs.excepts.empty()) {
            std::vector<Instance> kept;
            for (Instance &in : out) {
                bool excluded = false;
                for (const auto &ex : lhs.excepts) {
                    if (ex.size() != in.elements.size()) continue;
                    bool all = true;
                    for (size_t k = 0; k < ex.size() && all; ++k) {
                        std::string c = canonical_name(ex[k]);
                        if (const Range *r = syms_.range(c)) {
                            bool any = false;
                            for (const std::string &e : r->elements) any = any || canonical_name(e) == canonical_name(in.elements[k]);
                            all = any;
                        } else {
                            all = c == canonical_name(in.elements[k]);
                        }
                    }
                    excluded = excluded || all;
                }
                if (!excluded) kept.push_back(std::move(in));
            }
            out = std::move(kept);
        }
        return out;
    }

    GraphicalFunction lookup_of(const VExpr &e, const std::string &var, int line) {
        GraphicalFunction gf;
        gf.xs = e.xs;
        gf.ys = e.ys;
        if (gf.xs.empty()) fail_var(line, var, "a lookup without points");
        // Vensim sorts the points of a lookup written out of order.
        std::vector<size_t> order(gf.xs.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return gf.xs[a] < gf.xs[b]; });
        std::vector<double> xs, ys;
        for (size_t i : order) {
            if (std::isnan(gf.xs[i])) fail_var(line, var, "a lookup point without an x value");
            xs.push_back(gf.xs[i]);
            ys.push_back(gf.ys[i]);
        }
        gf.xs = std::move(xs);
        gf.ys = std::move(ys);
        if (e.has_range) {
            gf.xscale = Scale{e.xmin, e.xmax};
            gf.yscale = Scale{e.ymin, e.ymax};
        }
        return gf;
    }

    std::string unique_name(const std::string &base) {
        std::string name = base;
        for (int k = 2; syms_.var_names.count(canonical_name(name)) || used_.count(canonical_name(name)); ++k)
            name = base + " " + std::to_string(k);
        used_.insert(canonical_name(name));
        return name;
    }

    Translator translator() {
        return Translator(
            syms_, [this](const Macro &m, const std::vector<std::string> &args) { return instantiate(m, args); },
            [this](const VExpr &e) {
                try {
                    eval_time_ = m_.sim_specs.start;
                    return eval_constant(e, 0);
                } catch (const ModelError &) {
                    throw ModelError("this argument must be known at the initial time (a number, or constants, TIME, "
                                     "STEP and IF THEN ELSE over them)");
                }
            },
            [this](const std::string &table, const std::string &how) { return derive_table(table, how); });
    }

    std::string derive_table(const std::string &table, const std::string &how) {
        std::string key = table + "|" + how;
        if (auto it = derived_.find(key); it != derived_.end()) return it->second;
        const VarDef &d = defs_.at(var_index_.at(table));
        const Equation &eq = d.eqs[0];
        GraphicalFunction gf = eq.rhs->kind == VKind::call ? *data_.evaluate(*eq.rhs, {}).gf : lookup_of(*eq.rhs, d.name, d.line);
        if (how == "extrapolate") {
            gf.type = GraphicalFunctionType::extrapolate;
        } else if (how == "backward") {
            gf.type = GraphicalFunctionType::discrete;
        } else if (how == "forward") {
            gf = look_forward(gf);
        } else { // invert: y -> x, for a lookup whose y values only rise or only fall
            bool rising = true, falling = true;
            for (size_t k = 1; k < gf.ys.size(); ++k) {
                rising = rising && gf.ys[k] > gf.ys[k - 1];
                falling = falling && gf.ys[k] < gf.ys[k - 1];
            }
            if (!rising && !falling) throw ModelError("LOOKUP INVERT needs a lookup whose y values only rise or only fall");
            std::swap(gf.xs, gf.ys);
            if (falling) {
                std::reverse(gf.xs.begin(), gf.xs.end());
                std::reverse(gf.ys.begin(), gf.ys.end());
            }
            gf.type = GraphicalFunctionType::continuous;
            gf.xscale.reset();
            gf.yscale.reset();
        }
        Variable v;
        v.name = unique_name(d.name + " (" + how + ")");
        v.gf = std::move(gf);
        std::string c = canonical_name(v.name);
        syms_.var_names[c] = v.name;
        syms_.var_dims[c] = {};
        syms_.lookups[c] = true;
        derived_[key] = v.name;
        pending_.push_back(std::move(v));
        return derived_[key];
    }

    // One macro call: the macro's variables become new scalar variables of the model.
    std::string instantiate(const Macro &m, const std::vector<std::string> &args) {
        if (++macro_depth_ > max_macro_depth) fail_at(m.line, "macro '" + m.name + "' calls itself too deeply");
        if (args.size() != m.params.size())
            throw ModelError("macro '" + m.name + "' takes " + std::to_string(m.params.size()) + " arguments, not " +
                             std::to_string(args.size()));
        int k = ++macro_calls_;
        if (k > 100'000) throw ModelError("more than 100000 macro calls");
        Scope scope;
        for (size_t i = 0; i < args.size(); ++i) scope.params[m.params[i]] = args[i];
        std::vector<std::pair<std::string, VExprPtr>> vars;
        std::vector<const Record *> recs;
        for (const Record &r : m.records) {
            std::string lhs, rhs;
            Assign a = split_equation(r.equation, lhs, rhs);
            if (a != Assign::equals) fail_at(r.line, "macro '" + m.name + "': only plain equations are supported inside macros");
            Lhs l = parse_lhs(lhs);
            if (!l.subscripts.empty()) fail_at(r.line, "macro '" + m.name + "': subscripted variables inside macros are not supported");
            std::string ir = unique_name(l.name + " (" + m.name + " " + std::to_string(k) + ")");
            scope.renames[canonical_name(l.name)] = ir;
            VParser p(tokenize_vensim(rhs));
            vars.emplace_back(ir, p.parse_rhs());
            recs.push_back(&r);
        }
        std::string output;
        for (size_t i = 0; i < vars.size(); ++i) {
            syms_.var_dims[canonical_name(vars[i].first)] = {};
            syms_.var_names[canonical_name(vars[i].first)] = vars[i].first;
        }
        for (size_t i = 0; i < vars.size(); ++i) {
            Variable v;
            v.name = vars[i].first;
            v.units = recs[i]->units;
            emit_scalar_rhs(v, *vars[i].second, {}, &scope, recs[i]->line);
            pending_.push_back(std::move(v));
        }
        auto out = scope.renames.find(canonical_name(m.name));
        if (out == scope.renames.end()) fail_at(m.line, "macro '" + m.name + "' defines no variable named like itself (its output)");
        --macro_depth_;
        return out->second;
    }

    // Fills the equation (and stock or lookup parts) of a scalar variable or one element.
    struct ElementResult {
        std::string equation;
        std::optional<GraphicalFunction> gf;
        bool stock = false;
        std::string rate; // stocks: the translated net flow
    };

    ElementResult translate_rhs(const VExpr &rhs, const Bindings &b, const Scope *scope, const std::string &var, int line,
                                const std::string &mode = {}) {
        ElementResult out;
        Translator t = translator();
        if (rhs.kind == VKind::call && rhs.name == "integ") {
            if (rhs.args.size() != 2) fail_var(line, var, "INTEG takes a rate and an initial value");
            out.stock = true;
            out.rate = t.text(*rhs.args[0], b, scope);
            out.equation = t.text(*rhs.args[1], b, scope);
            return out;
        }
        if (rhs.kind == VKind::call && rhs.name == "with lookup") {
            if (rhs.args.size() != 2 || rhs.args[1]->kind != VKind::lookup) fail_var(line, var, "WITH LOOKUP takes an input and a lookup");
            out.equation = t.text(*rhs.args[0], b, scope);
            out.gf = lookup_of(*rhs.args[1], var, line);
            return out;
        }
        if (reads_data_file(rhs)) {
            DataValue dv = data_.evaluate(rhs, mode);
            if (dv.gf) {
                out.equation = "TIME";
                out.gf = *dv.gf;
            } else {
                out.equation = Translator::number(dv.value);
            }
            return out;
        }
        out.equation = t.text(rhs, b, scope);
        return out;
    }

    void emit_scalar_rhs(Variable &v, const VExpr &rhs, const Bindings &b, const Scope *scope, int line,
                         const std::string &mode = {}) {
        ElementResult r = translate_rhs(rhs, b, scope, v.name, line, mode);
        v.equation = r.equation;
        v.gf = r.gf;
        if (r.stock) {
            v.kind = VariableKind::stock;
            if (!scope && split_flows(*rhs.args[0], {}, {}, v.inflows, v.outflows)) return;
            std::string flow = unique_name(v.name + " net flow");
            Variable f;
            f.name = flow;
            f.kind = VariableKind::flow;
            f.equation = r.rate;
            v.inflows.push_back(flow);
            pending_.push_back(std::move(f));
        }
    }

    // A rate that is a sum and difference of flow variables (over the stock's own subscripts)
    // gives the stock those inflows and outflows, as a diagram shows them; any other rate
    // becomes one "net flow" variable.
    bool split_flows(const VExpr &rate, const std::vector<std::string> &lhs, const std::vector<std::string> &dims,
                     std::vector<std::string> &in, std::vector<std::string> &out) {
        std::vector<std::pair<bool, const VExpr *>> terms;
        std::function<bool(const VExpr &, bool)> walk = [&](const VExpr &e, bool positive) {
            if (e.kind == VKind::binary && (e.op == '+' || e.op == '-'))
                return walk(*e.args[0], positive) && walk(*e.args[1], e.op == '+' ? positive : !positive);
            if (e.kind == VKind::unary && e.op == '-') return walk(*e.args[0], !positive);
            if (e.kind != VKind::name || terms.size() > 100) return false;
            terms.emplace_back(positive, &e);
            return true;
        };
        if (!walk(rate, true)) return false;
        std::vector<std::string> ins, outs;
        std::set<std::string> seen;
        for (const auto &[positive, e] : terms) {
            std::string c = canonical_name(e->name);
            auto vi = var_index_.find(c);
            if (vi == var_index_.end() || syms_.lookups.count(c) || !seen.insert(c).second) return false;
            const VarDef &fd = defs_[vi->second];
            if (fd.dims != dims) return false;
            for (const Equation &eq : fd.eqs)
                if (!eq.rhs || (eq.rhs->kind == VKind::call && eq.rhs->name == "integ") || eq.lhs.assign != Assign::equals)
                    return false;
            std::vector<std::string> subs;
            for (const VSubscript &sub : e->subscripts) {
                if (sub.bang) return false;
                subs.push_back(canonical_name(sub.name));
            }
            if (subs != lhs) return false;
            (positive ? ins : outs).push_back(fd.name);
        }
        for (const std::string &f : ins) flows_.insert(canonical_name(f));
        for (const std::string &f : outs) flows_.insert(canonical_name(f));
        in = std::move(ins);
        out = std::move(outs);
        return true;
    }

    void emit_all() {
        for (const VarDef &d : defs_) {
            std::string c = canonical_name(d.name);
            if (c == "initial time" || (c == "final time" && m_.sim_specs.stop_variable.empty()) ||
                (c == "time step" && m_.sim_specs.dt_variable.empty()))
                continue;
            try {
                emit(d);
            } catch (const ModelError &e) {
                std::string msg = e.what();
                if (msg.rfind(file_ + ":", 0) == 0) throw;
                fail_var(current_line_ ? current_line_ : d.line, d.name, msg);
            }
            for (Variable &p : pending_) m_.variables.push_back(std::move(p));
            pending_.clear();
        }
    }

    void emit(const VarDef &d) {
        current_line_ = d.line;
        const Equation &first = d.eqs[0];
        Variable v;
        v.name = d.name;
        v.units = trim(first.record->units.substr(0, first.record->units.find('[')));
        v.documentation = first.record->documentation;
        if (first.lhs.assign == Assign::none && (d.dims.empty() || !first.rhs)) {
            emit_data_series(d, v);
            return;
        }
        if (d.dims.empty()) {
            if (d.eqs.size() > 1) fail_var(d.eqs[1].record->line, d.name, "defined twice");
            if (is_lookup(first)) {
                v.gf = first.rhs->kind == VKind::call ? *data_.evaluate(*first.rhs, {}).gf : lookup_of(*first.rhs, d.name, d.line);
                m_.variables.push_back(std::move(v));
                return;
            }
            if (first.rhs->kind == VKind::list) {
                if (first.rhs->rows.size() != 1 || first.rhs->rows[0].size() != 1)
                    fail_var(d.line, d.name, "a list of numbers for a variable without subscripts");
                v.equation = Translator::number(first.rhs->rows[0][0]);
                m_.variables.push_back(std::move(v));
                return;
            }
            emit_scalar_rhs(v, *first.rhs, {}, nullptr, d.line, first.lhs.data_mode);
            m_.variables.push_back(std::move(v));
            return;
        }
        for (const std::string &dim : d.dims) v.dimensions.push_back(syms_.ranges.at(dim).name);
        if (is_lookup(first)) {
            for (const Equation &eq : d.eqs) {
                current_line_ = eq.record->line;
                std::vector<Instance> ins = instances(d, eq.lhs);
                std::vector<DataValue> data;
                if (eq.rhs->kind == VKind::call) {
                    std::vector<std::vector<std::string>> elements;
                    for (const Instance &in : ins) elements.push_back(in.elements);
                    data = data_.evaluate_array(*eq.rhs, elements, eq.lhs.subscripts, syms_);
                } else if (ins.size() != 1) {
                    fail_var(eq.record->line, d.name, "one lookup table for several elements");
                }
                for (size_t i = 0; i < ins.size(); ++i) {
                    Variable t;
                    t.name = element_table_name(d.name, ins[i].elements);
                    t.gf = data.empty() ? lookup_of(*eq.rhs, d.name, eq.record->line) : *data[i].gf;
                    m_.variables.push_back(std::move(t));
                }
            }
            return;
        }
        bool stock = false, any_equation = false;
        std::vector<std::string> rates; // per element equation
        std::set<std::string> seen;
        for (const Equation &eq : d.eqs) {
            current_line_ = eq.record->line;
            std::vector<Instance> ins = instances(d, eq.lhs);
            if (eq.rhs && eq.rhs->kind == VKind::list) {
                std::vector<double> values;
                for (const auto &row : eq.rhs->rows) values.insert(values.end(), row.begin(), row.end());
                if (values.size() != ins.size())
                    fail_var(eq.record->line, d.name, "lists " + std::to_string(values.size()) + " values for " +
                                                          std::to_string(ins.size()) + " elements");
                for (size_t i = 0; i < ins.size(); ++i)
                    add_element(v, ins[i].elements, Translator::number(values[i]), std::nullopt, seen, eq.record->line);
                any_equation = true;
                continue;
            }
            if (eq.rhs && reads_data_file(*eq.rhs)) {
                std::vector<std::vector<std::string>> elements;
                for (const Instance &in : ins) elements.push_back(in.elements);
                std::vector<DataValue> values = data_.evaluate_array(*eq.rhs, elements, eq.lhs.subscripts, syms_, eq.lhs.data_mode);
                for (size_t i = 0; i < ins.size(); ++i) {
                    if (values[i].gf) add_element(v, ins[i].elements, "TIME", values[i].gf, seen, eq.record->line);
                    else add_element(v, ins[i].elements, Translator::number(values[i].value), std::nullopt, seen, eq.record->line);
                }
                any_equation = true;
                continue;
            }
            for (const Instance &in : ins) {
                ElementResult r = translate_rhs(*eq.rhs, in.bindings, nullptr, d.name, eq.record->line);
                if (any_equation && r.stock != stock) fail_var(eq.record->line, d.name, "some elements are stocks and some are not");
                stock = r.stock;
                any_equation = true;
                add_element(v, in.elements, r.equation, r.gf, seen, eq.record->line);
                if (r.stock) rates.push_back(r.rate);
            }
        }
        if (stock) {
            v.kind = VariableKind::stock;
            std::vector<std::string> lhs;
            for (const std::string &sub : d.eqs[0].lhs.subscripts) lhs.push_back(canonical_name(sub));
            if (d.eqs.size() == 1 && d.eqs[0].lhs.excepts.empty() && lhs == d.dims &&
                split_flows(*d.eqs[0].rhs->args[0], lhs, d.dims, v.inflows, v.outflows)) {
                m_.variables.push_back(std::move(v));
                return;
            }
            Variable f;
            f.name = unique_name(d.name + " net flow");
            f.kind = VariableKind::flow;
            f.dimensions = v.dimensions;
            for (size_t i = 0; i < v.elements.size(); ++i)
                f.elements.push_back(ElementEquation{v.elements[i].subscripts, rates[i], std::nullopt});
            v.inflows.push_back(f.name);
            pending_.push_back(std::move(f));
        }
        m_.variables.push_back(std::move(v));
    }

    // A data variable without an equation (Vensim reads it from a .vdf): its series from a column
    // of the first data file that has one; Vensim's default is to interpolate.
    void emit_data_series(const VarDef &d, Variable &v) {
        const std::string refusal = "has no equation (a data variable read from a .vdf file: pass data_files)";
        if (opts_.data_files.empty()) fail_var(d.line, d.name, refusal);
        std::string mode = d.eqs[0].lhs.data_mode.empty() ? "INTERPOLATE" : d.eqs[0].lhs.data_mode;
        if (d.dims.empty()) {
            if (d.eqs.size() > 1) fail_var(d.eqs[1].record->line, d.name, "defined twice");
            std::optional<GraphicalFunction> gf = data_.series(opts_.data_files, d.name, {}, mode);
            if (!gf) fail_var(d.line, d.name, refusal);
            v.equation = "TIME";
            v.gf = std::move(gf);
            m_.variables.push_back(std::move(v));
            return;
        }
        for (const std::string &dim : d.dims) v.dimensions.push_back(syms_.ranges.at(dim).name);
        std::set<std::string> seen;
        for (const Equation &eq : d.eqs) {
            current_line_ = eq.record->line;
            if (eq.lhs.assign != Assign::none || eq.rhs) fail_var(eq.record->line, d.name, "mixes data and equations");
            std::string eq_mode = eq.lhs.data_mode.empty() ? "INTERPOLATE" : eq.lhs.data_mode;
            for (const Instance &in : instances(d, eq.lhs)) {
                std::optional<GraphicalFunction> gf = data_.series(opts_.data_files, d.name, in.elements, eq_mode);
                if (!gf) fail_var(eq.record->line, d.name, refusal);
                add_element(v, in.elements, "TIME", std::move(gf), seen, eq.record->line);
            }
        }
        m_.variables.push_back(std::move(v));
    }

    void add_element(Variable &v, const std::vector<std::string> &elements, const std::string &equation,
                     std::optional<GraphicalFunction> gf, std::set<std::string> &seen, int line) {
        text_size_ += equation.size();
        if (text_size_ > max_equation_text) fail_var(line, v.name, "the translated equations exceed 512 MiB");
        std::string key;
        for (const std::string &e : elements) key += canonical_name(e) + ",";
        if (!seen.insert(key).second) fail_var(line, v.name, "element [" + key.substr(0, key.size() - 1) + "] defined twice");
        v.elements.push_back(ElementEquation{elements, equation, std::move(gf)});
    }

    std::string_view text_;
    MdlOptions opts_;
    DataFiles data_;
    std::string file_;
    MdlParts parts_;
    Symbols syms_;
    std::vector<std::string> range_order_;
    std::vector<std::pair<std::string, std::string>> equivalences_;
    std::map<std::string, size_t> var_index_;
    std::vector<VarDef> defs_;
    std::set<std::string> used_;
    std::set<std::string> subrange_dims_;
    std::map<std::string, std::string> derived_; // "table|how" -> IR name of the derived table
    std::set<std::string> flows_; // canonical names of variables that are a stock's inflow or outflow
    std::vector<Variable> pending_;
    Model m_;
    int macro_depth_ = 0;
    int macro_calls_ = 0;
    int current_line_ = 0;
    double eval_time_ = 0;
    bool read_time_ = false; // set when eval_constant reads Time (directly or through STEP)
    size_t text_size_ = 0;
};

} // namespace
} // namespace mdl

Model read_mdl(std::string_view text, const MdlOptions &options) {
    mdl::Reader r(text, options);
    return r.run();
}

} // namespace holon_sd
