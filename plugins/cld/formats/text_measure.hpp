// Text widths as a renderer will draw them: measured with cairo on the font the diagrams ask for
// (DejaVu Sans, found through fontconfig like librsvg finds it), so a box sized from these
// widths holds its label in the PNG and in a browser that has the font.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace holon_cld {

inline constexpr const char *diagram_font = "DejaVu Sans";

// Advance width of the UTF-8 `text` at `size` user units (px), regular or bold.
double text_width(std::string_view text, double size, bool bold = false);

// `text` split at spaces into lines no wider than `max_width` at `size`; a word wider than that
// stays whole on its own line (the caller sizes the box from the widest line).
std::vector<std::string> wrap_to_width(std::string_view text, double max_width, double size, bool bold = false);

} // namespace holon_cld
