#include "methods/questionnaire_method.hpp"

#include "csh_schemas.hpp"
#include "methods/common.hpp"
#include "questionnaire/questionnaire.hpp"

namespace holon_csh::methods {

holon::MethodInfo QuestionnaireMethod::info() {
    return {"csh.questionnaire",
            "CSH workshop sheet",
            "The 24 boundary questions (12 categories in is and ought mode) for one perspective, pre-filled with the "
            "model's current answers and the entities they bind, as Markdown, HTML and CSV for a facilitator. Holon's "
            "own paraphrase of the questions unless the deployment gives its own text in params.questions.",
            schemas::questionnaire_params.data(),
            schemas::questionnaire_result.data(),
            HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT};
}

void QuestionnaireMethod::run(holon::Context &ctx) {
    const nlohmann::json params = holon::read_params(ctx);
    const nlohmann::json doc = holon::read_model(ctx);
    const Model model = read_csh_model(doc);
    std::string perspective = params.value("perspective", "");
    if (perspective.empty()) {
        if (model.perspectives.size() > 1) {
            std::string names;
            for (const Perspective &p : model.perspectives) names += (names.empty() ? "" : ", ") + p.key;
            holon::fail_params("/perspective", "the model has answers from " + std::to_string(model.perspectives.size()) +
                                                   " perspectives; name one of: " + names);
        }
        perspective = model.perspectives.empty() ? "New perspective" : model.perspectives.front().key;
    }
    QuestionText text{};
    if (const auto q = params.find("questions"); q != params.end()) {
        for (std::size_t i = 0; i < q->size(); ++i) {
            const nlohmann::json &entry = (*q)[i];
            const int c = entry.at("category").get<int>();
            if (c < 1 || c > category_count) holon::fail_params(holon::at(holon::at("/questions", i), "category"), "category must be 1 to 12");
            auto &slot = text[static_cast<std::size_t>(c - 1)];
            if (entry.contains("is")) slot[0] = entry["is"].get<std::string>();
            if (entry.contains("ought")) slot[1] = entry["ought"].get<std::string>();
        }
    }
    const Sheet sheet = questionnaire(model, perspective, text, params.value("title", "Boundary critique workshop sheet"));
    ctx.put_blob("questionnaire.md", "text/markdown", sheet.markdown);
    ctx.put_blob("questionnaire.html", "text/html", sheet.html);
    ctx.put_blob("questionnaire.csv", "text/csv", sheet.csv);
    ctx.put_json(sheet.result.dump());
    ctx.progress(1.0, "done");
}

} // namespace holon_csh::methods
