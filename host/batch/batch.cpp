#include "batch/batch.hpp"
#include "batch/json_numbers.hpp"

#include "batch/files.hpp"
#include "batch/journal.hpp"
#include "batch/model_checks.hpp"
#include "batch/model_units.hpp"
#include "batch/outcome_tables.hpp"
#include "batch/references.hpp"
#include "batch/run_state.hpp"
#include "digest/sha256.hpp"
#include "execution/admission.hpp"
#include "batch/warm_gnuplot.hpp"

#include <holon/holon_plugin.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>

namespace holon::batch {

std::string point_id(size_t index, size_t count) {
    size_t width = 4;
    for (size_t n = count > 0 ? count - 1 : 0; n >= 10000; n /= 10) ++width;
    std::string digits = std::to_string(index);
    return "p" + std::string(digits.size() < width ? width - digits.size() : 0, '0') + digits;
}

std::string point_label(const StepSpec &step, size_t index) {
    const auto &p = step.points.at(index);
    return p.scenario.empty() ? point_id(index, step.points.size()) : p.scenario;
}

std::optional<size_t> find_column(const std::vector<std::string> &columns, const std::string &name) {
    for (size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) return i;
    auto loose = [](const std::string &s) {
        std::string out;
        for (unsigned char c : s) out += (c == ' ' || c == '_') ? '_' : static_cast<char>(std::tolower(c));
        return out;
    };
    const std::string want = loose(name);
    for (size_t i = 0; i < columns.size(); ++i)
        if (loose(columns[i]) == want) return i;
    return std::nullopt;
}

namespace {

bool flag(const std::atomic<bool> *f) { return f && f->load(); }

nlohmann::json stats_json(const SeriesStats &s) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto &name : statistic_names()) j[name] = number_json(statistic(s, name));
    return j;
}

