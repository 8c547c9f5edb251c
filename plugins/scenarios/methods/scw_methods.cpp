#include "methods/scw_methods.hpp"
#include "scenarios_schemas.hpp"

#include "formats/scw.hpp"
#include "methods/common.hpp"

#include <cctype>
#include <set>

namespace holon_scenarios::methods {
namespace {

constexpr const char *import_params = schemas::scw_import_params.data();
constexpr const char *import_result = schemas::scw_import_result.data();
constexpr const char *export_params = schemas::scw_export_params.data();
constexpr const char *export_result = schemas::scw_export_result.data();

// A model id (^[A-Za-z][A-Za-z0-9_.:-]*$) from free text, unique among `taken`.
std::string make_id(const std::string &text, const std::string &prefix, std::set<std::string> &taken) {
    std::string id;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '_' || c == '.' || c == '-') {
            id += c;
        } else if (!id.empty() && id.back() != '_') {
            id += '_';
        }
    }
    while (!id.empty() && id.back() == '_') id.pop_back();
    if (id.empty() || !std::isalpha(static_cast<unsigned char>(id[0]))) id = prefix + id;
    std::string unique = id;
    for (int k = 2; taken.count(unique); ++k) unique = id + "-" + std::to_string(k);
    taken.insert(unique);
    return unique;
}

} // namespace

holon::MethodInfo ImportScwMethod::info() {
    return {"scenarios.import-scw",
            "Import a ScenarioWizard project",
            "Reads a ScenarioWizard .scw file (descriptors, variants, descriptions and the cross-impact matrix) into a "
            "model with one CIB scenario set.",
            import_params,
            import_result,
            HOLON_METHOD_KIND_IMPORTER,
            HOLON_METHOD_FLAG_CONCURRENT | HOLON_METHOD_FLAG_NO_MODEL,
            "scw"};
}

void ImportScwMethod::run(holon::Context &ctx) {
    if (ctx.source().empty()) throw holon::Error(HOLON_ERR_INVALID_MODEL, "there is no source document to import");
    const json params = holon::read_params(ctx);
    formats::ScwProject p;
    try {
        p = formats::read_scw(ctx.source());
    } catch (const formats::FormatError &e) {
        throw holon::Error(HOLON_ERR_INVALID_MODEL, e.what(), json{{"line", e.line()}}.dump());
    }
    const bool ignore_self = params.contains("ignore_self_impacts") && params["ignore_self_impacts"].get<bool>();
    if (!p.self_impacts.empty()) {
        // ScenarioWizard counts a descriptor's impact on its own variants in the impact balances,
        // so they are imported and applied the same way (the matrix is marked self_impacts), or
        // left out on request for the textbook form. Either way the user is told which cells.
        const formats::ScwSelfImpact &first = p.self_impacts.front();
        const formats::ScwDescriptor &d = p.descriptors[static_cast<size_t>(first.descriptor)];
        const std::string what = std::to_string(p.self_impacts.size()) +
                                 " cell(s) of the diagonal blocks (a descriptor's impact on its own variants) are not 0, the first at line " +
                                 std::to_string(first.line) + " ('" + d.name + "': '" +
                                 d.variants[static_cast<size_t>(first.from)].name + "' -> '" +
                                 d.variants[static_cast<size_t>(first.to)].name + "' = " + std::to_string(first.value) + ")";
        if (ignore_self) {
            p.matrix = p.matrix.without_self_impacts();
            ctx.warn(what + ": left out as asked (ignore_self_impacts), the textbook form; ScenarioWizard would count them "
                            "in the impact balances");
        } else {
            ctx.warn(what + ": imported as self-impacts (the matrix is marked \"self_impacts\": true) and the impact "
                            "balances include them, as ScenarioWizard counts them; import with {\"ignore_self_impacts\": true} "
                            "for the textbook form without them");
        }
    }
    const std::string file(ctx.source_name());
    const std::string stem = file.substr(0, file.find('.'));
    std::set<std::string> model_ids, descriptor_ids, variant_ids;
    const std::string model_id = make_id(stem.empty() ? "scw-import" : stem, "m-", model_ids);
    const std::string asserted_by = file.empty() ? "ScenarioWizard import" : file;

    json descriptors = json::array();
    std::vector<std::vector<std::string>> ids;
    for (const auto &d : p.descriptors) {
        json desc{{"id", make_id(d.name, "d-", descriptor_ids)}, {"name", d.name.empty() ? "descriptor" : d.name}};
        if (!d.description.empty()) desc["description"] = d.description;
        json variants = json::array();
        ids.emplace_back();
        for (const auto &v : d.variants) {
            std::string id = variant_ids.count(v.name) ? make_id(desc["id"].get<std::string>() + "." + v.name, "v-", variant_ids)
                                                       : make_id(v.name, "v-", variant_ids);
            json var{{"id", id}, {"name", v.name.empty() ? id : v.name}};
            if (!v.description.empty()) var["description"] = v.description;
            variants.push_back(var);
            ids.back().push_back(id);
        }
        desc["variants"] = variants;
        descriptors.push_back(desc);
    }
    json cells = json::array();
    const cib::Matrix &m = p.matrix;
    for (int i = 0; i < m.descriptor_count(); ++i)
        for (int a = 0; a < m.variant_count(i); ++a)
            for (int j = 0; j < m.descriptor_count(); ++j)
                for (int b = 0; b < m.variant_count(j); ++b)
                    if (m.get(i, a, j, b) != 0)
                        cells.push_back({{"from", ids[static_cast<size_t>(i)][static_cast<size_t>(a)]},
                                         {"to", ids[static_cast<size_t>(j)][static_cast<size_t>(b)]},
                                         {"value", m.get(i, a, j, b)}});
    json matrix{{"id", "cim"}, {"name", "Cross-impact matrix"}, {"kind", "cross-impact"}, {"scale", {{"min", -3}, {"max", 3}}},
                {"provenance", {{"asserted_by", asserted_by}}}, {"cells", cells}};
    if (m.self_impact_cells() > 0) matrix["self_impacts"] = true;
    int32_t lo = 0, hi = 0;
    for (int r = 0; r < m.size(); ++r)
        for (int c = 0; c < m.size(); ++c) {
            lo = std::min(lo, m.at(r, c));
            hi = std::max(hi, m.at(r, c));
        }
    matrix["scale"] = {{"min", std::min(lo, -3)}, {"max", std::max(hi, 3)}};
    json set{{"id", "cib"}, {"name", p.title.empty() ? "CIB" : p.title}, {"kind", "cib"}, {"descriptors", descriptors},
             {"matrices", json::array({matrix})}};
    json doc{{"format", "holon-model/1"}, {"id", model_id}, {"name", stem.empty() ? "Imported ScenarioWizard project" : stem},
             {"scenario_sets", json::array({set})}};
    ctx.put_json(doc.dump());
}

