// Display names and units in the CSV and XLSX writers: the CSV header shows names (ids where a
// column has none) and the sidecar lists id, name and units; the XLSX is read back with openpyxl.
#include "tables/csv.hpp"
#include "tables/xlsx.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using holon::tables::TableRef;

struct Sample {
    std::string name = "series";
    std::vector<std::string> columns{"time", "Teacup Temperature", "x"};
    std::vector<std::vector<double>> values{{0, 0.5}, {180, std::nan("")}, {1, std::numeric_limits<double>::infinity()}};
    std::vector<std::string> labels{"Time", "Teacup Temperature", ""};
    std::vector<std::string> units{"Minutes", "Degrees Fahrenheit", ""};
};

TEST(TableCsv, HeaderShowsDisplayNamesAndNoUnitsRowSoEveryCellBelowIsANumber) {
    const Sample s;
    EXPECT_EQ(holon::tables::csv(holon::tables::table_ref(s)),
              "Time,Teacup Temperature,x\n0,180,1\n0.5,NaN,Infinity\n");
}

TEST(TableCsv, ColumnsSidecarListsIdLabelAndUnits) {
    Sample s;
    s.labels[1] = "Temperature, tea";
    EXPECT_EQ(holon::tables::columns_csv(holon::tables::table_ref(s), "\r\n"),
              "column,label,units\r\ntime,Time,Minutes\r\nTeacup Temperature,\"Temperature, tea\",Degrees Fahrenheit\r\n"
              "x,,\r\n");
}

TEST(TableCsv, ATableWithoutMetadataKeepsItsIdHeader) {
    Sample s;
    s.labels.clear();
    s.units.clear();
    const TableRef t = holon::tables::table_ref(s);
    EXPECT_FALSE(t.has_metadata());
    EXPECT_EQ(holon::tables::csv(t).substr(0, 26), "time,Teacup Temperature,x\n");
    EXPECT_EQ(holon::tables::columns_csv(t), "column,label,units\ntime,,\nTeacup Temperature,,\nx,,\n");
}

TEST(TableXlsx, SheetNamesFollowExcelRules) {
    EXPECT_EQ(holon::tables::xlsx_sheet_names({"series", "a/b:c", "columns", std::string(40, 'z')}),
              (std::vector<std::string>{"series", "a_b_c", "columns", std::string(31, 'z'), "columns (2)"}));
}

// Reads every sheet back with openpyxl (python3-openpyxl): {sheet: [[cell, ...], ...]}.
nlohmann::json read_back(const std::string &bytes) {
    const std::filesystem::path file = std::filesystem::temp_directory_path() /
                                       ("holon-xlsx-test-" + std::to_string(getpid()) + ".xlsx");
    std::ofstream(file, std::ios::binary) << bytes;
    const std::string command =
        std::string(HOLON_PYTHON3) + " -c 'import json,sys,openpyxl\n"
        "wb = openpyxl.load_workbook(sys.argv[1])\n"
        "print(json.dumps({ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb}))' " +
        file.string();
    std::string out;
    if (FILE *p = popen(command.c_str(), "r")) {
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
        pclose(p);
    }
    std::filesystem::remove(file);
    return nlohmann::json::parse(out);
}

TEST(TableXlsx, NamesUnitsAndNumbersReadBackWithOpenpyxl) {
    const Sample s;
    const std::string bytes = holon::tables::xlsx({holon::tables::table_ref(s)}, 1765000000);
    ASSERT_EQ(bytes.substr(0, 2), "PK"); // a zip container
    const auto book = read_back(bytes);
    ASSERT_TRUE(book.contains("series")) << book.dump();
    const auto &rows = book["series"];
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0], nlohmann::json({"Time", "Teacup Temperature", "x"}));
    EXPECT_EQ(rows[1], nlohmann::json({"Minutes", "Degrees Fahrenheit", nullptr}));
    EXPECT_EQ(rows[2], nlohmann::json({0, 180, 1}));
    EXPECT_EQ(rows[3], nlohmann::json({0.5, nullptr, "Infinity"})); // NaN is an empty cell
    EXPECT_EQ(book["columns"][0], nlohmann::json({"table", "column", "label", "units"}));
    EXPECT_EQ(book["columns"][2], nlohmann::json({"series", "Teacup Temperature", "Teacup Temperature", "Degrees Fahrenheit"}));
    EXPECT_EQ(book["columns"][3], nlohmann::json({"series", "x", nullptr, nullptr}));
}

TEST(TableXlsx, SameTablesAndCreationTimeGiveTheSameBytes) {
    const Sample s;
    EXPECT_EQ(holon::tables::xlsx({holon::tables::table_ref(s)}, 1765000000),
              holon::tables::xlsx({holon::tables::table_ref(s)}, 1765000000));
}

} // namespace

namespace {

TEST(TableXlsx, ATableLargerThanASheetIsRefusedUpFront) {
    struct Big {
        std::string name = "big";
        std::vector<std::string> columns{"x"};
        std::vector<std::vector<double>> values{std::vector<double>(1048575, 1.0)};
        std::vector<std::string> labels, units;
    } big;
    EXPECT_FALSE(holon::tables::fits_xlsx(holon::tables::table_ref(big)));
    EXPECT_THROW(holon::tables::xlsx({holon::tables::table_ref(big)}, 0), holon::tables::XlsxError);
    big.values[0].resize(1048574);
    EXPECT_TRUE(holon::tables::fits_xlsx(holon::tables::table_ref(big)));
}

} // namespace
