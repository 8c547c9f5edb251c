#include "cli/help_formats.hpp"

#include <holon/holon_plugin.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace holon::cli {
namespace {

struct Formats {
    std::map<std::string, std::set<std::string>> importers; // method id -> formats
    std::map<std::string, std::set<std::string>> exporters;
};

Formats discover_formats(const GlobalOptions *global) {
    Formats f;
    try {
        HostSession session(global ? *global : GlobalOptions{});
        const auto &registry = session.registry();
        for (const auto &plugin : registry.plugins())
            for (const auto *m : registry.methods_of(*plugin)) {
                if (m->description.kind == HOLON_METHOD_KIND_IMPORTER)
                    f.importers[m->description.id].insert(m->formats.begin(), m->formats.end());
                if (m->description.kind == HOLON_METHOD_KIND_EXPORTER)
                    f.exporters[m->description.id].insert(m->formats.begin(), m->formats.end());
            }
    } catch (const std::exception &) {
        // Help must print even when plugins cannot be looked at; the list is then the native one.
    }
    return f;
}

std::string joined(const std::set<std::string> &items) {
    std::string out;
    for (const auto &i : items) out += (out.empty() ? "." : ", .") + i;
    return out;
}

// Rows of "  <formats>  <what>" with the second column aligned, as CLI11 aligns options.
std::string aligned(const std::vector<std::pair<std::string, std::string>> &rows) {
    size_t width = 0;
    for (const auto &[left, right] : rows) width = std::max(width, left.size());
    std::string text;
    for (const auto &[left, right] : rows) text += "  " + left + std::string(width - left.size() + 2, ' ') + right + "\n";
    return text;
}

std::string model_formats(const Formats &f) {
    std::vector<std::pair<std::string, std::string>> rows{{".json", "holon-model/1 (schemas/model.schema.json)"}};
    for (const auto &[method, formats] : f.importers) rows.emplace_back(joined(formats), "imported by " + method);
    std::string text = "Model files:\n" + aligned(rows);
    if (f.importers.empty()) text += "  (no importer found: other formats need their plugin, see `holon plugins`)\n";
    return text;
}

std::string exporter_formats(const Formats &f) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto &[method, formats] : f.exporters) rows.emplace_back(joined(formats), "written by " + method);
    return aligned(rows);
}

const char *run_outputs = "Outputs of `holon run`: the result as JSON on stdout, or with --out DIR: result.json, each\n"
                          "  result table as <name>.csv (a header of display names) with <name>.columns.csv (column\n"
                          "  ids, display names, units) when it has them, with --xlsx all tables in tables.xlsx, each\n"
                          "  file the method produced (SVG/PNG pictures, exported models) under its own name.\n";
const char *simulate_outputs = "Outputs of `holon simulate`: the series as CSV (stdout or --out FILE.csv, which also\n"
                               "  writes FILE.columns.csv with each column's units) or as an Excel workbook (--out\n"
                               "  FILE.xlsx: names and units rows); --plot FILE draws them as .png or .svg (gnuplot);\n"
                               "  --bench N prints one JSON line of timings.\n";
const char *batch_io = "Outputs of `holon batch` JOB (YAML or JSON, schemas/batch-job.schema.json; a step's input\n"
                       "  may be any model file above): --out DIR holds index.html (the report, one file),\n"
                       "  results.json and per step summary.csv, each point's tables under runs/<point>/ (with\n"
                       "  outcomes: experiments.csv and outcomes.csv instead) and plots/ (.svg, .png); docs/batch.md.\n";

} // namespace

void describe_formats(CLI::App &command, FormatsShown shown, const GlobalOptions *global) {
    command.footer([shown, global] {
        const Formats f = discover_formats(global);
        std::string text = "\n" + model_formats(f);
        if (shown == FormatsShown::models_and_run_outputs || shown == FormatsShown::everything) {
            text += std::string("\n") + run_outputs;
            if (!f.exporters.empty()) text += "Exporters (holon run METHOD --out DIR):\n" + exporter_formats(f);
        }
        if (shown == FormatsShown::models_and_simulate_outputs || shown == FormatsShown::everything)
            text += std::string("\n") + simulate_outputs;
        if (shown == FormatsShown::models_and_batch_outputs || shown == FormatsShown::everything)
            text += std::string("\n") + batch_io;
        text += "\nExit status: 0 success, 1 the method ran and failed, 2 bad usage or bad input (docs/cli.md).";
        return text;
    });
}

} // namespace holon::cli