SeriesStats stats_from_json(const nlohmann::json &j) {
    SeriesStats s;
    s.final = json_number(j.value("final", nlohmann::json()));
    s.min = json_number(j.value("min", nlohmann::json()));
    s.max = json_number(j.value("max", nlohmann::json()));
    s.mean = json_number(j.value("mean", nlohmann::json()));
    s.peak_time = json_number(j.value("peak_time", nlohmann::json()));
    return s;
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Everything the job names must exist before anything is written.
void check_spec_methods(const BatchSpec &spec, const registry::Registry &registry) {
    for (const auto &step : spec.steps) {
        const std::string where = "/steps/" + std::to_string(step.index);
        const auto *method = registry.find_method(step.method);
        if (!method)
            throw DocumentError(where + "/method",
                                execution::unknown_method_message(registry, step.method) + " (see `holon plugins`)");
        const auto &d = method->description;
        if (d.kind == HOLON_METHOD_KIND_IMPORTER)
            throw DocumentError(where + "/method", "'" + step.method + "' is an importer; name the file as an input instead and it is imported");
        if (execution::needs_model(d) && step.input.empty() && step.model_from.empty())
            throw DocumentError(where, execution::missing_model_message(step.method) + ": give 'input' or 'model_from'");
    }
}

class BatchRun {
public:
    BatchRun(const BatchSpec &spec, const BatchOptions &options, BatchCallbacks &callbacks)
        : spec_(spec), options_(options), callbacks_(callbacks) {}

    BatchReport run() {
        check_spec_methods(spec_, options_.executor->registry());
        prestart_runners();
        load_models();
        check_model_names(spec_, models_);
        open_output();
        warm_plotters();
        for (auto &step : steps_) {
            if (stopping()) break;
            run_step(step);
        }
        report_.cancelled = flag(options_.cancel);
        write_outcome_tables();
        add_model_units();
        for (const auto &step : steps_)
            for (size_t i = 0; i < step.points.size(); ++i)
                if (step.points[i].recorded && !step.points[i].ok)
                    report_.failures.push_back({step.spec->name, i, point_label(*step.spec, i), false,
                                                step.points[i].problem, step.points[i].error, step.points[i].wall_seconds});
        journal_.reset();
        write_reports(spec_, steps_, options_, report_, [this](const std::string &n) { note(n); }, plotters_.get());
        return report_;
    }

private:
    void note(const std::string &text) {
        std::lock_guard lock(mutex_);
        if (callbacks_.on_note) callbacks_.on_note(text);
    }

    bool stopping() const { return flag(options_.cancel) || stop_.load(); }

    // Called with mutex_ held. Once the batch is found to belong to another process, it records
    // nothing more and stops: that process resumes it from the journal as it stands.
    bool still_recording() {
        if (lost_) return false;
        if (!options_.may_record || options_.may_record()) return true;
        lost_ = true;
        stop_ = true;
        return false;
    }

    // The runners the steps will run in at once, started while the inputs are imported.
    void prestart_runners() {
        const unsigned jobs = effective_jobs(options_.jobs);
        for (const auto &step : spec_.steps) {
            const size_t count = std::min<size_t>(jobs, step.points.size());
            if (step.outcomes) options_.executor->prestart_chunks(step.method, point_limits(), count, options_.workspace);
            else options_.executor->prestart(step.method, point_limits(), count, options_.workspace);
        }
    }

    // Points (or chunks) in flight at once: the jobs this process runs, or more when other hosts
    // share them.
    unsigned lanes() const {
        const unsigned jobs = effective_jobs(options_.jobs);
        return options_.points ? std::max(1u, options_.points->lanes(jobs)) : jobs;
    }

    registry::LimitOverrides point_limits() const {
        registry::LimitOverrides limits;
        if (spec_.timeout_seconds) limits.wall_seconds = *spec_.timeout_seconds;
        return limits;
    }

    // The gnuplot processes the reports will need, started now so that they are ready when the
    // last run is. A step that names no plot variables plots the first few of its table; one
    // process is started for it, the rest start when needed.
    void warm_plotters() {
        if (!options_.plots) return;
        plotters_ = std::make_unique<GnuplotPool>(options_.gnuplot);
        size_t plots = 0;
        for (const auto &step : spec_.steps) {
            if (step.outcomes) plots += step.outcomes->outcomes.size(); // one picture per outcome
            else if (step.method.rfind("explore.", 0) != 0) plots += step.outputs.plots.empty() ? 1 : step.outputs.plots.size();
        }
        const unsigned lanes = effective_jobs(options_.jobs);
        plotters_->prestart(warm_gnuplot_processes(plots, lanes));
    }

    void load_models() {
        std::string inputs_digest;
        for (const auto &input : spec_.inputs) {
            const bool used = std::any_of(spec_.steps.begin(), spec_.steps.end(), [&](const StepSpec &s) { return s.input == input.name; });
            if (!used) continue;
            if (!options_.load_model) throw DocumentError("/inputs/" + input.name, "this runner cannot load models");
            std::string text;
            try {
                text = options_.load_model(input);
            } catch (const DocumentError &) {
                throw;
            } catch (const std::exception &e) {
                throw DocumentError("/inputs/" + input.name, e.what());
            }
            inputs_digest += input.name + "=" + digest::sha256_hex(text) + "\n";
            models_[input.name] = std::move(text);
        }
        // The job's identity covers its inputs: a changed model file must not reuse old results.
        job_hash_ = digest::sha256_hex(spec_.hash + "\n" + inputs_digest);
    }

    void open_output() {
        const auto &out = options_.out_dir;
        const auto journal_file = out / "journal.jsonl";
        JournalContents contents;
        try {
            contents = read_journal(journal_file);
        } catch (const std::runtime_error &e) {
            throw BatchError(std::string(e.what()) + "; choose another --out folder");
        }
        if (contents.exists && contents.job_hash != job_hash_ && !options_.restart)
            throw DocumentError(out.string(), "holds results of a different job document or different input models (journal " +
                                             contents.job_hash.substr(0, 12) + ", this job " + job_hash_.substr(0, 12) +
                                             "); use another --out folder or --restart to discard them");
        std::error_code ec;
        if (options_.restart && contents.exists) {
            for (const char *name : {"journal.jsonl", "results.json", "index.html"}) std::filesystem::remove(out / name, ec);
            std::filesystem::remove_all(out / "steps", ec);
            contents = JournalContents{};
        }
        std::filesystem::create_directories(out / "steps", ec);
        if (ec) throw BatchError(out.string() + ": cannot create the output folder (" + ec.message() + ")");

        steps_.resize(spec_.steps.size());
        for (size_t s = 0; s < spec_.steps.size(); ++s) {
            steps_[s].spec = &spec_.steps[s];
            steps_[s].points.resize(spec_.steps[s].points.size());
        }
        for (const auto &line : contents.points) reuse(line);

        session_ = contents.sessions + 1;
        journal_ = std::make_unique<JournalWriter>(journal_file, nlohmann::json{{"journal", "holon-batch/1"},
                                                                                 {"job_hash", job_hash_},
                                                                                 {"job", spec_.name},
                                                                                 {"session", session_},
                                                                                 {"started", utc_now()}});
        for (const auto &st : steps_) progress_.total += st.points.size();
        for (const auto &st : steps_)
            for (const auto &p : st.points)
                if (p.recorded) {
                    ++progress_.done;
                    ++progress_.reused;
                    ++(p.ok ? progress_.succeeded : progress_.failed);
                }
        report_.progress = progress_;
        if (callbacks_.on_start) callbacks_.on_start(progress_);
    }

    void reuse(const nlohmann::json &line) {
        const std::string name = line.value("step", "");
        auto it = std::find_if(steps_.begin(), steps_.end(), [&](const StepState &s) { return s.spec->name == name; });
        if (it == steps_.end() || !line["point"].is_number_unsigned()) return;
        const size_t index = line["point"].get<size_t>();
        if (index >= it->points.size()) return;
        PointState p;
        p.ok = line.value("status", "") == "ok";
        if (!p.ok && options_.retry_failed) {
            it->points[index] = PointState{};
            return;
        }
        p.recorded = true;
        p.session = line.value("session", 0);
        p.problem = line.value("problem", "");
        p.error = line.value("error", "");
        p.wall_seconds = json_number(line.value("wall_seconds", nlohmann::json()));
        p.result = line.value("result", nlohmann::json());
        p.table = line.value("table", "");
        if (line.contains("columns") && line["columns"].is_array())
            for (const auto &c : line["columns"])
                if (c.is_string()) p.columns.push_back(c.get<std::string>());
        if (line.contains("stats") && line["stats"].is_object())
            for (const auto &[k, v] : line["stats"].items()) p.stats[k] = stats_from_json(v);
        if (line.contains("outcomes") && line["outcomes"].is_array())
            for (const auto &v : line["outcomes"]) p.outcomes.push_back(json_number(v));
        it->points[index] = std::move(p);
    }

    // A reference's value, from the (single) point of an earlier step.
    nlohmann::json lookup(const Reference &ref) const {
        auto it = std::find_if(steps_.begin(), steps_.end(), [&](const StepState &s) { return s.spec->name == ref.step; });
        const PointState &p = it->points.at(0);
        if (!ref.stats) return follow_path(p.result, ref.path);
        auto s = p.stats.find(ref.path[0]);
        if (s == p.stats.end()) {
            auto c = find_column(p.columns, ref.path[0]);
            if (c) s = p.stats.find(p.columns[*c]);
        }
        if (s == p.stats.end())
            throw std::runtime_error("step '" + ref.step + "' has no statistics of '" + ref.path[0] +
                                     "' (list it in that step's outputs.variables)");
        return number_json(statistic(s->second, ref.path[1]));
    }

    // Why the step cannot run because of a step it depends on, or "".
    std::string blocked_by(const StepSpec &step) const {
        for (const auto &dep : step.depends_on) {
            auto it = std::find_if(steps_.begin(), steps_.end(), [&](const StepState &s) { return s.spec->name == dep; });
            const PointState &p = it->points.at(0);
            if (!p.recorded) return "step '" + dep + "' did not run";
            if (!p.ok) return "step '" + dep + "' failed: " + p.error;
        }
        if (!step.tables_from.empty()) {
            const StepState &from = state_of(step.tables_from);
            if (!from.skipped.empty()) return "step '" + step.tables_from + "' did not run: " + from.skipped;
            const auto missing = std::count_if(from.points.begin(), from.points.end(), [](const PointState &p) { return !p.recorded; });
            if (missing > 0) return "step '" + step.tables_from + "' has " + std::to_string(missing) + " points that did not run";
        }
        return {};
    }

    const StepState &state_of(const std::string &name) const {
        return *std::find_if(steps_.begin(), steps_.end(), [&](const StepState &s) { return s.spec->name == name; });
    }

    // tables_from: the experiments and outcomes of an earlier step with outcomes, as the input
    // tables "experiments" and "outcomes" (numbers only: failed points' outcomes are NaN), and its
    // design.json as params.design unless the step sets one.
    void add_tables_from(const StepSpec &step, execution::RunRequest &req, nlohmann::json &params) const {
        const StepState &from = state_of(step.tables_from);
        const StepSpec &source = *from.spec;
        runner::TableData experiments, outcomes;
        experiments.name = "experiments";
        outcomes.name = "outcomes";
        experiments.columns.push_back("point");
        if (source.design.policies > 1) experiments.columns.push_back("policy");
        for (const auto &axis : source.axes) experiments.columns.push_back(axis);
        experiments.values.resize(experiments.columns.size());
        const auto names = scalar_outcome_names(*source.outcomes);
        outcomes.columns.push_back("point");
        outcomes.columns.insert(outcomes.columns.end(), names.begin(), names.end());
        outcomes.values.resize(outcomes.columns.size());
        for (size_t i = 0; i < source.points.size(); ++i) {
            const Point &pt = source.points[i];
            size_t c = 0;
            experiments.values[c++].push_back(static_cast<double>(i));
            if (source.design.policies > 1) experiments.values[c++].push_back(static_cast<double>(pt.policy));
            for (const auto &v : pt.values) experiments.values[c++].push_back(json_number(v));
            const PointState &ps = from.points[i];
            outcomes.values[0].push_back(static_cast<double>(i));
            for (size_t k = 0; k < names.size(); ++k)
                outcomes.values[k + 1].push_back(ps.ok && k < ps.outcomes.size() ? ps.outcomes[k] : std::numeric_limits<double>::quiet_NaN());
        }
        req.tables = {std::move(experiments), std::move(outcomes)};
        if (!source.design.document.is_null() && !params.contains("design")) params["design"] = source.design.document;
    }

    void run_step(StepState &st) {
        const StepSpec &step = *st.spec;
        std::vector<size_t> pending;
        for (size_t i = 0; i < st.points.size(); ++i)
            if (!st.points[i].recorded) pending.push_back(i);
        if (pending.empty()) return;
        if (auto why = blocked_by(step); !why.empty()) {
            st.skipped = why;
            note("step " + step.name + " skipped: " + why);
            return;
        }

        std::string model;
        if (!step.input.empty()) model = models_.at(step.input);
        if (!step.model_from.empty()) {
            auto it = std::find_if(steps_.begin(), steps_.end(), [&](const StepState &s) { return s.spec->name == step.model_from; });
            model = it->points.at(0).result.dump();
        }
        nlohmann::json params;
        std::vector<nlohmann::json> patches(st.points.size());
        try {
            auto lookup_fn = [this](const Reference &r) { return lookup(r); };
            params = resolve_references(step.params, lookup_fn);
            for (size_t i = 0; i < step.points.size(); ++i)
                if (!step.points[i].patch.is_null()) patches[i] = resolve_references(step.points[i].patch, lookup_fn);
        } catch (const std::exception &e) {
            st.skipped = std::string("its params refer to something that does not exist: ") + e.what();
            note("step " + step.name + " skipped: " + st.skipped);
            return;
        }

        if (step.outcomes) {
            run_table_step(st, pending, params, patches, model);
            return;
        }
        unsigned workers = lanes();
        workers = static_cast<unsigned>(std::min<size_t>(workers, pending.size()));
        std::atomic<size_t> next{0};
        auto work = [&] {
            while (!stopping()) {
                const size_t k = next.fetch_add(1);
                if (k >= pending.size()) return;
                run_point(st, pending[k], params, patches[pending[k]], model);
            }
        };
        std::vector<std::thread> threads;
        for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work);
        work();
        for (auto &t : threads) t.join();
    }

    // ---- steps with outcomes: chunks of points per runner round trip, one table per batch ----

    // Problems that every point of the step would have too: the first point alone finds them.
    static bool dooms_the_step(const std::string &problem) {
        return problem == "invalid-params" || problem == "invalid-model" || problem == "missing-outcome" ||
               problem == "unknown-method";
    }

    void run_table_step(StepState &st, const std::vector<size_t> &pending, const nlohmann::json &params,
                        const std::vector<nlohmann::json> &patches, const std::string &model) {
        const StepSpec &step = *st.spec;
        const auto dir = options_.out_dir / "steps" / step.name;
        std::filesystem::create_directories(dir);
        const auto series_names = series_outcome_names(*step.outcomes);
        if (!series_names.empty()) series_ = std::make_unique<SeriesWriter>(dir / "series.csv", series_names);
        std::vector<size_t> rest = pending;
        const bool fresh = pending.size() == st.points.size();
        if (fresh) {
            // A design that cannot run at all fails once, not once per point.
            run_chunk_points(st, {pending.front()}, params, patches, model);
            const PointState &first = st.points[pending.front()];
            if (first.recorded && !first.ok && dooms_the_step(first.problem)) {
                const size_t others = pending.size() - 1;
                st.skipped = "its first point failed (" + first.problem + "): " + first.error + "; " +
                             (others == 1 ? std::string("the other point was not run")
                                          : "the other " + std::to_string(others) + " points were not run");
                note("step " + step.name + " stopped: " + st.skipped);
                series_.reset();
                return;
            }
            rest.erase(rest.begin());
        }
        unsigned workers = lanes();
        workers = static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(workers, rest.size())));
        // Several chunks per worker keep the lanes even at the end; 1,000 points bound a reply.
        const size_t chunk = std::clamp<size_t>(rest.size() / (size_t{workers} * 4), 1, execution::kChunkRuns);
        std::atomic<size_t> next{0};
        auto work = [&] {
            while (!stopping()) {
                const size_t from = next.fetch_add(chunk);
                if (from >= rest.size()) return;
                const size_t to = std::min(rest.size(), from + chunk);
                run_chunk_points(st, std::vector<size_t>(rest.begin() + static_cast<std::ptrdiff_t>(from), rest.begin() + static_cast<std::ptrdiff_t>(to)),
                                 params, patches, model);
            }
        };
        std::vector<std::thread> threads;
        for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work);
        work();
        for (auto &t : threads) t.join();
        if (series_) series_->flush();
        series_.reset();
    }

    void run_chunk_points(StepState &st, const std::vector<size_t> &indices, const nlohmann::json &base_params,
                          const std::vector<nlohmann::json> &patches, const std::string &model) {
        const StepSpec &step = *st.spec;
        execution::ChunkRequest req;
        req.method_id = step.method;
        req.model_json = model;
        req.outcomes = *step.outcomes;
        req.limits = point_limits();
        req.workspace = options_.workspace;
        req.params_json.reserve(indices.size());
        for (size_t index : indices) {
            nlohmann::json params = base_params.is_object() ? base_params : nlohmann::json::object();
            if (!patches[index].is_null()) merge_patch(params, patches[index]);
            else
                for (size_t d = 0; d < step.axes.size(); ++d) set_at_path(params, step.axes[d], step.points[index].values[d]);
            req.params_json.push_back(params.dump());
        }
        runner::TaskCallbacks cb;
        cb.cancel = options_.cancel;
        execution::ChunkOutcome out = options_.points ? options_.points->run_chunk(req, cb) : options_.executor->run_chunk(req, cb);
        if (!out.task.ok()) {
            if (out.task.problem == "cancelled" || flag(options_.cancel)) return; // missing, not failed
            if (indices.size() > 1) {
                // A crash or a limit ends the whole round trip: find the point that caused it.
                for (size_t index : indices) {
                    if (stopping()) return;
                    run_chunk_points(st, {index}, base_params, patches, model);
                }
                return;
            }
            execution::ChunkPoint failed;
            failed.problem = out.task.problem;
            failed.message = out.task.message;
            out.points = {failed};
        }
        record_chunk(st, indices, out.points, out.task.wall_seconds / static_cast<double>(indices.size()));
    }

    void record_chunk(StepState &st, const std::vector<size_t> &indices, std::vector<execution::ChunkPoint> &points,
                      double wall_seconds) {
        const StepSpec &step = *st.spec;
        std::vector<nlohmann::json> lines;
        lines.reserve(indices.size());
        for (size_t k = 0; k < indices.size(); ++k) {
            const execution::ChunkPoint &c = points[k];
            nlohmann::json line{{"step", step.name}, {"point", indices[k]}, {"status", c.ok ? "ok" : "failed"}, {"session", session_}};
            if (c.ok) {
                nlohmann::json values = nlohmann::json::array();
                for (double v : c.scalars) values.push_back(number_json(v));
                line["outcomes"] = std::move(values);
            } else {
                line["problem"] = c.problem;
                line["error"] = c.message;
            }
            lines.push_back(std::move(line));
        }
        std::lock_guard lock(mutex_);
        if (!still_recording()) return;
        // Series rows before the journal lines that vouch for them.
        if (series_) {
            for (size_t k = 0; k < indices.size(); ++k)
                if (points[k].ok) series_->add(indices[k], points[k].series_time, points[k].series);
            series_->flush();
        }
        journal_->append_all(lines);
        for (size_t k = 0; k < indices.size(); ++k) {
            execution::ChunkPoint &c = points[k];
            PointState p;
            p.recorded = true;
            p.session = session_;
            p.ok = c.ok;
            p.problem = c.problem;
            p.error = c.message;
            p.wall_seconds = wall_seconds;
            p.outcomes = std::move(c.scalars);
            count_ran_point(p.ok);
            PointEvent event{step.name, indices[k], point_label(step, indices[k]), p.ok, p.problem, p.error, wall_seconds};
            st.points[indices[k]] = std::move(p);
            report_.progress = progress_;
            if (callbacks_.on_point) callbacks_.on_point(event, progress_);
        }
    }

    // Steps with outcomes get no table of a run to read units from: the input model names them.
    // A point that ran (alone or in a chunk): the counts, and fail_fast.
    void count_ran_point(bool ok) {
        ++progress_.done;
        ++progress_.ran;
        ++(ok ? progress_.succeeded : progress_.failed);
        if (!ok && spec_.fail_fast) {
            stop_ = true;
            report_.stopped_by_fail_fast = true;
        }
    }

    void add_model_units() {
        for (auto &st : steps_) {
            if (!st.spec->outcomes || st.spec->input.empty()) continue;
            auto model = models_.find(st.spec->input);
            if (model == models_.end()) continue;
            for (auto &[column, units] : outcome_units(*st.spec, model->second)) st.units.emplace(column, units);
        }
    }

    void write_outcome_tables() {
        for (const auto &st : steps_) {
            if (!st.spec->outcomes) continue;
            const auto dir = options_.out_dir / "steps" / st.spec->name;
            std::error_code ec;
            std::filesystem::create_directories(dir, ec);
            try {
                write_experiments(dir, *st.spec);
                write_outcomes(dir, *st.spec, st.points);
            } catch (const std::exception &e) {
                report_.warnings.push_back(e.what());
                note(std::string("warning: ") + e.what());
            }
        }
    }

    void run_point(StepState &st, size_t index, const nlohmann::json &base_params, const nlohmann::json &patch,
                   const std::string &model) {
        const StepSpec &step = *st.spec;
        const Point &point = step.points[index];
        nlohmann::json params = base_params.is_object() ? base_params : nlohmann::json::object();
        if (!patch.is_null()) merge_patch(params, patch);
        else
            for (size_t d = 0; d < step.axes.size(); ++d) set_at_path(params, step.axes[d], point.values[d]);

        execution::RunRequest req;
        req.method_id = step.method;
        req.model_json = model;
        if (!step.tables_from.empty()) add_tables_from(step, req, params);
        req.params_json = params.dump();
        req.limits = point_limits();
        req.workspace = options_.workspace;
        runner::TaskCallbacks cb;
        cb.cancel = options_.cancel;
        // A step of one point (an analysis, an import) runs here: nothing to share.
        runner::TaskOutcome outcome = options_.points && step.points.size() > 1 ? options_.points->run(req, cb)
                                                                                 : options_.executor->run(req, cb);
        if (!outcome.ok() && (outcome.problem == "cancelled" || flag(options_.cancel))) return; // missing, not failed

        PointState p;
        p.recorded = true;
        p.session = session_;
        p.ok = outcome.ok();
        p.problem = outcome.problem;
        p.error = outcome.message;
        p.wall_seconds = outcome.wall_seconds;
        std::string table_name;
        std::vector<double> time;
        std::map<std::string, std::vector<double>> plot_series;
        std::vector<std::string> plot_variables;
        const auto dir = options_.out_dir / "steps" / step.name / "runs" / point_id(index, step.points.size());
        try {
            if (p.ok) {
                p.result = outcome.result_json.empty() ? nlohmann::json() : nlohmann::json::parse(outcome.result_json, nullptr, false);
                if (p.result.is_discarded()) p.result = nullptr;
                write_run_files(dir, outcome, step.outputs);
                if (!outcome.tables.empty()) {
                    const runner::TableData *table = &outcome.tables.front();
                    if (!step.outputs.table.empty()) {
                        auto t = std::find_if(outcome.tables.begin(), outcome.tables.end(),
                                              [&](const runner::TableData &x) { return x.name == step.outputs.table; });
                        if (t == outcome.tables.end()) throw std::runtime_error("the method put no table '" + step.outputs.table + "'");
                        table = &*t;
                    }
                    table_name = table->name;
                    summarise(step, *table, p, time, plot_series, plot_variables);
                } else if (!step.outputs.table.empty() || !step.outputs.variables.empty()) {
                    throw std::runtime_error("the method put no table to take statistics from");
                }
            }
        } catch (const std::exception &e) {
            p.ok = false;
            p.problem = "batch-output";
            p.error = e.what();
        }
        record(st, index, std::move(p), table_name, std::move(time), std::move(plot_series), plot_variables);
    }

    // In place, not through temporary files: a point's files count only once its journal line is
    // written after them, and a point without one runs again and rewrites them.
    static void write_run_files(const std::filesystem::path &dir, const runner::TaskOutcome &outcome, const StepOutputs &outputs) {
        std::filesystem::create_directories(dir);
        if (outputs.tables)
            for (size_t i = 0; i < outcome.tables.size(); ++i) {
                const auto &t = outcome.tables[i];
                const bool chosen = outputs.table.empty() ? i == 0 : t.name == outputs.table;
                write_file(dir / (file_stem(t.name) + ".csv"),
                           table_csv(chosen && !outputs.variables.empty() ? only_columns(t, outputs) : t));
                // The names and units of the columns, once per step (steps/<step>/<table>.columns.csv)
                // for the report's axes and headers; concurrent writers write the same file whole.
                const auto columns = dir.parent_path().parent_path() / (file_stem(t.name) + ".columns.csv");
                if (!std::filesystem::exists(columns))
                    if (const std::string text = table_columns_csv(t); !text.empty()) {
                        // Points of the step may get here at once: each renames its own temporary file.
                        const auto temp = columns.parent_path() / ("." + columns.filename().string() + "." + dir.filename().string());
                        write_file(temp, text);
                        std::filesystem::rename(temp, columns);
                    }
            }
        for (const auto &b : outcome.blobs) write_file(dir / file_stem(b.name), b.data);
        write_file(dir / "result.json", (outcome.result_json.empty() ? std::string("null") : outcome.result_json) + "\n");
    }

    // outputs.variables: the table as written, with the time column and the variables asked for
    // (a variable the table lacks fails the point in summarise()).
    static runner::TableData only_columns(const runner::TableData &t, const StepOutputs &outputs) {
        std::vector<size_t> keep;
        if (auto c = find_column(t.columns, outputs.time)) keep.push_back(*c);
        for (const auto &v : outputs.variables)
            if (auto c = find_column(t.columns, v); c && std::find(keep.begin(), keep.end(), *c) == keep.end()) keep.push_back(*c);
        runner::TableData out = t;
        out.columns.clear();
        out.values.clear();
        for (auto *texts : {&out.labels, &out.units}) texts->clear();
        for (size_t c : keep) {
            out.columns.push_back(t.columns[c]);
            out.values.push_back(t.values[c]);
            if (c < t.labels.size()) out.labels.push_back(t.labels[c]);
            if (c < t.units.size()) out.units.push_back(t.units[c]);
        }
        return out;
    }

    // Statistics of the chosen variables and the series of the plotted ones.
    static void summarise(const StepSpec &step, const runner::TableData &table, PointState &p, std::vector<double> &time,
                          std::map<std::string, std::vector<double>> &plot_series, std::vector<std::string> &plot_variables) {
        const auto time_col = find_column(table.columns, step.outputs.time);
        if (!time_col) throw std::runtime_error("table '" + table.name + "' has no time column '" + step.outputs.time + "'");
        time = table.values[*time_col];
        std::vector<size_t> chosen;
        if (step.outputs.variables.empty()) {
            for (size_t c = 0; c < table.columns.size(); ++c)
                if (c != *time_col) chosen.push_back(c);
        } else {
            for (const auto &v : step.outputs.variables) {
                auto c = find_column(table.columns, v);
                if (!c) throw std::runtime_error("table '" + table.name + "' has no column '" + v + "'");
                chosen.push_back(*c);
            }
        }
        for (size_t c : chosen) {
            p.columns.push_back(table.columns[c]);
            p.stats[table.columns[c]] = series_stats(time, table.values[c]);
        }
        if (step.outputs.plots.empty()) {
            for (size_t k = 0; k < chosen.size() && k < 8; ++k) plot_variables.push_back(table.columns[chosen[k]]);
        } else {
            for (const auto &v : step.outputs.plots) {
                auto c = find_column(table.columns, v);
                if (!c) throw std::runtime_error("table '" + table.name + "' has no column '" + v + "' to plot");
                plot_variables.push_back(table.columns[*c]);
            }
        }
        for (const auto &v : plot_variables) plot_series[v] = table.values[*find_column(table.columns, v)];
    }

    void record(StepState &st, size_t index, PointState p, const std::string &table_name, std::vector<double> time,
                std::map<std::string, std::vector<double>> plot_series, const std::vector<std::string> &plot_variables) {
        const StepSpec &step = *st.spec;
        const Point &point = step.points[index];
        nlohmann::json values = nlohmann::json::object();
        for (size_t d = 0; d < step.axes.size(); ++d) values[step.axes[d]] = point.values[d];
        nlohmann::json stats = nlohmann::json::object();
        for (const auto &[k, s] : p.stats) stats[k] = stats_json(s);
        nlohmann::json line{{"step", step.name},  {"point", index},           {"id", point_id(index, step.points.size())},
                            {"status", p.ok ? "ok" : "failed"}, {"session", session_}, {"values", values},
                            {"wall_seconds", p.wall_seconds}};
        if (!point.scenario.empty()) line["scenario"] = point.scenario;
        if (!p.ok) {
            line["problem"] = p.problem;
            line["error"] = p.error;
        } else {
            line["table"] = table_name;
            line["columns"] = p.columns;
            line["stats"] = stats;
            line["result"] = p.result;
        }
        PointEvent event{step.name, index, point_label(step, index), p.ok, p.problem, p.error, p.wall_seconds};

        std::lock_guard lock(mutex_);
        if (!still_recording()) return;
        journal_->append(line);
        if (p.ok) {
            if (st.time.empty()) st.time = std::move(time);
            if (st.plot_variables.empty()) st.plot_variables = plot_variables;
            for (auto &[var, values_of_run] : plot_series) {
                auto &runs = st.series[var];
                runs.resize(st.points.size());
                runs[index] = std::move(values_of_run);
            }
        }
        count_ran_point(p.ok);
        p.table = table_name;
        st.points[index] = std::move(p);
        report_.progress = progress_;
        if (callbacks_.on_point) callbacks_.on_point(event, progress_);
    }

    const BatchSpec &spec_;
    const BatchOptions &options_;
    BatchCallbacks &callbacks_;
    std::map<std::string, std::string> models_;
    std::string job_hash_;
    int session_ = 1;
    std::unique_ptr<JournalWriter> journal_;
    std::unique_ptr<GnuplotPool> plotters_;
    std::unique_ptr<SeriesWriter> series_; // the running step's series.csv, if it has series outcomes
    std::vector<StepState> steps_;
    std::mutex mutex_;
    std::atomic<bool> stop_{false};
    bool lost_ = false;  // see still_recording(); guarded by mutex_
    BatchProgress progress_;
    BatchReport report_;
};

} // namespace

unsigned effective_jobs(unsigned jobs) { return jobs ? jobs : std::max(1u, std::thread::hardware_concurrency()); }

void check_methods(const BatchDocument &job, const registry::Registry &registry) { check_spec_methods(job.spec(), registry); }

void check_model_names(const BatchDocument &job, const std::map<std::string, std::string> &models) {
    check_model_names(job.spec(), models);
}

BatchReport run_job(const BatchDocument &job, const BatchOptions &options, BatchCallbacks &callbacks) {
    if (!options.executor) throw std::invalid_argument("run_job: BatchOptions::executor is required");
    if (options.out_dir.empty()) throw std::invalid_argument("run_job: BatchOptions::out_dir is required");
    BatchRun run(job.spec(), options, callbacks);
    return run.run();
}

} // namespace holon::batch
