// Result tables as an Excel workbook (libxlsxwriter): what a consultant opens without importing.
#pragma once

#include "tables/table_ref.hpp"

#include <ctime>
#include <stdexcept>
#include <string>
#include <vector>

namespace holon::tables {

inline constexpr const char *xlsx_media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

class XlsxError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One sheet per table, named after it (cut to Excel's 31 characters, characters Excel refuses
// replaced by '_', made unique): row 1 the display names (bold), row 2 the units (blank where a
// column has none), the numbers from row 3, both header rows frozen. NaN is an empty cell, an
// infinity the text "Infinity"/"-Infinity". A last sheet "columns" lists every column's table,
// id, display name and units. `created` is the workbook's creation time; the same tables and
// time give the same bytes. Throws XlsxError when the workbook cannot be written.
std::string xlsx(const std::vector<TableRef> &tables, std::time_t created);

// Whether a table fits one sheet: at most 1,048,574 rows (Excel's 1,048,576 less the names and
// units rows) and 16,384 columns. xlsx() throws XlsxError for a table that does not.
bool fits_xlsx(const TableRef &table);

// The sheet names xlsx() gives these table names, in order (for tests and documentation).
std::vector<std::string> xlsx_sheet_names(const std::vector<std::string> &table_names);

} // namespace holon::tables
