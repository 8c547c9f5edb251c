// `holon simulate --plot FILE`: a line chart of the simulated series drawn by gnuplot, PNG or SVG
// by the file's extension, one coloured line per variable with its name (and units) in the legend.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace holon::cli {

struct PlotLine {
    std::string name;  // the legend entry: the column's name as in the model
    std::string units; // "" when unknown
    std::vector<double> values;
};

struct PlotRequest {
    std::filesystem::path file; // .png or .svg
    std::string title;          // the model's name
    std::string time_units;     // "" when unknown
    std::vector<double> time;
    std::vector<PlotLine> lines;
};

// Throws CliError: exit 2 for a file name gnuplot cannot write in that format, 1 when gnuplot is
// missing or fails.
void write_plot(const PlotRequest &request);

// The picture format a --plot file name asks for ("png", "svg"), or "" for anything else.
std::string plot_format(const std::filesystem::path &file);

} // namespace holon::cli
