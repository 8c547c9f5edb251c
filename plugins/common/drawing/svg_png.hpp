// Turning the SVG pictures the methodology plugins draw into PNG, and writing SVG text safely.
// Shared by the bundled plugins the way a vendor would share a small utility library between
// its own plugins: linked statically into each, no SDK types, no host dependency.
#pragma once

#include <string>
#include <string_view>

namespace holon_plugins::drawing {

// Rasterises a complete SVG document to PNG bytes at `scale` times its intrinsic pixel size
// (2.0 gives a sharp picture for reports). Throws std::runtime_error with librsvg's message when
// the SVG cannot be read. Uses librsvg and cairo in-process (no child process, so it works in a
// sandboxed runner); fonts come from fontconfig (DejaVu Sans is what the pictures ask for).
std::string svg_to_png(std::string_view svg, double scale = 2.0);

// `text` with &, <, >, " and ' escaped for SVG/XML text and attribute values.
std::string xml_escape(std::string_view text);

} // namespace holon_plugins::drawing
