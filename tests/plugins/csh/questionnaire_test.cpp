// csh.questionnaire and the critique report: the sheet's rows, the deployment's own text, CSV
// quoting, and the report's sections.
#include "test_models.hpp"

#include "critique/critique.hpp"
#include "questionnaire/questionnaire.hpp"
#include "report/report.hpp"

#include <gtest/gtest.h>

namespace {

using nlohmann::json;
using namespace holon_csh;

TEST(CshQuestionnaire, TwentyFourRowsPrefilledFromTheModel) {
    const Model m = read_model(csh_test::clean());
    const Sheet s = questionnaire(m, "a-council", QuestionText{}, "Elm Street workshop");
    const json &rows = s.result["rows"];
    ASSERT_EQ(rows.size(), 24u);
    EXPECT_EQ(s.result["perspective"]["name"], "Council transport team");
    EXPECT_TRUE(s.result["perspective"]["known"].get<bool>());
    EXPECT_EQ(s.result["questions_from"], "holon");
    EXPECT_EQ(rows[0]["category"], 1);
    EXPECT_EQ(rows[0]["mode"], "is");
    EXPECT_EQ(rows[0]["question"], categories()[0].is_question);
    EXPECT_EQ(rows[0]["answer"], "Residents of the street");
    EXPECT_EQ(rows[0]["entities"][0]["id"], "a-residents");
    EXPECT_EQ(rows[23]["category"], 12);
    EXPECT_EQ(rows[23]["mode"], "ought");
    EXPECT_EQ(rows[23]["source"], "legitimacy");
    // CSV: a header and 24 rows, answers with commas quoted
    std::size_t lines = 0;
    for (char c : s.csv) lines += c == '\n';
    EXPECT_EQ(lines, 25u);
    EXPECT_EQ(s.csv.substr(0, s.csv.find('\r')), "category,name,source,mode,question,current_answer,bound_entities,new_answer,notes");
    EXPECT_NE(s.csv.find("1,Beneficiary,motivation,is,"), std::string::npos);
    EXPECT_NE(s.markdown.find("## Sources of legitimacy"), std::string::npos);
    EXPECT_NE(s.html.find("<h2>Sources of control</h2>"), std::string::npos);
    EXPECT_NE(s.markdown.find("Residents of Elm Street (a-residents)"), std::string::npos);
}

TEST(CshQuestionnaire, DeploymentTextAndBlankSheets) {
    const Model m = read_model(csh_test::clean());
    QuestionText text{};
    text[0][1] = "Our licensed wording of question 1, \"ought\" mode";
    const Sheet s = questionnaire(m, "Cyclists' forum", text, "Sheet");
    EXPECT_EQ(s.result["questions_from"], "deployment");
    EXPECT_FALSE(s.result["perspective"]["known"].get<bool>());
    EXPECT_EQ(s.result["rows"][1]["question"], "Our licensed wording of question 1, \"ought\" mode");
    EXPECT_EQ(s.result["rows"][0]["question"], categories()[0].is_question);
    EXPECT_EQ(s.result["rows"][1]["answer"], "");
    EXPECT_NE(s.csv.find("\"Our licensed wording of question 1, \"\"ought\"\" mode\""), std::string::npos);
}

TEST(CshCategories, TwelveWithOwnParaphrase) {
    ASSERT_EQ(categories().size(), 12u);
    EXPECT_STREQ(category(1).name, "Beneficiary");
    EXPECT_STREQ(category(6).name, "Decision environment");
    EXPECT_STREQ(category(10).name, "Witness");
    EXPECT_STREQ(category(12).source, "legitimacy");
    EXPECT_THROW((void)category(13), std::out_of_range);
}

TEST(CshReport, TablesGapsHeatMapAndFindings) {
    json doc = csh_test::clean();
    doc["actors"].push_back({{"id", "a-children"}, {"name", "Children at Elm Street school"}, {"affected_by", {"v-air"}}});
    const json result = critique(read_model(doc));
    const std::string svg = divergence_heatmap_svg(result);
    EXPECT_EQ(svg.rfind("<svg", 0), 0u);
    EXPECT_NE(svg.find("Council transport team"), std::string::npos);
    const Report r = render_report("Elm Street", result, svg);
    EXPECT_NE(r.markdown.find("# Boundary critique: Elm Street"), std::string::npos);
    EXPECT_NE(r.markdown.find("| CSH-AFF-001 | warning | Council transport team |"), std::string::npos);
    EXPECT_NE(r.markdown.find("![Divergence heat map](csh-divergence.png)"), std::string::npos);
    EXPECT_NE(r.markdown.find("## Council transport team: 24 of 24 answered"), std::string::npos);
    EXPECT_NE(r.markdown.find("| 3 Measure of improvement | Roadside NO2 falls \u2014 *Roadside NO2, Air quality* |"),
              std::string::npos)
        << r.markdown;
    EXPECT_NE(r.html.find("<svg"), std::string::npos) << "the HTML report is one file with the picture inline";
    EXPECT_EQ(r.html.find("csh-divergence.png"), std::string::npos);
}

} // namespace
