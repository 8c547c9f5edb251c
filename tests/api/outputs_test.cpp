// Taking results away over real loopback HTTP: tables with display names and units as JSON, CSV
// and XLSX; honest content negotiation (406 problem+json listing what a route offers); a run and a
// batch as one zip whose entries are byte for byte the single downloads.
#include "api/negotiation.hpp"
#include "api_fixture.hpp"

#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

namespace holon::test {
namespace {

using nlohmann::json;

const std::string xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// Every entry of a zip: path -> bytes.
std::map<std::string, std::string> unzip(const std::string& bytes) {
    std::map<std::string, std::string> out;
    std::istringstream in(bytes);
    Poco::Zip::ZipArchive archive(in);
    for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
        if (it->second.isDirectory()) continue;
        std::istringstream again(bytes);
        Poco::Zip::ZipInputStream zin(again, it->second);
        std::ostringstream content;
        content << zin.rdbuf();
        out[it->first] = content.str();
    }
    return out;
}

// The rows of a workbook's sheet, read back with Debian's openpyxl.
json read_sheet(const std::string& bytes, const std::string& sheet) {
    const auto file = std::filesystem::temp_directory_path() / ("holon-api-xlsx-" + std::to_string(::getpid()) + ".xlsx");
    std::ofstream(file, std::ios::binary) << bytes;
    const std::string command = std::string(HOLON_PYTHON3) +
                                " -c 'import json,sys,openpyxl\n"
                                "ws = openpyxl.load_workbook(sys.argv[1])[sys.argv[2]]\n"
                                "print(json.dumps([list(r) for r in ws.iter_rows(values_only=True)]))' " +
                                file.string() + " " + sheet;
    std::string out;
    if (FILE* p = popen(command.c_str(), "r")) {
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
        pclose(p);
    }
    std::filesystem::remove(file);
    return json::parse(out);
}

void expect_not_acceptable(const HttpResponse& r, const json& offered) {
    EXPECT_EQ(r.status, 406) << r.body;
    EXPECT_EQ(r.content_type(), "application/problem+json");
    const auto doc = r.json();
    EXPECT_EQ(doc["type"], "/problems/not-acceptable");
    EXPECT_EQ(doc["offered"], offered) << r.body;
}

TEST(Negotiation, QualitySpecificityAndTheRoutesOrderDecide) {
    using holon::api::negotiate;
    const std::vector<std::string> offered{"application/json", xlsx_type, "text/csv"};
    EXPECT_EQ(negotiate("", offered), "application/json");
    EXPECT_EQ(negotiate("*/*", offered), "application/json");
    EXPECT_EQ(negotiate("text/csv", offered), "text/csv");
    EXPECT_EQ(negotiate("TEXT/CSV; charset=utf-8", offered), "text/csv");
    EXPECT_EQ(negotiate("application/*", offered), "application/json");
    EXPECT_EQ(negotiate("application/json;q=0.2, text/csv;q=0.8", offered), "text/csv");
    // The most specific range sets a type's quality: */* does not bring back an excluded type.
    EXPECT_EQ(negotiate("application/json;q=0, */*;q=0.5", offered), xlsx_type);
    EXPECT_EQ(negotiate("application/json;q=0, text/*;q=0", offered), std::nullopt);
    EXPECT_EQ(negotiate("image/png, application/pdf", offered), std::nullopt);
    EXPECT_EQ(negotiate(" , text/html", offered), std::nullopt);
}

class Outputs : public ApiSuite {
public:
    static void SetUpTestSuite() {
        start_server("outputs", {});
        ws_ = make_workspace("outputs");
        model_ = make_model(ws_);
        const auto run = make_run(ws_, {{"method", "fixture.echo.run"}, {"model", model_},
                                        {"params", {{"rows", 3}, {"labelled", true}, {"blob", "hello"}}}}, 30);
        run_ = run["id"];
        ASSERT_EQ(wait_run(ws_, run_)["state"], "succeeded");
    }

protected:
    static std::string run_path() { return "/v1/workspaces/" + ws_ + "/runs/" + run_; }
    static std::string table_path() { return run_path() + "/tables/squares"; }
    static HttpResponse get(const std::string& path, const std::string& accept) {
        return http().get(path, admin(), {{"Accept", accept}});
    }
    static inline std::string ws_, model_, run_;
};

TEST_F(Outputs, TablesCarryIdsDisplayNamesAndUnitsAsJson) {
    const auto list = http().get(run_path() + "/tables", admin()).json();
    EXPECT_EQ(list["tables"][0]["columns"], json({"x", "x2"}));
    EXPECT_EQ(list["tables"][0]["labels"], json({"Side", "Area, square"}));
    EXPECT_EQ(list["tables"][0]["units"], json({"m", "m²"}));

    const auto table = get(table_path(), "application/json");
    ASSERT_EQ(table.status, 200) << table.body;
    EXPECT_EQ(table.content_type(), "application/json");
    const auto doc = table.json();
    EXPECT_EQ(doc["columns"], json({"x", "x2"}));
    EXPECT_EQ(doc["labels"], json({"Side", "Area, square"}));
    EXPECT_EQ(doc["units"], json({"m", "m²"}));
    EXPECT_EQ(doc["rows"], json::parse("[[0,0],[1,1],[2,4]]"));
}

TEST_F(Outputs, CsvHasADisplayNameHeaderAndTheUnitsAreInTheColumnsCsv) {
    const auto csv = get(table_path(), "text/csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.content_type(), "text/csv; charset=utf-8");
    EXPECT_EQ(csv.body, "Side,\"Area, square\"\r\n0,0\r\n1,1\r\n2,4\r\n");
    EXPECT_EQ(http().get(table_path() + "?format=csv", admin()).body, csv.body);
    const auto columns = http().get(table_path() + "?format=columns", admin());
    ASSERT_EQ(columns.status, 200);
    EXPECT_EQ(columns.body, "column,label,units\r\nx,Side,m\r\nx2,\"Area, square\",m²\r\n");
    EXPECT_NE(columns.header("content-disposition").find("squares.columns.csv"), std::string::npos);
}

TEST_F(Outputs, XlsxByAcceptHasANamesRowAUnitsRowAndTheNumbers) {
    const auto xlsx = get(table_path(), xlsx_type);
    ASSERT_EQ(xlsx.status, 200) << xlsx.body;
    EXPECT_EQ(xlsx.content_type(), xlsx_type);
    EXPECT_NE(xlsx.header("content-disposition").find("squares.xlsx"), std::string::npos);
    EXPECT_EQ(read_sheet(xlsx.body, "squares"), json::parse(R"([["Side","Area, square"],["m","m²"],[0,0],[1,1],[2,4]])"));
    EXPECT_EQ(http().get(table_path() + "?format=xlsx", admin()).body, xlsx.body) << "the same run, the same bytes";
}

TEST_F(Outputs, AnAcceptTheRouteCannotGiveIs406ListingWhatItOffers) {
    const json table_types = {"application/json", xlsx_type, "text/csv"};
    expect_not_acceptable(get(table_path(), "application/xml"), table_types);
    expect_not_acceptable(get(table_path(), "text/csv;q=0, application/pdf"), table_types);
    expect_not_acceptable(http().get(table_path() + "?format=pdf", admin()), table_types);
    // JSON-only routes refuse a spreadsheet instead of silently sending JSON.
    expect_not_acceptable(get(run_path(), xlsx_type), json({"application/json"}));
    expect_not_acceptable(get("/v1/workspaces/" + ws_ + "/runs", "text/csv"), json({"application/json"}));
    // Wildcards and preferences are honoured.
    EXPECT_EQ(get(run_path(), "*/*").status, 200);
    EXPECT_EQ(get(run_path(), "application/*").status, 200);
    EXPECT_EQ(get(table_path(), "text/csv;q=0.4, application/json;q=0.9").content_type(), "application/json");
    EXPECT_EQ(get(table_path(), "text/*").content_type(), "text/csv; charset=utf-8");
    // A stored file is what it is: text/plain here.
    EXPECT_EQ(get(run_path() + "/files/echo.txt", "text/plain").body, "hello");
    EXPECT_EQ(get(run_path() + "/files/echo.txt", "application/octet-stream").status, 200);
    expect_not_acceptable(get(run_path() + "/files/echo.txt", "image/png"), json({"text/plain"}));
}

TEST_F(Outputs, ARunArchiveHoldsEveryOutputByteForByteWithAManifest) {
    const auto zip = http().get(run_path() + "/archive", admin());
    ASSERT_EQ(zip.status, 200) << zip.body;
    EXPECT_EQ(zip.content_type(), "application/zip");
    const auto entries = unzip(zip.body);
    std::set<std::string> names;
    for (const auto& [name, bytes] : entries) names.insert(name);
    EXPECT_EQ(names, (std::set<std::string>{"manifest.json", "result.json", "tables/squares.csv",
                                            "tables/squares.columns.csv", "tables/squares.xlsx", "files/echo.txt"}));
    EXPECT_EQ(entries.at("result.json"), http().get(run_path() + "/result", admin()).body);
    EXPECT_EQ(entries.at("tables/squares.csv"), get(table_path(), "text/csv").body);
    EXPECT_EQ(entries.at("tables/squares.columns.csv"), http().get(table_path() + "?format=columns", admin()).body);
    EXPECT_EQ(entries.at("tables/squares.xlsx"), get(table_path(), xlsx_type).body);
    EXPECT_EQ(entries.at("files/echo.txt"), "hello");
    const auto manifest = json::parse(entries.at("manifest.json"));
    EXPECT_EQ(manifest["kind"], "holon-run-archive/1");
    EXPECT_EQ(manifest["run"]["id"], run_);
    ASSERT_EQ(manifest["files"].size(), 5u);
    for (const auto& f : manifest["files"])
        EXPECT_EQ(f["bytes"], entries.at(f["path"].get<std::string>()).size()) << f.dump();
    EXPECT_EQ(http().get(run_path() + "/archive", admin()).body, zip.body) << "the same run, the same archive";
}

TEST_F(Outputs, ArchivesOfUnfinishedOrUnknownRunsAreRefused) {
    const auto slow = make_run(ws_, {{"method", "fixture.echo.run"}, {"model", model_}, {"params", {{"sleep_ms", 5000}}}});
    const std::string path = "/v1/workspaces/" + ws_ + "/runs/" + slow["id"].get<std::string>();
    const auto refused = http().get(path + "/archive", admin());
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(refused.json()["type"], "/problems/run-not-finished");
    http().post_json(path + "/cancel", admin(), json::object());
    EXPECT_EQ(http().get("/v1/workspaces/" + ws_ + "/runs/run_missing/archive", admin()).status, 404);
    expect_not_acceptable(get(run_path() + "/archive", "application/json"), json({"application/zip"}));
}

TEST_F(Outputs, ABatchArchiveHoldsItsOutputFolderByteForByte) {
    const std::string batches = "/v1/workspaces/" + ws_ + "/batches";
    auto created = http().post_json(batches, admin(), echo_job(model_, 2, 0));
    ASSERT_EQ(created.status, 202) << created.body;
    const std::string id = created.json()["id"];
    ASSERT_EQ(wait_run(ws_, id)["state"], "succeeded");

    const auto zip = http().get(batches + "/" + id + "/archive", admin());
    ASSERT_EQ(zip.status, 200) << zip.body;
    EXPECT_EQ(zip.content_type(), "application/zip");
    const auto entries = unzip(zip.body);
    const auto listed = http().get(batches + "/" + id + "/files", admin()).json()["items"];
    ASSERT_FALSE(listed.empty());
    EXPECT_EQ(entries.size(), listed.size() + 1) << "every listed file plus the manifest";
    for (const auto& f : listed) {
        const std::string p = f["path"];
        ASSERT_TRUE(entries.count(p)) << p;
        EXPECT_EQ(entries.at(p), http().get(batches + "/" + id + "/file?path=" + p, admin()).body) << p;
    }
    const auto manifest = json::parse(entries.at("manifest.json"));
    EXPECT_EQ(manifest["kind"], "holon-batch-archive/1");
    EXPECT_EQ(manifest["batch"]["id"], id);
    EXPECT_EQ(manifest["files"].size(), listed.size());
    EXPECT_TRUE(entries.count("index.html"));
    // One file is what it is: its own type (or octet-stream), else 406.
    EXPECT_EQ(http().get(batches + "/" + id + "/file?path=index.html", admin(), {{"Accept", "text/html"}}).status, 200);
    expect_not_acceptable(http().get(batches + "/" + id + "/file?path=index.html", admin(), {{"Accept", "image/png"}}),
                          json({"text/html; charset=utf-8"}));
}

TEST_F(Outputs, SdSimulateSeriesCarriesTheModellersNamesAndUnits) {
    const auto imported = http().post("/v1/workspaces/" + ws_ + "/models", admin(),
                                      read_text(std::string(HOLON_SOURCE_DIR) + "/docs/examples/teacup.xmile"),
                                      "application/xml");
    ASSERT_EQ(imported.status, 201) << imported.body;
    const auto run = make_run(ws_, {{"method", "sd.simulate"}, {"model", imported.json()["id"]}}, 30);
    const std::string id = run["id"];
    ASSERT_EQ(wait_run(ws_, id)["state"], "succeeded");
    const std::string series = "/v1/workspaces/" + ws_ + "/runs/" + id + "/tables/series";
    const auto doc = http().get(series, admin()).json();
    std::map<std::string, std::pair<json, json>> by_id;
    for (size_t c = 0; c < doc["columns"].size(); ++c) by_id[doc["columns"][c]] = {doc["labels"][c], doc["units"][c]};
    EXPECT_EQ(by_id["time"], std::make_pair(json(nullptr), json("Minutes")));
    EXPECT_EQ(by_id["Teacup Temperature"], std::make_pair(json("Teacup Temperature"), json("Degrees Fahrenheit")));
    EXPECT_EQ(by_id["Heat Loss to Room"], std::make_pair(json("Heat Loss to Room"), json("Degrees Fahrenheit/Minutes")));
    const auto columns = http().get(series + "?format=columns", admin()).body;
    EXPECT_NE(columns.find("\r\nTeacup Temperature,Teacup Temperature,Degrees Fahrenheit\r\n"), std::string::npos)
        << columns;
}

}  // namespace
}  // namespace holon::test