holon::MethodInfo ExportScwMethod::info() {
    return {"scenarios.export-scw",
            "Export a ScenarioWizard project",
            "Writes a CIB scenario set (one cross-impact matrix, or the sum of an ensemble) as a ScenarioWizard .scw file.",
            export_params,
            export_result,
            HOLON_METHOD_KIND_EXPORTER,
            HOLON_METHOD_FLAG_CONCURRENT,
            "scw"};
}

void ExportScwMethod::run(holon::Context &ctx) {
    const json params = holon::read_params(ctx);
    const json doc = holon::read_model(ctx);
    const model::ScenarioSet set = read_set(ctx, doc, params, "cross-impact");
    formats::ScwProject p;
    p.title = set.name;
    std::vector<cib::Matrix> matrices;
    const std::string only = text_param(params, "matrix", "");
    try {
        for (const model::Matrix *m : set.matrices_of_kind("cross-impact"))
            if (only.empty() || m->id == only) matrices.push_back(model::to_cib(set, *m));
    } catch (const model::ModelError &e) {
        throw holon::Error(HOLON_ERR_INVALID_MODEL, e.what());
    }
    p.matrix = matrices.empty() ? cib::Matrix(set.variant_counts()) : cib::sum(matrices);
    if (matrices.size() > 1) ctx.warn("the set has several cross-impact matrices; their sum is exported");
    size_t variants = 0;
    for (const auto &d : set.descriptors) {
        formats::ScwDescriptor sd{d.name, d.description, {}};
        for (const auto &v : d.variants) sd.variants.push_back({v.name, v.description});
        variants += d.variants.size();
        p.descriptors.push_back(std::move(sd));
    }
    const std::string name = set.id + ".scw";
    ctx.put_blob(name, "text/plain", formats::write_scw(p));
    ctx.put_json(json{{"blob", name}, {"descriptors", set.descriptors.size()}, {"variants", variants}}.dump());
}

} // namespace holon_scenarios::methods
