// ssm.compare, ssm.diagram and ssm.report on the core library.
#include "compare/compare.hpp"
#include "diagram/pam_svg.hpp"
#include "drawing/svg_png.hpp"
#include "report/report.hpp"
#include "ssm_test_util.hpp"

#include <gtest/gtest.h>

namespace {

using namespace holon_ssm;
using nlohmann::json;

TEST(SsmCompare, RowsCoverageAndChanges) {
    const model::Inquiry inquiry = model::read_inquiry(ssm_test::fixture("fence.model.json"));
    const auto result = compare::compare(inquiry);
    ASSERT_EQ(result.size(), 1u);
    const compare::Comparison &c = result[0];
    EXPECT_EQ(c.activities, 9);
    EXPECT_EQ(c.with_row, 9);
    EXPECT_EQ(c.exists_yes, 3);
    EXPECT_EQ(c.exists_partly, 3);
    EXPECT_EQ(c.exists_no, 3);
    EXPECT_TRUE(c.without_row.empty());
    EXPECT_EQ(c.rows[3].activity_name, "Prepare the fence surface");
    EXPECT_EQ(c.rows[3].judged, "Paint flakes within a year");
    EXPECT_EQ(c.rows[8].kind, "control");
    ASSERT_EQ(c.changes.size(), 2u);
    EXPECT_EQ(c.changes[0].verdict, "desirable and feasible");
    EXPECT_EQ(c.changes[1].verdict, "desirable, not feasible");
    EXPECT_EQ(c.changes[1].row_names, (std::vector<std::string>{"Wait for a dry spell", "Monitor the painting"}));
    EXPECT_EQ(c.desirable_and_feasible, 1);
}

TEST(SsmCompare, SeveralModelsSideBySide) {
    const model::Inquiry inquiry = model::read_inquiry(ssm_test::example("prison-inquiry.model.json"));
    const auto result = compare::compare(inquiry);
    ASSERT_EQ(result.size(), 3u);
    EXPECT_EQ(result[0].model, "am-punish");
    EXPECT_EQ(result[1].model, "am-rehabilitate");
    EXPECT_EQ(result[1].with_row, result[1].activities);
    EXPECT_EQ(result[2].activities, 0);
    const auto only = compare::compare(inquiry, {"am-rehabilitate"});
    ASSERT_EQ(only.size(), 1u);
}

TEST(SsmReport, ChecklandFullSentenceFromCatwoe) {
    const model::Inquiry inquiry = model::read_inquiry(ssm_test::fixture("fence.model.json"));
    EXPECT_EQ(report::full_sentence(inquiry.models[0]),
              "A Householder-owned system which, under the following environmental constraints which it takes as given: (The weather; "
              "The household budget), transforms this input (Unpainted fence) into this output (Painted fence) by means of the "
              "following major activities among others: (inspect the unpainted fence; decide on a colour the householder likes; buy "
              "paint and brushes within budget; prepare the fence surface; wait for a dry spell; paint the fence by hand), the "
              "transformation being carried out by these actors (Householder) and directly affecting the following beneficiaries "
              "and/or victims (Householder). The world-image which makes the transformation meaningful contains at least the "
              "following elements among others: (A well-kept fence protects the wood and shows care for the home).");
    EXPECT_EQ(report::pqr_line(inquiry.models[0]),
              "A system to paint the fence, by hand in dry weather within the household budget, in order to enhance the "
              "property's appearance.");
}

TEST(SsmReport, MissingElementsSayNotStated) {
    const model::Inquiry inquiry = model::read_inquiry(ssm_test::example("burge-marketing.model.json"));
    const std::string s = report::full_sentence(inquiry.models[0]);
    EXPECT_NE(s.find("constraints which it takes as given: (not stated)"), std::string::npos) << s;
    EXPECT_NE(s.find("contains at least the following elements among others: (not stated)."), std::string::npos) << s;
    EXPECT_NE(report::pqr_line(inquiry.models[0]).find("in order to (R not stated)."), std::string::npos);
}

TEST(SsmReport, ArticleFollowsTheOwnersName) {
    const model::Inquiry inquiry = model::read_inquiry(ssm_test::example("prison-inquiry.model.json"));
    EXPECT_EQ(report::full_sentence(inquiry.models[0]).rfind("An HM Prison and Probation Service-owned system which", 0), 0u);
    EXPECT_EQ(report::full_sentence(inquiry.models[2]).rfind("An Established prisoners' networks-owned system", 0), 0u);
}

TEST(SsmReport, DocumentsHoldEverySection) {
    const model::Inquiry inquiry = model::read_inquiry(ssm_test::fixture("fence.model.json"));
    const checks::Report findings = checks::check(inquiry, checks::Options{});
    const auto comparisons = compare::compare(inquiry);
    report::Inputs in;
    in.title = "Fence";
    in.inquiry = &inquiry;
    in.models = {&inquiry.models[0]};
    in.checks = &findings;
    in.comparisons = &comparisons;
    in.svg["am-fence"] = diagram::pam_svg(inquiry, inquiry.models[0]);
    in.png_name["am-fence"] = "am-fence.png";
    const std::string md = report::markdown(in);
    for (const char *s : {"# Fence", "### CATWOE", "**PQR:** A system to paint the fence", "In Checkland's full form", "![Purposeful activity model](am-fence.png)",
                          "No findings", "| 4 | Prepare the fence surface | no | Skipped |", "| Sand and prime before painting | Prepare the fence surface | yes | yes | agreed | desirable and feasible |"})
        EXPECT_NE(md.find(s), std::string::npos) << s << "\n" << md;
    const std::string html = report::html(in);
    EXPECT_NE(html.find("<svg"), std::string::npos);
    EXPECT_NE(html.find("<td>Prepare the fence surface</td>"), std::string::npos);
    EXPECT_NE(html.find("property&apos;s appearance"), std::string::npos);
}

TEST(SsmDiagram, DrawsBothSubsystemsAndRasterises) {
    const model::Inquiry inquiry = model::read_inquiry(ssm_test::fixture("fence.model.json"));
    const std::string svg = diagram::pam_svg(inquiry, inquiry.models[0]);
    for (const char *s : {"Operational subsystem", "Monitoring and control", "Take control action", "Measures of performance",
                          "Efficacy: The whole fence is painted [Share of the fence painted]", "take control action",
                          "monitor the operations", "font-family=\"DejaVu Sans\""})
        EXPECT_NE(svg.find(s), std::string::npos) << s;
    // 7 operational arrows + 2 in the monitor-and-control subsystem
    std::size_t arrows = 0;
    for (std::size_t at = svg.find("marker-end=\"url(#head)\""); at != std::string::npos; at = svg.find("marker-end=\"url(#head)\"", at + 1)) ++arrows;
    EXPECT_EQ(arrows, 9u);
    const std::string png = holon_plugins::drawing::svg_to_png(svg, 1.0);
    ASSERT_GT(png.size(), 8u);
    EXPECT_EQ(png.substr(1, 3), "PNG");
}

TEST(SsmDiagram, MissingMonitoringIsShown) {
    json doc = ssm_test::fixture("fence.model.json");
    auto &acts = doc["activity_models"][0]["activities"];
    acts.erase(acts.end() - 3, acts.end());
    const model::Inquiry inquiry = model::read_inquiry(doc);
    const std::string svg = diagram::pam_svg(inquiry, inquiry.models[0]);
    EXPECT_NE(svg.find("No monitoring or control activity (SSM-PAM-002)"), std::string::npos);
}

} // namespace
