// Puts an SVG picture and its PNG rendering as two blobs (<stem>.svg, <stem>.png).
#pragma once

#include "drawing/svg_png.hpp"

#include <holon/plugin.hpp>

#include <string>

namespace holon_explore::methods {

inline void put_picture(const holon::Context &ctx, const std::string &stem, const std::string &svg) {
    ctx.put_blob(stem + ".svg", "image/svg+xml", svg);
    ctx.put_blob(stem + ".png", "image/png", holon_plugins::drawing::svg_to_png(svg));
}

} // namespace holon_explore::methods
