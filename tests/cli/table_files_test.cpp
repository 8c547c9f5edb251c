// Tables written by `holon run --out` and `holon simulate --out`: a CSV header of display names,
// <table>.columns.csv with ids, names and units, and Excel workbooks read back with openpyxl.
#include "cli_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
using holon::test::run_process;
using nlohmann::json;

namespace {

const fs::path source_dir = HOLON_SOURCE_DIR;

std::string slurp(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Scratch {
    Scratch() {
        std::string tmpl = (fs::temp_directory_path() / "holon-tables-XXXXXX").string();
        path = mkdtemp(tmpl.data());
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    fs::path path;
};

// {sheet: rows} of a workbook, read with Debian's python3-openpyxl.
json read_workbook(const fs::path &file) {
    const std::string command = std::string(HOLON_PYTHON3) +
                                " -c 'import json,sys,openpyxl\n"
                                "wb = openpyxl.load_workbook(sys.argv[1])\n"
                                "print(json.dumps({ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}))' " +
                                file.string();
    std::string out;
    if (FILE *p = popen(command.c_str(), "r")) {
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
        pclose(p);
    }
    return json::parse(out);
}

#if HOLON_TEST_HAVE_SD
TEST(TableFiles, SimulateCsvKeepsTheModelsNamesAndPutsUnitsBesideIt) {
    Scratch dir;
    const auto r = run_process(HOLON_BIN, {"simulate", (source_dir / "docs/examples/SIR.xmile").string(), "--out",
                                           (dir.path / "sir.csv").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string csv = slurp(dir.path / "sir.csv");
    EXPECT_EQ(csv.substr(0, csv.find('\n')),
              "time,susceptible,infectious,recovered,succumbing,recovering,total_population,duration,contact_infectivity");
    const std::string columns = slurp(dir.path / "sir.columns.csv");
    EXPECT_EQ(columns.substr(0, columns.find("succumbing")),
              "column,label,units\ntime,,Time\nsusceptible,susceptible,people\ninfectious,infectious,people\n"
              "recovered,recovered,people\n");
    EXPECT_NE(columns.find("\nsuccumbing,succumbing,person/time\n"), std::string::npos) << columns;
    EXPECT_NE(columns.find("\nduration,duration,days\n"), std::string::npos) << columns;
}

TEST(TableFiles, SimulateXlsxHasANamesRowAndAUnitsRow) {
    Scratch dir;
    const auto r = run_process(HOLON_BIN, {"simulate", (source_dir / "docs/examples/teacup.mdl").string(), "--out",
                                           (dir.path / "teacup.xlsx").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(fs::exists(dir.path / "teacup.csv"));
    const json book = read_workbook(dir.path / "teacup.xlsx");
    const json &rows = book.at("series");
    ASSERT_GE(rows.size(), 3u);
    const json names = rows[0], units = rows[1];
    auto at = [&](const std::string &name) {
        for (size_t c = 0; c < names.size(); ++c)
            if (names[c] == name) return units[c];
        return json("missing");
    };
    EXPECT_EQ(names[0], "time");
    EXPECT_EQ(units[0], "Minutes");
    EXPECT_EQ(at("Teacup Temperature"), "Degrees Fahrenheit");
    EXPECT_EQ(at("Heat Loss to Room"), "Degrees Fahrenheit/Minutes");
    EXPECT_EQ(rows[2][0], 0);
    EXPECT_EQ(book.at("columns")[0], json({"table", "column", "label", "units"}));
}
#endif

TEST(TableFiles, RunOutWritesDisplayNamesTheColumnsCsvAndWithXlsxAWorkbook) {
    Scratch dir;
    const auto r = run_process(HOLON_BIN,
                               {"run", "fixture.echo.run", "--model",
                                (source_dir / "schemas/examples/health-social-care-delays.model.json").string(),
                                "--params", R"({"rows": 3, "labelled": true})", "--out", dir.path.string(), "--xlsx"},
                               {{"HOLON_PLUGIN_PATH", HOLON_TEST_PLUGINS}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(slurp(dir.path / "squares.csv"), "Side,\"Area, square\"\n0,0\n1,1\n2,4\n");
    EXPECT_EQ(slurp(dir.path / "squares.columns.csv"), "column,label,units\nx,Side,m\nx2,\"Area, square\",m²\n");
    EXPECT_NE(r.out.find("tables.xlsx"), std::string::npos) << r.out;
    const json book = read_workbook(dir.path / "tables.xlsx");
    EXPECT_EQ(book.at("squares"), json::parse(R"([["Side","Area, square"],["m","m²"],[0,0],[1,1],[2,4]])"));
}

TEST(TableFiles, ATableWithoutNamesOrUnitsGetsNoColumnsCsvAndNoWorkbookUnlessAsked) {
    Scratch dir;
    const auto r = run_process(HOLON_BIN,
                               {"run", "fixture.echo.run", "--model",
                                (source_dir / "schemas/examples/health-social-care-delays.model.json").string(),
                                "--params", R"({"rows": 2})", "--out", dir.path.string()},
                               {{"HOLON_PLUGIN_PATH", HOLON_TEST_PLUGINS}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(slurp(dir.path / "squares.csv"), "x,x2\n0,0\n1,1\n");
    EXPECT_FALSE(fs::exists(dir.path / "squares.columns.csv"));
    EXPECT_FALSE(fs::exists(dir.path / "tables.xlsx"));
}

} // namespace
